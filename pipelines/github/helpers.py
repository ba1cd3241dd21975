"""Paging, reshaping and validation for the GitHub source.

- `walk()` pages a GraphQL connection, halving the page size when GitHub times out and growing
  it back after a few good pages; `complete_nested()` follows every nested list of a record to
  its end, so nothing is truncated.
- `Rows` collects the rows of one page for every raw table; reshapers turn GraphQL/REST nodes
  into flat rows with the raw tables' column names; `validate()` sends a record that breaks its
  table's contract to the quarantine with the reason, and the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .client import GitHubClient, PageTooLarge
from .queries import nested_page
from .settings import GROW_AFTER_PAGES, MIN_PAGE_SIZE, PAGE_SIZE

log = logging.getLogger(__name__)

Node = dict[str, Any]

# --------------------------------------------------------------------------- paging


@dataclass
class PageSize:
    """Multiplicative decrease on timeouts, slow growth back to 100 after successes."""

    value: int = PAGE_SIZE
    _good: int = 0

    def shrink(self) -> None:
        if self.value <= MIN_PAGE_SIZE:
            raise PageTooLarge("GitHub times out even on single-item pages; re-run later")
        self.value = max(self.value // 2, MIN_PAGE_SIZE)
        self._good = 0
        log.info("GitHub timed out; page size now %d", self.value)

    def variables(self) -> dict[str, int]:
        """`$first` for the page and `$nested` for its nested lists shrink and grow together."""
        return {"first": self.value, "nested": self.value}

    def succeeded(self) -> None:
        self._good += 1
        if self.value < PAGE_SIZE and self._good >= GROW_AFTER_PAGES:
            self.value = min(self.value * 2, PAGE_SIZE)
            self._good = 0


@dataclass
class Page:
    nodes: list[Node | None]
    errors: list[dict[str, Any]]


def walk(
    client: GitHubClient,
    query: str,
    variables: dict[str, Any],
    connection: Callable[[dict[str, Any]], dict[str, Any] | None],
    size: PageSize,
) -> Iterator[Page]:
    """Every page of one GraphQL connection (`connection` picks it out of `data`)."""
    after = None
    while True:
        try:
            data, errors = client.graphql_partial(
                query, {**variables, **size.variables(), "after": after}
            )
        except PageTooLarge:
            size.shrink()
            continue
        size.succeeded()
        found = connection(data)
        if found is None:
            return
        yield Page(found.get("nodes") or [], errors)
        info = found["pageInfo"]
        if not info["hasNextPage"]:
            return
        after = info["endCursor"]


def complete_nested(
    client: GitHubClient,
    parent: str,
    node: Node,
    variables: dict[str, Any],
    locate: Callable[[dict[str, Any]], dict[str, Any]],
    size: PageSize,
) -> None:
    """Follow every nested connection of `node` that has more pages, to its end.

    `locate` picks the parent record out of a nested-page answer; `variables` identify it.
    """
    for name, key in _NESTED_KEYS[parent].items():
        connection = node.get(key)
        if not connection:
            continue
        items_key = "edges" if "edges" in connection else "nodes"
        while connection["pageInfo"]["hasNextPage"]:
            after = connection["pageInfo"]["endCursor"]
            try:
                data = client.graphql(
                    nested_page(parent, name), {**variables, "nested": size.value, "after": after}
                )
            except PageTooLarge:
                size.shrink()
                continue
            size.succeeded()
            more = locate(data)[key]
            node[key][items_key].extend(more[items_key])
            connection["pageInfo"] = more["pageInfo"]


_NESTED_KEYS = {
    "pull_request": {
        "reviews": "reviews",
        "commits": "commits",
        "timeline": "timelineItems",
        "comments": "comments",
        "labels": "labels",
    },
    "issue": {"labels": "labels"},
    "deployment": {"statuses": "statuses"},
    "team": {"members": "members"},
}

# --------------------------------------------------------------------------- rows


@dataclass
class Rows:
    """Rows for every raw table, produced from one page of API answers."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> bool:
        """Keep a valid row, quarantine an invalid one; True when the row was kept."""
        reason = validate(table, row)
        if reason is None:
            self.tables.setdefault(table, []).append(row)
            return True
        self.quarantine(table, reason, row, key=_record_key(table, row))
        return False

    def quarantine(
        self,
        entity: str,
        reason: str,
        payload: Any,
        key: str | None = None,
        repository: str | None = None,
    ) -> None:
        raw = json.dumps(payload, sort_keys=True, default=str)
        repository = repository or (
            payload.get("repository") if isinstance(payload, dict) else None
        )
        log.warning("quarantined a %s record (%s): %s", entity, key or "no key", reason)
        self.tables.setdefault("quarantine", []).append(
            {
                "id": hashlib.sha256(f"{entity}|{reason}|{raw}".encode()).hexdigest()[:32],
                "entity": entity,
                "repository": repository,
                "record_key": key,
                "reason": reason,
                "payload": raw,
            }
        )

    def actor(self, actor: Node | None, prefix: str) -> dict[str, Any]:
        """`<prefix>_id/_login/_type` columns for an Actor; bots and people become users rows."""
        if not actor:
            return {f"{prefix}_id": None, f"{prefix}_login": None, f"{prefix}_type": None}
        kind = actor.get("__typename") or "User"
        login = actor.get("login")
        user_id = actor.get("databaseId")
        if kind == "Bot" and login and not login.endswith("[bot]"):
            login = f"{login}[bot]"  # REST's form, so logins match across both APIs
        if user_id is not None and kind in {"User", "Bot"}:
            self.user(user_id, login, kind, actor.get("name"))
        return {f"{prefix}_id": user_id, f"{prefix}_login": login, f"{prefix}_type": kind}

    def user(
        self, user_id: int, login: str | None, kind: str = "User", name: str | None = None
    ) -> None:
        known = self.users.get(user_id)
        if known is None or (name and not known.get("name")):
            self.users[user_id] = {"id": user_id, "login": login, "type": kind, "name": name}

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def _record_key(table: str, row: dict[str, Any]) -> str | None:
    repo = row.get("repository")
    for key in ("number", "sha", "id"):
        if row.get(key) is not None:
            prefix = f"{repo}#" if key == "number" and repo else f"{repo}@" if repo else ""
            return f"{prefix}{row[key]}"
    return None


