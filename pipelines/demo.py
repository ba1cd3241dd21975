"""`devmetrics demo`: DevMetrics end to end against the local emulator, no token, no network.

It starts the emulator in-process over a synthetic organisation, extracts it into the warehouse
through the same code path as `devmetrics extract`, builds the marts with dbt as
`devmetrics transform` does (with `as_of` pinned to the synthetic data's end, so the figures are
reproducible), and ends with a per-team summary read straight from the marts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.extract import run_extract
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END
from pipelines.transform import TransformError, build

DEMO_TOKEN = "demo-token-not-a-secret"

# raw table -> the emulator's ground-truth kinds it must equal
TRUTH = {
    "repositories": ("repositories",),
    "commits": ("commits",),
    "pull_requests": ("pull_requests",),
    "pull_request_reviews": ("pull_request_reviews",),
    "pull_request_commits": ("pull_request_commits",),
    "pull_request_timeline": ("pull_request_timeline",),
    "pull_request_comments": ("pull_request_comments", "pull_request_review_comments"),
    "issues": ("issues",),
    "milestones": ("milestones",),
    "deployments": ("deployments",),
    "deployment_statuses": ("deployment_statuses",),
    "workflow_runs": ("workflow_runs",),
    "teams": ("teams",),
    "team_members": ("team_members",),
}


def run_demo(warehouse: Path, scale: float, seed: int, echo: Callable[[str], None] = print) -> int:
    started = time.perf_counter()
    echo(f"[1/3] Generating a synthetic GitHub organisation (scale {scale}, seed {seed})…")
    with run_emulator(scale=scale, seed=seed) as gh:
        truth = gh.store.ground_truth()
        echo(
            f"      {truth['repositories']} repositories, {truth['users']} people and bots, "
            f"{truth['teams']} teams; GitHub API emulated on {gh.api_url}"
        )
        echo(f"[2/3] Extracting it with dlt into {warehouse} (schema github_raw)…")
        result = run_extract(
            warehouse=warehouse,
            org=gh.store.org.login,
            tokens=DEMO_TOKEN,
            api_url=gh.api_url,
            progress=lambda message: echo(f"      {message}"),
        )
        requests = gh.stats()["requests"]["by_kind"]
    report = result.report
    if report.unchanged and not report.extracted:
        echo("      nothing changed since the last run: no repository re-read")
    echo(f"\n{'raw table':<24}{'rows':>10}{'emulator truth':>16}")
    for table, count in result.row_counts.items():
        kinds = TRUTH.get(table)
        expected = f"{sum(truth[k] for k in kinds):,}" if kinds else ""
        echo(f"{table:<24}{count:>10,}{expected:>16}")
    echo(f"\n{requests['graphql']} GraphQL + {requests['rest']} REST requests.")
    as_of = DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")
    echo(f"[3/3] Building the marts with dbt (as of {as_of})…")
    try:
        results = build(warehouse, vars={"as_of": as_of})
    except TransformError as error:
        echo(f"      FAILED: {error}")
        return 1
    echo(f"      {len(results)} models and tests passed")
    echo_team_summary(warehouse, echo)
    echo(f"\nDone in {time.perf_counter() - started:.1f}s. Warehouse: {warehouse.resolve()}")
    echo(
        "Next: run it again (incremental: unchanged repositories cost nothing), or point it at "
        "GitHub with GITHUB_TOKEN=… devmetrics extract --org YOUR_ORG && devmetrics transform"
    )
    return 0 if report.ok else 1


def echo_team_summary(warehouse: Path, echo: Callable[[str], None]) -> None:
    """Each team's last four weeks as the marts hold them (hours; weekly percentiles are never
    re-aggregated), and the team's DORA deployment-frequency band for the latest month."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        weeks = con.execute(
            """
            select team_slug, week_start_date, prs_merged, cycle_time_p50, cycle_time_p90,
                   pickup_time_p50, review_coverage
            from marts.mart_team_weekly
            where week_start_date > (select max(week_start_date) from marts.mart_team_weekly) - 28
            order by team_slug, week_start_date
            """
        ).fetchall()
        bands = dict(
            con.execute(
                """
                select scope_name, deployment_frequency_band from marts.mart_dora_monthly
                where scope_type = 'team' and weeks_in_month > 0
                qualify row_number() over (partition by scope_name order by month_start_date desc) = 1
                """
            ).fetchall()
        )
    header = f"      {'week':<12}{'merged':>7}{'cycle p50':>11}{'cycle p90':>11}{'pickup p50':>12}{'reviewed':>10}"
    team = None
    for slug, week, merged, p50, p90, pickup, coverage in weeks:
        if slug != team:
            team = slug
            echo(f"\n  {slug} (deployment frequency: {bands.get(slug, 'n/a')})")
            echo(header)
        echo(
            f"      {week!s:<12}{merged:>7}{_hours(p50):>11}{_hours(p90):>11}{_hours(pickup):>12}"
            f"{_share(coverage):>10}"
        )


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}h"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
