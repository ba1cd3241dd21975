"""A small warehouse built once per test session and shared by the enrichment tests (here and
in tests/orchestration): scale 0.1, seed 7 extracted from the emulator, built with dbt; and the
`query` / `keep_pull_requests` helpers the tests use on their copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.extract import run_extract
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END
from pipelines.transform import build


def small_warehouse(tmp_path_factory) -> Path:
    """The session's built warehouse (built on first use); copy it before writing to it."""
    path = tmp_path_factory.getbasetemp() / "enrichment-base" / "warehouse.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with run_emulator(scale=0.1, seed=7) as gh:
            run_extract(
                path,
                org=gh.store.org.login,
                tokens="t",
                api_url=gh.api_url,
                progress=lambda m: None,
            )
        build(path, vars={"as_of": DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")}, unit_tests=False)
    return path


def copy_of(base: Path, directory: Path) -> Path:
    target = directory / "warehouse.duckdb"
    shutil.copy(base, target)
    return target


def query(warehouse, sql, params=None):
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(sql, params or []).fetchall()


def keep_pull_requests(warehouse, count: int) -> list[int]:
    """Trim the raw pull requests (staging is a view over them) to the first `count`."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "delete from github_raw.pull_requests where id not in "
            "(select id from github_raw.pull_requests order by id limit ?)",
            [count],
        )
        return [
            r[0]
            for r in con.execute("select id from github_raw.pull_requests order by id").fetchall()
        ]
