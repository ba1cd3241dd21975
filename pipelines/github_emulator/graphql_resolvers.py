"""Resolvers that render the Store's records as the types of schema.graphql.

Records that live inside a repository (commits, pull requests, reviews, events...) travel as
`Bound(kind, obj, repo, parent)`: `kind` is the GraphQL type name (it also resolves interfaces
and unions), `parent` the pull request, issue or deployment the record belongs to. Users, bots,
teams and the organisation travel as their model records. `RESOLVERS[type][field]` is attached to
the schema by graphql_api.py, which checks that every field has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from graphql import GraphQLError, GraphQLResolveInfo

from .graphql_pagination import Connection, paginate
from .model import (
    GHOST_USER_ID,
    Deployment,
    Issue,
    Label,
    Organization,
    PullRequest,
    Repository,
    Review,
    Store,
    Team,
    TimelineEvent,
    User,
    iso,
    node_id,
    parse_ts,
)

WEB = "https://github.com"
AVATARS = "https://avatars.githubusercontent.com"


class Bound:
    """A repository-scoped record with what its GraphQL fields need to render it."""

    __slots__ = ("kind", "obj", "parent", "repo")

    def __init__(self, kind: str, obj: Any, repo: Repository, parent: Any = None) -> None:
        self.kind = kind
        self.obj = obj
        self.repo = repo
        self.parent = parent


class Context:
    """Per-request state: the store, what `rateLimit` reports, and cross-request caches."""

    __slots__ = ("caches", "dry_run", "rate_limit", "store")

    def __init__(self, store: Store, rate_limit: dict, caches: dict, dry_run: bool) -> None:
        self.store = store
        self.rate_limit = rate_limit
        self.caches = caches
        self.dry_run = dry_run


Resolver = Callable[..., Any]


# --------------------------------------------------------------------------- helpers


def _num(ts: Any) -> int:
    """Sort key for a timestamp (malformed recorded strings and None sort first)."""
    return ts if isinstance(ts, int) else 0


def _since(value: Any) -> int | None:
    if value is None:
        return None
    parsed = parse_ts(value)
    if not isinstance(parsed, int):
        raise GraphQLError(f"`{value}` is not a valid ISO-8601 timestamp.")
    return parsed


def _store(info: GraphQLResolveInfo) -> Store:
    return info.context.store


def actor(info: GraphQLResolveInfo, user_id: int | None) -> User:
    """The account behind an action; deleted (or unknown) accounts are GitHub's ghost."""
    users = _store(info).users
    return users.get(user_id) or users[GHOST_USER_ID]  # type: ignore[arg-type]


def _user_or_none(info: GraphQLResolveInfo, user_id: int | None) -> User | None:
    return _store(info).user(user_id)


def _commit(repo: Repository, sha: str | None) -> Bound | None:
    commit = repo.commits.get(sha) if sha else None
    return Bound("Commit", commit, repo) if commit else None


def _ordered(items: list, order: dict | None, keys: dict[str, Callable], default: str) -> list:
    field = order["field"] if order else default
    reverse = bool(order) and order["direction"] == "DESC"
    return sorted(items, key=keys[field], reverse=reverse)


def _repo_path(repo: Repository) -> str:
    return f"/{repo.full_name}"


def _issue_path(b: Bound) -> str:
    kind = "pull" if isinstance(b.obj, PullRequest) else "issues"
    return f"{_repo_path(b.repo)}/{kind}/{b.obj.number}"


def _url(path_resolver: Resolver) -> Resolver:
    return lambda obj, info, **_: WEB + path_resolver(obj, info)


def attr(name: str) -> Resolver:
    return lambda obj, info, **_: getattr(obj, name)


def battr(name: str) -> Resolver:
    return lambda b, info, **_: getattr(b.obj, name)


def bts(name: str) -> Resolver:
    return lambda b, info, **_: iso(getattr(b.obj, name))


def const(value: Any) -> Resolver:
    return lambda obj, info, **_: value


def _avatar(user_id: int) -> Resolver:
    def resolve(obj: Any, info: GraphQLResolveInfo, size: int | None = None) -> str:
        suffix = f"&s={size}" if size else ""
        return f"{AVATARS}/u/{user_id or obj.id}?v=4{suffix}"

    return resolve


def _required_ts(ts: Any, fallback: Any) -> str:
    return iso(ts if ts is not None else fallback) or "1970-01-01T00:00:00Z"


# --------------------------------------------------------------------------- connections


def connection(
    items_of: Callable[..., Sequence], owner: Callable[..., Any] | None = None
) -> Resolver:
    """A connection field: `items_of(obj, info, args)` gives the filtered, ordered items."""

    def resolve(obj: Any, info: GraphQLResolveInfo, **args: Any) -> Connection:
        conn = paginate(items_of(obj, info, args), info, args)
        if owner is not None:
            conn.owner = owner(obj)
        return conn

    return resolve


CONNECTION_FIELDS: dict[str, Resolver] = {
    "edges": lambda c, info: c.edges(),
    "nodes": lambda c, info: c.nodes,
    "pageInfo": lambda c, info: c.page_info(),
    "totalCount": lambda c, info: c.total,
    "filteredCount": lambda c, info: c.filtered,
    "updatedAt": lambda c, info: c.updated_at,
}
EDGE_FIELDS: dict[str, Resolver] = {
    "cursor": lambda e, info: e.cursor,
    "node": lambda e, info: e.node,
}
PAGE_INFO_FIELDS: dict[str, Resolver] = {
    name: (lambda key: lambda p, info: p[key])(name)
    for name in ("endCursor", "hasNextPage", "hasPreviousPage", "startCursor")
}


# --------------------------------------------------------------------------- query root


def _not_found(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"type": "NOT_FOUND"})


def _live(info: GraphQLResolveInfo) -> bool:
    """False for `rateLimit(dryRun: true)` queries, which GitHub does not evaluate."""
    return not info.context.dry_run


def q_organization(_: Any, info: GraphQLResolveInfo, login: str) -> Organization | None:
    org = _store(info).org
    if org.login.lower() != login.lower():
        raise _not_found(f"Could not resolve to an Organization with the login of '{login}'.")
    return org if _live(info) else None


