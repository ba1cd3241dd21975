"""Alerts to a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's
`/slack` endpoint): pull requests waiting too long for review, and failed runs.

Stale reviews are alerted once per threshold crossing: the state is the set of pull requests
that are stale *and* already alerted. A PR leaves it when it stops being stale (answered, closed,
turned into a draft), so if it later crosses the threshold again it is alerted again. State only
moves for messages the webhook accepted, so an undelivered alert is retried on the next check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx

from pipelines.enrichment.redact import redact

WEBHOOK_ENV = "DEVMETRICS_SLACK_WEBHOOK_URL"
PULL_REQUESTS_PER_MESSAGE = 20


class AlertError(RuntimeError):
    pass


@dataclass(frozen=True)
class StalePullRequest:
    pull_request_id: int
    repository_full_name: str
    pull_request_number: int
    title: str
    author_login: str | None
    waiting_hours: float
    stale_review_hours: float


@dataclass(frozen=True)
class StaleAlerts:
    """The outcome of one stale-review check: the new state, what was sent, what failed."""

    alerted: frozenset[int]
    sent: tuple[int, ...]
    error: str | None = None


def read_stale_pull_requests(database: Path) -> list[StalePullRequest]:
    """mart_stale_pull_requests from a DuckDB file (the serving snapshot), longest waiting first."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select pull_request_id, repository_full_name, pull_request_number, title, "
            "author_login, waiting_hours, stale_review_hours from marts.mart_stale_pull_requests "
            "order by waiting_hours desc, pull_request_id"
        ).fetchall()
    return [StalePullRequest(*row) for row in rows]


def web_url_for(api_url: str | None) -> str:
    """Where pull requests are shown, from the REST API's URL: github.com for api.github.com,
    https://HOST for GitHub Enterprise's https://HOST/api/v3."""
    api_url = (api_url or "").rstrip("/")
    if not api_url or api_url == "https://api.github.com":
        return "https://github.com"
    return api_url.removesuffix("/api/v3")


def stale_review_payload(
    pull_requests: list[StalePullRequest], web_url: str = "https://github.com"
) -> dict:
    """One webhook message listing stale pull requests (`text` for every Slack-compatible
    receiver, `blocks` for Slack's richer rendering), each linked under `web_url`."""
    threshold = pull_requests[0].stale_review_hours
    header = (
        f"{len(pull_requests)} pull request{'s' if len(pull_requests) != 1 else ''} "
        f"waiting more than {threshold:g} h for a first review"
    )
    lines = [
        f"• <{web_url}/{pr.repository_full_name}/pull/{pr.pull_request_number}"
        f"|{_escape(pr.repository_full_name)}#{pr.pull_request_number}> "
        f"{_escape(pr.title)} — {_escape(pr.author_login or 'unknown author')}, "
        f"waiting {pr.waiting_hours:.0f} h"
        for pr in pull_requests
    ]
    text = "\n".join([f"*{header}*", *lines])
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def run_failure_payload(job_name: str, run_id: str, message: str, run_url: str | None) -> dict:
    """One webhook message for a failed Dagster run; secrets in the error text are redacted."""
    detail = redact(message.strip().splitlines()[0] if message.strip() else "no error message")
    where = f"<{run_url}|run {run_id[:8]}>" if run_url else f"run {run_id}"
    text = f"*DevMetrics run failed*: job `{_escape(job_name)}`, {where}\n{_escape(detail[:500])}"
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def post_webhook(url: str, payload: dict, timeout: float = 10.0) -> None:
    """POST one message; AlertError (without the secret URL) when it was not accepted."""
    try:
        response = httpx.post(url, json=payload, timeout=timeout)
    except httpx.HTTPError as error:
        raise AlertError(
            f"Could not reach the webhook in ${WEBHOOK_ENV} ({type(error).__name__}); "
            "check the URL and the network. The alert will be retried on the next check."
        ) from None
    if response.status_code >= 300:
        raise AlertError(
            f"The webhook in ${WEBHOOK_ENV} answered {response.status_code}: "
            f"{redact(response.text[:200])!r}; check that the URL is a current incoming webhook."
        )


def alert_stale_pull_requests(
    stale: list[StalePullRequest],
    alerted: Iterable[int],
    webhook_url: str,
    web_url: str = "https://github.com",
) -> StaleAlerts:
    """Post the pull requests that became stale since the last check, in messages of
    PULL_REQUESTS_PER_MESSAGE; return the new state (see the module docstring)."""
    alerted = set(alerted)
    state = {pr.pull_request_id for pr in stale if pr.pull_request_id in alerted}
    crossed = [pr for pr in stale if pr.pull_request_id not in alerted]
    sent: list[int] = []
    for start in range(0, len(crossed), PULL_REQUESTS_PER_MESSAGE):
        batch = crossed[start : start + PULL_REQUESTS_PER_MESSAGE]
        try:
            post_webhook(webhook_url, stale_review_payload(batch, web_url))
        except AlertError as error:
            return StaleAlerts(frozenset(state), tuple(sent), str(error))
        ids = [pr.pull_request_id for pr in batch]
        state.update(ids)
        sent.extend(ids)
    return StaleAlerts(frozenset(state), tuple(sent))


def _escape(text: str) -> str:
    """Slack mrkdwn control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
