"""A serving snapshot published from a freshly built warehouse (scale 0.4, seed 42: three
repositories, two teams, six months), shared by the notebook and BI-query tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.serving import publish
from tests.built_warehouse import build_emulated


@dataclass
class Snapshot:
    warehouse: Path
    path: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory) -> Snapshot:
    # The marts only (the dbt tests run in tests/dbt), as of the synthetic data's end.
    warehouse = build_emulated(
        tmp_path_factory.mktemp("analyst") / "devmetrics.duckdb", scale=0.4, seed=42
    )
    serving = warehouse.parent / "serving.duckdb"
    publish(warehouse, serving)
    return Snapshot(warehouse, serving)
