"""Run the GitHub source into a warehouse: the one code path of `devmetrics extract`, the demo,
the benchmarks and (later) Dagster.

The dlt pipeline keeps its working folder and state beside the warehouse (`<dir>/.dlt/`), so a
warehouse and its cursors travel together; dlt also restores state from the warehouse itself.

The destination is DuckDB (the file `warehouse`) by default, or PostgreSQL (`destination=
"postgres"`, i.e. `devmetrics extract --destination postgres` or $DEVMETRICS_DESTINATION): the
server named by $DEVMETRICS_PG_HOST/PORT/USER/PASSWORD/DATABASE, the same variables dbt's
`postgres` target reads (dbt_project/profiles.yml). A PostgreSQL pipeline keeps its working
folder apart (`<dir>/.dlt-postgres-<host>-<port>-<database>/`), so its cursors never mix with
the DuckDB file's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import dlt
import duckdb

from pipelines.github import ExtractionReport, github_source
from pipelines.github.settings import DATASET_NAME, PIPELINE_NAME, TABLES

DESTINATIONS = ("duckdb", "postgres")

# The same defaults as the postgres target in dbt_project/profiles.yml.
PG_DEFAULTS = {
    "HOST": "127.0.0.1",
    "PORT": "5432",
    "USER": "devmetrics",
    "PASSWORD": "devmetrics",
    "DATABASE": "devmetrics",
}


@dataclass
class ExtractResult:
    report: ExtractionReport
    row_counts: dict[str, int] = field(default_factory=dict)
    load_info: Any = None


def loader_file_format() -> str:
    """Parquet when pyarrow is installed (it comes with `dlt[parquet]`), else dlt's default.

    Benchmarked (benchmarks/README.md): DuckDB loads Parquet files with one `read_parquet`
    insert per file, while dlt's default `insert_values` sends multi-megabyte INSERT … VALUES
    statements that DuckDB parses slowly and with gigabytes of memory: at scale 1 the load step
    took 14 CPU-seconds and 2.5 GB peak RSS with insert_values, 0.8 s and 0.36 GB with Parquet,
    for identical tables.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return "insert_values"
    return "parquet"


def postgres_settings() -> dict[str, str]:
    """host, port, user, password, database from $DEVMETRICS_PG_*, with profiles.yml's defaults."""
    return {
        key.lower(): os.environ.get(f"DEVMETRICS_PG_{key}") or default
        for key, default in PG_DEFAULTS.items()
    }


def postgres_credentials(settings: dict[str, str] | None = None) -> str:
    """A postgresql:// connection string for dlt from $DEVMETRICS_PG_* (or `settings`)."""
    pg = settings or postgres_settings()
    return (
        f"postgresql://{quote(pg['user'], safe='')}:{quote(pg['password'], safe='')}"
        f"@{pg['host']}:{pg['port']}/{quote(pg['database'], safe='')}"
    )


