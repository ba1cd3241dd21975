"""Row-count drop alarms: a raw table, fact or dimension whose row count fell by more than
pipelines.quality.ROW_DROP_TOLERANCE since the previous evaluation of the same check. Each
evaluation records its count as metadata `row_count`, which the next one compares with."""

import dagster as dg
import duckdb

from orchestration.defs.checks.keys import FACT_AND_DIMENSION_KEYS, RAW_TABLE_KEYS
from orchestration.defs.resources import DevMetricsSettings
from pipelines.github.settings import DATASET_NAME
from pipelines.quality import row_count, row_count_drop

CHECK_NAME = "row_count_not_dropped"


def previous_row_count(instance: dg.DagsterInstance, check_key: dg.AssetCheckKey) -> int | None:
    """`row_count` of the latest finished evaluation of this check (None before the first)."""
    history = instance.event_log_storage.get_asset_check_execution_history(check_key, limit=20)
    for record in history:
        if record.status.value != "PLANNED" and record.evaluation is not None:
            value = record.evaluation.metadata.get("row_count")
            return value.value if value is not None else None
    return None


def evaluate(
    context: dg.AssetCheckExecutionContext, settings: DevMetricsSettings, schema_of
) -> list[dg.AssetCheckResult]:
    results = []
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for check_key in sorted(context.selected_asset_check_keys):
            table = check_key.asset_key.path[-1]
            current = row_count(con, schema_of(check_key.asset_key), table)
            previous = previous_row_count(context.instance, check_key)
            drop = None if current is None else row_count_drop(previous, current)
            if current is None:
                description = f"{table} is missing from the warehouse: load or build it."
            else:
                description = f"{table}: {drop or f'{current} rows (previously {previous})'}"
            results.append(
                dg.AssetCheckResult(
                    asset_key=check_key.asset_key,
                    check_name=check_key.name,
                    passed=current is not None and drop is None,
                    severity=dg.AssetCheckSeverity.WARN,
                    description=description,
                    metadata={"row_count": current or 0, "previous_row_count": previous or 0},
                )
            )
    return results


def _specs(keys: list[dg.AssetKey]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=key,
            description="The row count did not fall by more than 10% since the last check.",
        )
        for key in keys
    ]


@dg.multi_asset_check(specs=_specs(RAW_TABLE_KEYS), can_subset=True, pool="duckdb")
def raw_row_count_drops(context: dg.AssetCheckExecutionContext, settings: DevMetricsSettings):
    yield from evaluate(context, settings, lambda key: DATASET_NAME)


@dg.multi_asset_check(specs=_specs(FACT_AND_DIMENSION_KEYS), can_subset=True, pool="duckdb")
def model_row_count_drops(context: dg.AssetCheckExecutionContext, settings: DevMetricsSettings):
    yield from evaluate(context, settings, lambda key: "marts")
