"""A real `dagster-webserver` on a free loopback port serves the code location: its GraphQL
endpoint lists the asset graph. The process group is stopped at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
QUERY = "{ assetNodes { assetKey { path } groupName } }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def webserver(tmp_path):
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-m",
            "orchestration.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        yield process, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _asset_nodes(url: str, deadline: float) -> list[dict]:
    while time.monotonic() < deadline:
        try:
            answer = httpx.post(f"{url}/graphql", json={"query": QUERY}, timeout=10)
            nodes = (answer.json().get("data") or {}).get("assetNodes")
            if answer.status_code == 200 and nodes:
                return nodes
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError("dagster-webserver did not list assets in time")


def test_dagster_webserver_lists_the_asset_graph_over_graphql(webserver):
    process, url = webserver
    nodes = _asset_nodes(url, time.monotonic() + 150)
    keys = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
    assert keys["github/pull_requests"] == "github_raw"
    assert keys["mart_team_weekly"] == "marts"
    assert keys["stg_github__pull_requests"] == "staging"
    assert process.poll() is None
