"""GitHub REST over the emulator's Store: routing, query parameters, filters, sorting, pagination.

`RestAPI(store).handle(method, path, query, api_base)` returns a `RestResult`. Routes follow
GitHub's paths and parameter names (`state`, `sort`, `direction`, `since`, `per_page`, `page`…);
lists paginate with GitHub's `Link` header (absolute URLs on `api_base`, other query parameters
kept). JSON shapes come from rest_serializers.py. Rate-limit headers, ETags and faults are the
server's business, as is the body of GET /rate_limit (see `rest_serializers.rate_limit_body`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urlencode

from .model import (
    GHOST_USER_ID,
    Commit,
    Issue,
    IssueComment,
    PullRequest,
    Repository,
    Store,
    TimelineEvent,
)
from .rest_serializers import Renderer, milestone_counts

DOCS = "https://docs.github.com/rest"
DEFAULT_PER_PAGE, MAX_PER_PAGE = 30, 100
PULL_COMMITS_CAP = 250  # GitHub lists at most 250 commits of a pull request
CONCLUSIONS = {
    "success",
    "failure",
    "neutral",
    "cancelled",
    "skipped",
    "timed_out",
    "action_required",
    "stale",
}


@dataclass
class RestResult:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    endpoint: str = ""


class _Error(Exception):
    def __init__(self, status: int, body: dict) -> None:
        super().__init__(body.get("message"))
        self.status, self.body = status, body


@dataclass
class _Ctx:
    api_base: str
    path: str
    query: dict[str, list[str]]
    docs: str
    render: Renderer

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def not_found(self, message: str = "Not Found") -> _Error:
        return _Error(404, {"message": message, "documentation_url": self.docs})

    def invalid(self, resource: str, field_name: str, value: str | None = None) -> _Error:
        error = {"resource": resource, "field": field_name, "code": "invalid"}
        if value is not None:
            error["value"] = value
        body = {"message": "Validation Failed", "errors": [error], "documentation_url": self.docs}
        return _Error(422, body)

    def choice(self, name: str, allowed: Iterable[str], default: str | None, resource: str):
        value = self.arg(name, default)
        if value is not None and value not in allowed:
            raise self.invalid(resource, name, value)
        return value

    def time(self, name: str, resource: str) -> int | None:
        value = self.arg(name)
        if value is None:
            return None
        ts = _parse_time(value)
        if ts is None:
            raise self.invalid(resource, name, value)
        return ts

    def direction(self, default: str, resource: str) -> bool:
        """True when the order is descending."""
        return self.choice("direction", ("asc", "desc"), default, resource) == "desc"


# --------------------------------------------------------------------------- helpers


def _parse_time(value: str, upper: bool = False) -> int | None:
    """ISO-8601 date or date-time (UTC unless an offset is given); date-only upper bounds
    extend to the end of that day."""
    text = value.strip().replace("Z", "+00:00").replace(" ", "+")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    ts = int(parsed.timestamp())
    return ts + 86399 if upper and len(value.strip()) == 10 else ts


def _date_range(expr: str) -> tuple[int | None, int | None] | None:
    """GitHub's search date syntax: `a..b`, `>=a`, `>a`, `<=a`, `<a`, `a`; None when invalid."""
    expr = expr.strip()
    if ".." in expr:
        lo_s, hi_s = expr.split("..", 1)
        lo = None if lo_s in ("", "*") else _parse_time(lo_s)
        hi = None if hi_s in ("", "*") else _parse_time(hi_s, upper=True)
        if (lo is None and lo_s not in ("", "*")) or (hi is None and hi_s not in ("", "*")):
            return None
        return lo, hi
    for op in (">=", "<=", ">", "<"):
        if expr.startswith(op):
            bound = _parse_time(expr[len(op) :], upper=op in ("<=", ">"))
            if bound is None:
                return None
            return {
                ">=": (bound, None),
                ">": (bound + 1, None),
                "<=": (None, bound),
                "<": (None, bound - 1),
            }[op]
    lo, hi = _parse_time(expr), _parse_time(expr, upper=True)
    return None if lo is None else (lo, hi)


