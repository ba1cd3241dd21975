"""The example queries of the README's "Query the marts from a BI tool" section run on a serving
snapshot and answer their questions: each block is read from the README itself."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Query the marts from a BI tool"


def _examples() -> dict[str, str]:
    """{question: sql} for every ```sql block of the section, keyed by the bold line above it."""
    text = README.read_text()
    assert SECTION in text, f"README.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"^\*\*([^*\n]+\?)\*\*.*?```sql\n(.*?)```", section, re.M | re.S)
    return {question: sql for question, sql in found}


EXAMPLES = _examples()


def _run(snapshot, keyword: str) -> list[tuple]:
    (sql,) = [sql for question, sql in EXAMPLES.items() if keyword in question]
    return snapshot.query(sql)


def test_readme_section_has_five_example_queries():
    assert len(EXAMPLES) == 5, list(EXAMPLES)


@pytest.mark.parametrize("question", list(EXAMPLES))
def test_example_query_runs_on_the_snapshot_and_returns_rows(snapshot, question):
    assert snapshot.query(EXAMPLES[question]), f"no rows for: {question}"


def test_slowest_pickup_lists_at_most_ten_prs_of_the_latest_month_slowest_first(snapshot):
    rows = _run(snapshot, "waited longest for a first review")
    hours = [row[-1] for row in rows]
    assert 0 < len(rows) <= 10 and hours == sorted(hours, reverse=True)
    ((month,),) = snapshot.query(
        "select date_trunc('month', max(first_response_at)) from marts.fct_pull_requests"
    )
    keys = [(row[0], row[1]) for row in rows]
    responded = snapshot.query(
        "select r.repository_full_name, pr.pull_request_number, pr.first_response_at "
        "from marts.fct_pull_requests pr join marts.dim_repositories r using (repository_id)"
    )
    by_key = {(name, number): at for name, number, at in responded}
    assert all(by_key[key] >= month for key in keys)


def test_merged_without_approval_matches_the_facts_of_the_last_30_days(snapshot):
    rows = _run(snapshot, "merged without an approval")
    facts = snapshot.query(
        "select pull_request_number, merged_at, is_merged_without_approval, is_excluded "
        "from marts.fct_pull_requests where merged_at is not null"
    )
    latest = max(merged_at for _, merged_at, _, _ in facts)
    expected = sorted(
        merged_at
        for _, merged_at, unapproved, excluded in facts
        if unapproved and not excluded and merged_at >= latest - timedelta(days=30)
    )
    assert sorted(row[4] for row in rows) == expected


def test_deployment_frequency_trend_has_one_row_per_team_steepest_fall_first(snapshot):
    rows = _run(snapshot, "trending down in deployment frequency")
    teams = {slug for (slug,) in snapshot.query("select team_slug from marts.dim_teams")}
    assert {row[0] for row in rows} == teams
    changes = [float(row[5]) for row in rows]
    assert changes == sorted(changes)
    for _, _, frequency, _, previous, change in rows:
        assert float(change) == pytest.approx(frequency - float(previous), abs=0.011)


def test_phase_medians_per_team_come_from_last_four_weeks_of_merges(snapshot):
    rows = _run(snapshot, "pull-request time go")
    teams = {slug for (slug,) in snapshot.query("select team_slug from marts.dim_teams")}
    assert {row[0] for row in rows} == teams
    for _, merged, coding, pickup, review, deploy, cycle_p90 in rows:
        assert merged > 0
        assert all(value >= 0 for value in (coding, pickup, review, deploy))
        assert max(coding, pickup, review) <= cycle_p90


def test_bus_factor_lists_every_repository_of_the_latest_quarter_lowest_first(snapshot):
    rows = _run(snapshot, "depend on one or two people")
    ((quarter, repositories),) = snapshot.query(
        "select max(quarter_start_date), count(distinct repository_id) filter "
        "(where quarter_start_date = (select max(quarter_start_date) from marts.mart_bus_factor)) "
        "from marts.mart_bus_factor"
    )
    assert len(rows) == repositories and all(row[1] == quarter for row in rows)
    assert [row[2] for row in rows] == sorted(row[2] for row in rows)
    for _, _, bus_factor, contributors, _, share in rows:
        assert 1 <= bus_factor <= contributors and float(share) >= 0.5
