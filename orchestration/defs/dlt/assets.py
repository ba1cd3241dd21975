"""The raw GitHub tables as Dagster assets, loaded by dlt (dagster-dlt) into schema github_raw.

One multi-asset runs the GitHub source once (one API pass feeds every table). It is incremental:
dlt keeps the cursors in the warehouse, and a repository's cursors cover all its tables, so the
raw tables are always materialised together (a subset would advance the cursors of tables it did
not load; it fails with what to select instead). The run's target (organisation or
repositories, tokens, API URLs) comes from the `github` resource, the warehouse from `settings`.
"""

import dagster as dg
from dagster_dlt import DagsterDltResource, dlt_assets

from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from orchestration.lib.extraction import report_problems, source_kwargs
from orchestration.lib.translators import GitHubDltTranslator
from pipelines.extract import make_pipeline
from pipelines.github import ExtractionReport, github_source

# The source and pipeline here only describe the assets (one per raw table); each run builds
# its own from the resources.
_SPEC_SOURCE = github_source(org="described-at-load-time", access_token=None)
_SPEC_PIPELINE = make_pipeline(DevMetricsSettings().warehouse_path)


@dlt_assets(
    dlt_source=_SPEC_SOURCE,
    dlt_pipeline=_SPEC_PIPELINE,
    name="github_raw_tables",
    dagster_dlt_translator=GitHubDltTranslator(),
    pool="duckdb",
)
def github_raw_tables(
    context: dg.AssetExecutionContext,
    dlt: DagsterDltResource,
    github: GitHubSettings,
    settings: DevMetricsSettings,
):
    if context.is_subset:
        raise dg.Failure(
            description="The raw GitHub tables share one API pass and one set of cursors: "
            "materialise all of them together (select group:github_raw, or the job "
            "devmetrics_build); a single table would move the cursors of the tables it skips."
        )
    report = ExtractionReport(progress=context.log.info)
    source = github_source(**source_kwargs(github.extract_kwargs(), report))
    pipeline = make_pipeline(settings.warehouse_path)
    yield from dlt.run(context=context, dlt_source=source, dlt_pipeline=pipeline)
    context.log.info(
        f"{len(report.extracted)} repositories extracted, {len(report.unchanged)} unchanged"
    )
    problems = report_problems(report)
    if problems:
        raise dg.Failure(description=problems)
