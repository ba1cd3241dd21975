"""`devmetrics bench extract` end to end at a tiny scale: JSON contract, records, request targets.

Times are never asserted (they depend on the machine); the request counts are deterministic.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from pipelines.demo import TRUTH
from pipelines.github_emulator.floor import pagination_floor
from pipelines.github_emulator.server import EmulatorConfig, build_store

DEVMETRICS = str(Path(sys.executable).parent / "devmetrics")  # the venv's console script
SCALE, SEED = 0.05, 42

REQUIRED_KEYS = {
    "scale",
    "repositories",
    "records",
    "requests",
    "floor",
    "incremental_requests",
    "extractor_cpu_s",
    "extractor_peak_rss_mb",
    "wall_s",
    "records_per_cpu_s",
    "emulator_cpu_s",
    "emulator_peak_rss_mb",
    "targets",
}


def test_bench_extract_prints_figures_that_match_the_emulators_truth(tmp_path):
    done = subprocess.run(
        [DEVMETRICS, "bench", "extract", "--scale", str(SCALE), "--seed", str(SEED)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    figures = json.loads(lines[-1])

    assert figures.keys() >= REQUIRED_KEYS
    assert {"graphql", "rest", "total"} <= figures["requests"].keys()
    assert (
        figures["requests"]["total"] == figures["requests"]["graphql"] + figures["requests"]["rest"]
    )

    store = build_store(EmulatorConfig(scale=SCALE, seed=SEED))
    truth = store.ground_truth()
    # every raw table equals its ground truth; users also hold GitHub's `ghost` account
    expected = sum(sum(truth[k] for k in kinds) for kinds in TRUTH.values()) + truth["users"] + 1
    assert figures["repositories"] == truth["repositories"]
    assert figures["records"] == expected > 0
    assert figures["records_mismatched"] == {}

    assert figures["floor"] == pagination_floor(store)["total"] > 0
    assert figures["requests"]["total"] <= 1.25 * figures["floor"]
    assert figures["incremental_requests"] <= math.ceil(figures["repositories"] / 100) + 2
    targets = figures["targets"]
    assert targets["requests_le_1.25x_floor"]["met"]
    assert targets["incremental_requests_le_ceil_repos_100_plus_2"]["met"]
    assert figures["extractor_cpu_s"] > 0 and figures["extractor_peak_rss_mb"] > 0


def test_floor_counts_every_list_page_and_extra_nested_pages():
    store = build_store(EmulatorConfig(scale=SCALE, seed=SEED))
    floor = pagination_floor(store)
    by_list = floor["by_list"]
    assert floor["total"] == sum(by_list.values())
    repos = list(store.repos.values())
    assert by_list["repositories"] == max(1, math.ceil(len(repos) / 100))
    assert by_list["commits"] == sum(
        max(1, math.ceil(len(r.default_branch_shas) / 100)) for r in repos
    )
    assert by_list["pr_reviews"] == sum(
        max(0, math.ceil(len(p.reviews) / 100) - 1) for r in repos for p in r.pulls.values()
    )
    # a nested list one item over a page costs one extra request; at 100 items, none
    pull = next(p for r in repos for p in r.pulls.values() if len(p.comments) <= 100)
    before = pagination_floor(store)["by_list"]["pr_comments"]
    pull.comments[:] = [None] * 100  # the floor only counts items
    assert pagination_floor(store)["by_list"]["pr_comments"] == before
    pull.comments.append(None)
    assert pagination_floor(store)["by_list"]["pr_comments"] == before + 1