def make_pipeline(
    warehouse: Path,
    pipelines_dir: Path | None = None,
    destination: str = "duckdb",
    credentials: str | None = None,
) -> dlt.Pipeline:
    """The dlt pipeline into `warehouse` (DuckDB), or into PostgreSQL when `destination` is
    "postgres" (`credentials`, a postgresql:// string, default $DEVMETRICS_PG_*); the working
    folder sits beside `warehouse` either way."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    if destination == "postgres":
        credentials = credentials or postgres_credentials()
        url = urlsplit(credentials)
        folder = f".dlt-postgres-{url.hostname}-{url.port or 5432}-{url.path.strip('/')}"
        return dlt.pipeline(
            pipeline_name=PIPELINE_NAME,
            # dlt's default insert_values. Measured at scale 10 (76k rows): load 3.0 s, peak RSS
            # 0.49 GB; csv (COPY) loads in 1.3 s but turns empty strings into NULL (1,080 PR
            # bodies); Parquet via ADBC fails on empty tables (quarantine) in dlt 1.31.
            destination=dlt.destinations.postgres(credentials),
            dataset_name=DATASET_NAME,
            pipelines_dir=str(pipelines_dir or warehouse.parent / folder.replace("/", "_")),
        )
    if destination != "duckdb":
        raise ValueError(f"destination {destination!r}: expected one of {', '.join(DESTINATIONS)}")
    return dlt.pipeline(
        pipeline_name=PIPELINE_NAME,
        destination=dlt.destinations.duckdb(
            str(warehouse), preferred_loader_file_format=loader_file_format()
        ),
        dataset_name=DATASET_NAME,
        pipelines_dir=str(pipelines_dir or warehouse.parent / ".dlt"),
    )


def run_extract(
    warehouse: Path,
    org: str | None = None,
    repositories: list[str] | None = None,
    tokens: str | None = None,
    api_url: str | None = None,
    graphql_url: str | None = None,
    since: str | None = None,
    until: str | None = None,
    max_wait_seconds: float = 900.0,
    progress: Callable[[str], None] = print,
    pipelines_dir: Path | None = None,
    destination: str = "duckdb",
    credentials: str | None = None,
) -> ExtractResult:
    """Extract into `warehouse` (schema github_raw). Tokens default to $GITHUB_TOKEN, then dlt
    secrets; URLs to $GITHUB_API_URL / $GITHUB_GRAPHQL_URL, then dlt config, then api.github.com.

    `destination` "postgres" loads into the PostgreSQL database of `credentials` (default
    $DEVMETRICS_PG_*) instead; `warehouse` then only places the pipeline's working folder."""
    report = ExtractionReport(progress=progress)
    kwargs: dict[str, Any] = {
        "since": since,
        "until": until,
        "max_wait_seconds": max_wait_seconds,
        "report": report,
    }
    # Only what is given here or in GITHUB_* variables is passed: the rest dlt resolves from
    # its own config (SOURCES__GITHUB__…, .dlt/config.toml), then the source's defaults.
    api_url = api_url or os.environ.get("GITHUB_API_URL")
    graphql_url = graphql_url or os.environ.get("GITHUB_GRAPHQL_URL")
    if api_url:
        kwargs["api_url"] = api_url
    if graphql_url:
        kwargs["graphql_url"] = graphql_url
    tokens = tokens or os.environ.get("GITHUB_TOKEN")
    if tokens:
        kwargs["access_token"] = tokens  # otherwise dlt resolves sources.github.access_token
    if org:
        kwargs["org"] = org  # otherwise dlt resolves sources.github.org / .repositories
    if repositories:
        kwargs["repositories"] = list(repositories)
    source = github_source(**kwargs)
    pipeline = make_pipeline(warehouse, pipelines_dir, destination, credentials)
    load_info = pipeline.run(source)
    if destination == "duckdb":
        counts = raw_row_counts(Path(warehouse))
    else:
        counts = pipeline_row_counts(pipeline)
    return ExtractResult(report, counts, load_info)


def pipeline_row_counts(pipeline: dlt.Pipeline) -> dict[str, int]:
    """Rows per raw table in any destination, through dlt's SQL client."""
    with pipeline.sql_client() as client:
        present = {
            name
            for (name,) in client.execute_sql(
                "select table_name from information_schema.tables where table_schema = %s",
                client.dataset_name,
            )
        }
        return {
            table: client.execute_sql(
                f"select count(*) from {client.make_qualified_table_name(table)}"
            )[0][0]
            if table in present
            else 0
            for table in TABLES
        }


def raw_row_counts(warehouse: Path) -> dict[str, int]:
    """Rows per raw table now in the warehouse (tables never loaded count 0)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [DATASET_NAME],
            ).fetchall()
        }
        return {
            table: con.execute(f'select count(*) from {DATASET_NAME}."{table}"').fetchone()[0]
            if table in present
            else 0
            for table in TABLES
        }
