"""`dbt build` on an extracted warehouse: every node passes, with no warnings."""

from __future__ import annotations

from collections import Counter


def test_dbt_build_passes_every_model_and_test_with_zero_warnings(built):
    statuses = Counter(r.status for r in built.results)
    assert set(statuses) <= {"success", "pass"}, statuses
    assert statuses["pass"] > 0 and statuses["success"] > 0


def test_staging_views_keep_every_raw_row(built):
    for table in ("pull_requests", "commits", "pull_request_reviews", "issues", "workflow_runs"):
        raw = built.query(f"select count(*) from github_raw.{table}")[0][0]
        staged = built.query(f"select count(*) from staging.stg_github__{table}")[0][0]
        assert staged == raw > 0, table


def test_staging_timestamps_are_naive_utc(built):
    raw, staged = built.query(
        "select r.created_at, s.created_at from github_raw.pull_requests r "
        "join staging.stg_github__pull_requests s on s.pull_request_id = r.id limit 1"
    )[0]
    assert staged.tzinfo is None
    assert staged == raw.astimezone(__import__("datetime").UTC).replace(tzinfo=None)
