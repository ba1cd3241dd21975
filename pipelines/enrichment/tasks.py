"""The three enrichment tasks: what an item is, how it is read from the warehouse, what is sent,
what comes back, and which enrichment table columns it fills.

Items are read from what dbt built (staging views, facts, mart_team_weekly); the payload is the
redacted text that would be sent, and its hash is the cache key (with prompt version and model).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from . import heuristic, schemas
from .prompts import INSTRUCTIONS, PROMPT_VERSIONS, user_message
from .redact import prepare_text, redact


@dataclass(frozen=True)
class Item:
    key: str  # the id the model sees and answers with
    identity: dict[str, Any]  # the table's identifying columns
    payload: dict[str, Any]  # what is sent (already redacted)

    @property
    def content_hash(self) -> str:
        text = json.dumps(self.payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Task:
    name: str  # pull_requests | commits | digests (also the settings' model kind)
    table: str  # enrichment.<table>
    key_columns: tuple[str, ...]  # identity columns compared for the cache
    item_schema: dict[str, Any]
    max_tokens: int  # output tokens allowed per item of a request
    load: Callable[[duckdb.DuckDBPyConnection, bool, int], list[Item]]
    heuristic: Callable[[dict[str, Any]], dict[str, Any]]
    columns: Callable[[dict[str, Any]], dict[str, Any]]  # validated answer -> table columns

    @property
    def prompt_version(self) -> str:
        return PROMPT_VERSIONS[self.name]

    @property
    def instructions(self) -> str:
        return INSTRUCTIONS[self.name]

    @property
    def request_schema(self) -> dict[str, Any]:
        return schemas.COMMIT_CLASSIFICATIONS if self.name == "commits" else self.item_schema

    def user_text(self, items: list[Item]) -> str:
        if self.name == "commits":
            return user_message("commits", [item.payload for item in items])
        tag = "pull_request" if self.name == "pull_requests" else "week"
        return user_message(tag, items[0].payload)

    def answers(self, answer: Any, items: list[Item]) -> dict[str, dict[str, Any] | str]:
        """Per item key: its validated answer, or why it is invalid."""
        schemas.validate(answer, self.request_schema)
        if self.name != "commits":
            item = items[0]
            try:
                self.check_item(answer, item)
            except schemas.InvalidOutput as error:
                return {item.key: str(error)}
            return {item.key: answer}
        by_id = {entry["id"]: entry for entry in answer["commits"]}
        result: dict[str, dict[str, Any] | str] = {}
        for item in items:
            entry = by_id.get(item.key)
            if entry is None:
                result[item.key] = f"no classification for commit id {item.key}"
                continue
            try:
                schemas.validate(entry, self.item_schema, f"$.commits[id={item.key}]")
                result[item.key] = entry
            except schemas.InvalidOutput as error:
                result[item.key] = str(error)
        return result

    def check_item(self, answer: dict[str, Any], item: Item) -> None:
        if self.name == "digests":
            check_grounded(answer, item.payload)


# ----------------------------------------------------------------------------- pull requests


def load_pull_requests(con: duckdb.DuckDBPyConnection, send_diffs: bool, _: int) -> list[Item]:
    rows = con.execute(
        """
        select prs.pull_request_id, prs.repository_id, prs.title, prs.body, prs.labels,
               prs.additions, prs.deletions, prs.changed_files, prs.commits_count, prs.is_draft,
               facts.size_bucket
        from staging.stg_github__pull_requests as prs
        left join marts.fct_pull_requests as facts using (pull_request_id)
        order by prs.pull_request_id
        """
    ).fetchall()
    items = []
    for pr_id, repo_id, title, body, labels, adds, dels, files, commits, draft, size in rows:
        payload = {
            "title": redact(title),
            "body": prepare_text(body, send_diffs)[:6000],
            "labels": [redact(label) for label in json.loads(labels or "[]")],
            "additions": adds,
            "deletions": dels,
            "changed_files": files,
            "commits": commits,
            "size_bucket": size,
            "is_draft": draft,
        }
        identity = {"pull_request_id": pr_id, "repository_id": repo_id}
        items.append(Item(str(pr_id), identity, payload))
    return items


def pull_request_columns(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: answer[k] for k in ("category", "risk_score", "complexity", "summary")},
        **{
            k: json.dumps(answer[k]) for k in ("potential_bugs", "security_concerns", "suggestions")
        },
        "estimated_review_minutes": answer["estimated_review_minutes"],
    }


# ----------------------------------------------------------------------------- commits


def load_commits(con: duckdb.DuckDBPyConnection, send_diffs: bool, _: int) -> list[Item]:
    rows = con.execute(
        """
        select cast(repository_id as varchar) || ':' || commit_sha as commit_id, repository_id,
               commit_sha, message, additions, deletions, changed_files
        from staging.stg_github__commits
        order by commit_id
        """
    ).fetchall()
    items = []
    for commit_id, repo_id, sha, message, adds, dels, files in rows:
        payload = {
            "id": commit_id,
            "message": prepare_text(message, send_diffs)[:2000],
            "additions": adds,
            "deletions": dels,
            "changed_files": files,
        }
        identity = {"commit_id": commit_id, "repository_id": repo_id, "commit_sha": sha}
        items.append(Item(commit_id, identity, payload))
    return items


def commit_columns(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "conventional_type": answer["conventional_type"],
        "summary": answer["summary"],
        "tags": json.dumps(answer["tags"]),
        "sentiment": float(answer["sentiment"]),
        "confidence": float(answer["confidence"]),
        "entities": json.dumps(answer["entities"]),
    }


# ----------------------------------------------------------------------------- digests

FIGURE_SQL = {
    "active_developers": "active_developers",
    "prs_merged": "prs_merged",
    "cycle_time_p50_hours": "round(cycle_time_p50, 1)",
    "cycle_time_p90_hours": "round(cycle_time_p90, 1)",
    "pickup_time_p50_hours": "round(pickup_time_p50, 1)",
    "review_coverage_percent": "round(100 * review_coverage)",
    "merged_without_approval_percent": "round(100 * merged_without_approval_rate)",
    "open_prs_at_week_end": "open_prs_at_week_end",
    "story_points_completed": "story_points_completed",
}


def load_digest_weeks(con: duckdb.DuckDBPyConnection, _: bool, weeks: int) -> list[Item]:
    """Each team's latest `weeks` weeks from marts.mart_team_weekly, figures rounded as quoted."""
    figures = ", ".join(f"{sql} as {name}" for name, sql in FIGURE_SQL.items())
    rows = con.execute(
        f"""
        select team_id, team_slug, week_start_date, {figures}
        from marts.mart_team_weekly
        qualify row_number() over (partition by team_id order by week_start_date desc) <= ?
        order by team_id, week_start_date
        """,
        [weeks],
    ).fetchall()
    items = []
    for team_id, slug, week, *values in rows:
        numbers = {
            name: (None if v is None else int(v) if float(v).is_integer() else float(v))
            for name, v in zip(FIGURE_SQL, values, strict=True)
        }
        payload = {"team": slug, "week_start_date": str(week), "figures": numbers}
        identity = {"team_id": team_id, "team_slug": slug, "week_start_date": week}
        items.append(Item(f"{team_id}:{week}", identity, payload))
    return items


NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")


def check_grounded(answer: dict[str, Any], payload: dict[str, Any]) -> None:
    """Every figure the digest quotes, in its list and in its text, is one it was given."""
    given = {k: v for k, v in payload["figures"].items() if v is not None}
    for quoted in answer["quoted_figures"]:
        name, value = quoted["name"], quoted["value"]
        if name not in given or abs(given[name] - value) > 1e-9:
            raise schemas.InvalidOutput(
                f"$.quoted_figures: {name}={value} is not the given figure {given.get(name)}"
            )
    text = answer["digest"].replace(payload["week_start_date"], " ").replace(payload["team"], " ")
    allowed = {float(v) for v in given.values()}
    for number in NUMBER.findall(text):
        if float(number) not in allowed:
            raise schemas.InvalidOutput(
                f"$.digest: quotes {number}, which is none of the given figures {given}"
            )


def digest_columns(answer: dict[str, Any]) -> dict[str, Any]:
    figures = {entry["name"]: entry["value"] for entry in answer["quoted_figures"]}
    return {"digest_text": answer["digest"], "figures": json.dumps(figures, sort_keys=True)}


TASKS = {
    "pull_requests": Task(
        "pull_requests",
        "pull_request_insights",
        ("pull_request_id",),
        schemas.PULL_REQUEST_INSIGHT,
        1024,
        load_pull_requests,
        heuristic.pull_request,
        pull_request_columns,
    ),
    "commits": Task(
        "commits",
        "commit_insights",
        ("commit_id",),
        schemas.COMMIT_CLASSIFICATION,
        300,
        load_commits,
        heuristic.commit,
        commit_columns,
    ),
    "digests": Task(
        "digests",
        "weekly_digests",
        ("team_id", "week_start_date"),
        schemas.WEEKLY_DIGEST,
        1024,
        load_digest_weeks,
        heuristic.digest,
        digest_columns,
    ),
}
