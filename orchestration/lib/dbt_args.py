"""The dbt command lines the assets run, as pure functions, and the warehouse they run on."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipelines.transform import build_args


def dbt_build_args(
    full_refresh: bool = False, unit_tests: bool = False, as_of: str = ""
) -> list[str]:
    """`dbt build` for a scheduled run: unit tests pin SQL logic, not data, so they run in CI and
    `devmetrics transform` and are skipped here unless asked for; `as_of` pins "now"."""
    args = build_args(full_refresh=full_refresh, unit_tests=unit_tests)
    if as_of:
        args += ["--vars", json.dumps({"as_of": as_of})]
    return args


def dbt_run_config(as_of: str = "", full_refresh: bool = False) -> dict[str, Any]:
    """Run config of the dbt multi-asset (op `dbt_models`) in an asset job."""
    return {"ops": {"dbt_models": {"config": {"as_of": as_of, "full_refresh": full_refresh}}}}


@contextmanager
def warehouse_env(warehouse: Path) -> Iterator[None]:
    """$DEVMETRICS_WAREHOUSE (read by dbt_project/profiles.yml) set to `warehouse` while a dbt
    process is started, then restored. Its folder is created: DuckDB creates the file, not the
    folder (the seeds may be the first step to write a new warehouse)."""
    Path(warehouse).resolve().parent.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("DEVMETRICS_WAREHOUSE")
    os.environ["DEVMETRICS_WAREHOUSE"] = str(Path(warehouse).resolve())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DEVMETRICS_WAREHOUSE", None)
        else:
            os.environ["DEVMETRICS_WAREHOUSE"] = previous
