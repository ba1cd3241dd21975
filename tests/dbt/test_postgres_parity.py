"""The same project on PostgreSQL: dlt loads the emulated organisation (scale 0.1, seed 7, as the
`built` fixture) into a real PostgreSQL server and into DuckDB, `dbt build` runs on both with the
same `as_of`, and every raw table, staging/intermediate/mart model (discovered, not listed) and
every mart's full contents agree.

Needs a server: DEVMETRICS_PG_HOST/PORT/USER/PASSWORD/DATABASE (defaults 127.0.0.1:5432,
devmetrics/devmetrics, database devmetrics); the role needs CREATEDB, as the test works in a scratch
database it drops at the end. `.ci/run` installs and starts one in CI (CI=true), where a missing
server fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.extract import postgres_settings, run_extract
from pipelines.github.settings import DATASET_NAME, TABLES
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END
from pipelines.transform import DBT_PROJECT_DIR, TransformError, build

psycopg2 = pytest.importorskip("psycopg2")

MODEL_SCHEMAS = ("staging", "intermediate", "marts")
# Both builds share "now", so age and staleness metrics match (the emulator's last day).
VARS = {"as_of": DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")}
REL_TOL = 1e-6
ABS_TOL = 1e-6

HOW_TO_START = """\
No PostgreSQL server for the parity test at {host}:{port} (user {user}, database {database}):
{error}
Start one, then rerun:
  Debian/Ubuntu (as root):  source .ci/postgres.sh && devmetrics_postgres
      (apt-get install postgresql, starts the cluster, creates role and database devmetrics)
  Docker:  docker run -d --name devmetrics-pg -p 5432:5432 -e POSTGRES_USER=devmetrics \\
               -e POSTGRES_PASSWORD=devmetrics -e POSTGRES_DB=devmetrics postgres:16
