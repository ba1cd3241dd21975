"""The whole asset graph (the real Definitions: dlt, dbt, enrichment, checks, serving) materialised
once against a small emulated organisation (scale 0.1, seed 7) into a temporary warehouse, shared
by the materialisation, backfill and demo tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from orchestration.run import load_definitions, materialize_graph
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END


@dataclass
class GraphRun:
    gh: object
    warehouse: Path
    defs: dg.Definitions
    result: dg.ExecuteInProcessResult
    settings: DevMetricsSettings
    github: GitHubSettings

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def graph_run(tmp_path_factory) -> GraphRun:
    with run_emulator(scale=0.1, seed=7) as gh:
        warehouse = tmp_path_factory.mktemp("orchestration") / "warehouse.duckdb"
        settings = DevMetricsSettings(warehouse=str(warehouse))
        github = GitHubSettings(org=gh.store.org.login, tokens="t", api_url=gh.api_url)
        defs = load_definitions(settings, github)
        result = materialize_graph(defs, as_of=DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S"))
        yield GraphRun(gh, warehouse, defs, result, settings, github)
