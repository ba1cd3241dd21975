"""The operational asset checks (orchestration/defs/checks/) executed by Dagster against a small
built warehouse: reconciliation, row-count drops, freshness."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from orchestration.defs.checks.freshness import mart_freshness_checks, raw_freshness_checks
from orchestration.defs.checks.keys import MART_KEYS, RAW_TABLE_KEYS
from orchestration.defs.checks.reconciliation import raw_fact_reconciliation
from orchestration.defs.checks.row_counts import model_row_count_drops
from orchestration.defs.resources import DevMetricsSettings
from pipelines.quality import RECONCILED_FACTS
from tests.built_warehouse import copy_built_warehouse


@pytest.fixture
def warehouse(tmp_path_factory, tmp_path):
    return copy_built_warehouse(tmp_path_factory, tmp_path / "warehouse.duckdb")


def run_checks(
    checks, warehouse, instance=None, succeeds=True
) -> dict[str, dg.AssetCheckEvaluation]:
    """Execute `checks` alone, as Dagster does; their evaluations by asset key."""
    result = dg.materialize(
        [checks],
        selection=dg.AssetSelection.all_asset_checks(),
        resources={"settings": DevMetricsSettings(warehouse=str(warehouse))},
        instance=instance,
        raise_on_error=False,
    )
    assert result.success is succeeds
    return {e.asset_key.to_user_string(): e for e in result.get_asset_check_evaluations()}


def execute(warehouse, sql: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(sql)


def test_reconciliation_passes_for_every_fact_of_a_good_warehouse(warehouse):
    evaluations = run_checks(raw_fact_reconciliation, warehouse)

    assert sorted(evaluations) == sorted(RECONCILED_FACTS)
    for fact, evaluation in evaluations.items():
        assert evaluation.passed, (fact, evaluation.description)
        assert evaluation.metadata["repositories_compared"].value == 2
    assert evaluations["fct_pull_requests"].description == (
        "2 repositories: fct_pull_requests matches github_raw.pull_requests."
    )


def test_reconciliation_fails_naming_the_repository_whose_fact_rows_were_deleted(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        repository_id, name, raw_rows = con.execute(
            "select r.id, r.full_name, count(*) from github_raw.repositories r "
            "join github_raw.pull_requests p on p.repository_id = r.id "
            "group by all order by r.full_name desc limit 1"
        ).fetchone()
        con.execute(
            "delete from marts.fct_pull_requests where pull_request_id in (select pull_request_id "
            "from marts.fct_pull_requests where repository_id = ? limit 3)",
            [repository_id],
        )

    # Blocking with ERROR severity: the run fails, so nothing downstream (the snapshot) builds.
    evaluations = run_checks(raw_fact_reconciliation, warehouse, succeeds=False)

    failed = evaluations["fct_pull_requests"]
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.description.startswith(
        f"1 of 2 repositories differ between github_raw.pull_requests and fct_pull_requests: "
        f"{name}: {raw_rows} raw vs {raw_rows - 3} in the fact table."
    )
    assert failed.metadata["repositories_differing"].value == [name]
    assert [fact for fact, e in evaluations.items() if not e.passed] == ["fct_pull_requests"]


def test_row_count_drop_check_fires_when_a_fact_loses_rows_since_the_last_check(warehouse):
    instance = dg.DagsterInstance.ephemeral()
    first = run_checks(model_row_count_drops, warehouse, instance)
    commits = first["fct_commits"].metadata["row_count"].value
    assert commits > 100 and all(e.passed for e in first.values())

    execute(
        warehouse,
        "delete from marts.fct_commits where commit_id in "
        f"(select commit_id from marts.fct_commits limit {commits // 2})",
    )
    second = run_checks(model_row_count_drops, warehouse, instance)

    dropped = second["fct_commits"]
    assert not dropped.passed and dropped.severity == dg.AssetCheckSeverity.WARN
    assert dropped.metadata["previous_row_count"].value == commits
    assert dropped.description.startswith(
        f"fct_commits: row count fell from {commits} to {commits - commits // 2} (50%"
    )
    assert [key for key, e in second.items() if not e.passed] == ["fct_commits"]

    # The alarm is against the previous check: with no further change the next one passes.
    assert run_checks(model_row_count_drops, warehouse, instance)["fct_commits"].passed


def test_freshness_checks_cover_every_raw_table_and_mart_and_fail_when_never_updated():
    covered = {
        key
        for checks in (*raw_freshness_checks, *mart_freshness_checks)
        for key in checks.check_keys
    }
    assert {key.asset_key for key in covered} == {*RAW_TABLE_KEYS, *MART_KEYS}

    instance = dg.DagsterInstance.ephemeral()
    fresh_key = dg.AssetKey(["github", "pull_requests"])
    instance.report_runless_asset_event(dg.AssetMaterialization(fresh_key))
    result = dg.materialize(
        raw_freshness_checks, selection=dg.AssetSelection.all_asset_checks(), instance=instance
    )
    evaluations = {e.asset_key: e.passed for e in result.get_asset_check_evaluations()}

    assert evaluations[fresh_key] is True
    assert evaluations[dg.AssetKey(["github", "commits"])] is False
