"""The serving_snapshot asset (orchestration/defs/serving/): wired after every mart of the code
location, materializing it publishes the built marts, and a failed reconciliation stops it."""

from __future__ import annotations

import dagster as dg
import duckdb

from orchestration.definitions import definitions
from orchestration.defs.checks.reconciliation import raw_fact_reconciliation
from orchestration.defs.resources import DevMetricsSettings
from orchestration.defs.serving.assets import serving_snapshot
from pipelines.serving import open_snapshot, publish, published_models
from tests.built_warehouse import copy_built_warehouse

SNAPSHOT = dg.AssetKey(["serving_snapshot"])


def test_serving_snapshot_follows_every_mart_model_of_the_code_location():
    graph = definitions().resolve_asset_graph()
    node = graph.get(SNAPSHOT)
    marts = {dg.AssetKey([model]) for model in published_models()}

    assert len(marts) >= 20 and node.parent_keys == marts
    assert all(graph.has(key) and graph.get(key).is_materializable for key in marts)
    assert {graph.get(key).group_name for key in marts} >= {"marts"}
    assert node.group_name == "serving"


def test_materializing_the_serving_snapshot_publishes_the_built_marts(tmp_path_factory, tmp_path):
    warehouse = copy_built_warehouse(tmp_path_factory, tmp_path / "data" / "warehouse.duckdb")
    settings = DevMetricsSettings(warehouse=str(warehouse))

    result = dg.materialize([serving_snapshot], resources={"settings": settings})

    [materialization] = result.asset_materializations_for_node("serving_snapshot")
    metadata = {key: value.value for key, value in materialization.metadata.items()}
    assert metadata["path"] == str(tmp_path / "data" / "serving.duckdb")
    assert metadata["tables"] == len(published_models())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = {
            f"marts.{model}": con.execute(f"select count(*) from marts.{model}").fetchone()[0]
            for model in published_models()
        }
    assert metadata["row_counts"] == expected
    assert metadata["dagster/row_count"] == sum(expected.values()) > 0


def test_a_failed_reconciliation_keeps_the_last_good_snapshot(tmp_path_factory, tmp_path):
    warehouse = copy_built_warehouse(tmp_path_factory, tmp_path / "warehouse.duckdb")
    settings = DevMetricsSettings(warehouse=str(warehouse))
    publish(warehouse, settings.serving_file)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from marts.fct_issues")

    @dg.multi_asset(specs=[dg.AssetSpec(model) for model in published_models()])
    def marts_just_built():  # stands in for the dbt build that produced the broken fact table
        for model in published_models():
            yield dg.MaterializeResult(asset_key=model)

    result = dg.materialize(
        [marts_just_built, raw_fact_reconciliation, serving_snapshot],
        resources={"settings": settings},
        raise_on_error=False,
    )

    assert not result.success
    assert SNAPSHOT not in {e.asset_key for e in result.get_asset_materialization_events()}
    with open_snapshot(settings.serving_file) as con:
        assert con.execute("select count(*) from marts.fct_issues").fetchone()[0] > 0
