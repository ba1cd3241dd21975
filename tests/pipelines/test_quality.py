"""pipelines.quality on hand-made warehouses: reconciliation per repository, row-count drops."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.quality import Mismatch, reconcile, row_count, row_count_drop


@pytest.fixture
def con():
    with duckdb.connect() as con:
        con.execute("create schema github_raw")
        con.execute("create schema marts")
        con.execute(
            "create table github_raw.repositories as select * from "
            "(values (1, 'acme/api'), (2, 'acme/web')) as t(id, full_name)"
        )
        con.execute(
            "create table github_raw.pull_requests as select * from "
            "(values (10, 1), (11, 1), (12, 2), (13, 3)) as t(id, repository_id)"
        )
        con.execute(
            "create table marts.fct_pull_requests as select id as pull_request_id, repository_id "
            "from github_raw.pull_requests"
        )
        yield con


def test_reconcile_passes_when_every_repository_has_as_many_fact_rows_as_raw_rows(con):
    assert reconcile(con, "fct_pull_requests", "pull_requests") == (3, [])


def test_reconcile_names_each_repository_that_lost_or_gained_fact_rows(con):
    con.execute("delete from marts.fct_pull_requests where pull_request_id = 10")
    con.execute("insert into marts.fct_pull_requests values (14, 2), (15, 4)")

    compared, mismatches = reconcile(con, "fct_pull_requests", "pull_requests")

    assert compared == 4
    assert mismatches == [
        Mismatch("acme/api", 2, 1),
        Mismatch("acme/web", 1, 2),
        Mismatch("repository id 4", 0, 1),
    ]
    assert str(mismatches[0]) == "acme/api: 2 raw vs 1 in the fact table"


def test_row_count_is_none_for_a_table_not_built_yet(con):
    assert row_count(con, "marts", "fct_pull_requests") == 4
    assert row_count(con, "marts", "fct_commits") is None


@pytest.mark.parametrize(
    ("previous", "current", "alarm"),
    [
        (None, 0, False),  # first check: nothing to compare with
        (0, 0, False),
        (100, 100, False),
        (100, 250, False),  # growth is fine
        (100, 90, False),  # exactly the 10% tolerance
        (100, 89, True),
        (100, 0, True),
    ],
)
def test_row_count_drop_alarms_only_beyond_the_tolerance(previous, current, alarm):
    assert (row_count_drop(previous, current) is not None) is alarm


def test_row_count_drop_says_how_much_fell():
    assert row_count_drop(200, 50) == (
        "row count fell from 200 to 50 (75%, tolerance 10%); check the last load for deleted or "
        "filtered rows"
    )
