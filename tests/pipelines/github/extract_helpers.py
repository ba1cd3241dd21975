"""Shared helpers for the GitHub source tests: run an extraction against an emulator and read a
warehouse back as comparable, order-independent table contents."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import dlt
import duckdb

from pipelines.demo import TRUTH
from pipelines.extract import ExtractResult, make_pipeline, run_extract
from pipelines.github.settings import DATASET_NAME, TABLES

TOKEN = "ghp_sourcetest1111111111111111111111111111"  # not a real token

__all__ = [
    "TOKEN",
    "TRUTH",
    "assert_same_tables",
    "duplicate_keys",
    "extract",
    "pipeline_state",
    "query",
    "snapshot",
]


def extract(gh, warehouse: Path, **kwargs: Any) -> ExtractResult:
    """`run_extract` of the emulator's organisation (or `repositories=`) into `warehouse`."""
    if "repositories" not in kwargs:
        kwargs.setdefault("org", gh.store.org.login)
    kwargs.setdefault("tokens", TOKEN)
    kwargs.setdefault("max_wait_seconds", 120)
    return run_extract(warehouse, api_url=gh.api_url, progress=lambda message: None, **kwargs)


def _comparable(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return value


def snapshot(warehouse: Path) -> dict[str, Counter]:
    """Every raw table's rows (dlt's `_dlt_*` columns left out) as a multiset of tuples.

    Tables never created count as empty, so two warehouses compare table by table."""
    contents: dict[str, Counter] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [DATASET_NAME],
            ).fetchall()
        }
        for table in TABLES:
            if table not in present:
                contents[table] = Counter()
                continue
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by column_name",
                    [DATASET_NAME, table],
                ).fetchall()
                if not name.startswith("_dlt_")
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from {DATASET_NAME}."{table}"').fetchall()
            contents[table] = Counter(
                tuple(zip(columns, map(_comparable, row), strict=True)) for row in rows
            )
    return contents


def assert_same_tables(actual: dict[str, Counter], expected: dict[str, Counter]) -> None:
    """Table by table, with the first differing rows in the message."""
    differing = {}
    for table in TABLES:
        got, want = actual.get(table, Counter()), expected.get(table, Counter())
        if got != want:
            extra, missing = got - want, want - got
            differing[table] = (
                f"{sum(got.values())} rows vs {sum(want.values())} expected; "
                f"unexpected {list(extra)[:2]}; missing {list(missing)[:2]}"
            )
    assert not differing, "tables differ:\n" + "\n".join(f"{t}: {d}" for t, d in differing.items())


def duplicate_keys(warehouse: Path) -> dict[str, int]:
    """Raw table -> number of primary-key values that occur more than once (empty when none)."""
    found = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, (primary_key, _, _) in TABLES.items():
            keys = ", ".join(f'"{c}"' for c in primary_key)
            try:
                (dupes,) = con.execute(
                    f'select count(*) from (select {keys} from {DATASET_NAME}."{table}" '
                    f"group by {keys} having count(*) > 1)"
                ).fetchone()
            except duckdb.CatalogException:
                continue
            if dupes:
                found[table] = dupes
    return found


def pipeline_state(warehouse: Path) -> dict[str, Any]:
    """The dlt pipeline's state as stored beside `warehouse`."""
    pipeline: dlt.Pipeline = make_pipeline(warehouse)
    return pipeline.state


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