# --------------------------------------------------------------------------- validation

TIMESTAMP_COLUMNS = re.compile(r"_at$|^due_on$")

# Per table: columns that must be present, and must be integers.
REQUIRED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "repositories": (("id", "full_name", "created_at"), ("id",)),
    "commits": (("repository_id", "sha", "committed_at"), ("additions", "deletions")),
    "pull_requests": (
        ("id", "repository_id", "number", "title", "created_at", "updated_at", "state"),
        ("id", "number", "additions", "deletions", "changed_files"),
    ),
    "pull_request_reviews": (("id", "pull_request_id", "state"), ("id",)),
    "pull_request_commits": (("pull_request_id", "sha"), ("additions", "deletions")),
    "pull_request_timeline": (("id", "pull_request_id", "event", "created_at"), ()),
    "pull_request_comments": (
        ("id", "repository_id", "pull_request_number", "created_at"),
        ("id",),
    ),
    "issues": (
        ("id", "repository_id", "number", "title", "created_at", "updated_at", "state"),
        ("id", "number"),
    ),
    "milestones": (("repository_id", "number", "title"), ("number",)),
    "deployments": (("id", "repository_id", "environment", "created_at"), ("id",)),
    "deployment_statuses": (("id", "deployment_id", "state", "created_at"), ()),
    "workflow_runs": (("id", "repository_id", "created_at"), ("id", "run_number")),
    "teams": (("id", "slug"), ("id",)),
    "team_members": (("team_id", "user_id"), ("team_id", "user_id")),
}


