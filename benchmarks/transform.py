"""Transformation benchmark: a full dbt build, then an incremental one after ~1% new activity.

    devmetrics bench transform --scale 10 [--seed 42]
    python -m benchmarks.transform --scale 10

1. Starts the emulator in its own process and extracts the organisation (benchmarks.extract's
   processes, so extraction is measured nowhere here).
2. Runs `dbt build` as a scheduled data build runs it (pipelines.transform.build_args: seeds,
   models and data tests; unit tests are CI's) in its own process, and reads its wall time, CPU
   and peak RSS with `wait4`.
3. Adds about 1% new activity through the emulator's mutation endpoint (pull requests opened,
   reviewed and merged, commits, issues, deployments), extracts incrementally, and runs
   `dbt build` again without --full-refresh.
4. Prints one JSON object as the last line of stdout: scale, full_build_s, incremental_build_s,
   peak_rss_mb, rows per mart, and the targets (full build at scale 100 under 60 s; incremental
   under 30% of the full build).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.extract import EmulatorProcess, _wait, log, run_extractor
from pipelines.transform import build_args, check, dbt_command, dbt_env

FULL_BUILD_S_AT_100 = 60.0
INCREMENTAL_SHARE = 0.30
NEW_ACTIVITY_SHARE = 0.01


def timed_dbt(args: list[str], warehouse: Path) -> dict[str, float]:
    """One dbt invocation in its own process: wall seconds, CPU seconds, peak RSS MiB."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        dbt_command(args), env=dbt_env(warehouse), stdout=subprocess.PIPE, text=True
    )
    stdout = proc.stdout.read()
    status, cpu_s, rss_mb = _wait(proc)
    wall_s = time.perf_counter() - started
    check(status, args, stdout)
    return {"wall_s": wall_s, "cpu_s": cpu_s, "peak_rss_mb": rss_mb}


def build(warehouse: Path, full_refresh: bool) -> dict[str, float]:
    """A scheduled data build, as production runs it: no unit tests (CI runs those)."""
    return timed_dbt(build_args(full_refresh, unit_tests=False), warehouse)


def mutate(api_url: str, method: str, **args: Any) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{api_url}/_emulator/mutate",
        data=json.dumps({"method": method, "args": args}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def add_new_activity(emulator: EmulatorProcess, truth: dict[str, Any], seed: int) -> dict[str, int]:
    """About 1% of the organisation's pull requests, commits, issues and deployments, new."""
    rng = random.Random(seed)
    repos = sorted(truth["per_repository"])
    names = [full.split("/", 1)[1] for full in repos]
    wanted = {
        kind: max(1, math.ceil(truth[kind] * NEW_ACTIVITY_SHARE))
        for kind in ("pull_requests", "commits", "issues", "deployments")
    }
    added = dict.fromkeys(wanted, 0)
    for _ in range(wanted["pull_requests"]):
        repo = rng.choice(names)
        number = mutate(emulator.api_url, "open_pull_request", repo=repo, draft=True)["result"][
            "number"
        ]
        mutate(emulator.api_url, "mark_ready_for_review", repo=repo, number=number)
        mutate(emulator.api_url, "add_review", repo=repo, number=number)
        mutate(emulator.api_url, "merge_pull_request", repo=repo, number=number)
        added["pull_requests"] += 1
    for _ in range(wanted["commits"] // 5 + 1):
        mutate(emulator.api_url, "add_commits", repo=rng.choice(names), count=5)
        added["commits"] += 5
    for _ in range(wanted["issues"]):
        mutate(emulator.api_url, "open_issue", repo=rng.choice(names), title="New issue")
        added["issues"] += 1
    for _ in range(wanted["deployments"]):
        mutate(emulator.api_url, "add_deployment", repo=rng.choice(names))
        added["deployments"] += 1
    return added


def mart_rows(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by table_name"
        ).fetchall()
        return {
            t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for (t,) in tables
        }


def run_benchmark(scale: float, seed: int = 42) -> dict[str, Any]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="devmetrics-bench-transform-") as tmp:
        work = Path(tmp)
        warehouse = work / "warehouse.duckdb"
        log(f"starting the emulator (scale {scale}, seed {seed})")
        emulator = EmulatorProcess(scale, seed, work)
        try:
            truth = emulator.stats()["ground_truth"]
            org = emulator.stats()["organization"]
            log("extracting the organisation")
            run_extractor(work, emulator.api_url, org, "full")
            log("full dbt build")
            full = build(warehouse, full_refresh=True)
            log(f"full build: {full['wall_s']:.1f}s; adding ~1% new activity")
            added = add_new_activity(emulator, truth, seed)
            run_extractor(work, emulator.api_url, org, "incremental")
            log("incremental dbt build")
            incremental = build(warehouse, full_refresh=False)
            rows = mart_rows(warehouse)
        finally:
            emulator.stop()
    share = incremental["wall_s"] / full["wall_s"] if full["wall_s"] else None
    return {
        "scale": scale,
        "seed": seed,
        "full_build_s": round(full["wall_s"], 2),
        "full_build_cpu_s": round(full["cpu_s"], 2),
        "incremental_build_s": round(incremental["wall_s"], 2),
        "incremental_build_cpu_s": round(incremental["cpu_s"], 2),
        "incremental_share": round(share, 3) if share is not None else None,
        "peak_rss_mb": round(max(full["peak_rss_mb"], incremental["peak_rss_mb"]), 1),
        "new_activity": added,
        "rows_per_mart": rows,
        "benchmark_wall_s": round(time.perf_counter() - started, 2),
        "targets": {
            "full_build_s_lt_60_at_scale_100": {
                "value": round(full["wall_s"], 2),
                "<": FULL_BUILD_S_AT_100,
                "met": full["wall_s"] < FULL_BUILD_S_AT_100,
                "binding": scale >= 100,
            },
            "incremental_lt_30pct_of_full": {
                "value": round(share, 3) if share is not None else None,
                "<": INCREMENTAL_SHARE,
                "met": share is not None and share < INCREMENTAL_SHARE,
            },
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="devmetrics bench transform", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    options = parser.parse_args(argv)
    result = run_benchmark(options.scale, options.seed)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
