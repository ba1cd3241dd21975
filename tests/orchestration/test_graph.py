"""The code location loads, and its asset graph is one connected lineage graph: every dbt
source('github', t) is a dlt asset, every mart reaches a dlt asset upstream, nothing dangles."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import definitions
from orchestration.lib.dbt_project import DBT_PROJECT
from pipelines.github.settings import TABLES


@pytest.fixture(scope="module")
def graph():
    return definitions().resolve_asset_graph()


def test_the_code_location_validates_as_dagster_definitions_validate_does():
    # The webserver test loads it in a separate process, as `dagster dev` does.
    dg.Definitions.validate_loadable(definitions())


def test_every_raw_table_is_a_dlt_asset_in_group_github_raw_without_upstream(graph):
    for table in TABLES:
        node = graph.get(dg.AssetKey(["github", table]))
        assert node.is_materializable, table
        assert node.group_name == "github_raw"
        assert {"dlt", "duckdb", "github"} <= set(node.kinds)
        assert node.description and table in node.description
        assert not node.parent_keys, (table, node.parent_keys)
    assert not graph.has(dg.AssetKey(["github", "activity"]))


def test_every_dbt_source_github_table_has_a_dlt_asset_of_that_key(graph):
    manifest = json.loads(Path(DBT_PROJECT.manifest_path).read_text())
    sources = {s["name"] for s in manifest["sources"].values() if s["source_name"] == "github"}
    assert sources
    for table in sources:
        node = graph.get(dg.AssetKey(["github", table]))
        assert node.is_materializable and "dlt" in node.kinds, table
        assert node.child_keys, f"github/{table} feeds no dbt model"


def _upstream(graph, key: dg.AssetKey) -> set[dg.AssetKey]:
    seen, todo = set(), [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_every_mart_reaches_a_dlt_asset_upstream(graph):
    marts = [k for k in graph.get_all_asset_keys() if graph.get(k).group_name == "marts"]
    assert dg.AssetKey(["mart_team_weekly"]) in marts and len(marts) > 10
    for mart in marts:
        raw = [k for k in _upstream(graph, mart) if k.path[0] == "github"]
        assert raw, f"{mart.to_user_string()} has no raw table upstream"


def test_dbt_models_are_grouped_by_layer_and_tagged_with_their_kind(graph):
    for key, group in [
        (["stg_github__pull_requests"], "staging"),
        (["int_developers_resolved"], "intermediate"),
        (["mart_stale_pull_requests"], "marts"),
    ]:
        node = graph.get(dg.AssetKey(key))
        assert node.group_name == group
        assert {"dbt", "duckdb"} <= set(node.kinds)
        assert node.description


def test_dbt_tests_are_asset_checks_on_the_models(graph):
    checked = {check.asset_key for check in graph.asset_check_keys}
    assert dg.AssetKey(["fct_pull_requests"]) in checked
    assert len(graph.asset_check_keys) > 100


def test_no_asset_is_external_every_key_in_the_graph_is_materializable(graph):
    external = {
        k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).is_materializable
    }
    assert external == set()


def test_enrichment_sits_between_dbt_models_and_the_insight_marts(graph):
    insights = graph.get(dg.AssetKey(["enrichment", "pull_request_insights"]))
    assert dg.AssetKey(["fct_pull_requests"]) in insights.parent_keys
    assert dg.AssetKey(["mart_pull_request_insights"]) in insights.child_keys
