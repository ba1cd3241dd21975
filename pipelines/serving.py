"""The serving snapshot: a read-only copy of the marts that BI tools and notebooks read while the
next run writes the warehouse.

`publish` copies every table of the published schemas (with table and column comments) into a
new DuckDB file beside the target, checkpoints and closes it, then renames it over the target with
`os.replace`. The rename is atomic, so a reader opens either the previous snapshot or the new one,
never a half-written file; a reader that already has the old file open keeps reading it whole.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import duckdb

from pipelines.transform import DBT_PROJECT_DIR

SERVING_PATH_ENV = "DEVMETRICS_SERVING_PATH"


class ServingError(RuntimeError):
    pass


def serving_path_for(warehouse: Path, env: Mapping[str, str] = os.environ) -> Path:
    """$DEVMETRICS_SERVING_PATH, else serving.duckdb beside the warehouse."""
    configured = env.get(SERVING_PATH_ENV, "").strip()
    if configured:
        return Path(configured).resolve()
    return Path(warehouse).resolve().parent / "serving.duckdb"


def published_models(project_dir: Path = DBT_PROJECT_DIR) -> list[str]:
    """The dbt models whose tables the snapshot holds: every model under models/marts (they
    build into schema marts)."""
    return sorted(path.stem for path in (project_dir / "models" / "marts").rglob("*.sql"))


def publish(warehouse: Path, serving_path: Path, schemas: tuple[str, ...] = ("marts",)) -> dict:
    """Copy the tables of `schemas` from `warehouse` into a fresh snapshot at `serving_path`.

    Returns {"path", "tables", "rows", "bytes", "seconds", "row_counts": {"schema.table": rows}}.
    Raises ServingError when the warehouse is missing or holds no table in those schemas; the
    previous snapshot is then left as it was.
    """
    started = time.perf_counter()
    warehouse, serving_path = Path(warehouse).resolve(), Path(serving_path).resolve()
    if not warehouse.exists():
        raise ServingError(
            f"Cannot publish: warehouse {warehouse} does not exist. Run `devmetrics demo` or "
            "the Dagster job that builds the marts first."
        )
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    staging = serving_path.with_name(f".{serving_path.name}.{uuid.uuid4().hex}.tmp")
    try:
        row_counts = _copy(warehouse, staging, schemas)
        os.replace(staging, serving_path)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return {
        "path": str(serving_path),
        "tables": len(row_counts),
        "rows": sum(row_counts.values()),
        "bytes": serving_path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 3),
        "row_counts": row_counts,
    }


def _copy(warehouse: Path, target: Path, schemas: tuple[str, ...]) -> dict[str, int]:
    """Write the snapshot file `target`; the row count of every table copied."""
    row_counts: dict[str, int] = {}
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach {_literal(str(warehouse))} as source (read_only)")
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            "where database_name = 'source' and list_contains(?, schema_name) "
            "order by schema_name, table_name",
            [list(schemas)],
        ).fetchall()
        if not tables:
            raise ServingError(
                f"Cannot publish: {warehouse} has no table in schema(s) {', '.join(schemas)}. "
                "Build the marts first (`devmetrics demo`, or the dbt assets in Dagster)."
            )
        for schema in sorted({schema for schema, _, _ in tables}):
            con.execute(f"create schema {_ident(schema)}")
        for schema, table, comment in tables:
            name = f"{_ident(schema)}.{_ident(table)}"
            con.execute(f"create table {name} as select * from source.{name}")
            row_counts[f"{schema}.{table}"] = con.execute(
                f"select count(*) from {name}"
            ).fetchone()[0]
            _copy_comments(con, schema, table, comment)
        con.execute("detach source")
        con.execute("checkpoint")
    return row_counts


def _copy_comments(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, comment: str | None
) -> None:
    name = f"{_ident(schema)}.{_ident(table)}"
    if comment:
        con.execute(f"comment on table {name} is {_literal(comment)}")
    columns = con.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'source' "
        "and schema_name = ? and table_name = ? and comment is not null",
        [schema, table],
    ).fetchall()
    for column, column_comment in columns:
        con.execute(f"comment on column {name}.{_ident(column)} is {_literal(column_comment)}")


def open_snapshot(serving_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the snapshot (close it, or use it in a `with` block)."""
    serving_path = Path(serving_path).resolve()
    if not serving_path.exists():
        raise ServingError(
            f"No serving snapshot at {serving_path}. Publish one: `devmetrics publish` or "
            f"materialize the serving_snapshot asset in Dagster (path: ${SERVING_PATH_ENV})."
        )
    return duckdb.connect(str(serving_path), read_only=True)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