def parse_timestamp(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def validate(table: str, row: dict[str, Any]) -> str | None:
    """Normalise timestamps in place; return why the row breaks its table's contract, if it does."""
    required, integers = REQUIRED.get(table, ((), ()))
    missing = [c for c in required if row.get(c) in (None, "")]
    if missing:
        return f"missing required field(s): {', '.join(missing)}"
    for column in integers:
        value = row.get(column)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            return f"{column} must be an integer, got {value!r}"
    for column, value in row.items():
        if (
            value is not None
            and TIMESTAMP_COLUMNS.search(column)
            and not isinstance(value, datetime)
        ):
            try:
                row[column] = parse_timestamp(value)
            except (TypeError, ValueError):
                return f"{column} is not an ISO-8601 timestamp: {value!r}"
    return None


def quarantine_errors(
    rows: Rows, entity: str, repository: str, errors: list[dict[str, Any]]
) -> None:
    """GraphQL errors that blanked a record (e.g. a value GitHub could not serialise)."""
    for error in errors:
        path = ".".join(str(p) for p in error.get("path") or [])
        field_name = next(
            (str(p) for p in reversed(error.get("path") or []) if isinstance(p, str)), None
        )
        where = f" for its field {field_name}" if field_name else ""
        rows.quarantine(
            entity,
            f"GitHub returned an error{where} instead of this record: {error.get('message')}",
            error,
            key=f"{repository}:{path}" if path else repository,
            repository=repository,
        )


# --------------------------------------------------------------------------- reshapers


def big_id(node: Node) -> int | None:
    """GitHub's BigInt `fullDatabaseId` arrives as a string; `databaseId` as a 32-bit Int."""
    value = node.get("fullDatabaseId", node.get("databaseId"))
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _git_actor(actor: Node | None, prefix: str, rows: Rows) -> dict[str, Any]:
    actor = actor or {}
    user = actor.get("user") or {}
    if user.get("databaseId") is not None:
        rows.user(user["databaseId"], user.get("login"), "User", user.get("name"))
    return {
        f"{prefix}_name": actor.get("name"),
        f"{prefix}_email": actor.get("email"),
        f"{prefix}_user_id": user.get("databaseId"),
        f"{prefix}_login": user.get("login"),
    }


def commit_row(node: Node, repo: RepoRef, rows: Rows) -> dict[str, Any]:
    parents = node.get("parents") or {}
    return {
        "repository_id": repo.id,
        "repository": repo.full_name,
        "sha": node.get("oid"),
        "message": node.get("message"),
        "authored_at": node.get("authoredDate"),
        "committed_at": node.get("committedDate"),
        **_git_actor(node.get("author"), "author", rows),
        **_git_actor(node.get("committer"), "committer", rows),
        "additions": node.get("additions"),
        "deletions": node.get("deletions"),
        "changed_files": node.get("changedFilesIfAvailable"),
        "parent_count": parents.get("totalCount"),
        "parent_shas": [p["oid"] for p in parents.get("nodes") or []],
    }


def repository_row(node: Node) -> dict[str, Any]:
    return {
        "id": node.get("databaseId"),
        "node_id": node.get("id"),
        "name": node.get("name"),
        "full_name": node.get("nameWithOwner"),
        "owner": (node.get("owner") or {}).get("login"),
        "description": node.get("description"),
        "is_private": node.get("isPrivate"),
        "is_fork": node.get("isFork"),
        "is_archived": node.get("isArchived"),
        "default_branch": (node.get("defaultBranchRef") or {}).get("name"),
        "primary_language": (node.get("primaryLanguage") or {}).get("name"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "pushed_at": node.get("pushedAt"),
    }


@dataclass(frozen=True)
class RepoRef:
    id: int
    owner: str
    name: str
    default_branch: str | None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


def pull_request_rows(
    node: Node, repo: RepoRef, rows: Rows, merged_commits_since: str | None
) -> None:
    """The PR and its reviews, commits, timeline and conversation comments."""
    pr_id, number = big_id(node), node.get("number")
    parent = {"pull_request_id": pr_id, "repository_id": repo.id, "pull_request_number": number}
    merge_commit = node.get("mergeCommit") or {}
    commits = [
        c["commit"] for c in (node.get("commits") or {}).get("nodes") or [] if c and c.get("commit")
    ]
    rows.add(
        "pull_requests",
        {
            "id": pr_id,
            "node_id": node.get("id"),
            "repository_id": repo.id,
            "repository": repo.full_name,
            "number": number,
            "title": node.get("title"),
            "body": node.get("body"),
            "state": (node.get("state") or "").lower() or None,
            "is_draft": node.get("isDraft"),
            "is_locked": node.get("locked"),
            "created_at": node.get("createdAt"),
            "updated_at": node.get("updatedAt"),
            "closed_at": node.get("closedAt"),
            "merged_at": node.get("mergedAt"),
            **rows.actor(node.get("author"), "author"),
            **rows.actor(node.get("mergedBy"), "merged_by"),
            "additions": node.get("additions"),
            "deletions": node.get("deletions"),
            "changed_files": node.get("changedFiles"),
            "commits_count": (node.get("commits") or {}).get("totalCount"),
            "head_ref": node.get("headRefName"),
            "base_ref": node.get("baseRefName"),
            "head_sha": node.get("headRefOid"),
            "base_sha": node.get("baseRefOid"),
            "merge_commit_sha": merge_commit.get("oid"),
            "merge_commit_parent_count": (merge_commit.get("parents") or {}).get("totalCount"),
            "milestone_number": (node.get("milestone") or {}).get("number"),
            "labels": [label["name"] for label in (node.get("labels") or {}).get("nodes") or []],
        },
    )
    for review in (node.get("reviews") or {}).get("nodes") or []:
        rows.add(
            "pull_request_reviews",
            {
                "id": big_id(review),
                "node_id": review.get("id"),
                **parent,
                "state": review.get("state"),
                "body": review.get("body"),
                "created_at": review.get("createdAt"),
                "submitted_at": review.get("submittedAt"),
                **rows.actor(review.get("author"), "author"),
                "commit_sha": (review.get("commit") or {}).get("oid"),
            },
        )
    for commit in commits:
        row = commit_row(commit, repo, rows)
        rows.add(
            "pull_request_commits",
            {
                **parent,
                **{k: v for k, v in row.items() if k not in {"repository_id", "repository"}},
            },
        )
    for item in (node.get("timelineItems") or {}).get("nodes") or []:
        if item:
            rows.add("pull_request_timeline", {**parent, **timeline_row(item, rows)})
    for comment in (node.get("comments") or {}).get("nodes") or []:
        rows.add(
            "pull_request_comments",
            {**conversation_comment_row(comment, rows), **parent, "comment_type": "conversation"},
        )
    # A merge commit makes the PR's own commits part of the default branch, whatever their
    # (older) commit dates: `history(since:)` cannot see them, so they are added here.
    merged_at = node.get("mergedAt")
    if (
        merged_commits_since is not None
        and merged_at
        and merged_at >= merged_commits_since
        and (merge_commit.get("parents") or {}).get("totalCount") == 2
        and node.get("baseRefName") == repo.default_branch
    ):
        for commit in commits:
            rows.add("commits", commit_row(commit, repo, rows))


def conversation_comment_row(comment: Node, rows: Rows) -> dict[str, Any]:
    return {
        "id": big_id(comment),
        "node_id": comment.get("id"),
        "body": comment.get("body"),
        "created_at": comment.get("createdAt"),
        "updated_at": comment.get("updatedAt"),
        **rows.actor(comment.get("author"), "author"),
        "review_id": None,
        "path": None,
    }


def _snake(type_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type_name.removesuffix("Event")).lower()


def timeline_row(item: Node, rows: Rows) -> dict[str, Any]:
    requested = item.get("requestedReviewer") or {}
    assignee = item.get("assignee") or {}
    return {
        "id": item.get("id"),
        "event": _snake(item.get("__typename", "")),
        "created_at": item.get("createdAt"),
        **rows.actor(item.get("actor"), "actor"),
        "requested_reviewer_type": requested.get("__typename"),
        "requested_reviewer_id": requested.get("databaseId"),
        "requested_reviewer_login": requested.get("login"),
        "requested_team_slug": requested.get("slug"),
        "label": (item.get("label") or {}).get("name"),
        "milestone_title": item.get("milestoneTitle"),
        "assignee_id": assignee.get("databaseId"),
        "assignee_login": assignee.get("login"),
        "commit_sha": (item.get("commit") or {}).get("oid"),
        "before_sha": (item.get("beforeCommit") or {}).get("oid"),
        "after_sha": (item.get("afterCommit") or {}).get("oid"),
    }


def issue_row(node: Node, repo: RepoRef, rows: Rows) -> None:
    rows.add(
        "issues",
        {
            "id": big_id(node),
            "node_id": node.get("id"),
            "repository_id": repo.id,
            "repository": repo.full_name,
            "number": node.get("number"),
            "title": node.get("title"),
            "body": node.get("body"),
            "state": (node.get("state") or "").lower() or None,
            "state_reason": (node.get("stateReason") or "").lower() or None,
            "is_locked": node.get("locked"),
            "created_at": node.get("createdAt"),
            "updated_at": node.get("updatedAt"),
            "closed_at": node.get("closedAt"),
            **rows.actor(node.get("author"), "author"),
            "milestone_number": (node.get("milestone") or {}).get("number"),
            "labels": [label["name"] for label in (node.get("labels") or {}).get("nodes") or []],
            "comments_count": (node.get("comments") or {}).get("totalCount"),
        },
    )


def deployment_rows(node: Node, repo: RepoRef, rows: Rows) -> None:
    deployment_id = node.get("databaseId")
    statuses = (node.get("statuses") or {}).get("nodes") or []
    rows.add(
        "deployments",
        {
            "id": deployment_id,
            "node_id": node.get("id"),
            "repository_id": repo.id,
            "repository": repo.full_name,
            "environment": node.get("environment"),
            "task": node.get("task"),
            "description": node.get("description"),
            "state": (node.get("state") or "").lower() or None,
            "sha": node.get("commitOid"),
            "created_at": node.get("createdAt"),
            "updated_at": node.get("updatedAt"),
            **rows.actor(node.get("creator"), "creator"),
        },
    )
    for status in statuses:
        rows.add(
            "deployment_statuses",
            {
                "id": status.get("id"),
                "deployment_id": deployment_id,
                "repository_id": repo.id,
                "state": (status.get("state") or "").lower() or None,
                "description": status.get("description"),
                "environment": status.get("environment"),
                "log_url": status.get("logUrl"),
                "created_at": status.get("createdAt"),
                "updated_at": status.get("updatedAt"),
                **rows.actor(status.get("creator"), "creator"),
            },
        )


def milestone_row(node: Node, repo: RepoRef, rows: Rows) -> None:
    rows.add(
        "milestones",
        {
            "node_id": node.get("id"),
            "repository_id": repo.id,
            "repository": repo.full_name,
            "number": node.get("number"),
            "title": node.get("title"),
            "description": node.get("description"),
            "state": (node.get("state") or "").lower() or None,
            "due_on": node.get("dueOn"),
            "created_at": node.get("createdAt"),
            "updated_at": node.get("updatedAt"),
            "closed_at": node.get("closedAt"),
            **rows.actor(node.get("creator"), "creator"),
        },
    )


def _rest_user(user: Node | None, prefix: str, rows: Rows) -> dict[str, Any]:
    if not user:
        return {f"{prefix}_id": None, f"{prefix}_login": None, f"{prefix}_type": None}
    if user.get("id") is not None:
        rows.user(user["id"], user.get("login"), user.get("type") or "User")
    return {
        f"{prefix}_id": user.get("id"),
        f"{prefix}_login": user.get("login"),
        f"{prefix}_type": user.get("type"),
    }


def review_comment_row(item: Node, repo: RepoRef, rows: Rows) -> None:
    """A REST review comment (`GET /repos/{o}/{r}/pulls/comments`)."""
    number = str(item.get("pull_request_url") or "").rstrip("/").rsplit("/", 1)[-1]
    rows.add(
        "pull_request_comments",
        {
            "id": item.get("id"),
            "node_id": item.get("node_id"),
            "pull_request_id": None,
            "repository_id": repo.id,
            "pull_request_number": int(number) if number.isdigit() else None,
            "comment_type": "review",
            "review_id": item.get("pull_request_review_id"),
            "path": item.get("path"),
            "body": item.get("body"),
            "created_at": item.get("created_at"),
            "updated_at": item.get("updated_at"),
            **_rest_user(item.get("user"), "author", rows),
        },
    )


def workflow_run_row(item: Node, repo: RepoRef, rows: Rows) -> None:
    rows.add(
        "workflow_runs",
        {
            "id": item.get("id"),
            "node_id": item.get("node_id"),
            "repository_id": repo.id,
            "repository": repo.full_name,
            "workflow_id": item.get("workflow_id"),
            "name": item.get("name"),
            "display_title": item.get("display_title"),
            "event": item.get("event"),
            "status": item.get("status"),
            "conclusion": item.get("conclusion"),
            "head_branch": item.get("head_branch"),
            "head_sha": item.get("head_sha"),
            "run_number": item.get("run_number"),
            "run_attempt": item.get("run_attempt"),
            "created_at": item.get("created_at"),
            "updated_at": item.get("updated_at"),
            "run_started_at": item.get("run_started_at"),
            **_rest_user(item.get("actor"), "actor", rows),
            "pull_request_numbers": [p.get("number") for p in item.get("pull_requests") or []],
        },
    )


def team_rows(node: Node, rows: Rows) -> None:
    team_id = node.get("databaseId")
    parent = node.get("parentTeam") or {}
    rows.add(
        "teams",
        {
            "id": team_id,
            "node_id": node.get("id"),
            "slug": node.get("slug"),
            "name": node.get("name"),
            "description": node.get("description"),
            "privacy": (node.get("privacy") or "").lower() or None,
            "parent_team_id": parent.get("databaseId"),
            "parent_team_slug": parent.get("slug"),
            "created_at": node.get("createdAt"),
            "updated_at": node.get("updatedAt"),
        },
    )
    for edge in (node.get("members") or {}).get("edges") or []:
        member = edge.get("node") or {}
        if member.get("databaseId") is not None:
            rows.user(member["databaseId"], member.get("login"), "User", member.get("name"))
        rows.add(
            "team_members",
            {
                "team_id": team_id,
                "team_slug": node.get("slug"),
                "user_id": member.get("databaseId"),
                "login": member.get("login"),
                "role": (edge.get("role") or "").lower() or None,
            },
        )
