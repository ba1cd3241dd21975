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


# Run tags carry a run's build options. Not op config: Dagster runs the subsettable dbt
# multi-asset as several steps (before and after the enrichment assets), named dbt_models,
# dbt_models_2, …, and op config given for `dbt_models` never reaches the later steps.
FULL_REFRESH_TAG = "devmetrics/full_refresh"
AS_OF_TAG = "devmetrics/as_of"
UNIT_TESTS_TAG = "devmetrics/unit_tests"


def build_tags(as_of: str = "", full_refresh: bool = False) -> dict[str, str]:
    """The run tags that ask every dbt step of a run for `--full-refresh` and/or a pinned as_of."""
    tags = {FULL_REFRESH_TAG: "true" if full_refresh else "false"}
    if as_of:
        tags[AS_OF_TAG] = as_of
    return tags


def build_options(tags: dict[str, str]) -> dict[str, Any]:
    """full_refresh, unit_tests and as_of for dbt_build_args, read from a run's tags."""
    return {
        "full_refresh": tags.get(FULL_REFRESH_TAG, "").lower() == "true",
        "unit_tests": tags.get(UNIT_TESTS_TAG, "").lower() == "true",
        "as_of": tags.get(AS_OF_TAG, ""),
    }


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
