"""A monthly backfill partition loads exactly its month (checked against the emulator's store)
and leaves the incremental cursors in dlt state as they were; month arithmetic of the CLI."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import duckdb
import pytest
from click.testing import CliRunner

from orchestration.lib.extraction import month_partition_keys, month_window
from pipelines.cli import main
from pipelines.extract import make_pipeline

MONTH = "2026-09-01"


def _cursors(warehouse):
    return copy.deepcopy(make_pipeline(warehouse).state["sources"]["github"]["repositories"])


def _in_month(ts: int) -> bool:
    since, until = (datetime.fromisoformat(d).replace(tzinfo=UTC) for d in month_window(MONTH))
    return since.timestamp() <= ts < until.timestamp()


def test_a_month_partition_loads_exactly_that_month_and_leaves_the_cursors(graph_run):
    before = _cursors(graph_run.warehouse)
    assert all(repo["cursors"] for repo in before.values())
    job = graph_run.defs.resolve_job_def("github_backfill")
    result = job.execute_in_process(partition_key=MONTH, op_selection=["extract_month"])
    assert result.success
    (load_id,) = graph_run.query("select max(load_id) from github_raw._dlt_loads")[0]
    store = graph_run.gh.store
    expected = {
        "pull_requests": {
            p.id for r in store.repos.values() for p in r.pulls.values() if _in_month(p.updated_at)
        },
        "issues": {
            i.id for r in store.repos.values() for i in r.issues.values() if _in_month(i.updated_at)
        },
        "deployments": {
            d.id for r in store.repos.values() for d in r.deployments if _in_month(d.created_at)
        },
        "workflow_runs": {
            w.id for r in store.repos.values() for w in r.workflow_runs if _in_month(w.created_at)
        },
        "commits": {
            sha
            for r in store.repos.values()
            for sha in r.default_branch_shas
            if _in_month(r.commits[sha].committed_at)
        },
    }
    for table, ids in expected.items():
        key = "sha" if table == "commits" else "id"
        loaded = graph_run.query(
            f"select {key} from github_raw.{table} where _dlt_load_id = ?", [load_id]
        )
        assert ids and {v for (v,) in loaded} == ids, table
    assert _cursors(graph_run.warehouse) == before
    materialized = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert {"pull_requests", "commits", "issues"} <= materialized


def test_month_windows_and_partition_ranges():
    assert month_window("2026-12-01") == ("2026-12-01", "2027-01-01")
    assert month_partition_keys("2026-11", "2027-02") == [
        "2026-11-01",
        "2026-12-01",
        "2027-01-01",
        "2027-02-01",
    ]
    with pytest.raises(ValueError, match="before"):
        month_partition_keys("2026-05", "2026-04")


def test_backfill_command_rejects_a_reversed_range():
    outcome = CliRunner().invoke(main, ["backfill", "--from", "2026-05", "--to", "2026-01"])
    assert outcome.exit_code == 2 and "before --from" in outcome.output


@pytest.mark.slow
def test_backfill_command_loads_the_months_then_rebuilds_the_marts(make_emulator, tmp_path):
    gh = make_emulator(scale=0.1, seed=7)
    warehouse = tmp_path / "w.duckdb"
    env = {
        "DEVMETRICS_GITHUB_ORG": gh.store.org.login,
        "DEVMETRICS_GITHUB_REPOS": "",
        "GITHUB_TOKEN": "t",
        "GITHUB_API_URL": gh.api_url,
        "DEVMETRICS_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": "",
    }
    outcome = CliRunner().invoke(
        main, ["backfill", "--from", "2026-08", "--to", "2026-09"], env=env
    )
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.count(" ok ") == 2
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (raw,) = con.execute("select count(*) from github_raw.pull_requests").fetchone()
        (facts,) = con.execute("select count(*) from marts.fct_pull_requests").fetchone()
    assert raw > 0 and facts == raw  # the marts were rebuilt from the back-filled months
    assert not make_pipeline(warehouse).state["sources"]["github"].get("repositories")
