"""LLM enrichment (Anthropic Claude, or the offline heuristic provider without a key).

    run_enrichment(warehouse)      enrich new or changed PRs, commits and weekly digests
    refresh_insight_marts(...)     rebuild the three insight marts that read the results
    ask(question, warehouse)       (pipelines.enrichment.ask) answer from read-only SQL

Layout: settings (env, models), prompts (versioned), schemas (JSON schemas + validation),
redact (secrets, diffs), heuristic (offline rules), tasks (items, payloads, columns),
claude (requests, retries, batches), pricing (list prices, spend cap), store (warehouse I/O),
run (the run), ask + ask_guards, fake_anthropic (a local Anthropic API for tests).
"""

from __future__ import annotations

from pathlib import Path

from .run import EnrichmentReport, run_enrichment
from .settings import SWITCH_TO_CLAUDE_HINT, EnrichmentSettings

INSIGHT_MARTS = ("mart_pull_request_insights", "mart_commit_insights", "mart_weekly_digest")


def refresh_insight_marts(warehouse: Path) -> None:
    """`dbt run` of the insight marts, so they show what enrichment just wrote."""
    from pipelines.transform import run_dbt

    run_dbt(["run", "--select", *INSIGHT_MARTS], warehouse)


__all__ = [
    "INSIGHT_MARTS",
    "SWITCH_TO_CLAUDE_HINT",
    "EnrichmentReport",
    "EnrichmentSettings",
    "refresh_insight_marts",
    "run_enrichment",
]
