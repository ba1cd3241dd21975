"""`devmetrics extract` as a real process: killed with SIGKILL mid-load and re-run it ends identical
to a clean load without duplicates; and the token never reaches logs, state, data or files."""

from __future__ import annotations

import base64
import gzip
import json
import logging
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import duckdb
from conftest import SCALE, SEED
from extract_helpers import (
    TOKEN,
    assert_same_tables,
    duplicate_keys,
    extract,
    pipeline_state,
    snapshot,
)

from pipelines.github.settings import DATASET_NAME


def _devmetrics(args: list[str], gh, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args, "--api-url", gh.api_url],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(Path.cwd())},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_run_killed_mid_load_then_rerun_equals_a_clean_load_without_duplicates(
    make_emulator, tmp_path, clean_load
):
    gh = make_emulator(scale=SCALE, seed=SEED)
    warehouse = tmp_path / "warehouse.duckdb"
    args = ["extract", "--org", gh.store.org.login, "--warehouse", str(warehouse)]
    process = _devmetrics(args, gh, tmp_path)
    deadline = time.monotonic() + 60
    while gh.stats()["requests"]["total"] < 12 and process.poll() is None:
        assert time.monotonic() < deadline, "the extraction never got going"
        time.sleep(0.02)
    served_before_kill = gh.stats()["requests"]["total"]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "killed before it could finish"
    assert served_before_kill >= 12

    rerun = _devmetrics(args, gh, tmp_path)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err[-2000:]
    assert_same_tables(snapshot(warehouse), clean_load.tables)
    assert duplicate_keys(warehouse) == {}


def _contains(data: bytes, needle: bytes) -> bool:
    if needle in data:
        return True
    if data[:2] == b"\x1f\x8b":  # dlt's gzipped load files
        try:
            return needle in gzip.decompress(data)
        except (OSError, EOFError):
            return False
    return False


def test_token_never_appears_in_logs_state_warehouse_or_pipeline_files(
    make_emulator, tmp_path, caplog
):
    """A run with retries and a forbidden repository (so errors are logged) leaves no trace of
    the token anywhere: log records at DEBUG, the CLI's stderr, dlt state (local and
    `_dlt_pipeline_state`), any text in the warehouse or its bytes, any file under .dlt/."""
    gh = make_emulator(
        scale=SCALE,
        seed=SEED,
        faults="5xx",
        fault_rate=0.1,
        forbidden_repos=frozenset({"api-gateway"}),
    )
    warehouse = tmp_path / "warehouse.duckdb"
    caplog.set_level(logging.DEBUG)
    result = extract(gh, warehouse)
    assert result.report.failures, "the forbidden repository was reported"
    process = _devmetrics(
        [
            "-v",
            "extract",
            "--repo",
            f"{gh.store.org.login}/billing-service",
            "--warehouse",
            str(warehouse),
        ],
        gh,
        tmp_path,
    )
    out, err = process.communicate(timeout=120)
    token = TOKEN.encode()

    assert caplog.records and "GitHub" in caplog.text
    assert TOKEN not in caplog.text
    assert "Authorization" not in caplog.text
    assert "DEBUG" in err and TOKEN not in err and TOKEN not in out

    state = pipeline_state(warehouse)
    assert state["sources"]["github"]["repositories"], "cursors were kept"
    assert TOKEN not in json.dumps(state, default=str)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        stored_states = con.execute(
            f"select state from {DATASET_NAME}._dlt_pipeline_state"
        ).fetchall()
        assert stored_states
        for (compressed,) in stored_states:
            decoded = zlib.decompress(base64.b64decode(compressed)).decode()
            assert "repositories" in decoded and TOKEN not in decoded
        text_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON')"
        ).fetchall()
        for schema, table, column in text_columns:
            (hits,) = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" like ?',
                [f"%{TOKEN}%"],
            ).fetchone()
            assert hits == 0, f"{schema}.{table}.{column}"
    assert token not in warehouse.read_bytes()

    files = [p for p in (tmp_path / ".dlt").rglob("*") if p.is_file()]
    assert files, "the pipeline directory was written beside the warehouse"
    leaking = [str(p) for p in files if _contains(p.read_bytes(), token)]
    assert leaking == []
    # the grep can see what is there: the organisation's login is in the pipeline files
    assert any(_contains(p.read_bytes(), gh.store.org.login.encode()) for p in files)
