"""The metric marts hold what METRICS.md defines, checked against the facts they roll up
(the scale-0.1 warehouse of conftest.py, built with timezone UTC)."""

from __future__ import annotations

import math
import shutil
from collections import defaultdict
from datetime import timedelta

import duckdb

from pipelines.transform import run_dbt

DAILY_MARTS = ("mart_developer_daily", "mart_repository_daily")


def _quantile(values: list[float], fraction: float) -> float:
    """Continuous percentile with linear interpolation (DuckDB quantile_cont, SQL percentile_cont)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def test_developer_daily_has_one_row_per_developer_day_from_first_activity(built):
    rows = built.query(
        "select developer_id, count(*), min(activity_date), max(activity_date), "
        "count(distinct activity_date) from marts.mart_developer_daily group by developer_id"
    )
    assert rows
    spine_end = built.query("select max(activity_date) from marts.mart_developer_daily")[0][0]
    for developer_id, count, first, last, distinct_days in rows:
        assert last == spine_end, developer_id
        assert count == distinct_days == (last - first).days + 1, developer_id
    bots = built.query(
        "select count(*) from marts.mart_developer_daily d "
        "join marts.dim_developers using (developer_id) where is_bot"
    )[0][0]
    assert bots == 0


def test_developer_daily_commit_totals_equal_fct_commits_of_people(built):
    (mart,) = built.query(
        "select sum(commits), sum(additions), sum(deletions) from marts.mart_developer_daily"
    )
    (facts,) = built.query(
        "select count(*), sum(coalesce(c.additions, 0)), sum(coalesce(c.deletions, 0)) "
        "from marts.fct_commits c join marts.dim_developers d using (developer_id) where not d.is_bot"
    )
    assert mart == facts
    assert mart[0] > 0


def test_developer_daily_zero_fills_days_without_activity(built):
    zero_days, active_days = built.query(
        "select count(*) filter (where not is_active_day and commits = 0 and prs_opened = 0 "
        "and reviews_given = 0), count(*) filter (where is_active_day) from marts.mart_developer_daily"
    )[0]
    assert zero_days > 0 and active_days > 0


def test_team_weekly_p50_p90_equal_a_direct_percentile_over_the_team_weeks_pull_requests(built):
    rows = built.query(
        """
        select m.team_id, cast(date_trunc('week', p.merged_at) as date) as week, p.cycle_time
        from marts.fct_pull_requests p
        join marts.dim_team_memberships m
          on m.developer_id = p.author_developer_id
         and m.valid_from <= cast(p.merged_at as date)
         and (m.valid_to is null or cast(p.merged_at as date) <= m.valid_to)
        join marts.dim_developers d on d.developer_id = m.developer_id and not d.is_bot
        where p.merged_at is not null and not p.is_excluded and p.cycle_time is not null
        """
    )
    groups: dict[tuple, list[float]] = defaultdict(list)
    for team_id, week, cycle_time in rows:
        groups[(team_id, week)].append(cycle_time)
    assert groups
    mart = {
        (team_id, week): (count, p50, p75, p90)
        for team_id, week, count, p50, p75, p90 in built.query(
            "select team_id, week_start_date, cycle_time_count, cycle_time_p50, cycle_time_p75, "
            "cycle_time_p90 from marts.mart_team_weekly"
        )
    }
    for key, values in groups.items():
        count, p50, p75, p90 = mart[key]
        assert count == len(values), key
        assert math.isclose(p50, _quantile(values, 0.5), rel_tol=1e-9), key
        assert math.isclose(p75, _quantile(values, 0.75), rel_tol=1e-9), key
        assert math.isclose(p90, _quantile(values, 0.9), rel_tol=1e-9), key
    weeks_without_merges = [v for k, v in mart.items() if k not in groups]
    assert all(count == 0 and p50 is None for count, p50, _, _ in weeks_without_merges)


def test_team_weekly_counts_each_team_of_a_developer_and_the_org_counts_a_pr_once(built):
    team_total = built.query("select sum(prs_merged) from marts.mart_team_weekly")[0][0]
    memberships_per_pr = built.query(
        """
        select count(*) from marts.fct_pull_requests p
        join marts.dim_team_memberships m on m.developer_id = p.author_developer_id
         and m.valid_from <= cast(p.merged_at as date)
         and (m.valid_to is null or cast(p.merged_at as date) <= m.valid_to)
        join marts.dim_developers d on d.developer_id = m.developer_id and not d.is_bot
        where p.merged_at is not null
        """
    )[0][0]
    assert team_total == memberships_per_pr
    org_lead_time = built.query(
        "select sum(lead_time_for_changes_count) from marts.mart_dora_monthly "
        "where scope_type = 'organization'"
    )[0][0]
    facts = built.query(
        "select count(*) from marts.fct_pull_requests where lead_time_for_changes is not null "
        "and not is_excluded"
    )[0][0]
    assert org_lead_time == facts > 0


def test_team_weekly_review_coverage_is_the_share_of_merged_prs_with_a_human_review(built):
    rows = built.query(
        """
        with merged as (
            select m.team_id, cast(date_trunc('week', p.merged_at) as date) as week,
                   exists (select 1 from marts.fct_reviews r where r.pull_request_id = p.pull_request_id
                           and not r.is_bot_reviewer and not r.is_author_review
                           and r.state != 'PENDING') as reviewed
            from marts.fct_pull_requests p
            join marts.dim_team_memberships m on m.developer_id = p.author_developer_id
             and m.valid_from <= cast(p.merged_at as date)
             and (m.valid_to is null or cast(p.merged_at as date) <= m.valid_to)
            join marts.dim_developers d on d.developer_id = m.developer_id and not d.is_bot
            where p.merged_at is not null and not p.is_excluded
        )
        select w.review_coverage, avg(case when reviewed then 1.0 else 0.0 end)
        from merged join marts.mart_team_weekly w
          on w.team_id = merged.team_id and w.week_start_date = merged.week
        group by w.team_id, w.week_start_date, w.review_coverage
        """
    )
    assert rows
    for mart, direct in rows:
        assert math.isclose(mart, direct, rel_tol=1e-9)


def test_repository_daily_totals_equal_the_facts(built):
    (mart,) = built.query(
        "select sum(commits), sum(prs_opened), sum(prs_merged), sum(prs_closed_unmerged), "
        "sum(issues_opened), sum(deployments), sum(workflow_runs) from marts.mart_repository_daily"
    )
    (facts,) = built.query(
        """
        select
            (select count(*) from marts.fct_commits),
            (select count(*) from marts.fct_pull_requests),
            (select count(*) from marts.fct_pull_requests where merged_at is not null),
            (select count(*) from marts.fct_pull_requests
             where closed_at is not null and merged_at is null),
            (select count(*) from marts.fct_issues),
            (select count(*) from marts.fct_deployments),
            (select count(*) from marts.fct_workflow_runs)
        """
    )
    assert mart == facts
    per_repository = built.query(
        "select repository_id, count(*), count(distinct activity_date) "
        "from marts.mart_repository_daily group by repository_id"
    )
    assert all(count == distinct for _, count, distinct in per_repository)


def test_dora_band_is_consistent_with_deployment_days(built):
    rows = built.query(
        "select deployment_frequency_band, deployment_frequency, deployment_days, deployments "
        "from marts.mart_dora_monthly"
    )
    assert {band for band, *_ in rows} & {"elite", "high"}
    for band, frequency, days, deployments in rows:
        assert days <= deployments
        if band == "elite":
            assert frequency >= 5
        elif band == "high":
            assert 1 <= frequency < 5
        elif band == "medium":
            assert frequency < 1 and days >= 1
        else:
            assert band == "low" and days == 0 and frequency == 0


def test_dora_repository_deployment_days_are_distinct_days_of_successful_production_deploys(built):
    mart = dict(
        ((repository_id, month), days)
        for repository_id, month, days in built.query(
            "select cast(scope_id as bigint), month_start_date, deployment_days "
            "from marts.mart_dora_monthly where scope_type = 'repository' and deployment_days > 0"
        )
    )
    direct = dict(
        ((repository_id, month), days)
        for repository_id, month, days in built.query(
            "select repository_id, cast(date_trunc('month', finished_at) as date), "
            "count(distinct cast(finished_at as date)) from marts.fct_deployments "
            "where is_production and is_successful and finished_at is not null group by 1, 2"
        )
    )
    assert mart == direct and mart


def test_dora_change_failure_rate_counts_deployments_with_an_attributed_incident(built):
    mart = built.query(
        "select sum(failed_deployments), sum(deployments) from marts.mart_dora_monthly "
        "where scope_type = 'organization'"
    )[0]
    direct = built.query(
        "select count(distinct i.attributed_deployment_id), "
        "(select count(*) from marts.fct_deployments where is_production and is_successful "
        "and finished_at is not null) from marts.fct_incidents i "
        "where i.attributed_deployment_id is not null"
    )[0]
    assert mart == direct


def test_stale_prs_are_open_nondraft_nonexcluded_and_older_than_the_threshold(built):
    stale = built.query(
        """
        select s.pull_request_id, s.waiting_hours, s.stale_review_hours, s.as_of_at,
               p.state, p.is_draft, p.is_excluded, p.ready_for_review_at, p.first_response_at,
               p.closed_at
        from marts.mart_stale_pull_requests s
        join marts.fct_pull_requests p using (pull_request_id)
        """
    )
    for _, waiting, threshold, as_of, state, draft, excluded, ready, response, closed in stale:
        assert state == "open" and closed is None
        assert not draft and not excluded
        assert response is None or response > as_of
        assert waiting > threshold == 24
        assert math.isclose(waiting, (as_of - ready) / timedelta(hours=1), rel_tol=1e-9)
    expected = built.query(
        """
        select count(*) from marts.fct_pull_requests
        where state = 'open' and not is_draft and not is_excluded and first_response_at is null
          and ready_for_review_at < (select max(as_of_at) from marts.mart_stale_pull_requests)
                                    - interval 24 hour
        """
    )[0][0]
    assert len(stale) == expected


def test_bus_factor_is_the_fewest_developers_covering_half_the_quarters_commits(built):
    commits = built.query(
        """
        select c.repository_id, cast(date_trunc('quarter', c.authored_at) as date), c.developer_id,
               count(*)
        from marts.fct_commits c join marts.dim_developers d using (developer_id)
        where not d.is_bot and not c.is_merge_commit
        group by all
        """
    )
    per_quarter: dict[tuple, list[int]] = defaultdict(list)
    for repository_id, quarter, _, count in commits:
        per_quarter[(repository_id, quarter)].append(count)
    mart = {
        (repository_id, quarter): bus_factor
        for repository_id, quarter, bus_factor in built.query(
            "select repository_id, quarter_start_date, bus_factor from marts.mart_bus_factor"
        )
    }
    expected = {}
    for key, counts in per_quarter.items():
        covered, total = 0, sum(counts)
        for rank, count in enumerate(sorted(counts, reverse=True), start=1):
            covered += count
            if covered * 2 >= total:
                expected[key] = rank
                break
    assert mart == expected and mart


def test_sprint_weighted_velocity_is_the_weighted_last_four_finished_sprints(built):
    rows = built.query(
        "select team_id, repository_id, points_completed, weighted_velocity, velocity_trend "
        "from marts.mart_sprint_velocity where is_finished "
        "order by team_id, repository_id, sprint_end_date, milestone_number"
    )
    history: dict[tuple, list[int]] = defaultdict(list)
    checked = 0
    for team_id, repository_id, points, velocity, trend in rows:
        past = history[(team_id, repository_id)]
        past.append(points)
        if len(past) < 4:
            assert velocity is None and trend is None
            continue
        p0, p1, p2, p3 = past[-1], past[-2], past[-3], past[-4]
        assert math.isclose(velocity, 0.4 * p0 + 0.3 * p1 + 0.2 * p2 + 0.1 * p3, abs_tol=1e-9)
        recent, previous = (p0 + p1) / 2, (p2 + p3) / 2
        expected = (
            "up" if recent > previous * 1.05 else "down" if recent < previous * 0.95 else "stable"
        )
        assert trend == expected
        checked += 1
    assert checked > 0


def test_sprint_burndown_ends_at_committed_minus_completed(built):
    mismatches = built.query(
        """
        select count(*) from marts.mart_sprint_burndown b
        join marts.mart_sprint_velocity v using (team_id, repository_id, milestone_number)
        where v.is_finished and b.burndown_date = v.sprint_end_date
          and b.remaining_points != v.points_committed - v.points_completed
        """
    )[0][0]
    assert mismatches == 0


def test_insight_marts_build_without_enrichment_and_say_provider_none(built):
    for table in ("pull_request_insights", "commit_insights", "weekly_digests"):
        assert built.query(f"select count(*) from enrichment.{table}")[0][0] == 0
    prs, providers = built.query(
        "select count(*), list(distinct enrichment_provider) from marts.mart_pull_request_insights"
    )[0]
    assert prs == built.query("select count(*) from marts.fct_pull_requests")[0][0]
    assert providers == ["none"]
    commits, providers = built.query(
        "select count(*), list(distinct enrichment_provider) from marts.mart_commit_insights"
    )[0]
    assert commits == built.query("select count(*) from marts.fct_commits")[0][0]
    assert providers == ["none"]
    digests = built.query("select count(*), count(digest_text) from marts.mart_weekly_digest")[0]
    assert digests == (built.query("select count(*) from marts.mart_team_weekly")[0][0], 0)


def test_daily_spines_end_on_the_same_day_no_earlier_than_the_last_activity(built):
    (developer_end, repository_end, last_commit) = built.query(
        "select (select max(activity_date) from marts.mart_developer_daily), "
        "(select max(activity_date) from marts.mart_repository_daily), "
        "(select cast(max(authored_at) as date) from marts.fct_commits)"
    )[0]
    assert developer_end == repository_end >= last_commit


def test_daily_marts_incremental_run_repairs_to_the_full_refresh_rows(built, tmp_path):
    warehouse = tmp_path / "copy.duckdb"
    shutil.copy(built.warehouse, warehouse)
    pinned = {"as_of": "2026-11-01 00:00:00"}
    run_dbt(["run", "--full-refresh", "--select", *DAILY_MARTS], warehouse, vars=pinned)
    with duckdb.connect(str(warehouse)) as con:
        for mart in DAILY_MARTS:
            con.execute(f"create table main.{mart}_full as select * from marts.{mart}")
        last = con.execute("select max(activity_date) from marts.mart_developer_daily").fetchone()[
            0
        ]
        # What a previous, shorter run left behind: fewer days and different counts.
        con.execute(
            "delete from marts.mart_developer_daily where activity_date > ?", [last - timedelta(14)]
        )
        con.execute("update marts.mart_repository_daily set commits = commits + 1")
    run_dbt(["run", "--select", *DAILY_MARTS], warehouse, vars=pinned)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart in DAILY_MARTS:
            for left, right in (
                (f"marts.{mart}", f"main.{mart}_full"),
                (f"main.{mart}_full", f"marts.{mart}"),
            ):
                extra = con.execute(
                    f"select count(*) from (select * from {left} except all select * from {right})"
                ).fetchone()[0]
                assert extra == 0, (mart, left)


def test_dora_months_end_with_the_month_of_the_last_week_so_none_is_empty(built):
    # as_of is 2026-11-01 00:00, a Sunday: November has no Monday yet, so no November row.
    months = built.query(
        "select max(month_start_date), min(weeks_in_month) from marts.mart_dora_monthly"
    )[0]
    assert str(months[0]) == "2026-10-01" and months[1] >= 4
