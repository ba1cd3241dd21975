"""pipelines.serving: the snapshot holds exactly the published schemas, and a reader in another
process only ever sees complete snapshots while publishes replace the file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.serving import ServingError, open_snapshot, publish, serving_path_for

# Reads the snapshot read-only in a loop until the stop file appears; one JSON line per read.
# Three tables written by one publish must agree: a and b have `rows` rows, version says so.
READER = """
import json, sys, time, os, duckdb
path, stop = sys.argv[1], sys.argv[2]
while not os.path.exists(stop):
    try:
        with duckdb.connect(path, read_only=True) as con:
            a = con.execute("select count(*), max(version) from marts.a").fetchone()
            b = con.execute("select count(*), max(version) from marts.b").fetchone()
            v = con.execute("select rows, version from marts.version").fetchone()
        print(json.dumps({"a": a, "b": b, "v": v}), flush=True)
    except Exception as error:
        print(json.dumps({"error": repr(error)}), flush=True)
"""


def write_warehouse(path: Path, version: int, rows: int) -> None:
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema staging")
        for table in ("a", "b"):
            con.execute(
                f"create table marts.{table} as select range as id, {version} as version, "
                "md5(range::varchar) as payload from range(?)",
                [rows],
            )
        con.execute(f"create table marts.version as select {rows} as rows, {version} as version")
        con.execute("create table staging.not_published as select 1 as x")
        con.execute("comment on table marts.a is 'The a table'")
        con.execute("comment on column marts.a.id is 'Row id, it''s unique'")


def test_publish_copies_the_marts_with_comments_and_reports_counts(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_warehouse(warehouse, version=1, rows=50)
    serving = tmp_path / "out" / "serving.duckdb"

    result = publish(warehouse, serving)

    assert result["row_counts"] == {"marts.a": 50, "marts.b": 50, "marts.version": 1}
    assert (result["tables"], result["rows"]) == (3, 101)
    assert result["bytes"] == serving.stat().st_size and result["path"] == str(serving)
    with open_snapshot(serving) as con:
        tables = con.execute("select schema_name, table_name, comment from duckdb_tables()")
        assert sorted(tables.fetchall()) == [
            ("marts", "a", "The a table"),
            ("marts", "b", None),
            ("marts", "version", None),
        ]
        comment = con.execute(
            "select comment from duckdb_columns() where table_name = 'a' and column_name = 'id'"
        ).fetchone()
        assert comment == ("Row id, it's unique",)
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("create table marts.c (x int)")
    assert sorted(p.name for p in serving.parent.iterdir()) == ["serving.duckdb"]


def test_publish_without_marts_fails_and_keeps_the_previous_snapshot(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_warehouse(warehouse, version=1, rows=5)
    serving = tmp_path / "serving.duckdb"
    publish(warehouse, serving)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop schema marts cascade")

    with pytest.raises(ServingError, match=r"has no table in schema\(s\) marts"):
        publish(warehouse, serving)
    with pytest.raises(ServingError, match="does not exist"):
        publish(tmp_path / "missing.duckdb", serving)

    with open_snapshot(serving) as con:
        assert con.execute("select count(*) from marts.a").fetchone() == (5,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "warehouse.duckdb"]


def test_open_snapshot_without_a_snapshot_says_how_to_publish(tmp_path):
    with pytest.raises(ServingError, match="devmetrics publish"):
        open_snapshot(tmp_path / "serving.duckdb")


def test_serving_path_defaults_beside_the_warehouse_unless_configured(tmp_path):
    warehouse = tmp_path / "data" / "devmetrics.duckdb"
    assert serving_path_for(warehouse, env={}) == tmp_path / "data" / "serving.duckdb"
    configured = {"DEVMETRICS_SERVING_PATH": str(tmp_path / "bi" / "marts.duckdb")}
    assert serving_path_for(warehouse, env=configured) == tmp_path / "bi" / "marts.duckdb"


def test_a_concurrent_reader_only_ever_sees_complete_snapshots(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    serving = tmp_path / "serving.duckdb"
    stop = tmp_path / "stop"
    write_warehouse(warehouse, version=0, rows=1000)
    publish(warehouse, serving)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.5)  # the reader is reading before the first replacement
        for version in range(1, 7):
            write_warehouse(warehouse, version=version, rows=1000 + version * 8_000)
            publish(warehouse, serving)
        time.sleep(0.3)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=30)

    reads = [json.loads(line) for line in out.splitlines()]
    assert [r for r in reads if "error" in r] == []
    for read in reads:
        rows, version = read["v"]
        assert read["a"] == read["b"] == [rows, version], read
    versions = {read["v"][1] for read in reads}
    assert len(reads) >= 20 and len(versions) >= 3, (len(reads), sorted(versions))


def test_publish_command_publishes_beside_the_warehouse_and_explains_a_missing_one(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    write_warehouse(warehouse, version=1, rows=10)
    env = {"DEVMETRICS_SERVING_PATH": ""}

    done = CliRunner().invoke(main, ["publish", "--warehouse", str(warehouse)], env=env)
    assert done.exit_code == 0, done.output
    assert done.output.startswith("Published 3 tables (21 rows, ")
    assert (tmp_path / "serving.duckdb").exists()

    missing = CliRunner().invoke(main, ["publish", "--warehouse", str(tmp_path / "x.duckdb")])
    assert missing.exit_code == 2 and "does not exist. Run `devmetrics demo`" in missing.output
