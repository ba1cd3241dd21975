"""`devmetrics demo`: DevMetrics end to end against the local emulator, no token, no network.

It starts the emulator in-process over a synthetic organisation, extracts it into the warehouse
through the same code path as `devmetrics extract`, and shows what landed. Each later stage
(marts, enrichment, Dagster) extends this one path.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pipelines.extract import run_extract
from pipelines.github_emulator import run_emulator

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
    echo(f"[1/2] Generating a synthetic GitHub organisation (scale {scale}, seed {seed})…")
    with run_emulator(scale=scale, seed=seed) as gh:
        truth = gh.store.ground_truth()
        echo(
            f"      {truth['repositories']} repositories, {truth['users']} people and bots, "
            f"{truth['teams']} teams; GitHub API emulated on {gh.api_url}"
        )
        echo(f"[2/2] Extracting it with dlt into {warehouse} (schema github_raw)…")
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
    echo(
        f"\n{requests['graphql']} GraphQL + {requests['rest']} REST requests; "
        f"done in {time.perf_counter() - started:.1f}s. Warehouse: {warehouse}"
    )
    echo(
        "Next: run it again (incremental: unchanged repositories cost nothing), or point it at "
        "GitHub with GITHUB_TOKEN=… devmetrics extract --org YOUR_ORG"
    )
    return 0 if report.ok else 1