def _repository(info: GraphQLResolveInfo, owner: str, name: str) -> Repository | None:
    repo = _store(info).repo(owner, name)
    if repo is None:
        raise _not_found(f"Could not resolve to a Repository with the name '{owner}/{name}'.")
    return repo if _live(info) else None


def q_user(_: Any, info: GraphQLResolveInfo, login: str) -> User | None:
    user = _store(info).user_by_login(login)
    if user is None or user.type != "User" or user.login.lower() != login.lower():
        raise _not_found(f"Could not resolve to a User with the login of '{login}'.")
    return user if _live(info) else None


# --------------------------------------------------------------------------- node(id)

_ID_KINDS = {
    "PR": ("pulls", "PullRequest"),
    "I": ("issues", "Issue"),
}


def _find_node(store: Store, global_id: str) -> Any:
    for user in store.users.values():
        if user.node_id == global_id:
            return user
    if store.org.node_id == global_id:
        return store.org
    for team in store.teams.values():
        if team.node_id == global_id:
            return team
    prefix = global_id.split("_", 1)[0]
    for repo in store.repos.values():
        if repo.node_id == global_id:
            return repo
        if prefix in _ID_KINDS:
            attribute, kind = _ID_KINDS[prefix]
            for record in getattr(repo, attribute).values():
                if record.node_id == global_id:
                    return Bound(kind, record, repo)
        elif prefix == "C":
            for commit in repo.commits.values():
                if commit.node_id == global_id:
                    return Bound("Commit", commit, repo)
    return None


def q_node(_: Any, info: GraphQLResolveInfo, id: str) -> Any:
    found = _find_node(_store(info), id)
    if found is None:
        raise _not_found(f"Could not resolve to a node with the global id of '{id}'")
    return found if _live(info) else None


def q_nodes(_: Any, info: GraphQLResolveInfo, ids: list[str]) -> list[Any]:
    store = _store(info)
    return [_find_node(store, i) if _live(info) else None for i in ids]


def q_rate_limit(_: Any, info: GraphQLResolveInfo, dryRun: bool = False) -> dict:
    return info.context.rate_limit


# --------------------------------------------------------------------------- actors


def _actor_path(user: Any, info: GraphQLResolveInfo) -> str:
    if isinstance(user, User) and user.type == "Bot":
        return f"/apps/{user.graphql_login}"
    return f"/{user.login if isinstance(user, Organization) else user.graphql_login}"


ACTOR_FIELDS: dict[str, Resolver] = {
    "avatarUrl": _avatar(0),
    "login": lambda u, info: u.login if isinstance(u, Organization) else u.graphql_login,
    "resourcePath": _actor_path,
    "url": _url(_actor_path),
    "id": attr("node_id"),
    "databaseId": attr("id"),
    "createdAt": lambda u, info: _required_ts(u.created_at, 0),
    "updatedAt": lambda u, info: _required_ts(u.updated_at, u.created_at),
}


def _repo_keys() -> dict[str, Callable]:
    return {
        "CREATED_AT": lambda r: (_num(r.created_at), r.id),
        "NAME": lambda r: (r.name.lower(), r.id),
        "PUSHED_AT": lambda r: (_num(r.pushed_at), r.id),
        "STARGAZERS": lambda r: (0, r.id),
        "UPDATED_AT": lambda r: (_num(r.updated_at), r.id),
    }


def _repositories(owner: Any, info: GraphQLResolveInfo, args: dict) -> list[Repository]:
    store = _store(info)
    if not isinstance(owner, Organization) or owner is not store.org:
        return []
    repos = list(store.repos.values())
    if args.get("isArchived") is not None:
        repos = [r for r in repos if r.archived == args["isArchived"]]
    if args.get("isFork") is not None:
        repos = [r for r in repos if r.fork == args["isFork"]]
    if args.get("privacy"):
        private = args["privacy"] == "PRIVATE"
        repos = [r for r in repos if r.private == private]
    return _ordered(repos, args.get("orderBy"), _repo_keys(), "CREATED_AT")


def _owner_repository(owner: Any, info: GraphQLResolveInfo, name: str) -> Repository | None:
    if not isinstance(owner, Organization):
        return None
    return _repository(info, owner.login, name)


OWNER_FIELDS: dict[str, Resolver] = {
    "repositories": connection(_repositories),
    "repository": _owner_repository,
}


def _org_teams(org: Organization, info: GraphQLResolveInfo, args: dict) -> list[Team]:
    teams = sorted(_store(info).teams.values(), key=lambda t: t.name.lower())
    if args.get("rootTeamsOnly"):
        teams = [t for t in teams if t.parent_id is None]
    return teams


def _org_members(org: Organization, info: GraphQLResolveInfo, args: dict) -> list[User]:
    store = _store(info)
    return [u for u in (store.user(i) for i in org.member_ids) if u is not None]


ORGANIZATION_FIELDS: dict[str, Resolver] = {
    **ACTOR_FIELDS,
    **OWNER_FIELDS,
    "login": attr("login"),
    "name": attr("name"),
    "description": attr("description"),
    "team": lambda org, info, slug: _store(info).team_by_slug(slug),
    "teams": connection(_org_teams),
    "membersWithRole": connection(_org_members),
}

USER_FIELDS: dict[str, Resolver] = {
    **ACTOR_FIELDS,
    **OWNER_FIELDS,
    "company": attr("company"),
    "email": lambda u, info: u.email or "",
    "location": attr("location"),
    "name": attr("name"),
}

BOT_FIELDS: dict[str, Resolver] = dict(ACTOR_FIELDS)


# --------------------------------------------------------------------------- teams


def _descendants(store: Store, team: Team) -> list[Team]:
    found: list[Team] = []
    frontier = [team.id]
    while frontier:
        children = [t for t in store.teams.values() if t.parent_id in frontier]
        found.extend(children)
        frontier = [t.id for t in children]
    return found


