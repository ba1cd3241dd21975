"""List prices per model (US dollars per million tokens) and the per-run spend cap.

Prompt-cache writes cost 1.25x the input price and reads 0.1x; the Message Batches API halves
every price (platform.claude.com, "Pricing", Nov 2026). A model missing here is priced as the
most expensive one listed, so the spend cap errs on the safe side.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

# model -> (input, output) USD per million tokens
PRICES: dict[str, tuple[float, float]] = {
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-haiku-4-5-20251001": (1.0, 5.0),
    "claude-sonnet-5-5": (2.0, 10.0),
    "claude-sonnet-5": (2.0, 10.0),
    "claude-sonnet-4-6": (3.0, 15.0),
    "claude-opus-5-5": (4.0, 20.0),
    "claude-opus-5": (5.0, 25.0),
    "claude-fable-5-1": (10.0, 50.0),
}
CACHE_WRITE_FACTOR = 1.25
CACHE_READ_FACTOR = 0.1
BATCH_FACTOR = 0.5


@dataclass(frozen=True)
class Usage:
    """Tokens of one API answer, as its `usage` reports them."""

    input_tokens: int = 0  # uncached input
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    @property
    def total_input_tokens(self) -> int:
        return self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_creation_input_tokens + other.cache_creation_input_tokens,
            self.cache_read_input_tokens + other.cache_read_input_tokens,
        )

    @classmethod
    def of(cls, usage) -> Usage:
        """From the SDK's usage object (missing cache fields count as zero)."""
        return cls(
            usage.input_tokens or 0,
            usage.output_tokens or 0,
            getattr(usage, "cache_creation_input_tokens", 0) or 0,
            getattr(usage, "cache_read_input_tokens", 0) or 0,
        )


def prices(model: str) -> tuple[float, float]:
    if model not in PRICES:
        log.warning("no list price for model %s: costing it as the most expensive model", model)
        return max(PRICES.values())
    return PRICES[model]


def cost_usd(model: str, usage: Usage, batch: bool = False) -> float:
    input_price, output_price = prices(model)
    dollars = (
        usage.input_tokens * input_price
        + usage.cache_creation_input_tokens * input_price * CACHE_WRITE_FACTOR
        + usage.cache_read_input_tokens * input_price * CACHE_READ_FACTOR
        + usage.output_tokens * output_price
    ) / 1_000_000
    return dollars * (BATCH_FACTOR if batch else 1.0)


@dataclass
class Budget:
    """The per-run spend cap (DEVMETRICS_LLM_MAX_USD). A request is sent only while the money
    spent is below the cap, so a run ends at most one request's cost past it."""

    max_usd: float
    spent_usd: float = 0.0
    requests: int = 0

    @property
    def exhausted(self) -> bool:
        return self.spent_usd >= self.max_usd

    def remaining(self) -> float:
        return max(0.0, self.max_usd - self.spent_usd)

    def charge(self, usd: float) -> None:
        self.spent_usd += usd
        self.requests += 1
