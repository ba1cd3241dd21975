"""`github_backfill`: load one calendar month (a partition) from GitHub, then rebuild the marts.

The month goes to dlt as an explicit window (`run_extract(since=, until=)`), which leaves the
incremental cursors of the scheduled runs untouched; rows merge on their keys, so a month can be
re-loaded any time. The dbt build after it is the scheduled incremental one: the incremental
models compare with their previous build, so the back-filled rows reach every mart.

Launch it from the UI (Jobs > github_backfill > Partitions > Launch backfill),
`dagster job backfill -j github_backfill --partitions 2026-05-01,2026-06-01`, or
`devmetrics backfill --from 2026-05 --to 2026-06`.
"""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.defs.partitions import months
from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from orchestration.lib.dbt_args import dbt_build_args, warehouse_env
from orchestration.lib.dbt_project import prepared_manifest
from orchestration.lib.extraction import month_window, report_problems
from orchestration.lib.translators import DevMetricsDbtTranslator, raw_table_key
from pipelines.extract import run_extract


@dg.op(out=dg.Out(dg.Nothing), pool="duckdb", tags={"dagster/kind/dlt": ""})
def extract_month(
    context: dg.OpExecutionContext, github: GitHubSettings, settings: DevMetricsSettings
) -> Iterator:
    """Load the partition's month into github_raw without moving any cursor."""
    since, until = month_window(context.partition_key)
    context.log.info(f"Loading GitHub activity from {since} to {until} (cursors untouched)")
    result = run_extract(
        settings.warehouse_path,
        since=since,
        until=until,
        progress=context.log.info,
        **github.extract_kwargs(),
    )
    for table, total in result.row_counts.items():
        yield dg.AssetMaterialization(
            asset_key=raw_table_key(table),
            description=f"Back-filled {since} to {until}",
            metadata={
                "window_since": since,
                "window_until": until,
                "rows_extracted": result.report.rows.get(table, 0),
                "rows_in_table": total,
            },
        )
    problems = report_problems(result.report)
    if problems:
        raise dg.Failure(description=problems)
    yield dg.Output(None)


@dg.op(ins={"extracted": dg.In(dg.Nothing)}, out={}, pool="duckdb")
def rebuild_marts(
    context: dg.OpExecutionContext, dbt: DbtCliResource, settings: DevMetricsSettings
) -> Iterator:
    """`dbt build` (incremental) on the warehouse the month was loaded into."""
    with warehouse_env(settings.warehouse_path):
        invocation = dbt.cli(
            dbt_build_args(),
            manifest=prepared_manifest(),
            dagster_dbt_translator=DevMetricsDbtTranslator(),
            context=context,
        )
    yield from invocation.stream()


@dg.job(
    partitions_def=months,
    description="Load one month of GitHub history (explicit window, cursors untouched), "
    "then rebuild the marts.",
)
def github_backfill():
    rebuild_marts(extract_month())
