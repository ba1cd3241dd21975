"""`github_repository_extract`: one repository (a dynamic partition) per run, in two steps.

`extract_repository` reads the API and normalises with the repository's own dlt pipeline; it
touches no warehouse, so many run side by side (run queue, limited per GitHub token by the run
tag `devmetrics/github_token`, see dagster.yaml). `load_repository` is the only step that writes
DuckDB and sits in the `duckdb` pool (limit 1), with every other warehouse writer. Launch a
backfill over the repository partitions from the UI (Jobs > github_repository_extract >
Partitions) or `dagster job backfill -j github_repository_extract --partitions acme/api,...`;
then build the marts with `devmetrics_build` (or its schedule)."""

import os
from collections.abc import Iterator

import dagster as dg

from orchestration.defs.partitions import repositories
from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from orchestration.lib.extraction import report_problems
from orchestration.lib.tokens import TOKEN_TAG, token_count, token_slot, tokens_from_slot
from orchestration.lib.translators import raw_table_key
from pipelines.repository_extract import extract_repository, load_repository


@dg.op(out=dg.Out(dict), tags={"dagster/kind/github": ""})
def extract_repository_op(
    context: dg.OpExecutionContext, github: GitHubSettings, settings: DevMetricsSettings
) -> dict:
    """Extract and normalise the partition's repository; rows per raw table."""
    repository = context.partition_key
    slot = token_slot(repository, token_count(github.tokens))
    report, rows = extract_repository(
        settings.warehouse_path,
        repository,
        tokens=tokens_from_slot(github.tokens, slot),
        api_url=github.api_url or None,
        graphql_url=github.graphql_url or None,
        progress=context.log.info,
    )
    problems = report_problems(report)
    if problems:
        raise dg.Failure(description=problems)
    return rows


@dg.op(pool="duckdb")
def load_repository_op(
    context: dg.OpExecutionContext, settings: DevMetricsSettings, rows: dict
) -> Iterator:
    """Load the normalised repository into github_raw (one DuckDB writer at a time)."""
    repository = context.partition_key
    load_repository(settings.warehouse_path, repository)
    for table, count in sorted(rows.items()):
        yield dg.AssetMaterialization(
            asset_key=raw_table_key(table),
            description=f"Loaded {repository}",
            metadata={"repository": repository, "rows_loaded": count},
        )
    yield dg.Output(None)


def _tags(repository: str) -> dict[str, str]:
    slot = token_slot(repository, token_count(os.environ.get("GITHUB_TOKEN")))
    return {TOKEN_TAG: str(slot)}


@dg.job(
    config=dg.PartitionedConfig(
        partitions_def=repositories,
        run_config_for_partition_key_fn=lambda _key: {},
        tags_for_partition_key_fn=_tags,
    ),
    description="Extract one repository (a partition) with its own dlt pipeline, then load it.",
)
def github_repository_extract():
    load_repository_op(extract_repository_op())
