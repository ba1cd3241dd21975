"""dlt source for GitHub: an organisation's (or named repositories') engineering activity.

One extraction pass (`activity`, not loaded itself) reads the API once; a transformer per raw
table picks its rows from each page, so every raw table is its own dlt resource (and Dagster
asset) while no API call is made twice. Tables and keys are declared in `settings.TABLES`.

Configuration follows dlt: arguments, or `SOURCES__GITHUB__ORG`, `SOURCES__GITHUB__ACCESS_TOKEN`
(comma-separated tokens), `.dlt/config.toml` / `.dlt/secrets.toml`.
"""

from __future__ import annotations

from collections.abc import Sequence

import dlt
from dlt.sources import DltResource

from .activity import ExtractionReport, Window, iter_activity, normalise_iso
from .client import GitHubClient
from .helpers import Rows
from .settings import DEFAULT_API_URL, TABLES

__all__ = ["ExtractionReport", "github_source"]


@dlt.source(name="github", max_table_nesting=0)
def github_source(
    org: str | None = None,
    repositories: list[str] | None = None,
    access_token: str | None = dlt.secrets.value,
    api_url: str = DEFAULT_API_URL,
    graphql_url: str | None = None,
    since: str | None = None,
    until: str | None = None,
    max_wait_seconds: float = 900.0,
    report: ExtractionReport | None = None,
) -> Sequence[DltResource]:
    """GitHub activity for `org`, or for `repositories` ("owner/name").

    `since`/`until` (ISO dates) load an explicit window and leave the incremental cursors
    untouched (backfills); without them each run continues from the cursors in dlt state.
    `report` (optional) receives what the run did, including repositories that failed.
    """
    if not org and not repositories:
        raise ValueError(
            "Name an organisation (org=…) or repositories (repositories=['owner/name'])."
        )
    report = report if report is not None else ExtractionReport()
    window = (
        Window(normalise_iso(since) if since else None, normalise_iso(until) if until else None)
        if since or until
        else None
    )

    @dlt.resource(name="activity", selected=False)
    def activity():
        """Every page the extraction reads, as rows for all raw tables."""
        with GitHubClient(access_token, api_url, graphql_url, max_wait_seconds) as client:
            state = dlt.current.source_state()
            yield from iter_activity(client, org, list(repositories or []), state, report, window)

    return [_table_resource(activity, name) for name in TABLES]


def _table_resource(activity: DltResource, name: str) -> DltResource:
    primary_key, merge_key, columns = TABLES[name]
    disposition = {"disposition": "merge", "strategy": "delete-insert"} if merge_key else "merge"

    materialized = False

    def rows_of(page: Rows):
        nonlocal materialized
        if not materialized:  # every raw table exists, even while it has no rows (quarantine)
            materialized = True
            yield dlt.mark.materialize_table_schema()
        rows = page.tables.get(name)
        if rows:
            yield rows

    return dlt.transformer(
        rows_of,
        data_from=activity,
        name=name,
        primary_key=primary_key,
        merge_key=merge_key,
        write_disposition=disposition,
        columns=columns,
    )
