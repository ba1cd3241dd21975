"""Per-repository extraction for large organisations: each repository has its own dlt pipeline
(`devmetrics_github__<owner>_<name>`, working folder `<warehouse dir>/.dlt-repositories/`), so
many repositories can be extracted and normalised in parallel processes while only the load step
writes the warehouse (DuckDB allows one writer: the orchestrator runs loads one at a time).

extract_repository() reads the API and normalises (no warehouse access); load_repository()
loads what was normalised. Each pipeline keeps its own cursors (in its folder and, after a load,
in the warehouse), apart from the organisation-wide pipeline of `devmetrics extract`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dlt

from pipelines.extract import loader_file_format
from pipelines.github import ExtractionReport, github_source
from pipelines.github.activity import _list_repositories
from pipelines.github.client import GitHubClient
from pipelines.github.helpers import PageSize
from pipelines.github.settings import DATASET_NAME, DEFAULT_API_URL, PIPELINE_NAME


def repository_pipeline(warehouse: Path, repository: str) -> dlt.Pipeline:
    """The dlt pipeline of one repository ("owner/name") into `warehouse` (schema github_raw)."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "_", repository.lower()).strip("_")
    return dlt.pipeline(
        pipeline_name=f"{PIPELINE_NAME}__{slug}",
        destination=dlt.destinations.duckdb(
            str(warehouse), preferred_loader_file_format=loader_file_format()
        ),
        dataset_name=DATASET_NAME,
        pipelines_dir=str(warehouse.parent / ".dlt-repositories"),
    )


def extract_repository(
    warehouse: Path,
    repository: str,
    tokens: str | None = None,
    api_url: str | None = None,
    graphql_url: str | None = None,
    progress: Callable[[str], None] = print,
) -> tuple[ExtractionReport, dict[str, int]]:
    """Extract and normalise one repository (its owner's teams and members included); returns
    the run's report and the rows normalised per raw table, ready for load_repository()."""
    report = ExtractionReport(progress=progress)
    kwargs: dict[str, Any] = {"repositories": [repository], "report": report}
    if tokens:
        kwargs["access_token"] = tokens
    if api_url:
        kwargs["api_url"] = api_url
    if graphql_url:
        kwargs["graphql_url"] = graphql_url
    pipeline = repository_pipeline(warehouse, repository)
    pipeline.extract(github_source(**kwargs))
    info = pipeline.normalize()
    rows = {
        table: count for table, count in info.row_counts.items() if not table.startswith("_dlt")
    }
    return report, rows


def load_repository(warehouse: Path, repository: str) -> Any:
    """Load what extract_repository() normalised into the warehouse (the only writing step)."""
    info = repository_pipeline(warehouse, repository).load()
    info.raise_on_failed_jobs()
    return info


def list_repositories(
    org: str, tokens: str | None = None, api_url: str | None = None, graphql_url: str | None = None
) -> list[str]:
    """Every repository ("owner/name") of an organisation, 100 per request."""
    report = ExtractionReport()
    with GitHubClient(tokens, api_url or DEFAULT_API_URL, graphql_url) as client:
        pages = _list_repositories(client, org, [], PageSize(), report)
        return sorted(ref.full_name for _, found in pages for ref, _node in found)
