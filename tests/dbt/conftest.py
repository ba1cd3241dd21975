"""A warehouse extracted from a small emulated organisation, then built with dbt, shared by the
dbt tests (scale 0.1, seed 7: two repositories, both planted giant pull requests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END
from pipelines.transform import build
from tests.built_warehouse import extract_emulated


@dataclass
class Built:
    gh: object
    warehouse: Path
    results: object

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    with run_emulator(scale=0.1, seed=7) as gh:
        warehouse = tmp_path_factory.mktemp("dbt") / "warehouse.duckdb"
        extract_emulated(warehouse, gh)
        # "now" is the synthetic data's end, as in the demo: reproducible stale/WIP figures.
        result = build(warehouse, vars={"as_of": DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")})
        yield Built(gh, warehouse, result)
