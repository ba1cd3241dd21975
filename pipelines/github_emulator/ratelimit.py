"""Primary rate limits as GitHub applies them: one budget per identity and resource.

REST (`core`) spends one unit per request; GraphQL spends the query's computed cost in points.
Each budget resets `window_seconds` after its window opened (GitHub: one hour). Identities are
a hash of the token, never the token itself, so the emulator's state holds no secret.
Unauthenticated callers get GitHub's 60 REST requests per window, keyed by client address.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass


@dataclass(slots=True)
class Budget:
    limit: int
    window_seconds: float
    used: int = 0
    reset_at: float = 0.0

    def refresh(self, now: float) -> None:
        if now >= self.reset_at:
            self.used = 0
            # Whole seconds, as X-RateLimit-Reset is: a client waiting until it is never early.
            self.reset_at = float(math.ceil(now + self.window_seconds))

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def headers(self, resource: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Used": str(self.used),
            "X-RateLimit-Reset": str(int(self.reset_at)),
            "X-RateLimit-Resource": resource,
        }

    def snapshot(self) -> dict[str, int]:
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "used": self.used,
            "reset": int(self.reset_at),
        }


def identity_of(token: str | None, client: str) -> str:
    if not token:
        return f"anonymous:{client}"
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:16]


class RateLimiter:
    """Budgets per (identity, resource); resources are `core` (REST) and `graphql`."""

    def __init__(
        self,
        core_limit: int = 5000,
        graphql_limit: int = 5000,
        anonymous_limit: int = 60,
        window_seconds: float = 3600,
        clock=time.time,
    ) -> None:
        self.limits = {"core": core_limit, "graphql": graphql_limit}
        self.anonymous_limit = anonymous_limit
        self.window_seconds = window_seconds
        self.clock = clock
        self._budgets: dict[tuple[str, str], Budget] = {}
        self._lock = threading.Lock()

    def budget(self, identity: str, resource: str) -> Budget:
        with self._lock:
            key = (identity, resource)
            budget = self._budgets.get(key)
            if budget is None:
                limit = (
                    self.anonymous_limit
                    if identity.startswith("anonymous:")
                    else self.limits[resource]
                )
                budget = self._budgets[key] = Budget(limit, self.window_seconds)
            budget.refresh(self.clock())
            return budget

    def try_charge(self, identity: str, resource: str, amount: int) -> tuple[bool, Budget]:
        """Spend `amount`; refuse (and spend nothing) when the budget cannot cover it."""
        budget = self.budget(identity, resource)
        with self._lock:
            if budget.remaining < max(amount, 1):
                return False, budget
            budget.used += amount
            return True, budget
