"""Partitions: calendar months for backfills, and one dynamic partition per repository for
splitting extraction across processes in large organisations.

Months start at $DEVMETRICS_BACKFILL_START (default 2020-01-01) and run to the current month
(included, so the month in progress can be re-loaded too). Repository partitions
("owner/name") are registered by the `github_repository_partitions` sensor.
"""

import os

import dagster as dg

months = dg.MonthlyPartitionsDefinition(
    start_date=os.environ.get("DEVMETRICS_BACKFILL_START") or "2020-01-01",
    end_offset=1,
)

repositories = dg.DynamicPartitionsDefinition(name="github_repositories")
