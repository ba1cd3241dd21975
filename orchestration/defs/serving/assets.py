"""serving_snapshot: after the marts build, copy them atomically into the read-only serving
DuckDB file (settings.serving_file: $DEVMETRICS_SERVING_PATH, else serving.duckdb beside the
warehouse). It depends on every model under dbt_project/models/marts, so a run that builds the
marts publishes once they are all done; a failed blocking check upstream stops the publish."""

import dagster as dg

from orchestration.defs.resources import DevMetricsSettings
from pipelines.serving import publish, published_models


@dg.asset(
    key="serving_snapshot",
    group_name="serving",
    deps=[dg.AssetKey([model]) for model in published_models()],
    kinds={"duckdb"},
    pool="duckdb",
    description=(
        "Read-only copy of schema marts (tables and column comments) for BI tools and notebooks, "
        "replaced atomically so readers never see a half-written file."
    ),
)
def serving_snapshot(
    context: dg.AssetExecutionContext, settings: DevMetricsSettings
) -> dg.MaterializeResult:
    result = publish(settings.warehouse_path, settings.serving_file)
    context.log.info(
        f"Published {result['tables']} tables ({result['rows']} rows) to {result['path']} "
        f"in {result['seconds']} s"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(result["path"]),
            "tables": result["tables"],
            "dagster/row_count": result["rows"],
            "bytes": result["bytes"],
            "seconds": result["seconds"],
            "row_counts": dg.MetadataValue.json(result["row_counts"]),
        }
    )
