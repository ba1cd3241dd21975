"""`devmetrics emulator serve` as a real process: ready line, APIs, faults, --load, clean stop."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import TOKEN

RECORDED = Path(__file__).parents[2] / "fixtures" / "recorded"
DEVMETRICS = str(Path(sys.executable).parent / "devmetrics")  # the venv's console script


def _serve(*args: str) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen(
        [DEVMETRICS, "emulator", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.kill()
        pytest.fail(f"emulator did not start: {process.stderr.read()}")
    return process, json.loads(line)["ready"]


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0


def test_serve_prints_ready_line_and_answers_rest_graphql_and_stats():
    process, ready = _serve("--scale", "0.05", "--seed", "3", "--org", "octo-org")
    try:
        headers = {"Authorization": f"token {TOKEN}"}
        repos = httpx.get(f"{ready['api_url']}/orgs/octo-org/repos", headers=headers).json()
        query = {
            "query": '{ organization(login: "octo-org") { repositories(first: 100) { totalCount } } }'
        }
        graphql = httpx.post(ready["graphql_url"], json=query, headers=headers).json()
        stats = httpx.get(f"{ready['api_url']}/_emulator/stats").json()
    finally:
        _stop(process)
    assert len(repos) == graphql["data"]["organization"]["repositories"]["totalCount"]
    assert len(repos) == stats["ground_truth"]["repositories"] >= 2
    assert stats["requests"]["by_kind"] == {"graphql": 1, "rest": 1}


def test_serve_with_rate_limit_and_fault_options_applies_them():
    headers = {"Authorization": f"token {TOKEN}"}
    process, ready = _serve("--scale", "0.05", "--rate-limit", "7")
    try:
        limited = httpx.get(f"{ready['api_url']}/orgs/acme-corp", headers=headers)
    finally:
        _stop(process)
    process, ready = _serve("--scale", "0.05", "--faults", "5xx", "--fault-rate", "1")
    try:
        faulty = httpx.get(f"{ready['api_url']}/orgs/acme-corp", headers=headers)
    finally:
        _stop(process)
    assert limited.status_code == 200 and limited.headers["X-RateLimit-Limit"] == "7"
    assert faulty.status_code in {500, 502, 503}


def test_serve_load_replays_a_recorded_organisation_under_its_own_owner():
    process, ready = _serve("--load", str(RECORDED))
    try:
        stats = httpx.get(f"{ready['api_url']}/_emulator/stats").json()
    finally:
        _stop(process)
    assert stats["organization"] == "northwind-labs"
    assert stats["ground_truth"]["repositories"] == 2


def test_serve_rejects_an_unknown_fault_profile_with_the_valid_names():
    result = subprocess.run(
        [DEVMETRICS, "emulator", "serve", "--faults", "teapot"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert (
        "unknown fault profile(s) teapot" in result.stderr and "drop-connections" in result.stderr
    )
