"""Fixtures for the GitHub source tests: one clean full load of a small synthetic organisation,
shared by every test that only reads it (and used as the reference for fault and resume runs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from extract_helpers import extract, snapshot

from pipelines.extract import ExtractResult
from pipelines.github_emulator import run_emulator

SCALE, SEED = 0.1, 7  # 2 repositories, ~4,000 records, both planted giant PRs


@dataclass
class CleanLoad:
    gh: object  # RunningEmulator, never mutated
    warehouse: Path
    result: ExtractResult
    tables: dict


@pytest.fixture(scope="session")
def clean_load(tmp_path_factory) -> CleanLoad:
    """A fault-free full load of the scale-0.1 organisation (seed 7) into its own warehouse."""
    with run_emulator(scale=SCALE, seed=SEED) as gh:
        warehouse = tmp_path_factory.mktemp("clean") / "warehouse.duckdb"
        result = extract(gh, warehouse)
        yield CleanLoad(gh, warehouse, result, snapshot(warehouse))
