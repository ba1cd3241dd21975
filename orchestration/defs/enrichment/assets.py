"""The enrichment tables as assets (pipelines.enrichment does the work). Each reads the dbt
models it depends on and writes its enrichment.* table, which the insight marts read. Provider,
models and spend cap come from the environment (ANTHROPIC_API_KEY, DEVMETRICS_LLM_*); the run
config can pick the provider and cap for one run."""

import dagster as dg

from orchestration.defs.resources import DevMetricsSettings
from pipelines.enrichment import EnrichmentSettings, run_enrichment


class EnrichmentConfig(dg.Config):
    provider: str = "auto"  # auto: Claude when ANTHROPIC_API_KEY is set, else heuristics
    max_usd: float | None = None  # None: DEVMETRICS_LLM_MAX_USD (default 5)


def enrichment_asset(
    task: str, table: str, deps: list[str], description: str
) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["enrichment", table]),
        group_name="enrichment",
        deps=[dg.AssetKey([model]) for model in deps],
        kinds={"anthropic", "duckdb"},
        pool="duckdb",
        description=description,
    )
    def _enrich(
        context: dg.AssetExecutionContext, config: EnrichmentConfig, settings: DevMetricsSettings
    ) -> dg.MaterializeResult:
        run_settings = EnrichmentSettings.from_env(provider=config.provider, max_usd=config.max_usd)
        report = run_enrichment(
            settings.warehouse_path, run_settings, tasks=[task], progress=context.log.info
        )
        for line in report.lines():
            context.log.info(line)
        if report.stopped:
            raise dg.Failure(description=report.stopped)
        done = report.tasks[0]
        return dg.MaterializeResult(
            metadata={
                "provider": done.provider,
                "model": done.model,
                "prompt_version": done.prompt_version,
                "items": done.items,
                "cached": done.cached,
                "enriched": done.tally.enriched,
                "quarantined": done.tally.quarantined,
                "remaining": done.tally.remaining,
                "requests": done.tally.requests,
                "input_tokens": done.tally.usage.total_input_tokens,
                "output_tokens": done.tally.usage.output_tokens,
                "cost_usd": round(done.tally.cost_usd, 6),
            }
        )

    return _enrich


pull_request_insights = enrichment_asset(
    "pull_requests",
    "pull_request_insights",
    ["stg_github__pull_requests", "fct_pull_requests"],
    "Per pull request: category, risk, complexity, summary, bugs, security concerns, "
    "suggestions, review minutes (Claude, or heuristics without a key); new or changed PRs only.",
)
commit_insights = enrichment_asset(
    "commits",
    "commit_insights",
    ["stg_github__commits", "fct_commits"],
    "Per commit: conventional type, summary, tags, sentiment, confidence, entities; many "
    "commits per request; new or changed commits only.",
)
weekly_digests = enrichment_asset(
    "digests",
    "weekly_digests",
    ["mart_team_weekly"],
    "Per team and week: a short digest grounded in mart_team_weekly's figures (quoted "
    "numbers are checked against them).",
)
