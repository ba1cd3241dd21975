"""Raw-vs-fact reconciliation: each fact table holds exactly one row per row of its raw table,
per repository (pipelines.quality.RECONCILED_FACTS). Blocking, so a build that lost or invented
rows does not reach the serving snapshot; the description names the repositories that differ."""

import dagster as dg
import duckdb

from orchestration.defs.resources import DevMetricsSettings
from pipelines.quality import RECONCILED_FACTS, reconcile

CHECK_NAME = "reconciles_with_raw"


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=dg.AssetKey([fact]),
            additional_deps=[dg.AssetKey(["github", raw])],
            blocking=True,
            description=f"Rows per repository in {fact} equal those in github_raw.{raw}.",
        )
        for fact, raw in RECONCILED_FACTS.items()
    ],
    can_subset=True,
    pool="duckdb",
)
def raw_fact_reconciliation(context: dg.AssetCheckExecutionContext, settings: DevMetricsSettings):
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for check_key in sorted(context.selected_asset_check_keys):
            fact = check_key.asset_key.path[-1]
            raw = RECONCILED_FACTS[fact]
            compared, mismatches = reconcile(con, fact, raw)
            if mismatches:
                description = (
                    f"{len(mismatches)} of {compared} repositories differ between "
                    f"github_raw.{raw} and {fact}: "
                    + "; ".join(map(str, mismatches[:10]))
                    + ". Rebuild the marts (`dbt build`); if it persists, compare the keys."
                )
            else:
                description = f"{compared} repositories: {fact} matches github_raw.{raw}."
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=not mismatches,
                severity=dg.AssetCheckSeverity.ERROR,
                description=description,
                metadata={
                    "repositories_compared": compared,
                    "repositories_differing": [m.repository for m in mismatches],
                    "differences": dg.MetadataValue.json(
                        {m.repository: {"raw": m.raw_rows, "fact": m.fact_rows} for m in mismatches}
                    ),
                },
            )
