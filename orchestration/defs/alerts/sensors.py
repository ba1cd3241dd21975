"""The alert sensors. Both run by default and send nothing while DEVMETRICS_SLACK_WEBHOOK_URL
is unset.

- stale_review_alerts reads mart_stale_pull_requests from the serving snapshot (never the
  warehouse, which a run may be writing) and posts the PRs that crossed the threshold since the
  last tick; the cursor holds the ids already alerted (see pipelines.alerts).
- run_failure_alerts posts each failed run of this code location with its first error line.
"""

from __future__ import annotations

import json

import dagster as dg

from orchestration.defs.alerts.resources import AlertSettings
from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from pipelines.alerts import (
    WEBHOOK_ENV,
    alert_stale_pull_requests,
    post_webhook,
    read_stale_pull_requests,
    run_failure_payload,
    web_url_for,
)

NOT_CONFIGURED = f"${WEBHOOK_ENV} is not set: no alert sent."


@dg.sensor(
    name="stale_review_alerts",
    minimum_interval_seconds=15 * 60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts pull requests waiting longer than stale_review_hours for a first review.",
)
def stale_review_alerts(
    context: dg.SensorEvaluationContext,
    settings: DevMetricsSettings,
    github: GitHubSettings,
    alerts: AlertSettings,
) -> dg.SensorResult | dg.SkipReason:
    if not alerts.webhook_url:
        return dg.SkipReason(NOT_CONFIGURED)
    snapshot = settings.serving_file
    if not snapshot.exists():
        return dg.SkipReason(f"No serving snapshot at {snapshot} yet: materialize the marts.")
    stale = read_stale_pull_requests(snapshot)
    alerted = json.loads(context.cursor or "[]")
    outcome = alert_stale_pull_requests(
        stale, alerted, alerts.webhook_url, web_url_for(github.api_url)
    )
    summary = f"{len(outcome.sent)} newly stale pull requests posted, {len(stale)} stale in all."
    if outcome.error:
        context.log.error(outcome.error)
        summary += f" Not delivered, retried next tick: {outcome.error}"
    return dg.SensorResult(skip_reason=summary, cursor=json.dumps(sorted(outcome.alerted)))


@dg.run_failure_sensor(
    name="run_failure_alerts",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts every failed run with its job, run id and first error line.",
)
def run_failure_alerts(context: dg.RunFailureSensorContext, alerts: AlertSettings) -> None:
    if not alerts.webhook_url:
        context.log.info(NOT_CONFIGURED)
        return
    step_errors = [
        f"{first_line(root_cause(event.event_specific_data.error).message)} (step {event.step_key})"
        for event in context.get_step_failure_events()
        if event.event_specific_data and event.event_specific_data.error
    ]
    run = context.dagster_run
    message = step_errors[0] if step_errors else (context.failure_event.message or "")
    post_webhook(
        alerts.webhook_url,
        run_failure_payload(run.job_name, run.run_id, message, alerts.run_url(run.run_id)),
    )


def first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]


def root_cause(error):
    """The user's exception under Dagster's step-execution wrapper (a SerializableErrorInfo)."""
    while error.cause is not None:
        error = error.cause
    return error