def _ts(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _login_of(store: Store, user_id: int | None) -> str | None:
    user = store.user(user_id)
    return user.login.lower() if user else None


# --------------------------------------------------------------------------- the API


class RestAPI:
    """REST request handler over one Store (callers hold `store.lock`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._contributors: dict = {}
        self._cache: dict[tuple, list] = {}
        self._routes = [(_compile(t), t, name, docs) for t, name, docs in _ROUTES]

    def endpoint(self, method: str, path: str) -> str:
        """The route template a request matches (`GET /repos/{owner}/{repo}/pulls`), for stats."""
        path = "/" + path.strip("/") if path.strip("/") else "/"
        method = "GET" if method.upper() == "HEAD" else method.upper()
        for regex, template, _name, _docs in self._routes:
            if regex.fullmatch(path):
                return f"{method} {template}"
        return "unknown"

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], api_base: str
    ) -> RestResult:
        method = "GET" if method.upper() == "HEAD" else method.upper()
        path = "/" + path.strip("/") if path.strip("/") else "/"
        for regex, template, name, docs in self._routes:
            match = regex.fullmatch(path)
            if match is None:
                continue
            endpoint = f"{method} {template}"
            ctx = _Ctx(
                api_base=api_base.rstrip("/"),
                path=path,
                query=query,
                docs=f"{DOCS}/{docs}",
                render=Renderer(self.store, api_base, self._contributors),
            )
            if method != "GET":
                body = {"message": "Not Found", "documentation_url": DOCS}
                return RestResult(404, body, {}, endpoint)
            params = {k: unquote(v) for k, v in match.groupdict().items()}
            try:
                result = getattr(self, name)(ctx, **params)
            except _Error as error:
                return RestResult(error.status, error.body, {}, endpoint)
            result.endpoint = endpoint
            return result
        return RestResult(404, {"message": "Not Found", "documentation_url": DOCS}, {}, "unknown")

    # ------------------------------------------------------------------ plumbing
    def _page(
        self,
        ctx: _Ctx,
        items: Sequence,
        render: Callable[[Any], Any],
        wrap: str | None = None,
    ) -> RestResult:
        """One page of `items` with GitHub's Link header; `wrap` puts it under {total_count, key}."""
        try:
            per_page = int(ctx.arg("per_page") or DEFAULT_PER_PAGE)
        except ValueError:
            per_page = DEFAULT_PER_PAGE
        per_page = min(per_page, MAX_PER_PAGE) if per_page > 0 else DEFAULT_PER_PAGE
        try:
            page = max(int(ctx.arg("page") or 1), 1)
        except ValueError:
            page = 1
        last = max(math.ceil(len(items) / per_page), 1)
        chunk = [render(item) for item in items[(page - 1) * per_page : page * per_page]]
        body: Any = {"total_count": len(items), wrap: chunk} if wrap else chunk
        links = []
        if page > 1:
            links.append((min(page - 1, last), "prev"))
        if page < last:
            links += [(page + 1, "next"), (last, "last")]
        if page > 1:
            links.append((1, "first"))
        headers = {}
        if links:
            headers["Link"] = ", ".join(f'<{_link(ctx, n)}>; rel="{rel}"' for n, rel in links)
        return RestResult(200, body, headers)

    def _repo(self, ctx: _Ctx, owner: str, repo: str) -> Repository:
        found = self.store.repo(owner, repo)
        if found is None:
            raise ctx.not_found()
        return found

    def _org(self, ctx: _Ctx, org: str) -> None:
        if org.lower() != self.store.org.login.lower():
            raise ctx.not_found()

    def _item(self, ctx: _Ctx, repo: Repository, number: str) -> Issue | PullRequest:
        n = int(number)
        item = repo.pulls.get(n) or repo.issues.get(n)
        if item is None:
            raise ctx.not_found()
        return item

    def _pull(self, ctx: _Ctx, repo: Repository, number: str) -> PullRequest:
        pr = repo.pulls.get(int(number))
        if pr is None:
            raise ctx.not_found()
        return pr

    def _cached(self, kind: str, repo: Repository, build: Callable[[], list]) -> list:
        key = (kind, repo.id, self.store.version)
        if key not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = build()
        return self._cache[key]

    # ------------------------------------------------------------------ org, users, teams
    def get_org(self, ctx: _Ctx, org: str) -> RestResult:
        self._org(ctx, org)
        return RestResult(200, ctx.render.organization())

    def org_repos(self, ctx: _Ctx, org: str) -> RestResult:
        self._org(ctx, org)
        return self._repo_list(ctx)

    def _repo_list(self, ctx: _Ctx) -> RestResult:
        kind = ctx.choice(
            "type",
            ("all", "public", "private", "forks", "sources", "member", "owner"),
            "all",
            "Repository",
        )
        sort = ctx.choice(
            "sort", ("created", "updated", "pushed", "full_name"), "created", "Repository"
        )
        desc = ctx.direction("asc" if sort == "full_name" else "desc", "Repository")
        repos = [
            r
            for r in self.store.repos.values()
            if kind in ("all", "member", "owner")
            or (kind == "public" and not r.private)
            or (kind == "private" and r.private)
            or (kind == "forks" and r.fork)
            or (kind == "sources" and not r.fork)
        ]
        key: Callable[[Repository], Any] = {
            "created": lambda r: (_ts(r.created_at), r.id),
            "updated": lambda r: (_ts(r.updated_at), r.id),
            "pushed": lambda r: (_ts(r.pushed_at), r.id),
            "full_name": lambda r: r.full_name.lower(),
        }[sort]
        repos.sort(key=key, reverse=desc)
        return self._page(ctx, repos, ctx.render.repository)

    def org_members(self, ctx: _Ctx, org: str) -> RestResult:
        self._org(ctx, org)
        members = [self.store.users[i] for i in self.store.org.member_ids if i in self.store.users]
        return self._page(ctx, [m.id for m in members], ctx.render.user)

    def org_teams(self, ctx: _Ctx, org: str) -> RestResult:
        self._org(ctx, org)
        teams = sorted(self.store.teams.values(), key=lambda t: t.name.lower())
        return self._page(ctx, teams, ctx.render.team)

    def _team(self, ctx: _Ctx, org: str, team_slug: str):
        self._org(ctx, org)
        team = self.store.team_by_slug(team_slug)
        if team is None:
            raise ctx.not_found()
        return team

    def get_team(self, ctx: _Ctx, org: str, team_slug: str) -> RestResult:
        return RestResult(200, ctx.render.team_full(self._team(ctx, org, team_slug)))

    def team_members(self, ctx: _Ctx, org: str, team_slug: str) -> RestResult:
        team = self._team(ctx, org, team_slug)
        role = ctx.choice("role", ("all", "member", "maintainer"), "all", "Team")
        ids = [
            i
            for i in team.member_ids
            if role == "all" or (i in team.maintainer_ids) == (role == "maintainer")
        ]
        return self._page(ctx, ids, ctx.render.user)

    def get_user(self, ctx: _Ctx, username: str) -> RestResult:
        if username.lower() == self.store.org.login.lower():
            return RestResult(200, ctx.render.org_as_user())
        user = self.store.user_by_login(username)
        if user is None:
            raise ctx.not_found()
        return RestResult(200, ctx.render.public_user(user))

    def user_repos(self, ctx: _Ctx, username: str) -> RestResult:
        if username.lower() == self.store.org.login.lower():
            return self._repo_list(ctx)
        if self.store.user_by_login(username) is None:
            raise ctx.not_found()
        return self._page(ctx, [], ctx.render.repository)

    def authenticated_user(self, ctx: _Ctx) -> RestResult:
        for user_id in self.store.org.member_ids:
            user = self.store.user(user_id)
            if user is not None and user.type == "User" and user.id != GHOST_USER_ID:
                return RestResult(200, ctx.render.private_user(user))
        body = {"message": "Requires authentication", "documentation_url": ctx.docs}
        raise _Error(401, body)

    def rate_limit(self, ctx: _Ctx) -> RestResult:
        return RestResult(200, None)  # the server fills in rest_serializers.rate_limit_body(...)

    # ------------------------------------------------------------------ repositories
    def get_repo(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        return RestResult(200, ctx.render.full_repository(self._repo(ctx, owner, repo)))

    def branches(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        heads = {p.head_ref: p.head_sha for p in r.pulls.values() if p.state == "open"}
        if r.head_sha:
            heads[r.default_branch] = r.head_sha
        names = sorted(heads)
        return self._page(ctx, names, lambda n: ctx.render.branch(r, n, heads[n]))

    def labels(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        return self._page(ctx, list(r.labels), lambda name: ctx.render.label(r, name))

    def milestones(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        state = ctx.choice("state", ("open", "closed", "all"), "open", "Milestone")
        sort = ctx.choice("sort", ("due_on", "completeness"), "due_on", "Milestone")
        desc = ctx.direction("asc", "Milestone")
        counts = milestone_counts(r)

        def completeness(number: int) -> float:
            open_n, closed_n = counts.get(number, (0, 0))
            return closed_n / (open_n + closed_n) if open_n + closed_n else 0.0

        items = [m for m in r.milestones.values() if state in ("all", m.state)]
        if sort == "due_on":
            items.sort(key=lambda m: (m.due_on is None, _ts(m.due_on), m.number), reverse=desc)
        else:
            items.sort(key=lambda m: (completeness(m.number), m.number), reverse=desc)
        return self._page(ctx, items, lambda m: ctx.render.milestone(r, m, counts))

    def releases(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        items = sorted(r.releases, key=lambda x: (_ts(x.created_at), x.id), reverse=True)
        return self._page(ctx, items, lambda x: ctx.render.release(r, x))

    # ------------------------------------------------------------------ commits
    def _resolve(self, repo: Repository, ref: str) -> Commit | None:
        if ref in repo.commits:
            return repo.commits[ref]
        if ref == repo.default_branch and repo.head_sha:
            return repo.commits[repo.head_sha]
        branch = self._branch_pull(repo, ref)
        if branch is not None and branch.head_sha in repo.commits:
            return repo.commits[branch.head_sha]
        if len(ref) >= 7 and re.fullmatch(r"[0-9a-f]+", ref):
            return next((c for sha, c in repo.commits.items() if sha.startswith(ref)), None)
        return None

    @staticmethod
    def _branch_pull(repo: Repository, ref: str) -> PullRequest | None:
        pulls = [p for p in repo.pulls.values() if p.head_ref == ref]
        return max(pulls, key=lambda p: (p.state == "open", p.number), default=None)

    def _history(self, repo: Repository, ref: str | None) -> list[Commit] | None:
        """Commits reachable from `ref` (branch or sha), newest first."""
        default = repo.default_branch_shas
        if ref is None or ref == repo.default_branch:
            return repo.default_branch_commits()
        pr = self._branch_pull(repo, ref)
        start = None
        if pr is None:
            commit = self._resolve(repo, ref)
            if commit is None:
                return None
            start = commit.sha
            if start in repo.commits and start in set(default):
                idx = default.index(start)
                return [repo.commits[s] for s in reversed(default[: idx + 1])]
            pr = next((p for p in repo.pulls.values() if start in p.commit_shas), None)
            if pr is None:
                return [commit]
        shas = pr.commit_shas
        if start is not None:
            shas = shas[: shas.index(start) + 1]
        if pr.base_sha in repo.commits and pr.base_sha in set(default):
            base = default[: default.index(pr.base_sha) + 1]
        else:
            base = [s for s in default if _ts(repo.commits[s].committed_at) <= _ts(pr.created_at)]
        return [repo.commits[s] for s in reversed([*base, *shas]) if s in repo.commits]

    def commits(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        since, until = ctx.time("since", "Commit"), ctx.time("until", "Commit")
        history = self._history(r, ctx.arg("sha"))
        if history is None:
            raise ctx.not_found()
        author = (ctx.arg("author") or "").lower()
        committer = (ctx.arg("committer") or "").lower()
        items = [
            c
            for c in history
            if (since is None or _ts(c.committed_at) >= since)
            and (until is None or _ts(c.committed_at) <= until)
            and (
                not author
                or c.author_email.lower() == author
                or _login_of(self.store, c.author_id) == author
            )
            and (
                not committer
                or c.committer_email.lower() == committer
                or _login_of(self.store, c.committer_id) == committer
            )
        ]
        return self._page(ctx, items, lambda c: ctx.render.commit(r, c))

    def commit(self, ctx: _Ctx, owner: str, repo: str, ref: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        commit = self._resolve(r, ref)
        if commit is None:
            body = {"message": f"No commit found for SHA: {ref}", "documentation_url": ctx.docs}
            raise _Error(422, body)
        return RestResult(200, ctx.render.commit_full(r, commit))

    # ------------------------------------------------------------------ pulls
    def pulls(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        state = ctx.choice("state", ("open", "closed", "all"), "open", "PullRequest")
        sort = ctx.choice(
            "sort", ("created", "updated", "popularity", "long-running"), "created", "PullRequest"
        )
        desc = ctx.direction("desc" if sort == "created" else "asc", "PullRequest")
        head, base = ctx.arg("head"), ctx.arg("base")
        head_ref = head.split(":", 1)[-1] if head else None
        items = [
            p
            for p in r.pulls.values()
            if state in ("all", p.state)
            and (head_ref is None or p.head_ref == head_ref)
            and (base is None or p.base_ref == base)
        ]
        key: Callable[[PullRequest], Any] = {
            "created": lambda p: (_ts(p.created_at), p.number),
            "updated": lambda p: (_ts(p.updated_at), p.number),
            "popularity": lambda p: (len(p.comments) + len(p.review_comments), p.number),
            "long-running": lambda p: (-_ts(p.created_at), p.number),
        }[sort]
        items.sort(key=key, reverse=desc)
        return self._page(ctx, items, lambda p: ctx.render.pull_simple(r, p))

    def pull(self, ctx: _Ctx, owner: str, repo: str, pull_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        return RestResult(200, ctx.render.pull_full(r, self._pull(ctx, r, pull_number)))

    def pull_reviews(self, ctx: _Ctx, owner: str, repo: str, pull_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        pr = self._pull(ctx, r, pull_number)
        return self._page(ctx, pr.reviews, lambda v: ctx.render.review(r, pr, v))

    def pull_review(
        self, ctx: _Ctx, owner: str, repo: str, pull_number: str, review_id: str
    ) -> RestResult:
        r = self._repo(ctx, owner, repo)
        pr = self._pull(ctx, r, pull_number)
        review = next((v for v in pr.reviews if v.id == int(review_id)), None)
        if review is None:
            raise ctx.not_found()
        return RestResult(200, ctx.render.review(r, pr, review))

    def pull_commits(self, ctx: _Ctx, owner: str, repo: str, pull_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        pr = self._pull(ctx, r, pull_number)
        items = [r.commits[s] for s in pr.commit_shas[:PULL_COMMITS_CAP] if s in r.commits]
        return self._page(ctx, items, lambda c: ctx.render.commit(r, c))

    def pull_files(self, ctx: _Ctx, owner: str, repo: str, pull_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        pr = self._pull(ctx, r, pull_number)
        return self._page(ctx, ctx.render.pull_files(r, pr), lambda f: f)

    def pull_comments(self, ctx: _Ctx, owner: str, repo: str, pull_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        pr = self._pull(ctx, r, pull_number)
        items = self._sorted_comments(ctx, [(pr, c) for c in pr.review_comments], "PullRequest")
        return self._page(ctx, items, lambda pc: ctx.render.review_comment(r, *pc))

    def repo_pull_comments(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        every = self._cached(
            "review_comments",
            r,
            lambda: [(p, c) for p in r.pulls.values() for c in p.review_comments],
        )
        items = self._sorted_comments(ctx, every, "PullRequestReviewComment")
        return self._page(ctx, items, lambda pc: ctx.render.review_comment(r, *pc))

    def _sorted_comments(self, ctx: _Ctx, pairs: list[tuple], resource: str) -> list[tuple]:
        """Filter (parent, comment) pairs by `since` (updated at or after) and sort them."""
        sort = ctx.choice("sort", ("created", "updated"), None, resource)
        desc = ctx.direction("asc", resource) if sort else False
        since = ctx.time("since", resource)
        items = [pc for pc in pairs if since is None or _ts(pc[1].updated_at) >= since]
        if sort == "updated":
            items.sort(key=lambda pc: (_ts(pc[1].updated_at), pc[1].id), reverse=desc)
        else:
            items.sort(key=lambda pc: (_ts(pc[1].created_at), pc[1].id), reverse=desc)
        return items

    # ------------------------------------------------------------------ issues
    def issues(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        state = ctx.choice("state", ("open", "closed", "all"), "open", "Issue")
        sort = ctx.choice("sort", ("created", "updated", "comments"), "created", "Issue")
        desc = ctx.direction("desc", "Issue")
        since = ctx.time("since", "Issue")
        labels = {s.strip() for s in (ctx.arg("labels") or "").split(",") if s.strip()}
        milestone, assignee = ctx.arg("milestone"), ctx.arg("assignee")
        creator = ctx.arg("creator")
        if milestone not in (None, "*", "none") and not milestone.isdigit():
            raise ctx.invalid("Issue", "milestone", milestone)
        users = {name: self.store.user_by_login(name) for name in (assignee, creator) if name}

        def keep(item: Issue | PullRequest) -> bool:
            if state not in ("all", item.state):
                return False
            if since is not None and _ts(item.updated_at) < since:
                return False
            if labels and not labels <= set(item.labels):
                return False
            if milestone == "*" and item.milestone_number is None:
                return False
            if milestone == "none" and item.milestone_number is not None:
                return False
            if milestone and milestone.isdigit() and item.milestone_number != int(milestone):
                return False
            if assignee == "none" and item.assignee_ids:
                return False
            if assignee == "*" and not item.assignee_ids:
                return False
            if assignee and assignee not in ("*", "none"):
                user = users[assignee]
                if user is None or user.id not in item.assignee_ids:
                    return False
            if creator:
                user = users[creator]
                if user is None or item.author_id != user.id:
                    return False
            return True

        items = [i for i in [*r.issues.values(), *r.pulls.values()] if keep(i)]
        key: Callable[[Any], Any] = {
            "created": lambda i: (_ts(i.created_at), i.number),
            "updated": lambda i: (_ts(i.updated_at), i.number),
            "comments": lambda i: (len(i.comments), i.number),
        }[sort]
        items.sort(key=key, reverse=desc)
        return self._page(ctx, items, lambda i: ctx.render.issue(r, i))

    def issue(self, ctx: _Ctx, owner: str, repo: str, issue_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        return RestResult(200, ctx.render.issue(r, self._item(ctx, r, issue_number)))

    def issue_comments(self, ctx: _Ctx, owner: str, repo: str, issue_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        item = self._item(ctx, r, issue_number)
        since = ctx.time("since", "IssueComment")
        items = [c for c in item.comments if since is None or _ts(c.updated_at) >= since]
        items.sort(key=lambda c: (_ts(c.created_at), c.id))
        is_pr = isinstance(item, PullRequest)
        return self._page(ctx, items, lambda c: ctx.render.issue_comment(r, item.number, c, is_pr))

    def repo_issue_comments(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        every: list[tuple[Issue | PullRequest, IssueComment]] = self._cached(
            "issue_comments",
            r,
            lambda: [(i, c) for i in [*r.issues.values(), *r.pulls.values()] for c in i.comments],
        )
        items = self._sorted_comments(ctx, every, "IssueComment")
        return self._page(
            ctx,
            items,
            lambda ic: ctx.render.issue_comment(
                r, ic[0].number, ic[1], isinstance(ic[0], PullRequest)
            ),
        )

    def issue_events(self, ctx: _Ctx, owner: str, repo: str, issue_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        item = self._item(ctx, r, issue_number)
        events = sorted(item.timeline, key=lambda e: (_ts(e.created_at), e.id))
        return self._page(ctx, events, lambda e: ctx.render.event(r, e))

    def repo_issue_events(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)

        def build() -> list[tuple[Issue | PullRequest, TimelineEvent]]:
            pairs = [(i, e) for i in [*r.issues.values(), *r.pulls.values()] for e in i.timeline]
            return sorted(pairs, key=lambda ie: (_ts(ie[1].created_at), ie[1].id), reverse=True)

        items = self._cached("issue_events", r, build)
        return self._page(ctx, items, lambda ie: ctx.render.event(r, ie[1], ie[0]))

    def issue_timeline(self, ctx: _Ctx, owner: str, repo: str, issue_number: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        item = self._item(ctx, r, issue_number)
        is_pr = isinstance(item, PullRequest)
        entries: list[tuple[int, int, Callable[[], dict]]] = []
        for e in item.timeline:
            entries.append(
                (_ts(e.created_at), 1, lambda e=e: ctx.render.event(r, e, timeline=True))
            )
        for c in item.comments:
            entries.append(
                (
                    _ts(c.created_at),
                    2,
                    lambda c=c: (
                        ctx.render.issue_comment(r, item.number, c, is_pr)
                        | {"event": "commented", "actor": ctx.render.actor(c.user_id)}
                    ),
                )
            )
        if isinstance(item, PullRequest):
            for sha in item.commit_shas:
                commit = r.commits.get(sha)
                if commit is not None:
                    entries.append(
                        (
                            _ts(commit.authored_at),
                            0,
                            lambda c=commit: ctx.render.timeline_commit(r, c),
                        )
                    )
            for v in item.reviews:
                if v.state != "PENDING":
                    entries.append(
                        (
                            _ts(v.submitted_at),
                            3,
                            lambda v=v: ctx.render.review(r, item, v) | {"event": "reviewed"},
                        )
                    )
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        return self._page(ctx, entries, lambda entry: entry[2]())

    # ------------------------------------------------------------------ delivery
    def deployments(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        wanted = {k: ctx.arg(k) for k in ("sha", "ref", "task", "environment")}
        items = [
            d
            for d in reversed(r.deployments)
            if all(v is None or getattr(d, k) == v for k, v in wanted.items())
        ]
        return self._page(ctx, items, lambda d: ctx.render.deployment(r, d))

    def _deployment(self, ctx: _Ctx, repo: Repository, deployment_id: str):
        found = next((d for d in repo.deployments if d.id == int(deployment_id)), None)
        if found is None:
            raise ctx.not_found()
        return found

    def deployment(self, ctx: _Ctx, owner: str, repo: str, deployment_id: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        return RestResult(200, ctx.render.deployment(r, self._deployment(ctx, r, deployment_id)))

    def deployment_statuses(
        self, ctx: _Ctx, owner: str, repo: str, deployment_id: str
    ) -> RestResult:
        r = self._repo(ctx, owner, repo)
        d = self._deployment(ctx, r, deployment_id)
        items = list(reversed(d.statuses))
        return self._page(ctx, items, lambda s: ctx.render.deployment_status(r, d, s))

    def workflows(self, ctx: _Ctx, owner: str, repo: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        return self._page(ctx, r.workflows, lambda w: ctx.render.workflow(r, w), wrap="workflows")

    def runs(self, ctx: _Ctx, owner: str, repo: str, workflow_id: str | None = None) -> RestResult:
        r = self._repo(ctx, owner, repo)
        workflow = None
        if workflow_id is not None:
            workflow = next(
                (
                    w
                    for w in r.workflows
                    if str(w.id) == workflow_id or w.path.rsplit("/", 1)[-1] == workflow_id
                ),
                None,
            )
            if workflow is None:
                raise ctx.not_found()
        created = None
        if ctx.arg("created"):
            created = _date_range(ctx.arg("created") or "")
            if created is None:
                raise ctx.invalid("WorkflowRun", "created", ctx.arg("created"))
        status = ctx.arg("status")
        actor = (ctx.arg("actor") or "").lower()
        branch, event, head_sha = ctx.arg("branch"), ctx.arg("event"), ctx.arg("head_sha")

        def keep(run) -> bool:
            if workflow is not None and run.workflow_id != workflow.id:
                return False
            if branch is not None and run.head_branch != branch:
                return False
            if event is not None and run.event != event:
                return False
            if head_sha is not None and run.head_sha != head_sha:
                return False
            if status is not None and (
                run.conclusion != status if status in CONCLUSIONS else run.status != status
            ):
                return False
            if actor and _login_of(self.store, run.actor_id) != actor:
                return False
            if created is not None:
                lo, hi = created
                ts = _ts(run.created_at)
                if (lo is not None and ts < lo) or (hi is not None and ts > hi):
                    return False
            return True

        items = [run for run in reversed(r.workflow_runs) if keep(run)]
        exclude_prs = (ctx.arg("exclude_pull_requests") or "").lower() == "true"

        def render(run) -> dict:
            body = ctx.render.workflow_run(r, run)
            return body | {"pull_requests": []} if exclude_prs else body

        return self._page(ctx, items, render, wrap="workflow_runs")

    def run(self, ctx: _Ctx, owner: str, repo: str, run_id: str) -> RestResult:
        r = self._repo(ctx, owner, repo)
        found = next((x for x in r.workflow_runs if x.id == int(run_id)), None)
        if found is None:
            raise ctx.not_found()
        return RestResult(200, ctx.render.workflow_run(r, found))


# --------------------------------------------------------------------------- routing

_NUMERIC = {"pull_number", "issue_number", "review_id", "deployment_id", "run_id"}
_REPO = "/repos/{owner}/{repo}"
_ROUTES: list[tuple[str, str, str]] = [
    # (path template, RestAPI method, docs page)
    ("/rate_limit", "rate_limit", "rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user"),
    ("/user", "authenticated_user", "users/users#get-the-authenticated-user"),
    ("/users/{username}", "get_user", "users/users#get-a-user"),
    ("/users/{username}/repos", "user_repos", "repos/repos#list-repositories-for-a-user"),
    ("/orgs/{org}", "get_org", "orgs/orgs#get-an-organization"),
    ("/orgs/{org}/repos", "org_repos", "repos/repos#list-organization-repositories"),
    ("/orgs/{org}/members", "org_members", "orgs/members#list-organization-members"),
    ("/orgs/{org}/teams", "org_teams", "teams/teams#list-teams"),
    ("/orgs/{org}/teams/{team_slug}", "get_team", "teams/teams#get-a-team-by-name"),
    ("/orgs/{org}/teams/{team_slug}/members", "team_members", "teams/members#list-team-members"),
    (_REPO, "get_repo", "repos/repos#get-a-repository"),
    (f"{_REPO}/branches", "branches", "branches/branches#list-branches"),
    (f"{_REPO}/labels", "labels", "issues/labels#list-labels-for-a-repository"),
    (f"{_REPO}/milestones", "milestones", "issues/milestones#list-milestones"),
    (f"{_REPO}/releases", "releases", "releases/releases#list-releases"),
    (f"{_REPO}/commits", "commits", "commits/commits#list-commits"),
    (f"{_REPO}/commits/{{ref}}", "commit", "commits/commits#get-a-commit"),
    (f"{_REPO}/pulls", "pulls", "pulls/pulls#list-pull-requests"),
    (f"{_REPO}/pulls/comments", "repo_pull_comments", "pulls/comments#list-review-comments-in-a-repository"),
    (f"{_REPO}/pulls/{{pull_number}}", "pull", "pulls/pulls#get-a-pull-request"),
    (f"{_REPO}/pulls/{{pull_number}}/reviews", "pull_reviews", "pulls/reviews#list-reviews-for-a-pull-request"),
    (f"{_REPO}/pulls/{{pull_number}}/reviews/{{review_id}}", "pull_review", "pulls/reviews#get-a-review-for-a-pull-request"),
    (f"{_REPO}/pulls/{{pull_number}}/commits", "pull_commits", "pulls/pulls#list-commits-on-a-pull-request"),
    (f"{_REPO}/pulls/{{pull_number}}/files", "pull_files", "pulls/pulls#list-pull-requests-files"),
    (f"{_REPO}/pulls/{{pull_number}}/comments", "pull_comments", "pulls/comments#list-review-comments-on-a-pull-request"),
    (f"{_REPO}/issues", "issues", "issues/issues#list-repository-issues"),
    (f"{_REPO}/issues/comments", "repo_issue_comments", "issues/comments#list-issue-comments-for-a-repository"),
    (f"{_REPO}/issues/events", "repo_issue_events", "issues/events#list-issue-events-for-a-repository"),
    (f"{_REPO}/issues/{{issue_number}}", "issue", "issues/issues#get-an-issue"),
    (f"{_REPO}/issues/{{issue_number}}/comments", "issue_comments", "issues/comments#list-issue-comments"),
    (f"{_REPO}/issues/{{issue_number}}/events", "issue_events", "issues/events#list-issue-events"),
    (f"{_REPO}/issues/{{issue_number}}/timeline", "issue_timeline", "issues/timeline#list-timeline-events-for-an-issue"),
    (f"{_REPO}/deployments", "deployments", "deployments/deployments#list-deployments"),
    (f"{_REPO}/deployments/{{deployment_id}}", "deployment", "deployments/deployments#get-a-deployment"),
    (f"{_REPO}/deployments/{{deployment_id}}/statuses", "deployment_statuses", "deployments/statuses#list-deployment-statuses"),
    (f"{_REPO}/actions/workflows", "workflows", "actions/workflows#list-repository-workflows"),
    (f"{_REPO}/actions/workflows/{{workflow_id}}/runs", "runs", "actions/workflow-runs#list-workflow-runs-for-a-workflow"),
    (f"{_REPO}/actions/runs", "runs", "actions/workflow-runs#list-workflow-runs-for-a-repository"),
    (f"{_REPO}/actions/runs/{{run_id}}", "run", "actions/workflow-runs#get-a-workflow-run"),
]  # fmt: skip


def _compile(template: str) -> re.Pattern[str]:
    def group(match: re.Match[str]) -> str:
        name = match.group(1)
        pattern = r"\d+" if name in _NUMERIC else (r".+" if name == "ref" else r"[^/]+")
        return f"(?P<{name}>{pattern})"

    return re.compile(
        re.sub(r"\{(\w+)\}", group, re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
    )


def _link(ctx: _Ctx, page: int) -> str:
    params = [(k, v) for k, values in ctx.query.items() if k != "page" for v in values]
    params.append(("page", str(page)))
    return f"{ctx.api_base}{quote(ctx.path, safe='/%')}?{urlencode(params, quote_via=quote, safe=',*')}"