def _team_children(team: Team, info: GraphQLResolveInfo, args: dict) -> list[Team]:
    store = _store(info)
    if args.get("immediateOnly", True):
        return [t for t in store.teams.values() if t.parent_id == team.id]
    return _descendants(store, team)


def _immediate_member_ids(team: Team) -> list[int]:
    return list(dict.fromkeys([*team.member_ids, *team.maintainer_ids]))


def _team_members(team: Team, info: GraphQLResolveInfo, args: dict) -> list[User]:
    store = _store(info)
    membership = args.get("membership") or "ALL"
    ids: list[int] = []
    if membership in ("ALL", "IMMEDIATE"):
        ids.extend(_immediate_member_ids(team))
    if membership in ("ALL", "CHILD_TEAM"):
        immediate = set(ids) if membership == "ALL" else set(_immediate_member_ids(team))
        for child in _descendants(store, team):
            ids.extend(i for i in _immediate_member_ids(child) if i not in immediate)
    ids = list(dict.fromkeys(ids))
    role = args.get("role")
    if role is not None:
        maintainers = set(team.maintainer_ids)
        ids = [i for i in ids if (i in maintainers) == (role == "MAINTAINER")]
    return [u for u in (store.user(i) for i in ids) if u is not None]


TEAM_FIELDS: dict[str, Resolver] = {
    "childTeams": connection(_team_children),
    "combinedSlug": lambda t, info: f"{_store(info).org.login}/{t.slug}",
    "createdAt": lambda t, info: _required_ts(t.created_at, 0),
    "databaseId": attr("id"),
    "description": attr("description"),
    "id": attr("node_id"),
    "members": connection(_team_members, owner=lambda team: team),
    "name": attr("name"),
    "organization": lambda t, info: _store(info).org,
    "parentTeam": lambda t, info: _store(info).teams.get(t.parent_id),  # type: ignore[arg-type]
    "privacy": lambda t, info: "SECRET" if t.privacy == "secret" else "VISIBLE",
    "slug": attr("slug"),
    "updatedAt": lambda t, info: _required_ts(t.updated_at, t.created_at),
}


# --------------------------------------------------------------------------- repository


def _pr_state(pr: PullRequest) -> str:
    if pr.merged_at is not None:
        return "MERGED"
    return "OPEN" if pr.state == "open" else "CLOSED"


def _issue_like_keys() -> dict[str, Callable]:
    return {
        "CREATED_AT": lambda b: (_num(b.obj.created_at), b.obj.number),
        "UPDATED_AT": lambda b: (_num(b.obj.updated_at), b.obj.number),
        "COMMENTS": lambda b: (len(b.obj.comments), b.obj.number),
    }


