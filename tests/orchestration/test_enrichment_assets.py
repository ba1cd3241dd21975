"""The enrichment assets materialize with Dagster on a warehouse built by dbt, keyed and
grouped as the asset-key contract says, and record what they did as metadata."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from orchestration.defs.enrichment.assets import (
    commit_insights,
    pull_request_insights,
    weekly_digests,
)
from orchestration.defs.resources import DevMetricsSettings
from pipelines.enrichment.fake_anthropic import run_fake_anthropic
from tests.pipelines.enrichment.warehouse import copy_of, small_warehouse

ASSETS = [pull_request_insights, commit_insights, weekly_digests]


@pytest.fixture
def warehouse(tmp_path_factory, tmp_path):
    return copy_of(small_warehouse(tmp_path_factory), tmp_path)


def test_assets_are_keyed_grouped_and_depend_on_the_models_they_read():
    specs = {spec.key.to_user_string(): spec for asset in ASSETS for spec in asset.specs}
    assert set(specs) == {
        "enrichment/pull_request_insights",
        "enrichment/commit_insights",
        "enrichment/weekly_digests",
    }
    assert {
        d.asset_key.to_user_string() for d in specs["enrichment/pull_request_insights"].deps
    } == {"stg_github__pull_requests", "fct_pull_requests"}
    assert {d.asset_key.to_user_string() for d in specs["enrichment/weekly_digests"].deps} == {
        "mart_team_weekly"
    }
    assert all(
        s.group_name == "enrichment" and set(s.kinds) == {"anthropic", "duckdb"}
        for s in specs.values()
    )


def test_materialize_without_a_key_fills_the_tables_with_the_heuristic_provider(
    warehouse, monkeypatch
):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("DEVMETRICS_LLM_PROVIDER", raising=False)
    result = dg.materialize(
        ASSETS, resources={"settings": DevMetricsSettings(warehouse=str(warehouse))}
    )
    assert result.success
    metadata = {
        m.asset_key.to_user_string(): m.metadata
        for m in result.get_asset_materialization_events()
        for m in [m.materialization]
    }
    assert metadata["enrichment/pull_request_insights"]["provider"].value == "heuristic"
    assert metadata["enrichment/commit_insights"]["enriched"].value == 797
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = con.execute(
            "select (select count(*) from enrichment.pull_request_insights), "
            "(select count(*) from enrichment.commit_insights), "
            "(select count(*) from enrichment.weekly_digests)"
        ).fetchone()
    assert counts[0] == 166 and counts[1] == 797 and counts[2] > 0


def test_materialize_with_claude_config_uses_the_api_and_a_rerun_is_free(warehouse, monkeypatch):
    with run_fake_anthropic() as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-a-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.base_url)
        resources = {"settings": DevMetricsSettings(warehouse=str(warehouse))}
        config = dg.RunConfig(
            {"enrichment__weekly_digests": {"config": {"provider": "anthropic", "max_usd": 1.0}}}
        )
        assert dg.materialize([weekly_digests], resources=resources, run_config=config).success
        calls = len(fake.calls())
        assert calls > 0
        again = dg.materialize([weekly_digests], resources=resources, run_config=config)
        assert again.success and len(fake.calls()) == calls
        (event,) = again.get_asset_materialization_events()
        assert event.materialization.metadata["requests"].value == 0
