"""A serving snapshot published from a freshly built warehouse (scale 0.4, seed 42: three
repositories, two teams, six months), shared by the notebook and BI-query tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.extract import run_extract
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END
from pipelines.serving import publish
from pipelines.transform import run_dbt


@dataclass
class Snapshot:
    warehouse: Path
    path: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory) -> Snapshot:
    warehouse = tmp_path_factory.mktemp("analyst") / "devmetrics.duckdb"
    with run_emulator(scale=0.4, seed=42) as gh:
        run_extract(
            warehouse,
            org=gh.store.org.login,
            tokens="t",
            api_url=gh.api_url,
            progress=lambda m: None,
        )
    # The marts only: the dbt tests and unit tests run in tests/dbt. "Now" is the synthetic data's
    # end, as in the demo, so the figures are reproducible.
    run_dbt(
        ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
        warehouse,
        vars={"as_of": DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")},
    )
    serving = warehouse.parent / "serving.duckdb"
    publish(warehouse, serving)
    return Snapshot(warehouse, serving)
