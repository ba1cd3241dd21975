"""Warehouse health figures behind the Dagster asset checks: raw-vs-fact reconciliation per
repository and row-count drops between two builds.

Every raw row of a reconciled table must reach its fact table, and nothing else may: the counts
per repository are equal after each build (METRICS.md, Quality). These are counts over whole
relations, so they stay generic here instead of one dbt test per pair; the per-model dbt tests
(keys, relationships, contracts) stay in dbt.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.github.settings import DATASET_NAME

# fact model (schema marts) -> the raw table (schema github_raw) it holds one row for each row of.
RECONCILED_FACTS = {
    "fct_pull_requests": "pull_requests",
    "fct_commits": "commits",
    "fct_reviews": "pull_request_reviews",
    "fct_issues": "issues",
    "fct_deployments": "deployments",
    "fct_workflow_runs": "workflow_runs",
}
# A table shrinking by more than this fraction since the previous check raises the alarm.
ROW_DROP_TOLERANCE = 0.10


@dataclass(frozen=True)
class Mismatch:
    repository: str
    raw_rows: int
    fact_rows: int

    def __str__(self) -> str:
        return f"{self.repository}: {self.raw_rows} raw vs {self.fact_rows} in the fact table"


def reconcile(con: duckdb.DuckDBPyConnection, fact: str, raw: str) -> tuple[int, list[Mismatch]]:
    """(repositories compared, repositories whose raw and fact row counts differ)."""
    rows = con.execute(
        f"""
        with raw_counts as (
            select repository_id, count(*) as rows from {DATASET_NAME}.{raw} group by 1
        ),
        fact_counts as (
            select repository_id, count(*) as rows from marts.{fact} group by 1
        )
        select
            coalesce(repositories.full_name, 'repository id '
                || coalesce(raw_counts.repository_id, fact_counts.repository_id)),
            coalesce(raw_counts.rows, 0),
            coalesce(fact_counts.rows, 0)
        from raw_counts
        full outer join fact_counts on raw_counts.repository_id = fact_counts.repository_id
        left join {DATASET_NAME}.repositories as repositories
            on repositories.id = coalesce(raw_counts.repository_id, fact_counts.repository_id)
        order by 1
        """
    ).fetchall()
    mismatches = [Mismatch(name, raw_rows, fact_rows) for name, raw_rows, fact_rows in rows]
    return len(rows), [m for m in mismatches if m.raw_rows != m.fact_rows]


def row_count(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int | None:
    """Rows in schema.table; None when the table does not exist (not built or loaded yet)."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0]
    if not exists:
        return None
    return con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]


def row_count_drop(
    previous: int | None, current: int, tolerance: float = ROW_DROP_TOLERANCE
) -> str | None:
    """Why `current` is an alarming drop from `previous`, or None when it is not."""
    if not previous or current >= previous * (1 - tolerance):
        return None
    return (
        f"row count fell from {previous} to {current} ({(previous - current) / previous:.0%}, "
        f"tolerance {tolerance:.0%}); check the last load for deleted or filtered rows"
    )
