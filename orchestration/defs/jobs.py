"""The asset job every schedule runs: the whole graph (raw tables, dbt models and their tests,
enrichment, checks, serving snapshot) in dependency order. Incremental by default; the run tag
`devmetrics/full_refresh: true` makes every dbt step rebuild incremental models, and
`devmetrics/as_of` pins "now" (orchestration/lib/dbt_args.py)."""

import dagster as dg

devmetrics_build = dg.define_asset_job(
    "devmetrics_build",
    selection=dg.AssetSelection.all(),
    description="Extract incrementally from GitHub, then build, enrich, check and publish.",
)
