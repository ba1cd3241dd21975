"""Run the dbt project (dbt_project/) against the configured warehouse: `devmetrics transform`,
the demo, the tests and the benchmarks all come through here.

dbt runs as its own process (as dagster-dbt runs it), so it never shares a DuckDB handle with
the caller; its results are read back from `target/run_results.json`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


class TransformError(RuntimeError):
    pass


@dataclass
class NodeResult:
    unique_id: str
    status: str  # success | pass | warn | error | fail | skipped
    message: str | None


def dbt_command(
    args: list[str], target: str = "duckdb", vars: dict[str, Any] | None = None
) -> list[str]:
    """The dbt command line for this project (the venv's dbt, project and profiles dirs)."""
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), *args, "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR), "--target", target]
    if vars:
        command += ["--vars", json.dumps(vars)]
    return command


def dbt_env(warehouse: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if warehouse is not None:
        env["DEVMETRICS_WAREHOUSE"] = str(Path(warehouse).resolve())
    return env


def run_dbt(
    args: list[str],
    warehouse: Path | None = None,
    target: str = "duckdb",
    vars: dict[str, Any] | None = None,
    echo: Callable[[str], None] | None = None,
) -> list[NodeResult]:
    """`dbt <args>` on the project; `warehouse` is the DuckDB file of the duckdb target."""
    done = subprocess.run(
        dbt_command(args, target, vars), env=dbt_env(warehouse), capture_output=True, text=True
    )
    if echo:
        for line in done.stdout.splitlines():
            echo(line)
    return check(done.returncode, args, done.stdout)


def check(returncode: int, args: list[str], stdout: str) -> list[NodeResult]:
    """The node results of the dbt run that just ended; TransformError when it failed."""
    results = _results()
    if returncode != 0:
        bad = [
            f"{r.unique_id.split('.')[-1]} ({r.status})"
            for r in results
            if r.status in {"error", "fail"}
        ]
        detail = ", ".join(bad[:10]) or (stdout.strip().splitlines() or ["no output"])[-1]
        raise TransformError(
            f"dbt {' '.join(args)} failed: {detail}. Full log: {DBT_PROJECT_DIR / 'logs' / 'dbt.log'}"
        )
    return results


def _results() -> list[NodeResult]:
    path = DBT_PROJECT_DIR / "target" / "run_results.json"
    if not path.exists():
        return []
    payload = json.loads(path.read_text())
    return [
        NodeResult(r["unique_id"], r["status"], r.get("message"))
        for r in payload.get("results", [])
    ]


def build(
    warehouse: Path,
    target: str = "duckdb",
    full_refresh: bool = False,
    echo: Callable[[str], None] | None = None,
    vars: dict[str, Any] | None = None,
    unit_tests: bool = True,
) -> list[NodeResult]:
    """`dbt build`: seeds, staging views, intermediate models, marts and their tests.

    `vars` override dbt_project.yml's (e.g. {"as_of": "2026-11-01 00:00:00"}). Unit tests pin
    SQL logic, not data: CI and `devmetrics transform` run them; scheduled data builds may skip
    them (`unit_tests=False`), as dbt recommends for production runs.
    """
    return run_dbt(build_args(full_refresh, unit_tests), warehouse, target, vars=vars, echo=echo)


def build_args(full_refresh: bool = False, unit_tests: bool = True) -> list[str]:
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    return args
