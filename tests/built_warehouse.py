"""Warehouses built from the emulator for tests, and one small one per test session shared by the
check, sensor, serving and enrichment tests: the emulator
(scale 0.1, seed 7: two repositories) extracted, then seeds and models built (`dbt build`
without the data and unit tests, which have their own suite) with as_of pinned to the synthetic
data's end. Tests that change data take a copy (`copy_built_warehouse`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.extract import run_extract
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END
from pipelines.transform import run_dbt

BUILD_WITHOUT_TESTS = [
    "build",
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
]
AS_OF = DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")


def extract_emulated(warehouse: Path, gh) -> Path:
    """Everything the running emulator `gh` serves, extracted into `warehouse` (github_raw)."""
    run_extract(
        warehouse, org=gh.store.org.login, tokens="t", api_url=gh.api_url, progress=lambda m: None
    )
    return warehouse


def build_emulated(
    warehouse: Path, scale: float, seed: int, dbt_args: list[str] = BUILD_WITHOUT_TESTS
) -> Path:
    """A warehouse extracted from a fresh emulator (scale, seed), then built with `dbt_args`
    (default: seeds and models, no tests) as of the synthetic data's end."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with run_emulator(scale=scale, seed=seed) as gh:
        extract_emulated(warehouse, gh)
    run_dbt(dbt_args, warehouse, vars={"as_of": AS_OF})
    return warehouse


def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's built warehouse (scale 0.1, seed 7; built on first use); read-only."""
    warehouse = tmp_path_factory.getbasetemp() / "ops-built" / "warehouse.duckdb"
    if not warehouse.exists():
        build_emulated(warehouse, scale=0.1, seed=7)
    return warehouse


def copy_built_warehouse(tmp_path_factory: pytest.TempPathFactory, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built_warehouse(tmp_path_factory), target)
    return target
