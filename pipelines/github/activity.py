"""What the source fetches, repository by repository, and the cursors that keep it incremental.

One pass yields `Rows` page by page (never the whole organisation in memory):
1. the repositories (an organisation's list, or named ones, 100 per request), then its teams,
   members and team memberships (one request for up to 100 of each);
2. each repository whose `pushedAt`/`updatedAt` moved since the last run: pull requests
   (newest-updated first, down to the cursor) with their reviews, commits, timeline and
   conversation comments; issues updated since the cursor; default-branch commits since the
   cursor, plus the commits a merge commit brought in; deployments and workflow runs from a
   short look-back window; milestones; review comments since the cursor (conditional REST).
Cursors live in dlt's source state, per repository, and move only once a repository has been
read in full; an explicit window (`since`/`until`, for backfills) neither reads nor moves them.
A repository that answers 401/403/404 is reported and skipped; the others still load.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import queries
from .client import (
    GitHubAccessError,
    GitHubClient,
    GitHubError,
    PageTooLarge,
    RateLimitWaitExceeded,
)
from .helpers import (
    PageSize,
    RepoRef,
    Rows,
    commit_row,
    complete_nested,
    deployment_rows,
    issue_row,
    milestone_row,
    parse_timestamp,
    pull_request_rows,
    quarantine_errors,
    repository_row,
    review_comment_row,
    team_rows,
    walk,
    workflow_run_row,
)
from .settings import PAGE_SIZE, PEOPLE_REFRESH, REFRESH_LOOKBACK

log = logging.getLogger(__name__)


@dataclass
class ExtractionReport:
    """What a run did; the CLI prints it and exits non-zero when `failures` is not empty."""

    repositories: int = 0
    extracted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    stopped: str | None = None
    rows: Counter[str] = field(default_factory=Counter)
    progress: Callable[[str], None] = log.info

    @property
    def ok(self) -> bool:
        return not self.failures and self.stopped is None


@dataclass(frozen=True)
class Window:
    """An explicit time window (backfills): ISO strings, either may be None."""

    since: str | None = None
    until: str | None = None

    def contains(self, timestamp: str | None) -> bool:
        if timestamp is None:
            return True
        return (self.since is None or timestamp >= self.since) and (
            self.until is None or timestamp < self.until
        )


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalise_iso(value: str) -> str:
    """Any ISO date or date-time -> GitHub's `YYYY-MM-DDTHH:MM:SSZ`, comparable as text."""
    parsed = parse_timestamp(value if "T" in value else f"{value}T00:00:00Z")
    return iso(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def iter_activity(
    client: GitHubClient,
    org: str | None,
    repositories: list[str],
    state: dict[str, Any],
    report: ExtractionReport,
    window: Window | None = None,
) -> Iterator[Rows]:
    repo_state: dict[str, Any] = state.setdefault("repositories", {})
    size = PageSize()
    listed: list[tuple[RepoRef, dict[str, Any]]] = []
    try:
        for rows, found in _list_repositories(client, org, repositories, size, report):
            listed.extend(found)
            yield rows
    except GitHubError as error:  # bad token, unknown organisation, unreachable API
        report.stopped = f"could not list the repositories of {org or 'the named owners'}: {error}"
        log.error(report.stopped)
        return
    report.repositories = len(listed)
    people_state: dict[str, Any] = state.setdefault("people", {})
    for owner in sorted({org} if org else {ref.owner for ref, _ in listed}):
        yield from _people(client, owner, size, None if window else people_state)
    for index, (ref, node) in enumerate(listed, start=1):
        previous = None if window else repo_state.get(ref.full_name)
        marker = {"pushed_at": node.get("pushedAt"), "updated_at": node.get("updatedAt")}
        if previous and all(previous.get(k) == v for k, v in marker.items()):
            report.unchanged.append(ref.full_name)
            continue
        report.progress(f"[{index}/{len(listed)}] {ref.full_name}")
        cursors = dict((previous or {}).get("cursors", {}))
        try:
            for rows in _repository(client, ref, cursors, window, size):
                report.rows.update({t: len(r) for t, r in rows.tables.items()})
                yield rows
        except RateLimitWaitExceeded as error:
            report.stopped = f"stopped at {ref.full_name}: {error}"
            log.error(report.stopped)
            return
        except GitHubError as error:  # this repository only; the others still load
            report.failures[ref.full_name] = str(error)
            log.error("%s: %s", ref.full_name, error)
            continue
        report.extracted.append(ref.full_name)
        if not window:
            repo_state[ref.full_name] = {**marker, "cursors": cursors}


# --------------------------------------------------------------------------- repositories


def _list_repositories(
    client: GitHubClient,
    org: str | None,
    names: list[str],
    size: PageSize,
    report: ExtractionReport,
) -> Iterator[tuple[Rows, list[tuple[RepoRef, dict[str, Any]]]]]:
    if org:
        pages = walk(
            client,
            queries.ORG_REPOSITORIES,
            {"org": org},
            lambda d: (d.get("organization") or _unknown_organization(org))["repositories"],
            size,
        )
        for page in pages:
            yield _repository_rows(page.nodes, page.errors)
        return
    for start in range(0, len(names), PAGE_SIZE):
        batch = names[start : start + PAGE_SIZE]
        variables: dict[str, Any] = {}
        for i, full_name in enumerate(batch):
            owner, _, name = full_name.partition("/")
            variables[f"owner{i}"], variables[f"name{i}"] = owner, name
        data, errors = client.graphql_partial(queries.repositories_by_name(len(batch)), variables)
        for i, full_name in enumerate(batch):
            if data.get(f"r{i}") is None:
                message = next(
                    (e.get("message") for e in errors if (e.get("path") or [None])[0] == f"r{i}"),
                    "not returned",
                )
                report.failures[full_name] = str(GitHubAccessError(404, full_name, message))
                log.error("%s: %s", full_name, report.failures[full_name])
        yield _repository_rows([data.get(f"r{i}") for i in range(len(batch))], [])


def _repository_rows(nodes, errors) -> tuple[Rows, list[tuple[RepoRef, dict[str, Any]]]]:
    rows, found = Rows(), []
    for node in nodes:
        if not node:
            continue
        row = repository_row(node)
        if rows.add("repositories", row):
            owner, _, name = row["full_name"].partition("/")
            found.append((RepoRef(row["id"], owner, name, row["default_branch"]), node))
    quarantine_errors(rows, "repositories", "", [e for e in errors if e.get("path")])
    return rows, found


def _people_signature(client: GitHubClient, owner: str, size: PageSize) -> str | None:
    while True:
        try:
            data = client.graphql(queries.ORG_PEOPLE_SIGNATURE, {"org": owner, "first": size.value})
            return json.dumps(data.get("organization"), sort_keys=True)
        except GitHubAccessError:
            return None
        except PageTooLarge:
            size.shrink()


def _people(
    client: GitHubClient, owner: str, size: PageSize, people_state: dict[str, Any] | None
) -> Iterator[Rows]:
    """Teams with their members, and the organisation's members, in one request per 100.

    With state, they are re-read only when the signature moved or the last read is stale.
    """
    if people_state is not None:
        signature = _people_signature(client, owner, size)
        if signature is None:
            log.debug("%s is not an organisation (or not visible): no teams", owner)
            return
        known = people_state.get(owner) or {}
        read_at = known.get("read_at")
        fresh = read_at and datetime.now(UTC) - parse_timestamp(read_at) < PEOPLE_REFRESH
        if known.get("signature") == signature and fresh:
            return
        people_state[owner] = {"signature": signature, "read_at": iso(datetime.now(UTC))}
    while True:
        try:
            data = client.graphql(queries.ORG_PEOPLE, {"org": owner, **size.variables()})
            break
        except GitHubAccessError:
            log.debug("%s is not an organisation (or not visible): no teams", owner)
            return
        except PageTooLarge:
            size.shrink()
    organization = data.get("organization") or {}
    teams, members = organization.get("teams"), organization.get("membersWithRole")
    while teams is not None:
        rows = Rows()
        for team in teams["nodes"]:
            complete_nested(
                client,
                "team",
                team,
                {"org": owner, "slug": team["slug"]},
                lambda d: d["organization"]["team"],
                size,
            )
            team_rows(team, rows)
        yield _with_users(rows)
        teams = _next_page(client, queries.ORG_TEAMS_PAGE, owner, teams, "teams", size)
    while members is not None:
        rows = Rows()
        for member in members["nodes"]:
            rows.user(member["databaseId"], member["login"], "User", member.get("name"))
        yield _with_users(rows)
        members = _next_page(
            client, queries.ORG_MEMBERS_PAGE, owner, members, "membersWithRole", size
        )


def _next_page(client, query, owner, connection, key, size) -> dict[str, Any] | None:
    if not connection["pageInfo"]["hasNextPage"]:
        return None
    after = connection["pageInfo"]["endCursor"]
    while True:
        try:
            data = client.graphql(query, {"org": owner, **size.variables(), "after": after})
            return data["organization"][key]
        except PageTooLarge:
            size.shrink()


def _with_users(rows: Rows) -> Rows:
    if rows.users:
        rows.tables["users"] = list(rows.users.values())
    return rows


# --------------------------------------------------------------------------- one repository


def _repository(
    client: GitHubClient,
    ref: RepoRef,
    cursors: dict[str, str],
    window: Window | None,
    size: PageSize,
) -> Iterator[Rows]:
    variables = {"owner": ref.owner, "name": ref.name}
    yield from _pull_requests(client, ref, variables, cursors, window, size)
    yield from _issues(client, ref, variables, cursors, window, size)
    yield from _commits(client, ref, variables, cursors, window, size)
    yield from _deployments(client, ref, variables, cursors, window, size)
    yield from _milestones(client, ref, variables, size)
    yield from _review_comments(client, ref, cursors, window)
    yield from _workflow_runs(client, ref, cursors, window)


def _pull_requests(client, ref, variables, cursors, window, size) -> Iterator[Rows]:
    cursor = window.since if window else cursors.get("pull_requests")
    # PRs merged at or after the commits cursor bring their commits onto the default branch.
    merged_since = None if window else cursors.get("commits")
    newest = _Newest("pull_requests", cursor)
    pages = walk(
        client,
        queries.PULL_REQUESTS,
        variables,
        lambda d: (d.get("repository") or _missing(ref))["pullRequests"],
        size,
    )
    for page in pages:
        rows, done = Rows(), False
        for node in page.nodes:
            if node is None:
                continue
            updated = node.get("updatedAt")
            if cursor and isinstance(updated, str) and updated < cursor:
                done = True  # newest-updated first: everything after this is older
                break
            if window and not window.contains(updated):
                continue
            complete_nested(
                client,
                "pull_request",
                node,
                {**variables, "number": node["number"]},
                lambda d: d["repository"]["pullRequest"],
                size,
            )
            pull_request_rows(node, ref, rows, merged_since)
            newest.see(updated)
        quarantine_errors(rows, "pull_requests", ref.full_name, page.errors)
        yield _with_users(rows)
        if done:
            break
    newest.save(cursors, window)


def _issues(client, ref, variables, cursors, window, size) -> Iterator[Rows]:
    since = window.since if window else cursors.get("issues")
    newest = _Newest("issues", since)
    pages = walk(
        client,
        queries.ISSUES,
        {**variables, "since": since},
        lambda d: (d.get("repository") or _missing(ref))["issues"],
        size,
    )
    for page in pages:
        rows = Rows()
        for node in page.nodes:
            if node is None or (window and not window.contains(node.get("updatedAt"))):
                continue
            complete_nested(
                client,
                "issue",
                node,
                {**variables, "number": node["number"]},
                lambda d: d["repository"]["issue"],
                size,
            )
            issue_row(node, ref, rows)
            updated = node.get("updatedAt")
            newest.see(updated)
        quarantine_errors(rows, "issues", ref.full_name, page.errors)
        yield _with_users(rows)
    newest.save(cursors, window)


def _commits(client, ref, variables, cursors, window, size) -> Iterator[Rows]:
    since = window.since if window else cursors.get("commits")
    until = window.until if window else None
    newest = _Newest("commits", since)

    def history(data):
        branch = (data.get("repository") or _missing(ref)).get("defaultBranchRef")
        return ((branch or {}).get("target") or {}).get("history")

    pages = walk(
        client, queries.HISTORY, {**variables, "since": since, "until": until}, history, size
    )
    for page in pages:
        rows = Rows()
        for node in page.nodes:
            if node is None:
                continue
            rows.add("commits", commit_row(node, ref, rows))
            committed = node.get("committedDate")
            newest.see(committed)
        quarantine_errors(rows, "commits", ref.full_name, page.errors)
        yield _with_users(rows)
    newest.save(cursors, window)


@dataclass
class _Newest:
    """The newest timestamp seen in one list: its cursor once the repository is read in full."""

    name: str
    value: str | None

    def see(self, timestamp: Any) -> None:
        if isinstance(timestamp, str) and (self.value is None or timestamp > self.value):
            self.value = timestamp

    def save(self, cursors: dict[str, Any], window: Window | None) -> None:
        if self.value and not window:
            cursors[self.name] = self.value


def _lookback(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return iso(parse_timestamp(cursor) - REFRESH_LOOKBACK)


def _deployments(client, ref, variables, cursors, window, size) -> Iterator[Rows]:
    floor = window.since if window else _lookback(cursors.get("deployments"))
    newest = _Newest("deployments", cursors.get("deployments"))
    pages = walk(
        client,
        queries.DEPLOYMENTS,
        variables,
        lambda d: (d.get("repository") or _missing(ref))["deployments"],
        size,
    )
    for page in pages:
        rows, done = Rows(), False
        for node in page.nodes:
            if node is None:
                continue
            created = node.get("createdAt")
            if floor and isinstance(created, str) and created < floor:
                done = True  # newest first: the rest is older than the look-back window
                break
            if window and not window.contains(created):
                continue
            complete_nested(
                client, "deployment", node, {"id": node["id"]}, lambda d: d["node"], size
            )
            deployment_rows(node, ref, rows)
            newest.see(created)
        quarantine_errors(rows, "deployments", ref.full_name, page.errors)
        yield _with_users(rows)
        if done:
            break
    newest.save(cursors, window)


def _milestones(client, ref, variables, size) -> Iterator[Rows]:
    pages = walk(
        client,
        queries.MILESTONES,
        variables,
        lambda d: (d.get("repository") or _missing(ref))["milestones"],
        size,
    )
    for page in pages:
        rows = Rows()
        for node in page.nodes:
            if node is not None:
                milestone_row(node, ref, rows)
        quarantine_errors(rows, "milestones", ref.full_name, page.errors)
        yield _with_users(rows)


def _rest_list(client, path, params, cursors, etag_key) -> Iterator[list[dict[str, Any]]]:
    """A REST list, 100 per page; the first page is a conditional request (ETag in state)."""
    etags = cursors.setdefault("etags", {})
    first = client.rest(path, {"per_page": 100, **params}, etag=etags.get(etag_key))
    if first.not_modified:
        return
    if first.etag:
        etags[etag_key] = first.etag
    page = first
    while True:
        items = page.data.get("workflow_runs", []) if isinstance(page.data, dict) else page.data
        yield items or []
        if not page.next_url:
            return
        page = client.rest(page.next_url)


def _review_comments(client, ref, cursors, window) -> Iterator[Rows]:
    since = window.since if window else cursors.get("review_comments")
    params = {"sort": "updated", "direction": "asc", **({"since": since} if since else {})}
    newest = _Newest("review_comments", since)
    path = f"/repos/{ref.full_name}/pulls/comments"
    for items in _rest_list(client, path, params, cursors if not window else {}, "review_comments"):
        rows = Rows()
        for item in items:
            if window and not window.contains(item.get("updated_at")):
                continue
            review_comment_row(item, ref, rows)
            updated = item.get("updated_at")
            newest.see(updated)
        yield _with_users(rows)
    newest.save(cursors, window)


def _workflow_runs(client, ref, cursors, window) -> Iterator[Rows]:
    if window:
        created = f"{window.since or '*'}..{window.until or '*'}"
    else:
        floor = _lookback(cursors.get("workflow_runs"))
        created = f">={floor}" if floor else None
    params = {"created": created} if created else {}
    newest = _Newest("workflow_runs", cursors.get("workflow_runs"))
    path = f"/repos/{ref.full_name}/actions/runs"
    for items in _rest_list(client, path, params, cursors if not window else {}, "workflow_runs"):
        rows = Rows()
        for item in items:
            if window and not window.contains(item.get("created_at")):
                continue
            workflow_run_row(item, ref, rows)
            created_at = item.get("created_at")
            newest.see(created_at)
        yield _with_users(rows)
    newest.save(cursors, window)


def _missing(ref: RepoRef) -> dict[str, Any]:
    raise GitHubAccessError(404, ref.full_name, "the repository disappeared during the run")


def _unknown_organization(org: str) -> dict[str, Any]:
    raise GitHubAccessError(
        404,
        f"organisation {org!r}",
        hint="no organisation has this login, or the token cannot see it: check the spelling "
        "of --org / DEVMETRICS_GITHUB_ORG (a personal account is not an organisation: name "
        "its repositories with --repo OWNER/NAME) and the token's scope (read:org; a "
        "fine-grained token needs the organisation as its resource owner)",
    )
