"""Freshness: every raw table and mart was updated within the last FRESHNESS_HOURS (the daily
full build, plus slack). Evaluated after each materialization and by the freshness sensor, which
runs by default in `dagster dev` and warns when the schedules stopped feeding the warehouse."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

from orchestration.defs.checks.keys import MART_KEYS, RAW_TABLE_KEYS

FRESHNESS_HOURS = 26

raw_freshness_checks = dg.build_last_update_freshness_checks(
    assets=RAW_TABLE_KEYS, lower_bound_delta=timedelta(hours=FRESHNESS_HOURS)
)
mart_freshness_checks = dg.build_last_update_freshness_checks(
    assets=MART_KEYS, lower_bound_delta=timedelta(hours=FRESHNESS_HOURS)
)
freshness_checks_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=[*raw_freshness_checks, *mart_freshness_checks],
    default_status=dg.DefaultSensorStatus.RUNNING,
)
