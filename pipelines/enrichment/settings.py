"""Enrichment configuration: which provider and models, spend cap, batching, diffs, read from
the environment (`.env.example` lists every name) and overridable per run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Literal

Provider = Literal["anthropic", "heuristic"]

# Current models (platform.claude.com "Models overview", Nov 2026): a fast, cheap model for the
# many small commit classifications; a stronger one for PR insights, digests and `ask`.
DEFAULT_MODELS = {
    "commits": "claude-haiku-4-5",
    "pull_requests": "claude-sonnet-5-5",
    "digests": "claude-sonnet-5-5",
    "ask": "claude-sonnet-5-5",
}
MODEL_ENV = {
    "commits": "DEVMETRICS_LLM_MODEL_COMMITS",
    "pull_requests": "DEVMETRICS_LLM_MODEL_PULL_REQUESTS",
    "digests": "DEVMETRICS_LLM_MODEL_DIGESTS",
    "ask": "DEVMETRICS_LLM_MODEL_ASK",
}
HEURISTIC_MODEL = "heuristic-v1"

SWITCH_TO_CLAUDE_HINT = (
    "Enrichment used the offline heuristic provider; for Claude, set ANTHROPIC_API_KEY "
    "(and optionally DEVMETRICS_LLM_MAX_USD) and run `devmetrics enrich`."
)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class EnrichmentSettings:
    """One run's settings. `provider` None means: anthropic when a key is set, else heuristic."""

    provider: Provider | None = None
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    models: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MODELS))
    max_usd: float = 5.0
    send_diffs: bool = False
    commits_per_request: int = 40
    batch_threshold: int = 100  # more requests than this in one run go through Message Batches
    batch_poll_seconds: float = 5.0  # first poll interval; doubles up to batch_poll_max_seconds
    batch_poll_max_seconds: float = 60.0
    batch_max_wait_seconds: float = 3600.0  # then stop; a re-run collects the pending batch
    max_attempts: int = 6  # per request, for 429 / 5xx / 529 overloaded
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    digest_weeks: int = 8  # latest weeks per team that get a digest

    @classmethod
    def from_env(cls, **overrides) -> EnrichmentSettings:
        env = os.environ
        models = {kind: env.get(MODEL_ENV[kind]) or model for kind, model in DEFAULT_MODELS.items()}
        provider = overrides.pop("provider", None) or env.get("DEVMETRICS_LLM_PROVIDER", "")
        provider = provider.strip().lower() or None
        if provider not in (None, "auto", "anthropic", "heuristic"):
            raise ValueError(
                f"provider {provider!r} (DEVMETRICS_LLM_PROVIDER): expected auto, anthropic or heuristic"
            )
        settings = cls(
            provider=None if provider in (None, "auto") else provider,
            api_key=env.get("ANTHROPIC_API_KEY") or None,
            base_url=env.get("ANTHROPIC_BASE_URL") or None,
            models=models,
            max_usd=float(env.get("DEVMETRICS_LLM_MAX_USD") or 5.0),
            send_diffs=_flag(env.get("DEVMETRICS_LLM_SEND_DIFFS")),
            batch_threshold=int(env.get("DEVMETRICS_LLM_BATCH_THRESHOLD") or 100),
            commits_per_request=int(env.get("DEVMETRICS_LLM_COMMITS_PER_REQUEST") or 40),
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def resolved_provider(self) -> Provider:
        if self.provider == "anthropic" and not self.api_key:
            raise ValueError(
                "provider 'anthropic' needs ANTHROPIC_API_KEY; set it, or use the heuristic "
                "provider (DEVMETRICS_LLM_PROVIDER=heuristic)"
            )
        return self.provider or ("anthropic" if self.api_key else "heuristic")

    def model(self, kind: str) -> str:
        return self.models[kind] if self.resolved_provider == "anthropic" else HEURISTIC_MODEL
