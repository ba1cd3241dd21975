"""The asset job every schedule runs: the whole graph (raw tables, dbt models and their tests,
enrichment, checks, serving snapshot) in dependency order. Incremental by default; the run
config `ops.dbt_models.config.full_refresh: true` makes dbt rebuild incremental models."""

import dagster as dg

devmetrics_build = dg.define_asset_job(
    "devmetrics_build",
    selection=dg.AssetSelection.all(),
    description="Extract incrementally from GitHub, then build, enrich, check and publish.",
)