def _pull_requests(repo: Repository, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    pulls: list[PullRequest] = list(repo.pulls.values())
    if args.get("states"):
        states = set(args["states"])
        pulls = [p for p in pulls if _pr_state(p) in states]
    if args.get("labels"):
        wanted = set(args["labels"])
        pulls = [p for p in pulls if wanted.intersection(p.labels)]
    if args.get("baseRefName") is not None:
        pulls = [p for p in pulls if p.base_ref == args["baseRefName"]]
    if args.get("headRefName") is not None:
        pulls = [p for p in pulls if p.head_ref == args["headRefName"]]
    bound = [Bound("PullRequest", p, repo) for p in pulls]
    return _ordered(bound, args.get("orderBy"), _issue_like_keys(), "CREATED_AT")


def _issues(repo: Repository, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    issues: list[Issue] = list(repo.issues.values())
    store = _store(info)
    states = set(args.get("states") or ())
    labels = set(args.get("labels") or ())
    filters = args.get("filterBy") or {}
    states |= set(filters.get("states") or ())
    labels |= set(filters.get("labels") or ())
    if states:
        issues = [i for i in issues if i.state.upper() in states]
    if labels:
        issues = [i for i in issues if labels.intersection(i.labels)]
    since = _since(filters.get("since"))
    if since is not None:
        issues = [i for i in issues if _num(i.updated_at) >= since]
    if filters.get("createdBy"):
        user = store.user_by_login(filters["createdBy"])
        issues = [i for i in issues if user is not None and i.author_id == user.id]
    if filters.get("assignee"):
        user = store.user_by_login(filters["assignee"])
        issues = [i for i in issues if user is not None and user.id in i.assignee_ids]
    milestone = filters.get("milestoneNumber")
    if milestone == "*":
        issues = [i for i in issues if i.milestone_number is not None]
    elif milestone == "none":
        issues = [i for i in issues if i.milestone_number is None]
    elif milestone is not None:
        issues = [i for i in issues if str(i.milestone_number) == milestone]
    bound = [Bound("Issue", i, repo) for i in issues]
    return _ordered(bound, args.get("orderBy"), _issue_like_keys(), "CREATED_AT")


def _pull_request(repo: Repository, info: GraphQLResolveInfo, number: int) -> Bound:
    pr = repo.pulls.get(number)
    if pr is None:
        raise _not_found(f"Could not resolve to a PullRequest with the number of {number}.")
    return Bound("PullRequest", pr, repo)


def _issue(repo: Repository, info: GraphQLResolveInfo, number: int) -> Bound:
    issue = repo.issues.get(number)
    if issue is None:
        raise _not_found(f"Could not resolve to an Issue with the number of {number}.")
    return Bound("Issue", issue, repo)


def _label(repo: Repository, name: str) -> Bound:
    label = repo.labels.get(name) or next(
        (x for x in repo.labels.values() if x.name.lower() == name.lower()), None
    )
    return Bound("Label", label or Label(id=0, name=name), repo)


def _labels_of(names: list[str], repo: Repository, order: dict | None) -> list[Bound]:
    bound = [_label(repo, name) for name in names]
    keys = {"CREATED_AT": lambda b: b.obj.id, "NAME": lambda b: b.obj.name.lower()}
    return _ordered(bound, order, keys, "CREATED_AT")


def _milestones(repo: Repository, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    milestones = list(repo.milestones.values())
    if args.get("states"):
        states = set(args["states"])
        milestones = [m for m in milestones if m.state.upper() in states]
    bound = [Bound("Milestone", m, repo) for m in milestones]
    keys = {
        "CREATED_AT": lambda b: (_num(b.obj.created_at), b.obj.number),
        "DUE_DATE": lambda b: (_num(b.obj.due_on), b.obj.number),
        "NUMBER": lambda b: b.obj.number,
        "UPDATED_AT": lambda b: (_num(b.obj.updated_at), b.obj.number),
    }
    return _ordered(bound, args.get("orderBy"), keys, "NUMBER")


def _deployments(repo: Repository, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    deployments = repo.deployments
    if args.get("environments"):
        environments = set(args["environments"])
        deployments = [d for d in deployments if d.environment in environments]
    bound = [Bound("Deployment", d, repo) for d in deployments]
    keys = {"CREATED_AT": lambda b: (_num(b.obj.created_at), b.obj.id)}
    return _ordered(bound, args.get("orderBy"), keys, "CREATED_AT")


def _releases(repo: Repository, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    bound = [Bound("Release", r, repo) for r in repo.releases]
    keys = {
        "CREATED_AT": lambda b: (_num(b.obj.created_at), b.obj.id),
        "NAME": lambda b: (b.obj.name or "", b.obj.id),
    }
    return _ordered(bound, args.get("orderBy"), keys, "CREATED_AT")


def _latest_release(repo: Repository, info: GraphQLResolveInfo) -> Bound | None:
    published = [r for r in repo.releases if not r.draft and not r.prerelease]
    if not published:
        return None
    return Bound("Release", max(published, key=lambda r: (_num(r.published_at), r.id)), repo)


def _branch_target(repo: Repository, branch: str) -> str | None:
    """The head commit of a branch the store knows: the default branch or a PR's head."""
    if branch == repo.default_branch:
        return repo.head_sha
    heads = [p for p in repo.pulls.values() if p.head_ref == branch]
    if not heads:
        return None
    return max(heads, key=lambda p: (_num(p.updated_at), p.number)).head_sha


def _ref(repo: Repository, info: GraphQLResolveInfo, qualifiedName: str) -> Bound | None:
    name = qualifiedName.removeprefix("refs/heads/")
    if _branch_target(repo, name) is None:
        return None
    return Bound("Ref", name, repo)


def _object(
    repo: Repository,
    info: GraphQLResolveInfo,
    expression: str | None = None,
    oid: str | None = None,
) -> Bound | None:
    if oid is not None:
        return _commit(repo, oid)
    if expression is None:
        return None
    name = expression.removeprefix("refs/heads/")
    if name == "HEAD":
        return _commit(repo, repo.head_sha)
    sha = _branch_target(repo, name)
    if sha is not None:
        return _commit(repo, sha)
    if len(expression) >= 4 and re.fullmatch(r"[0-9a-f]+", expression):
        if expression in repo.commits:
            return _commit(repo, expression)
        matches = [s for s in repo.commits if s.startswith(expression)]
        if len(matches) == 1:
            return _commit(repo, matches[0])
    return None


REPOSITORY_FIELDS: dict[str, Resolver] = {
    "createdAt": lambda r, info: _required_ts(r.created_at, 0),
    "databaseId": attr("id"),
    "defaultBranchRef": lambda r, info: Bound("Ref", r.default_branch, r) if r.head_sha else None,
    "deployments": connection(_deployments),
    "description": attr("description"),
    "id": attr("node_id"),
    "isArchived": attr("archived"),
    "isFork": attr("fork"),
    "isPrivate": attr("private"),
    "issue": _issue,
    "issues": connection(_issues),
    "label": lambda r, info, name: _label(r, name) if _find_label(r, name) else None,
    "labels": connection(lambda r, info, args: _labels_of(list(r.labels), r, args.get("orderBy"))),
    "latestRelease": _latest_release,
    "milestone": lambda r, info, number: (
        Bound("Milestone", r.milestones[number], r) if number in r.milestones else None
    ),
    "milestones": connection(_milestones),
    "name": attr("name"),
    "nameWithOwner": attr("full_name"),
    "object": _object,
    "owner": lambda r, info: _store(info).org,
    "primaryLanguage": attr("language"),
    "pullRequest": _pull_request,
    "pullRequests": connection(_pull_requests),
    "pushedAt": lambda r, info: iso(r.pushed_at),
    "ref": _ref,
    "releases": connection(_releases),
    "resourcePath": lambda r, info: _repo_path(r),
    "updatedAt": lambda r, info: _required_ts(r.updated_at, r.created_at),
    "url": lambda r, info: WEB + _repo_path(r),
    "visibility": lambda r, info: "PRIVATE" if r.private else "PUBLIC",
}


def _find_label(repo: Repository, name: str) -> bool:
    return name in repo.labels or any(x.name.lower() == name.lower() for x in repo.labels.values())


LANGUAGE_FIELDS: dict[str, Resolver] = {
    "color": const(None),
    "id": lambda name, info: node_id("LA_lang", name),
    "name": lambda name, info: name,
}

REF_FIELDS: dict[str, Resolver] = {
    "id": lambda b, info: node_id("REF", b.repo.id, b.obj),
    "name": lambda b, info: b.obj,
    "prefix": const("refs/heads/"),
    "repository": lambda b, info: b.repo,
    "target": lambda b, info: _commit(b.repo, _branch_target(b.repo, b.obj)),
}


# --------------------------------------------------------------------------- commits


class GitActor:
    __slots__ = ("date", "email", "name", "user_id")

    def __init__(self, name: str, email: str, date: Any, user_id: int | None) -> None:
        self.name = name
        self.email = email
        self.date = date
        self.user_id = user_id


def _branch_positions(info: GraphQLResolveInfo, repo: Repository) -> dict[str, int]:
    """sha -> position on the default branch (oldest 0), cached until the store changes."""
    store = _store(info)
    key = ("branch", repo.id)
    cached = info.context.caches.get(key)
    stamp = (store.version, len(repo.default_branch_shas))
    if cached is None or cached[0] != stamp:
        cached = (stamp, {sha: i for i, sha in enumerate(repo.default_branch_shas)})
        info.context.caches[key] = cached
    return cached[1]


def _ancestry(info: GraphQLResolveInfo, repo: Repository, sha: str) -> list[str]:
    """The commit and its first-parent ancestors, newest first (`git log --first-parent`)."""
    positions = _branch_positions(info, repo)
    chain: list[str] = []
    seen: set[str] = set()
    current: str | None = sha
    while current is not None and current not in positions and current not in seen:
        commit = repo.commits.get(current)
        if commit is None:
            break
        seen.add(current)
        chain.append(current)
        current = commit.parents[0] if commit.parents else None
    if current is not None and current in positions:
        chain.extend(reversed(repo.default_branch_shas[: positions[current] + 1]))
    return chain


def _history(b: Bound, info: GraphQLResolveInfo, args: dict) -> Sequence[Bound]:
    repo = b.repo
    shas = _ancestry(info, repo, b.obj.sha)
    since, until = _since(args.get("since")), _since(args.get("until"))
    author = args.get("author") or {}
    commits = [repo.commits[s] for s in shas]
    if since is not None:
        commits = [c for c in commits if _num(c.committed_at) >= since]
    if until is not None:
        commits = [c for c in commits if _num(c.committed_at) <= until]
    if author.get("id"):
        store = _store(info)
        ids = {u.id for u in store.users.values() if u.node_id == author["id"]}
        commits = [c for c in commits if c.author_id in ids]
    if author.get("emails"):
        emails = {e.lower() for e in author["emails"]}
        commits = [c for c in commits if c.author_email.lower() in emails]
    return [Bound("Commit", c, repo) for c in commits]


def _commit_path(b: Bound, info: Any = None) -> str:
    return f"{_repo_path(b.repo)}/commit/{b.obj.sha}"


def _message_body(message: str) -> str:
    _, _, rest = message.partition("\n")
    return rest.strip("\n")


COMMIT_FIELDS: dict[str, Resolver] = {
    "abbreviatedOid": lambda b, info: b.obj.sha[:7],
    "additions": battr("additions"),
    "author": lambda b, info: GitActor(
        b.obj.author_name, b.obj.author_email, b.obj.authored_at, b.obj.author_id
    ),
    "authoredByCommitter": lambda b, info: (
        (b.obj.author_name, b.obj.author_email) == (b.obj.committer_name, b.obj.committer_email)
    ),
    "authoredDate": lambda b, info: _required_ts(b.obj.authored_at, b.obj.committed_at),
    "changedFiles": battr("changed_files"),
    "changedFilesIfAvailable": battr("changed_files"),
    "commitResourcePath": _commit_path,
    "commitUrl": _url(_commit_path),
    "committedDate": lambda b, info: _required_ts(b.obj.committed_at, b.obj.authored_at),
    "committer": lambda b, info: GitActor(
        b.obj.committer_name, b.obj.committer_email, b.obj.committed_at, b.obj.committer_id
    ),
    "deletions": battr("deletions"),
    "history": connection(_history),
    "id": battr("node_id"),
    "message": battr("message"),
    "messageBody": lambda b, info: _message_body(b.obj.message),
    "messageHeadline": lambda b, info: b.obj.message.split("\n", 1)[0],
    "oid": battr("sha"),
    "parents": connection(
        lambda b, info, args: [c for c in (_commit(b.repo, s) for s in b.obj.parents) if c]
    ),
    "repository": lambda b, info: b.repo,
    "resourcePath": _commit_path,
    "url": _url(_commit_path),
}


def _git_actor_user(g: GitActor, info: GraphQLResolveInfo) -> User | None:
    user = _user_or_none(info, g.user_id)
    return user if user is not None and user.type == "User" else None


GIT_ACTOR_FIELDS: dict[str, Resolver] = {
    "avatarUrl": lambda g, info, size=None: (
        (f"{AVATARS}/u/{g.user_id}?v=4" if g.user_id else f"{AVATARS}/u/e?email={quote(g.email)}")
        + (f"&s={size}" if size else "")
    ),
    "date": lambda g, info: iso(g.date),
    "email": attr("email"),
    "name": attr("name"),
    "user": _git_actor_user,
}


# --------------------------------------------------------------------------- PRs and issues

_EVENT_KINDS = {
    "ready_for_review": "ReadyForReviewEvent",
    "convert_to_draft": "ConvertToDraftEvent",
    "review_requested": "ReviewRequestedEvent",
    "review_request_removed": "ReviewRequestRemovedEvent",
    "closed": "ClosedEvent",
    "reopened": "ReopenedEvent",
    "merged": "MergedEvent",
    "head_ref_force_pushed": "HeadRefForcePushedEvent",
    "labeled": "LabeledEvent",
    "unlabeled": "UnlabeledEvent",
    "milestoned": "MilestonedEvent",
    "demilestoned": "DemilestonedEvent",
    "assigned": "AssignedEvent",
    "unassigned": "UnassignedEvent",
}
_PR_ONLY = {
    "ReadyForReviewEvent",
    "ConvertToDraftEvent",
    "ReviewRequestedEvent",
    "ReviewRequestRemovedEvent",
    "MergedEvent",
    "HeadRefForcePushedEvent",
    "PullRequestReview",
    "PullRequestCommit",
}


def item_type(kind: str) -> str:
    """GraphQL type name -> its `itemTypes` enum value (ReadyForReviewEvent -> READY_FOR_...)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind).upper()


def _timeline(b: Bound, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    """Events, comments and (for PRs) reviews and commits in time order, then filtered."""
    record, repo = b.obj, b.repo
    is_pr = isinstance(record, PullRequest)
    timed: list[tuple[int, int, Bound]] = []
    for event in record.timeline:
        kind = _EVENT_KINDS.get(event.event)
        if kind is not None and (is_pr or kind not in _PR_ONLY):
            timed.append((_num(event.created_at), event.id, Bound(kind, event, repo, b)))
    for comment in record.comments:
        timed.append(
            (_num(comment.created_at), comment.id, Bound("IssueComment", comment, repo, b))
        )
    if is_pr:
        for review in record.reviews:
            if review.submitted_at is not None:
                timed.append(
                    (
                        _num(review.submitted_at),
                        review.id,
                        Bound("PullRequestReview", review, repo, b),
                    )
                )
        for sha in record.commit_shas:
            commit = repo.commits.get(sha)
            when = _num(commit.committed_at) if commit else 0
            timed.append((when, 0, Bound("PullRequestCommit", sha, repo, b)))
    timed.sort(key=lambda t: (t[0], t[1]))
    items = [t[2] for t in timed]
    since = _since(args.get("since"))
    if since is not None:
        items = [i for t, i in zip(timed, items, strict=True) if t[0] >= since]
    if args.get("itemTypes"):
        wanted = set(args["itemTypes"])
        items = [i for i in items if item_type(i.kind) in wanted]
    skip = args.get("skip") or 0
    return items[skip:]


def _timeline_connection(b: Bound, info: GraphQLResolveInfo, **args: Any) -> Connection:
    conn = paginate(_timeline(b, info, args), info, args)
    conn.updated_at = iso(b.obj.updated_at)
    return conn


def _reviews(b: Bound, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    reviews: list[Review] = b.obj.reviews
    if args.get("states"):
        states = set(args["states"])
        reviews = [r for r in reviews if r.state in states]
    if args.get("author"):
        user = _store(info).user_by_login(args["author"])
        reviews = [r for r in reviews if user is not None and r.user_id == user.id]
    return [Bound("PullRequestReview", r, b.repo, b) for r in reviews]


def _review_requests(b: Bound, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    store = _store(info)
    reviewers: list[Any] = [u for u in map(store.user, b.obj.requested_reviewer_ids) if u]
    reviewers += [t for t in map(store.teams.get, b.obj.requested_team_ids) if t]
    return [Bound("ReviewRequest", r, b.repo, b) for r in reviewers]


def _assignees(b: Bound, info: GraphQLResolveInfo, args: dict) -> list[User]:
    return [u for u in map(_store(info).user, b.obj.assignee_ids) if u]


def _comments(b: Bound, info: GraphQLResolveInfo, args: dict) -> list[Bound]:
    return [Bound("IssueComment", c, b.repo, b) for c in b.obj.comments]


def _milestone(b: Bound, info: GraphQLResolveInfo) -> Bound | None:
    number = b.obj.milestone_number
    milestone = b.repo.milestones.get(number) if number is not None else None
    return Bound("Milestone", milestone, b.repo) if milestone else None


def _state_reason(b: Bound, info: GraphQLResolveInfo, enableDuplicate: bool = False) -> str | None:
    reason = b.obj.state_reason
    if reason is None:
        return None
    if reason == "duplicate" and not enableDuplicate:
        return "NOT_PLANNED"
    return reason.upper()


ISSUE_LIKE_FIELDS: dict[str, Resolver] = {
    "assignees": connection(_assignees),
    "author": lambda b, info: actor(info, b.obj.author_id),
    "body": lambda b, info: b.obj.body or "",
    "closed": lambda b, info: b.obj.state == "closed",
    "closedAt": bts("closed_at"),
    "comments": connection(_comments),
    "createdAt": lambda b, info: _required_ts(b.obj.created_at, 0),
    "databaseId": battr("id"),
    "fullDatabaseId": lambda b, info: str(b.obj.id),  # BigInt travels as a string
    "id": battr("node_id"),
    "labels": connection(
        lambda b, info, args: _labels_of(b.obj.labels, b.repo, args.get("orderBy"))
    ),
    "locked": battr("locked"),
    "milestone": _milestone,
    "number": battr("number"),
    "repository": lambda b, info: b.repo,
    "resourcePath": lambda b, info: _issue_path(b),
    "timelineItems": _timeline_connection,
    "title": battr("title"),
    "updatedAt": lambda b, info: _required_ts(b.obj.updated_at, b.obj.created_at),
    "url": lambda b, info: WEB + _issue_path(b),
}

PULL_REQUEST_FIELDS: dict[str, Resolver] = {
    **ISSUE_LIKE_FIELDS,
    "additions": battr("additions"),
    "baseRefName": battr("base_ref"),
    "baseRefOid": battr("base_sha"),
    "changedFiles": battr("changed_files"),
    "commits": connection(
        lambda b, info, args: [Bound("PullRequestCommit", s, b.repo, b) for s in b.obj.commit_shas]
    ),
    "deletions": battr("deletions"),
    "headRefName": battr("head_ref"),
    "headRefOid": battr("head_sha"),
    "isDraft": battr("draft"),
    "mergeCommit": lambda b, info: _commit(b.repo, b.obj.merge_commit_sha),
    "merged": lambda b, info: b.obj.merged_at is not None,
    "mergedAt": bts("merged_at"),
    "mergedBy": lambda b, info: (
        actor(info, b.obj.merged_by_id) if b.obj.merged_at is not None else None
    ),
    "reviewRequests": connection(_review_requests),
    "reviews": connection(_reviews),
    "state": lambda b, info: _pr_state(b.obj),
}

ISSUE_FIELDS: dict[str, Resolver] = {
    **ISSUE_LIKE_FIELDS,
    "state": lambda b, info: b.obj.state.upper(),
    "stateReason": _state_reason,
}


def _comment_path(anchor: str) -> Resolver:
    return lambda b, info: f"{_issue_path(b.parent)}#{anchor}{b.obj.id}"


COMMENT_FIELDS: dict[str, Resolver] = {
    "author": lambda b, info: actor(info, b.obj.user_id),
    "body": lambda b, info: b.obj.body or "",
    "createdAt": lambda b, info: _required_ts(b.obj.created_at, 0),
    "databaseId": battr("id"),
    "fullDatabaseId": lambda b, info: str(b.obj.id),  # BigInt travels as a string
    "id": battr("node_id"),
    "repository": lambda b, info: b.repo,
    "updatedAt": lambda b, info: _required_ts(b.obj.updated_at, b.obj.created_at),
}

ISSUE_COMMENT_FIELDS: dict[str, Resolver] = {
    **COMMENT_FIELDS,
    "resourcePath": _comment_path("issuecomment-"),
    "url": _url(_comment_path("issuecomment-")),
}


def _review_time(b: Bound) -> Any:
    return b.obj.submitted_at if b.obj.submitted_at is not None else b.parent.obj.updated_at


REVIEW_FIELDS: dict[str, Resolver] = {
    **COMMENT_FIELDS,
    "comments": connection(
        lambda b, info, args: [
            Bound("PullRequestReviewComment", c, b.repo, b.parent)
            for c in b.parent.obj.review_comments
            if c.review_id == b.obj.id
        ]
    ),
    "commit": lambda b, info: _commit(b.repo, b.obj.commit_id),
    "createdAt": lambda b, info: _required_ts(_review_time(b), 0),
    "resourcePath": _comment_path("pullrequestreview-"),
    "state": battr("state"),
    "submittedAt": bts("submitted_at"),
    "updatedAt": lambda b, info: _required_ts(_review_time(b), 0),
    "url": _url(_comment_path("pullrequestreview-")),
}


def _review_of(b: Bound, info: GraphQLResolveInfo) -> Bound | None:
    review = next((r for r in b.parent.obj.reviews if r.id == b.obj.review_id), None)
    return Bound("PullRequestReview", review, b.repo, b.parent) if review else None


def _reply_to(b: Bound, info: GraphQLResolveInfo) -> Bound | None:
    if b.obj.in_reply_to_id is None:
        return None
    comments = b.parent.obj.review_comments
    target = next((c for c in comments if c.id == b.obj.in_reply_to_id), None)
    return Bound("PullRequestReviewComment", target, b.repo, b.parent) if target else None


REVIEW_COMMENT_FIELDS: dict[str, Resolver] = {
    **COMMENT_FIELDS,
    "commit": lambda b, info: _commit(b.repo, b.obj.commit_id),
    "line": battr("line"),
    "path": battr("path"),
    "pullRequestReview": _review_of,
    "replyTo": _reply_to,
    "resourcePath": _comment_path("discussion_r"),
    "url": _url(_comment_path("discussion_r")),
}


def _pr_commit_path(b: Bound, info: Any = None) -> str:
    return f"{_issue_path(b.parent)}/commits/{b.obj}"


def _pr_commit(b: Bound, info: GraphQLResolveInfo) -> Bound:
    commit = _commit(b.repo, b.obj)
    if commit is None:
        raise GraphQLError(
            f"Commit {b.obj} of {b.repo.full_name}#{b.parent.obj.number} is missing."
        )
    return commit


PULL_REQUEST_COMMIT_FIELDS: dict[str, Resolver] = {
    "commit": _pr_commit,
    "id": lambda b, info: node_id("PURC", b.parent.obj.id, b.obj),
    "resourcePath": _pr_commit_path,
    "url": _url(_pr_commit_path),
}

REVIEW_REQUEST_FIELDS: dict[str, Resolver] = {
    "asCodeOwner": const(False),
    "databaseId": const(None),
    "id": lambda b, info: node_id("RR", b.parent.obj.id, type(b.obj).__name__, b.obj.id),
    "requestedReviewer": lambda b, info: b.obj,
}


def _label_path(b: Bound, info: Any = None) -> str:
    return f"{_repo_path(b.repo)}/labels/{quote(b.obj.name)}"


LABEL_FIELDS: dict[str, Resolver] = {
    "color": battr("color"),
    "description": battr("description"),
    "id": battr("node_id"),
    "isDefault": battr("default"),
    "name": battr("name"),
    "repository": lambda b, info: b.repo,
    "resourcePath": _label_path,
    "url": _url(_label_path),
}


def _milestone_path(b: Bound, info: Any = None) -> str:
    return f"{_repo_path(b.repo)}/milestone/{b.obj.number}"


MILESTONE_FIELDS: dict[str, Resolver] = {
    "closed": lambda b, info: b.obj.state == "closed",
    "closedAt": bts("closed_at"),
    "createdAt": lambda b, info: _required_ts(b.obj.created_at, 0),
    "creator": lambda b, info: _user_or_none(info, b.obj.creator_id),
    "description": battr("description"),
    "dueOn": bts("due_on"),
    "id": battr("node_id"),
    "number": battr("number"),
    "repository": lambda b, info: b.repo,
    "resourcePath": _milestone_path,
    "state": lambda b, info: b.obj.state.upper(),
    "title": battr("title"),
    "updatedAt": lambda b, info: _required_ts(b.obj.updated_at, b.obj.created_at),
    "url": _url(_milestone_path),
}


# --------------------------------------------------------------------------- timeline events


def _reviewer(b: Bound, info: GraphQLResolveInfo) -> Any:
    event: TimelineEvent = b.obj
    if event.requested_team_id is not None:
        return _store(info).teams.get(event.requested_team_id)
    return _user_or_none(info, event.requested_reviewer_id)


def _event_reason(b: Bound, info: GraphQLResolveInfo) -> str | None:
    if isinstance(b.parent.obj, PullRequest):
        return None
    if b.obj.state_reason:
        return b.obj.state_reason.upper()
    return "REOPENED" if b.obj.event == "reopened" else None


EVENT_FIELDS: dict[str, Resolver] = {
    "actor": lambda b, info: actor(info, b.obj.actor_id),
    "createdAt": lambda b, info: _required_ts(b.obj.created_at, 0),
    "id": battr("node_id"),
    "requestedReviewer": _reviewer,
    "closer": lambda b, info: _commit(b.repo, b.obj.commit_id),
    "stateReason": _event_reason,
    "commit": lambda b, info: _commit(b.repo, b.obj.commit_id or b.parent.obj.merge_commit_sha),
    "mergeRefName": lambda b, info: b.parent.obj.base_ref,
    "afterCommit": lambda b, info: _commit(b.repo, b.obj.after_sha),
    "beforeCommit": lambda b, info: _commit(b.repo, b.obj.before_sha),
    "label": lambda b, info: _label(b.repo, b.obj.label or ""),
    "milestoneTitle": lambda b, info: b.obj.milestone_title or "",
    "assignee": lambda b, info: _user_or_none(info, b.obj.assignee_id),
}


# --------------------------------------------------------------------------- deployments


def _deployment_state(deployment: Deployment) -> str:
    if not deployment.statuses:
        return "PENDING"
    state = deployment.statuses[-1].state
    return "ACTIVE" if state == "success" else state.upper()


DEPLOYMENT_FIELDS: dict[str, Resolver] = {
    "commit": lambda b, info: _commit(b.repo, b.obj.sha),
    "commitOid": battr("sha"),
    "createdAt": lambda b, info: _required_ts(b.obj.created_at, 0),
    "creator": lambda b, info: actor(info, b.obj.creator_id),
    "databaseId": battr("id"),
    "description": battr("description"),
    "environment": lambda b, info: (
        next((s.environment for s in reversed(b.obj.statuses) if s.environment), None)
        or b.obj.environment
    ),
    "id": battr("node_id"),
    "latestEnvironment": lambda b, info: (
        next((s.environment for s in reversed(b.obj.statuses) if s.environment), None)
        or b.obj.environment
    ),
    "latestStatus": lambda b, info: (
        Bound("DeploymentStatus", b.obj.statuses[-1], b.repo, b) if b.obj.statuses else None
    ),
    "originalEnvironment": battr("environment"),
    "repository": lambda b, info: b.repo,
    "state": lambda b, info: _deployment_state(b.obj),
    "statuses": connection(
        lambda b, info, args: [Bound("DeploymentStatus", s, b.repo, b) for s in b.obj.statuses]
    ),
    "task": battr("task"),
    "updatedAt": lambda b, info: _required_ts(b.obj.updated_at, b.obj.created_at),
}

DEPLOYMENT_STATUS_FIELDS: dict[str, Resolver] = {
    "createdAt": lambda b, info: _required_ts(b.obj.created_at, 0),
    "creator": lambda b, info: actor(info, b.obj.creator_id),
    "deployment": lambda b, info: b.parent,
    "description": battr("description"),
    "environment": lambda b, info: b.obj.environment or b.parent.obj.environment,
    "environmentUrl": lambda b, info: b.obj.environment_url or None,
    "id": battr("node_id"),
    "logUrl": lambda b, info: b.obj.log_url or None,
    "state": lambda b, info: b.obj.state.upper(),
    "updatedAt": lambda b, info: _required_ts(b.obj.updated_at, b.obj.created_at),
}


def _release_path(b: Bound, info: Any = None) -> str:
    return f"{_repo_path(b.repo)}/releases/tag/{quote(b.obj.tag_name)}"


def _release_commit(b: Bound, info: GraphQLResolveInfo) -> Bound | None:
    target = b.obj.target_commitish
    return _commit(b.repo, target if target in b.repo.commits else _branch_target(b.repo, target))


RELEASE_FIELDS: dict[str, Resolver] = {
    "author": lambda b, info: _user_or_none(info, b.obj.author_id),
    "createdAt": lambda b, info: _required_ts(b.obj.created_at, 0),
    "databaseId": battr("id"),
    "description": battr("body"),
    "id": battr("node_id"),
    "isDraft": battr("draft"),
    "isPrerelease": battr("prerelease"),
    "name": battr("name"),
    "publishedAt": bts("published_at"),
    "resourcePath": _release_path,
    "tagCommit": _release_commit,
    "tagName": battr("tag_name"),
    "url": _url(_release_path),
}


# --------------------------------------------------------------------------- wiring


def _event_types() -> dict[str, dict[str, Resolver]]:
    return {kind: EVENT_FIELDS for kind in _EVENT_KINDS.values()}


RESOLVERS: dict[str, dict[str, Resolver]] = {
    "Query": {
        "organization": q_organization,
        "repository": lambda _, info, owner, name: _repository(info, owner, name),
        "user": q_user,
        "node": q_node,
        "nodes": q_nodes,
        "rateLimit": q_rate_limit,
    },
    "RateLimit": {
        name: (lambda key: lambda r, info: r[key])(name)
        for name in ("cost", "limit", "nodeCount", "remaining", "resetAt", "used")
    },
    "Organization": ORGANIZATION_FIELDS,
    "User": USER_FIELDS,
    "Bot": BOT_FIELDS,
    "Team": TEAM_FIELDS,
    "Repository": REPOSITORY_FIELDS,
    "Language": LANGUAGE_FIELDS,
    "Ref": REF_FIELDS,
    "Commit": COMMIT_FIELDS,
    "GitActor": GIT_ACTOR_FIELDS,
    "PullRequest": PULL_REQUEST_FIELDS,
    "Issue": ISSUE_FIELDS,
    "IssueComment": ISSUE_COMMENT_FIELDS,
    "PullRequestReview": REVIEW_FIELDS,
    "PullRequestReviewComment": REVIEW_COMMENT_FIELDS,
    "PullRequestCommit": PULL_REQUEST_COMMIT_FIELDS,
    "ReviewRequest": REVIEW_REQUEST_FIELDS,
    "Label": LABEL_FIELDS,
    "Milestone": MILESTONE_FIELDS,
    "Deployment": DEPLOYMENT_FIELDS,
    "DeploymentStatus": DEPLOYMENT_STATUS_FIELDS,
    "Release": RELEASE_FIELDS,
    "PageInfo": PAGE_INFO_FIELDS,
    "TeamMemberEdge": {
        **EDGE_FIELDS,
        "role": lambda e, info: (
            "MAINTAINER" if e.node.id in e.conn.owner.maintainer_ids else "MEMBER"
        ),
    },
    "OrganizationMemberEdge": {**EDGE_FIELDS, "role": const("MEMBER")},
    **_event_types(),
}


def resolve_type(value: Any, info: GraphQLResolveInfo, abstract: Any) -> str:
    """The concrete GraphQL type of a value in an interface or union position."""
    if isinstance(value, Bound):
        return value.kind
    if isinstance(value, User):
        return {"Bot": "Bot", "Organization": "Organization"}.get(value.type, "User")
    if isinstance(value, Team):
        return "Team"
    if isinstance(value, Organization):
        return "Organization"
    raise TypeError(f"cannot resolve the GraphQL type of {type(value).__name__}")
