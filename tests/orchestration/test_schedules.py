"""Schedules: both off by default, the incremental one hourly (or $DEVMETRICS_SCHEDULE_CRON),
the daily one asking dbt for --full-refresh; evaluated with build_schedule_context."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import dagster as dg

from orchestration.definitions import definitions
from orchestration.defs import schedules
from orchestration.lib.dbt_args import build_options, dbt_build_args


def _evaluate(schedule: dg.ScheduleDefinition) -> dg.RunRequest:
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 2, 3, tzinfo=UTC)
    )
    data = schedule.evaluate_tick(context)
    assert data.run_requests and len(data.run_requests) == 1
    return data.run_requests[0]


def test_incremental_schedule_runs_the_whole_graph_hourly_without_full_refresh():
    schedule = schedules.devmetrics_incremental
    assert schedule.cron_schedule == "0 * * * *"
    assert schedule.job_name == "devmetrics_build"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    request = _evaluate(schedule)
    assert build_options(request.tags)["full_refresh"] is False


def test_daily_full_build_asks_dbt_for_a_full_refresh():
    schedule = schedules.devmetrics_full_build
    assert schedule.cron_schedule == "0 3 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    request = _evaluate(schedule)
    assert build_options(request.tags)["full_refresh"] is True
    assert request.tags["devmetrics/build"] == "full-refresh"


def test_schedule_cron_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEVMETRICS_SCHEDULE_CRON", "*/15 * * * *")
    try:
        reloaded = importlib.reload(schedules)
        assert reloaded.devmetrics_incremental.cron_schedule == "*/15 * * * *"
    finally:
        monkeypatch.delenv("DEVMETRICS_SCHEDULE_CRON")
        importlib.reload(schedules)


def test_schedule_runs_are_accepted_by_the_job_and_ask_dbt_for_the_right_build():
    job = definitions().resolve_job_def("devmetrics_build")
    for schedule, full_refresh in (
        (schedules.devmetrics_incremental, False),
        (schedules.devmetrics_full_build, True),
    ):
        request = _evaluate(schedule)
        dg.validate_run_config(job, request.run_config)
        args = dbt_build_args(**build_options(request.tags))
        assert ("--full-refresh" in args) is full_refresh
        assert args[-2:] == ["--exclude-resource-type", "unit_test"]
