"""Every dbt seed and model as an asset (dagster-dbt), with the project's data tests shown as
asset checks. The sources resolve to the dlt assets (AssetKey(["github", table])) and to the
enrichment assets (AssetKey(["enrichment", table])), so lineage runs from the API to every mart.
The multi-asset can be subset, which lets Dagster run it on both sides of the enrichment assets.
"""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.resources import DevMetricsSettings
from orchestration.lib.dbt_args import build_options, dbt_build_args, warehouse_env
from orchestration.lib.dbt_project import DBT_PROJECT, prepared_manifest
from orchestration.lib.translators import DevMetricsDbtTranslator


@dbt_assets(
    manifest=prepared_manifest(DBT_PROJECT),
    project=DBT_PROJECT,
    dagster_dbt_translator=DevMetricsDbtTranslator(),
    name="dbt_models",
    pool="duckdb",
)
def dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    settings: DevMetricsSettings,
):
    """Run tags set the build (orchestration/lib/dbt_args.py): `devmetrics/full_refresh: true`
    rebuilds incremental models (the daily full build), `devmetrics/as_of` pins "now" for
    stale-PR and work-in-progress figures, `devmetrics/unit_tests: true` adds dbt unit tests."""
    options = build_options(context.run.tags)
    with warehouse_env(settings.warehouse_path):
        invocation = dbt.cli(dbt_build_args(**options), context=context)
    yield from invocation.stream()
