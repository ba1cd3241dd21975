"""A small warehouse built once per test session and shared by the enrichment tests (here and
in tests/orchestration): scale 0.1, seed 7 extracted from the emulator, built with dbt; and the
`query` / `keep_pull_requests` helpers the tests use on their copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.built_warehouse import built_warehouse


def small_warehouse(tmp_path_factory) -> Path:
    """The session's built warehouse (tests/built_warehouse.py, shared with the check, sensor and
    serving tests); copy it before writing to it."""
    return built_warehouse(tmp_path_factory)


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
