"""Pure helpers around an extraction run: the `github_source` arguments of a run, a month
partition's window, and what a finished run's report means for the Dagster step."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipelines.github import ExtractionReport


def source_kwargs(settings: dict[str, Any], report: ExtractionReport) -> dict[str, Any]:
    """`github_source` keyword arguments from GitHubSettings.extract_kwargs() (tokens become
    dlt's `access_token`); what is unset is left to dlt's own configuration."""
    kwargs = {"access_token" if key == "tokens" else key: value for key, value in settings.items()}
    return {**kwargs, "report": report}


def month_window(partition_key: str) -> tuple[str, str]:
    """A monthly partition ("2026-05-01") as the [since, until) ISO dates it loads."""
    start = date.fromisoformat(partition_key)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start.isoformat(), end.isoformat()


def month_partition_keys(first: str, last: str) -> list[str]:
    """Monthly partition keys from month `first` to month `last` inclusive ("YYYY-MM")."""
    start, end = (date.fromisoformat(f"{month}-01") for month in (first, last))
    if end < start:
        raise ValueError(f"--to {last} is before --from {first}")
    keys = []
    while start <= end:
        keys.append(start.isoformat())
        start = date.fromisoformat(month_window(start.isoformat())[1])
    return keys


def report_problems(report: ExtractionReport) -> str | None:
    """None when every repository loaded; otherwise what failed and what to do next."""
    if report.ok:
        return None
    lines = [f"{repo}: {message}" for repo, message in sorted(report.failures.items())]
    if report.stopped:
        lines.append(report.stopped)
    return (
        f"{len(report.failures)} repositories failed"
        + (" and the run stopped early" if report.stopped else "")
        + " (the others were loaded):\n"
        + "\n".join(lines)
        + "\nCheck the token's access to these repositories (or the rate limit), then re-run: "
        "cursors only move for repositories that loaded."
    )
