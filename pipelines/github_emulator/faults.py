"""Fault profiles, switched on per run and combinable (`--faults 5xx,drop-connections`).

- `5xx`: bursts of 1-3 consecutive 500/502/503 answers.
- `secondary-rate-limit`: 403 or 429 with `Retry-After`, GitHub's secondary-limit message.
- `exhausted`: small primary budgets (REST and GraphQL) with a short reset window, so a client
  hits `X-RateLimit-Remaining: 0` and must wait for `X-RateLimit-Reset` (or rotate tokens).
- `graphql-502-large-pages`: a GraphQL query asking for more than `large_page` items on a
  connection that nests other connections fails with 502, as GitHub's timeouts do.
- `graphql-rate-limited`: a small GraphQL budget whose exhaustion answers HTTP 200 with an
  error of type RATE_LIMITED (the shape GitHub's GraphQL API uses).
- `drop-connections`: the connection is closed without an answer.

Faults are drawn from a seeded generator in request order, so a run is reproducible.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

PROFILES = (
    "5xx",
    "secondary-rate-limit",
    "exhausted",
    "graphql-502-large-pages",
    "graphql-rate-limited",
    "drop-connections",
)

SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID."
)
SECONDARY_LIMIT_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)
GRAPHQL_TIMEOUT_MESSAGE = (
    "Something went wrong while executing your query. This may be the result of a timeout, "
    "or it could be a GitHub bug. Please include `{request_id}` when reporting this issue."
)


def parse_profiles(value: str | list[str] | tuple[str, ...] | None) -> frozenset[str]:
    """`"5xx,drop-connections"` -> {"5xx", "drop-connections"}; unknown names are an error."""
    if not value:
        return frozenset()
    names = value.split(",") if isinstance(value, str) else list(value)
    profiles = frozenset(n.strip() for n in names if n.strip())
    unknown = sorted(profiles - set(PROFILES))
    if unknown:
        raise ValueError(
            f"unknown fault profile(s) {', '.join(unknown)}; choose from {', '.join(PROFILES)}"
        )
    return profiles


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str  # "5xx" | "secondary-rate-limit" | "drop-connections"
    status: int = 0
    retry_after: int = 0


class FaultInjector:
    def __init__(
        self,
        profiles: frozenset[str],
        seed: int = 0,
        rate: float = 0.05,
        large_page: int = 50,
        retry_after: int = 1,
    ) -> None:
        self.profiles = profiles
        self.rate = rate
        self.large_page = large_page
        self.retry_after = retry_after
        self._rng = random.Random(f"faults:{seed}")
        self._burst: list[int] = []
        self._lock = threading.Lock()

    def draw(self) -> Fault | None:
        """The fault (if any) for the next request, before it is processed."""
        with self._lock:
            if self._burst:
                return Fault("5xx", status=self._burst.pop())
            if "5xx" in self.profiles and self._rng.random() < self.rate:
                statuses = [
                    self._rng.choice((500, 502, 503)) for _ in range(self._rng.randint(1, 3))
                ]
                self._burst = statuses[1:]
                return Fault("5xx", status=statuses[0])
            if "secondary-rate-limit" in self.profiles and self._rng.random() < self.rate:
                status = self._rng.choice((403, 429))
                return Fault("secondary-rate-limit", status=status, retry_after=self.retry_after)
            if "drop-connections" in self.profiles and self._rng.random() < self.rate:
                return Fault("drop-connections")
            return None

    def rejects_large_page(self, max_nested_page: int) -> bool:
        return "graphql-502-large-pages" in self.profiles and max_nested_page > self.large_page
