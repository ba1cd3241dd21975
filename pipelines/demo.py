"""`devmetrics demo`: DevMetrics end to end against the local emulator, no token, no network.

It starts the emulator in-process over a synthetic organisation and materialises the Dagster
asset graph in this process (dlt extraction, dbt models and tests, enrichment, checks, serving
snapshot: the path a scheduled run takes), with `as_of` pinned to the synthetic data's end so the
figures are reproducible. It prints the raw tables next to the emulator's ground truth and each
team's last weeks, and ends with where the files are, the organisation's headline figures and
what to run next.

This module never imports Dagster: the CLI hands it `materialize`, a function that runs the
graph (orchestration.run.materialize_against) and returns an outcome with `success`,
`materialized`, `checks_passed`, `checks_failed` and `failures`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from pipelines.enrichment import SWITCH_TO_CLAUDE_HINT
from pipelines.extract import raw_row_counts
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END

DEMO_TOKEN = "demo-token-not-a-secret"

# (warehouse, org, api_url, token, as_of) -> outcome of the graph's materialisation
Materialize = Callable[[Path, str, str, str, str], Any]

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


def run_demo(
    warehouse: Path,
    scale: float,
    seed: int,
    materialize: Materialize,
    echo: Callable[[str], None] = print,
) -> int:
    started = time.perf_counter()
    warehouse = Path(warehouse).resolve()
    as_of = DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")
    echo(f"[1/3] Generating a synthetic GitHub organisation (scale {scale}, seed {seed})…")
    with run_emulator(scale=scale, seed=seed) as gh:
        truth = gh.store.ground_truth()
        echo(
            f"      {truth['repositories']} repositories, {truth['users']} people and bots, "
            f"{truth['teams']} teams; GitHub API emulated on {gh.api_url}"
        )
        echo(
            "[2/3] Materialising the Dagster asset graph in process: dlt extraction -> dbt models "
            f"and tests -> enrichment -> checks -> serving snapshot (as of {as_of})…"
        )
        outcome = materialize(warehouse, gh.store.org.login, gh.api_url, DEMO_TOKEN, as_of)
        requests = gh.stats()["requests"]["by_kind"]
    echo(f"\n{'raw table':<24}{'rows':>10}{'emulator truth':>16}")
    for table, count in raw_row_counts(warehouse).items():
        kinds = TRUTH.get(table)
        expected = f"{sum(truth[k] for k in kinds):,}" if kinds else ""
        echo(f"{table:<24}{count:>10,}{expected:>16}")
    echo(f"\n{requests['graphql']} GraphQL + {requests['rest']} REST requests.")
    echo(
        f"[3/3] {outcome.materialized} assets materialised, {outcome.checks_passed} asset checks "
        f"passed, {len(outcome.checks_failed)} failed (Dagster run {outcome.run_id})."
    )
    for check in outcome.checks_failed:
        echo(f"      check failed: {check}")
    if not os.environ.get("ANTHROPIC_API_KEY"):
        echo(f"      {SWITCH_TO_CLAUDE_HINT}")
    if not outcome.success:
        for failure in outcome.failures:
            echo("      FAILED " + "\n      ".join(failure.splitlines()[:8]))
        echo(
            "      Details: re-run with `dagster dev` and open the failed run, or see dbt_project/logs."
        )
        return 1
    echo_team_summary(warehouse, echo)
    echo_where_and_next(warehouse, echo)
    echo_headline(warehouse, echo)
    echo_next_commands(echo)
    echo(f"\nDone in {time.perf_counter() - started:.1f}s.")
    return 0 if not outcome.checks_failed else 1


def echo_where_and_next(warehouse: Path, echo: Callable[[str], None]) -> None:
    serving = warehouse.parent / "serving.duckdb"
    echo(f"\nWarehouse         {warehouse}  (schemas github_raw, staging, intermediate, marts)")
    if serving.exists():
        echo(
            f"Serving snapshot  {serving}  (read-only copy of the marts for BI tools and notebooks)"
        )


def echo_headline(warehouse: Path, echo: Callable[[str], None]) -> None:
    """The organisation's last three months of DORA figures, straight from the marts."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        months = con.execute(
            """
            select month_start_date, deployments, deployment_frequency_band,
                   lead_time_for_changes_p50, change_failure_rate,
                   failed_deployment_recovery_time_p50
            from marts.mart_dora_monthly
            where scope_type = 'organization' and weeks_in_month > 0
            order by month_start_date desc
            limit 3
            """
        ).fetchall()
    echo("\nOrganisation, last three months (marts.mart_dora_monthly):")
    echo(
        f"  {'month':<9}{'deploys':>8}{'frequency':>12}{'lead p50':>10}{'fail rate':>11}"
        f"{'recovery p50':>14}"
    )
    for month, deploys, band, lead, failure_rate, recovery in reversed(months):
        echo(
            f"  {str(month)[:7]:<9}{deploys:>8}{band or '-':>12}{_hours(lead):>10}"
            f"{_share(failure_rate):>11}{_hours(recovery):>14}"
        )


def echo_next_commands(echo: Callable[[str], None]) -> None:
    echo(
        "\nNext:\n"
        "  source .venv/bin/activate        put devmetrics, dagster and dbt on your PATH\n"
        "  dagster dev                      open the Dagster UI: lineage, runs, checks, schedules, backfills\n"
        "  jupyter lab notebooks/           explore the marts in the analyst notebooks\n"
        "                                   (pip install -e '.[notebooks]' adds JupyterLab)\n"
        '  a BI tool                        see README, "Query the marts from a BI tool"\n'
        "  GITHUB_TOKEN=… DEVMETRICS_GITHUB_ORG=your-org dagster dev\n"
        "                                   run it against a real organisation (or put both in .env)"
    )


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