Another server: set DEVMETRICS_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE (a role with CREATEDB)."""


@dataclass
class Warehouses:
    duckdb_path: Path
    pg: dict[str, str]  # connection settings of the scratch database
    duckdb_error: str | None  # why `dbt build` failed, or None
    pg_error: str | None

    def duckdb_query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            return con.execute(sql).fetchall()

    def pg_query(self, sql: str) -> list[tuple]:
        with _connect(self.pg) as con, con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()


def _connect(settings: dict[str, str], database: str | None = None):
    return psycopg2.connect(
        host=settings["host"],
        port=int(settings["port"]),
        user=settings["user"],
        password=settings["password"],
        dbname=database or settings["database"],
        connect_timeout=5,
    )


def _server_or_skip() -> dict[str, str]:
    settings = postgres_settings()
    try:
        _connect(settings).close()
    except psycopg2.OperationalError as error:
        message = HOW_TO_START.format(error=str(error).strip(), **settings)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and no PostgreSQL: .ci/run should have started it.\n{message}")
        pytest.skip(message)
    return settings


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> Warehouses:
    settings = _server_or_skip()
    scratch = f"devmetrics_parity_{uuid.uuid4().hex[:10]}"
    admin = _connect(settings)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{scratch}"')
    pg = dict(settings, database=scratch)
    try:
        folder = tmp_path_factory.mktemp("parity")
        duckdb_path = folder / "warehouse.duckdb"
        with run_emulator(scale=0.1, seed=7) as gh, pytest.MonkeyPatch.context() as env:
            extract = {
                "org": gh.store.org.login,
                "tokens": "t",
                "api_url": gh.api_url,
                "progress": lambda m: None,
            }
            run_extract(duckdb_path, destination="duckdb", **extract)
            env.setenv("DEVMETRICS_PG_DATABASE", scratch)  # dlt and dbt's postgres target
            run_extract(duckdb_path, destination="postgres", **extract)
        duckdb_error = _build(duckdb_path, "duckdb")
        with pytest.MonkeyPatch.context() as env:
            env.setenv("DEVMETRICS_PG_DATABASE", scratch)
            pg_error = _build(duckdb_path, "postgres")
        yield Warehouses(duckdb_path, pg, duckdb_error, pg_error)
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{scratch}" with (force)')
        admin.close()


def _build(warehouse: Path, target: str) -> str | None:
    """Build everything dbt can; a failure is reported by the tests, which still compare the rest."""
    try:
        build(warehouse, target=target, vars=VARS)
    except TransformError as error:
        run = json.loads((DBT_PROJECT_DIR / "target" / "run_results.json").read_text())
        failed = [
            f"{r['unique_id']}: {(r.get('message') or '').strip()[:600]}"
            for r in run.get("results", [])
            if r["status"] in {"error", "fail"}
        ]
        return "\n".join([str(error), *failed])
    return None


def _relations(query, schemas) -> set[tuple[str, str]]:
    listed = ", ".join(f"'{s}'" for s in schemas)
    return {
        (schema, name)
        for schema, name in query(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({listed})"
        )
    }


def _count(query, schema: str, table: str) -> int:
    return query(f'select count(*) from "{schema}"."{table}"')[0][0]


def test_node_names_fit_postgres_identifiers():
    """PostgreSQL truncates nothing: a model, seed or unit test (dbt names a relation after each
    unit test) longer than 63 bytes fails there while DuckDB accepts it. No server needed."""
    names = [p.stem for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")]
    names += [p.stem for p in (DBT_PROJECT_DIR / "seeds").rglob("*.csv")]
    for path in (DBT_PROJECT_DIR / "models").rglob("*.yml"):
        spec = yaml.safe_load(path.read_text()) or {}
        names += [test["name"] for test in spec.get("unit_tests") or []]
    too_long = sorted(name for name in names if len(name.encode()) > 63)
    assert not too_long, f"names longer than PostgreSQL's 63-byte identifiers: {too_long}"


def test_dbt_build_passes_on_postgres(warehouses):
    assert warehouses.pg_error is None, f"dbt build --target postgres: {warehouses.pg_error}" + (
        f"\n(DuckDB too: {warehouses.duckdb_error})" if warehouses.duckdb_error else ""
    )


def test_raw_tables_have_the_same_row_counts(warehouses):
    duck = {t: _count(warehouses.duckdb_query, DATASET_NAME, t) for t in TABLES}
    pg = {t: _count(warehouses.pg_query, DATASET_NAME, t) for t in TABLES}
    assert pg == duck
    assert duck["pull_requests"] > 0 and duck["commits"] > 0


def test_raw_tables_have_the_same_contents(warehouses):
    problems = {t: p for t in TABLES if (p := _compare_table(warehouses, DATASET_NAME, t))}
    assert not problems, "raw tables differ between DuckDB and PostgreSQL loads:\n" + "\n".join(
        f"- {DATASET_NAME}.{table}: {problem}" for table, problem in problems.items()
    )


def test_every_model_exists_on_both_with_the_same_row_count(warehouses):
    duck = _relations(warehouses.duckdb_query, MODEL_SCHEMAS)
    pg = _relations(warehouses.pg_query, MODEL_SCHEMAS)
    assert pg == duck, {"only on duckdb": sorted(duck - pg), "only on postgres": sorted(pg - duck)}
    assert {s for s, _ in duck} >= {"staging"}
    different = {
        f"{schema}.{name}": (duck_rows, pg_rows)
        for schema, name in sorted(duck)
        if (duck_rows := _count(warehouses.duckdb_query, schema, name))
        != (pg_rows := _count(warehouses.pg_query, schema, name))
    }
    assert not different, f"row counts (duckdb, postgres) differ: {different}"


def test_every_mart_has_the_same_contents(warehouses):
    marts = sorted(name for _, name in _relations(warehouses.duckdb_query, ["marts"]))
    if not marts:
        pytest.skip("no marts built yet")
    problems = {}
    for name in marts:
        problem = _compare_table(warehouses, "marts", name)
        if problem:
            problems[name] = problem
    assert not problems, "marts differ between DuckDB and PostgreSQL:\n" + "\n".join(
        f"- marts.{name}: {problem}" for name, problem in problems.items()
    )


# ----------------------------------------------------------------------------- comparison


def _columns(query, schema: str, table: str) -> list[str]:
    # dlt's own _dlt_load_id/_dlt_id differ between any two loads.
    return [
        name
        for (name,) in query(
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' order by column_name"
        )
        if not name.startswith("_dlt_")
    ]


def _compare_table(w: Warehouses, schema: str, table: str) -> str | None:
    duck_columns = _columns(w.duckdb_query, schema, table)
    pg_columns = _columns(w.pg_query, schema, table)
    if not pg_columns:
        return "not built on postgres"
    if duck_columns != pg_columns:
        return f"columns differ: only duckdb {sorted(set(duck_columns) - set(pg_columns))}, only postgres {sorted(set(pg_columns) - set(duck_columns))}"
    select = ", ".join(f'"{c}"' for c in duck_columns)
    duck = sorted(
        (_row(r) for r in w.duckdb_query(f'select {select} from "{schema}"."{table}"')), key=_key
    )
    pg = sorted(
        (_row(r) for r in w.pg_query(f'select {select} from "{schema}"."{table}"')), key=_key
    )
    if len(duck) != len(pg):
        return f"{len(duck)} rows on duckdb, {len(pg)} on postgres"
    for duck_row, pg_row in zip(duck, pg, strict=True):
        bad = [
            f"{column}: duckdb {a!r} != postgres {b!r}"
            for column, a, b in zip(duck_columns, duck_row, pg_row, strict=True)
            if not _same(a, b)
        ]
        if bad:
            differing = sum(1 for a, b in zip(duck, pg, strict=True) if not all(map(_same, a, b)))
            return f"{differing} of {len(duck)} rows differ; first: " + "; ".join(bad[:6])
    return None


def _value(value):
    """One representation per value on both databases: numbers as float, timestamps as naive
    UTC datetimes (dates as midnight), intervals as seconds, JSON text re-serialised."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    if isinstance(value, list | tuple | dict):  # arrays, and jsonb as psycopg2 parses it
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _row(row) -> tuple:
    return tuple(_value(v) for v in row)


def _key(row: tuple) -> tuple:
    # Floats rounded coarsely so rows equal within tolerance sort to the same place on both sides.
    return tuple(
        (0, "") if v is None else (1, round(v, 3)) if isinstance(v, float) else (2, repr(v))
        for v in row
    )


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b
