"""The whole asset graph (with enrichment, checks and serving as they are in defs/) materialised
in process against the emulator: it succeeds, every asset check passes, the marts hold rows."""

from __future__ import annotations

import dagster as dg

from pipelines.github.settings import TABLES


def test_materializing_the_whole_graph_succeeds_and_every_asset_is_materialized(graph_run):
    assert graph_run.result.success
    materialized = {
        e.asset_key for e in graph_run.result.get_asset_materialization_events() if e.asset_key
    }
    graph = graph_run.defs.resolve_asset_graph()
    wanted = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    assert wanted - materialized == set()


def test_every_asset_check_passes(graph_run):
    evaluations = graph_run.result.get_asset_check_evaluations()
    assert len(evaluations) > 100
    failed = [e.asset_check_key.to_user_string() for e in evaluations if not e.passed]
    assert failed == []


def test_raw_tables_match_the_emulator_and_marts_hold_rows(graph_run):
    truth = graph_run.gh.store.ground_truth()
    for table in ("pull_requests", "issues", "commits", "teams"):
        (count,) = graph_run.query(f"select count(*) from github_raw.{table}")[0]
        assert count == truth[table], table
    for mart in ("mart_team_weekly", "fct_pull_requests", "mart_dora_monthly", "dim_developers"):
        (count,) = graph_run.query(f"select count(*) from marts.{mart}")[0]
        assert count > 0, mart


def test_dlt_asset_materializations_report_the_rows_each_table_loaded(graph_run):
    events = {
        e.asset_key: e.materialization
        for e in graph_run.result.get_asset_materialization_events()
        if e.asset_key and e.asset_key.path[0] == "github"
    }
    assert set(events) == {dg.AssetKey(["github", t]) for t in TABLES}
    rows = events[dg.AssetKey(["github", "pull_requests"])].metadata["rows_loaded"].value
    assert rows == graph_run.gh.store.ground_truth()["pull_requests"]


def test_materializing_one_raw_table_alone_fails_with_what_to_select(graph_run):
    job = graph_run.defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(
        asset_selection=[dg.AssetKey(["github", "pull_requests"])], raise_on_error=False
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "group:github_raw" in failure.step_failure_data.user_failure_data.description


def test_every_dbt_step_of_the_run_builds_as_of_the_pinned_time(graph_run):
    # The dbt multi-asset runs as several steps around the enrichment assets; each must get the
    # run's as_of (2026-11-01, a Sunday), so no mart extends past the week of 2026-10-26.
    dbt_steps = {
        e.step_key for e in graph_run.result.all_events if (e.step_key or "").startswith("dbt_")
    }
    assert len(dbt_steps) > 1
    (last_week,) = graph_run.query("select max(week_start_date) from marts.mart_team_weekly")[0]
    (last_digest_week,) = graph_run.query(
        "select max(week_start_date) from marts.mart_weekly_digest"
    )[0]
    assert str(last_week) == "2026-10-26"
    assert last_digest_week is None or str(last_digest_week) <= "2026-10-26"
    (last_month,) = graph_run.query("select max(month_start_date) from marts.mart_dora_monthly")[0]
    assert str(last_month) == "2026-10-01"
