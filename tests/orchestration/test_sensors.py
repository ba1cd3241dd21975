"""The alert sensors (orchestration/defs/alerts/) evaluated as Dagster evaluates them, posting to a
real webhook receiver on 127.0.0.1: stale reviews from the serving snapshot of a built warehouse,
and failed runs of a real in-process job."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from orchestration.defs.alerts.resources import AlertSettings, resources
from orchestration.defs.alerts.sensors import run_failure_alerts, stale_review_alerts
from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from pipelines.serving import publish
from tests.built_warehouse import copy_built_warehouse
from tests.webhook_receiver import webhook_receiver

WEBHOOK_ENV = "DEVMETRICS_SLACK_WEBHOOK_URL"


@pytest.fixture
def published(tmp_path_factory, tmp_path):
    """A warehouse copy and its serving snapshot; `settings` points at both."""
    warehouse = copy_built_warehouse(tmp_path_factory, tmp_path / "warehouse.duckdb")
    publish(warehouse, tmp_path / "serving.duckdb")
    return DevMetricsSettings(
        warehouse=str(warehouse), serving_path=str(tmp_path / "serving.duckdb")
    )


def alert_settings() -> AlertSettings:
    """The alerts resource exactly as the code location builds it from the environment."""
    return resources().resources["alerts"]


def tick(settings: DevMetricsSettings, cursor: str | None = None):
    context = dg.build_sensor_context(
        cursor=cursor,
        resources={"settings": settings, "github": GitHubSettings(), "alerts": alert_settings()},
    )
    return stale_review_alerts.evaluate_tick(context)


def stale_in_mart(warehouse: str) -> list[str]:
    with duckdb.connect(warehouse, read_only=True) as con:
        rows = con.execute(
            "select repository_full_name, pull_request_number from "
            "marts.mart_stale_pull_requests order by waiting_hours desc, pull_request_id"
        ).fetchall()
    return [f"{name}#{number}" for name, number in rows]


def test_stale_review_sensor_posts_each_stale_pull_request_once(published, monkeypatch):
    expected = stale_in_mart(published.warehouse)
    assert expected, "the scale 0.1 seed 7 organisation has a stale pull request at its end"
    with webhook_receiver() as hook:
        monkeypatch.setenv(WEBHOOK_ENV, hook.url)
        first = tick(published)
        second = tick(published, first.cursor)

    assert len(hook.messages) == 1
    posted = [
        line.split("|")[1].split(">")[0] for line in hook.messages[0]["text"].splitlines()[1:]
    ]
    assert posted == expected
    assert first.skip_message.startswith(f"{len(expected)} newly stale pull requests posted")
    assert first.run_requests == [] and second.run_requests == []
    assert second.cursor == first.cursor and second.skip_message.startswith("0 newly stale")


def test_stale_review_sensor_alerts_again_after_a_pull_request_stops_being_stale(
    published, monkeypatch
):
    warehouse, serving = published.warehouse_path, published.serving_file
    with webhook_receiver() as hook:
        monkeypatch.setenv(WEBHOOK_ENV, hook.url)
        first = tick(published)
        with duckdb.connect(str(warehouse)) as con:  # answered: the next build has no stale PRs
            con.execute("create table saved as select * from marts.mart_stale_pull_requests")
            con.execute("delete from marts.mart_stale_pull_requests")
        publish(warehouse, serving)
        answered = tick(published, first.cursor)
        with duckdb.connect(str(warehouse)) as con:  # a new request goes unanswered again
            con.execute("insert into marts.mart_stale_pull_requests select * from saved")
        publish(warehouse, serving)
        stale_again = tick(published, answered.cursor)

    assert answered.cursor == "[]"
    assert len(hook.messages) == 2 and hook.messages[0]["text"] == hook.messages[1]["text"]
    assert stale_again.cursor == first.cursor


def test_stale_review_sensor_sends_nothing_without_the_webhook_variable(published, monkeypatch):
    monkeypatch.delenv(WEBHOOK_ENV, raising=False)
    with webhook_receiver() as hook:
        result = tick(published)
    assert hook.messages == []
    assert result.skip_message == f"${WEBHOOK_ENV} is not set: no alert sent."
    assert result.cursor is None


def test_stale_review_sensor_keeps_an_undelivered_alert_for_the_next_tick(published, monkeypatch):
    with webhook_receiver() as hook:
        monkeypatch.setenv(WEBHOOK_ENV, hook.url)
        hook.status = 500
        failed = tick(published)
        hook.status = 200
        retried = tick(published, failed.cursor)

    assert failed.cursor == "[]" and "answered 500" in failed.skip_message
    assert hook.url not in failed.skip_message
    assert len(hook.messages) == 1 and retried.cursor != "[]"


def test_stale_review_sensor_waits_for_a_serving_snapshot(tmp_path, monkeypatch):
    monkeypatch.setenv(WEBHOOK_ENV, "http://127.0.0.1:9/never-called")
    settings = DevMetricsSettings(warehouse=str(tmp_path / "warehouse.duckdb"))
    assert tick(settings).skip_message.startswith(f"No serving snapshot at {tmp_path}")


@dg.op
def load_with_a_revoked_token():
    raise RuntimeError("GitHub answered 401 for ghp_abcdefghijklmnopqrstuvwxyz0123456789")


@dg.job
def nightly_load():
    load_with_a_revoked_token()


def evaluate_after_a_failed_run() -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = nightly_load.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    context = dg.build_run_status_sensor_context(
        sensor_name="run_failure_alerts",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
        resources={"alerts": alert_settings()},
    ).for_run_failure()
    run_failure_alerts(context)


def test_run_failure_sensor_posts_the_failed_job_and_its_redacted_error(monkeypatch):
    with webhook_receiver() as hook:
        monkeypatch.setenv(WEBHOOK_ENV, hook.url)
        monkeypatch.setenv("DEVMETRICS_DAGSTER_URL", "http://127.0.0.1:3000/")
        evaluate_after_a_failed_run()

    [message] = hook.messages
    first_line, error = message["text"].splitlines()
    assert first_line.startswith(
        "*DevMetrics run failed*: job `nightly_load`, <http://127.0.0.1:3000/runs/"
    )
    assert (
        error
        == "RuntimeError: GitHub answered 401 for [REDACTED:github-token] (step load_with_a_revoked_token)"
    )


def test_run_failure_sensor_sends_nothing_without_the_webhook_variable(monkeypatch):
    monkeypatch.delenv(WEBHOOK_ENV, raising=False)
    with webhook_receiver() as hook:
        evaluate_after_a_failed_run()
    assert hook.messages == []
