"""Schedules, both off until switched on (UI: Automation, or `dagster schedule start NAME`):

- `devmetrics_incremental`: incremental extraction + build of the whole graph, hourly by default
  ($DEVMETRICS_SCHEDULE_CRON, e.g. "*/15 * * * *");
- `devmetrics_full_build`: the same graph with `dbt build --full-refresh`, daily at 03:00 UTC by
  default ($DEVMETRICS_FULL_BUILD_CRON).

Times are UTC unless $DEVMETRICS_SCHEDULE_TIMEZONE names another zone.
"""

import os

import dagster as dg

from orchestration.defs.jobs import devmetrics_build
from orchestration.lib.dbt_args import build_tags

TIMEZONE = os.environ.get("DEVMETRICS_SCHEDULE_TIMEZONE") or "UTC"

devmetrics_incremental = dg.ScheduleDefinition(
    name="devmetrics_incremental",
    job=devmetrics_build,
    cron_schedule=os.environ.get("DEVMETRICS_SCHEDULE_CRON") or "0 * * * *",
    execution_timezone=TIMEZONE,
    tags={"devmetrics/build": "incremental", **build_tags(full_refresh=False)},
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Incremental GitHub extraction, then the dbt build and everything downstream.",
)

devmetrics_full_build = dg.ScheduleDefinition(
    name="devmetrics_full_build",
    job=devmetrics_build,
    cron_schedule=os.environ.get("DEVMETRICS_FULL_BUILD_CRON") or "0 3 * * *",
    execution_timezone=TIMEZONE,
    tags={"devmetrics/build": "full-refresh", **build_tags(full_refresh=True)},
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Incremental GitHub extraction, then `dbt build --full-refresh`.",
)
