"""`devmetrics bench enrich` end to end at a tiny scale: the JSON contract and the request
targets (deterministic against the fake Anthropic API; times are never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DEVMETRICS = str(Path(sys.executable).parent / "devmetrics")
REQUIRED_KEYS = {
    "requests_per_1000_commits",
    "requests_per_1000_prs",
    "rerun_calls",
    "input_tokens_per_pr",
    "output_tokens_per_pr",
    "usd_per_1000_prs",
}


@pytest.mark.slow
def test_bench_enrich_prints_its_figures_and_meets_the_request_targets():
    done = subprocess.run(
        [DEVMETRICS, "bench", "enrich", "--scale", "0.05", "--seed", "42"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) >= REQUIRED_KEYS
    assert result["requests_per_1000_commits"] <= 50
    assert result["requests_per_1000_prs"] == 1000  # exactly one request per pull request
    assert result["rerun_calls"] == 0
    assert result["input_tokens_per_pr"] > 0 and result["usd_per_1000_prs"] > 0
    assert all(result["targets_met"].values())
