"""The emulator's in-memory organisation: one normalised record type per GitHub entity.

Synthetic data (generator.py), recorded data (recorded.py) and mutations (mutations.py) all
write these records; the GraphQL (graphql_api.py) and REST (rest_api.py) layers only read them
and render GitHub's shapes. Timestamps are integer epoch seconds (UTC) so a scale-100
organisation fits comfortably in memory; recorded data that cannot be parsed keeps its raw
string so a malformed record reaches the client as it was recorded.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Timestamp = int | str | None  # epoch seconds; str only for malformed recorded values

GHOST_USER_ID = 10137  # GitHub's shared account for deleted users
GHOST_LOGIN = "ghost"


def iso(ts: Timestamp) -> str | None:
    """Render a timestamp the way GitHub does: `2024-05-01T12:00:00Z`."""
    if ts is None or isinstance(ts, str):
        return ts
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ts(value: Any) -> Timestamp:
    """Parse GitHub's ISO-8601 timestamps to epoch seconds; keep anything unparseable as is."""
    if value is None or isinstance(value, int):
        return value
    try:
        return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())
    except ValueError:
        return str(value)


def node_id(prefix: str, *parts: object) -> str:
    """A GitHub-style global node id (`PR_kwDO…`): type prefix + opaque base64 payload."""
    raw = ":".join(str(p) for p in parts).encode()
    return f"{prefix}_kwDO{base64.urlsafe_b64encode(raw).decode().rstrip('=')}"


def fake_sha(*parts: object) -> str:
    return hashlib.sha1(":".join(str(p) for p in parts).encode()).hexdigest()


# --------------------------------------------------------------------------- actors


@dataclass(slots=True)
class User:
    """A GitHub account: `type` is "User", "Bot" or "Organization" as in REST."""

    id: int
    login: str  # bots keep REST's `name[bot]` form; GraphQL renders it without the suffix
    type: str = "User"
    name: str | None = None
    email: str | None = None
    company: str | None = None
    location: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    utc_offset_hours: int = 0  # synthetic realism only (working hours); not served
    site_admin: bool = False

    @property
    def node_id(self) -> str:
        return node_id({"Bot": "BOT", "Organization": "O"}.get(self.type, "U"), self.id)

    @property
    def graphql_login(self) -> str:
        return self.login.removesuffix("[bot]") if self.type == "Bot" else self.login


@dataclass(slots=True)
class Team:
    id: int
    slug: str
    name: str
    description: str = ""
    privacy: str = "closed"
    parent_id: int | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    member_ids: list[int] = field(default_factory=list)
    maintainer_ids: list[int] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return node_id("T", self.id)


@dataclass(slots=True)
class Organization:
    id: int
    login: str
    name: str
    description: str = ""
    created_at: Timestamp = None
    updated_at: Timestamp = None
    member_ids: list[int] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return node_id("O", self.id)


# --------------------------------------------------------------------------- git


@dataclass(slots=True)
class Commit:
    sha: str
    message: str
    author_name: str
    author_email: str
    authored_at: Timestamp
    committer_name: str
    committer_email: str
    committed_at: Timestamp
    author_id: int | None = None  # the GitHub user linked to the author email, if any
    committer_id: int | None = None
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0
    parents: tuple[str, ...] = ()
    on_default_branch: bool = False

    @property
    def node_id(self) -> str:
        return node_id("C", self.sha)


# --------------------------------------------------------------------------- PRs and issues


@dataclass(slots=True)
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False

    @property
    def node_id(self) -> str:
        return node_id("LA", self.id)


@dataclass(slots=True)
class Milestone:
    id: int
    number: int
    title: str
    description: str | None = None
    state: str = "open"  # open | closed
    creator_id: int | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    due_on: Timestamp = None
    closed_at: Timestamp = None

    @property
    def node_id(self) -> str:
        return node_id("MI", self.id)


@dataclass(slots=True)
class TimelineEvent:
    """One issue/PR event. `event` uses REST's names (`ready_for_review`, `review_requested`,
    `review_request_removed`, `closed`, `reopened`, `merged`, `head_ref_force_pushed`,
    `convert_to_draft`, `labeled`, `unlabeled`, `milestoned`, `assigned`)."""

    id: int
    event: str
    actor_id: int | None
    created_at: Timestamp
    requested_reviewer_id: int | None = None
    requested_team_id: int | None = None
    label: str | None = None
    milestone_title: str | None = None
    assignee_id: int | None = None
    commit_id: str | None = None  # closed/merged: the commit that closed or merged
    before_sha: str | None = None  # head_ref_force_pushed
    after_sha: str | None = None
    state_reason: str | None = None  # closed on issues: completed | not_planned | duplicate

    @property
    def node_id(self) -> str:
        return node_id("E", self.id)


@dataclass(slots=True)
class IssueComment:
    """A conversation comment on an issue or a pull request."""

    id: int
    user_id: int | None
    body: str
    created_at: Timestamp
    updated_at: Timestamp

    @property
    def node_id(self) -> str:
        return node_id("IC", self.id)


@dataclass(slots=True)
class Review:
    id: int
    user_id: int | None
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING
    body: str
    submitted_at: Timestamp  # None while PENDING
    commit_id: str | None = None

    @property
    def node_id(self) -> str:
        return node_id("PRR", self.id)


@dataclass(slots=True)
class ReviewComment:
    """A comment on a pull request's diff, usually part of a review."""

    id: int
    review_id: int | None
    user_id: int | None
    body: str
    path: str
    line: int | None
    commit_id: str | None
    created_at: Timestamp
    updated_at: Timestamp
    in_reply_to_id: int | None = None

    @property
    def node_id(self) -> str:
        return node_id("PRRC", self.id)


@dataclass(slots=True)
class Issue:
    """An issue that is not a pull request (PRs share the number sequence, see Repository)."""

    id: int
    number: int
    title: str
    body: str | None
    author_id: int | None
    created_at: Timestamp
    updated_at: Timestamp
    state: str = "open"  # open | closed
    state_reason: str | None = None  # completed | not_planned | reopened | duplicate
    closed_at: Timestamp = None
    closed_by_id: int | None = None
    labels: list[str] = field(default_factory=list)
    milestone_number: int | None = None
    assignee_ids: list[int] = field(default_factory=list)
    locked: bool = False
    comments: list[IssueComment] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return node_id("I", self.id)


@dataclass(slots=True)
class PullRequest:
    id: int
    number: int
    title: str
    body: str | None
    author_id: int | None
    created_at: Timestamp
    updated_at: Timestamp
    head_ref: str
    base_ref: str
    head_sha: str
    base_sha: str
    state: str = "open"  # open | closed
    draft: bool = False
    locked: bool = False
    closed_at: Timestamp = None
    merged_at: Timestamp = None
    merged_by_id: int | None = None
    merge_commit_sha: str | None = None
    commit_shas: list[str] = field(default_factory=list)  # the head branch's commits, oldest first
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0
    labels: list[str] = field(default_factory=list)
    milestone_number: int | None = None
    assignee_ids: list[int] = field(default_factory=list)
    requested_reviewer_ids: list[int] = field(default_factory=list)  # pending requests now
    requested_team_ids: list[int] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    review_comments: list[ReviewComment] = field(default_factory=list)
    comments: list[IssueComment] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return node_id("PR", self.id)

    @property
    def merged(self) -> bool:
        return self.merged_at is not None


# --------------------------------------------------------------------------- delivery


@dataclass(slots=True)
class DeploymentStatus:
    id: int
    state: str  # queued | in_progress | success | failure | error | inactive | pending
    creator_id: int | None
    created_at: Timestamp
    updated_at: Timestamp
    description: str = ""
    environment: str = ""
    log_url: str = ""
    environment_url: str = ""

    @property
    def node_id(self) -> str:
        return node_id("DES", self.id)


@dataclass(slots=True)
class Deployment:
    id: int
    sha: str
    ref: str
    environment: str
    creator_id: int | None
    created_at: Timestamp
    updated_at: Timestamp
    task: str = "deploy"
    description: str | None = None
    production_environment: bool = False
    transient_environment: bool = False
    statuses: list[DeploymentStatus] = field(default_factory=list)  # oldest first

    @property
    def node_id(self) -> str:
        return node_id("DE", self.id)


@dataclass(slots=True)
class Workflow:
    id: int
    name: str
    path: str
    created_at: Timestamp
    updated_at: Timestamp
    state: str = "active"

    @property
    def node_id(self) -> str:
        return node_id("W", self.id)


@dataclass(slots=True)
class WorkflowRun:
    id: int
    workflow_id: int
    name: str
    head_branch: str
    head_sha: str
    event: str  # push | pull_request | schedule | workflow_dispatch
    status: str  # completed | in_progress | queued
    conclusion: str | None  # success | failure | cancelled | skipped | timed_out | None
    run_number: int
    run_attempt: int
    created_at: Timestamp
    updated_at: Timestamp
    run_started_at: Timestamp
    actor_id: int | None
    display_title: str = ""
    pull_request_numbers: list[int] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return node_id("WFR", self.id)


@dataclass(slots=True)
class Release:
    id: int
    tag_name: str
    name: str
    target_commitish: str
    author_id: int | None
    created_at: Timestamp
    published_at: Timestamp
    body: str = ""
    draft: bool = False
    prerelease: bool = False

    @property
    def node_id(self) -> str:
        return node_id("RE", self.id)


# --------------------------------------------------------------------------- repository


@dataclass(slots=True)
class Repository:
    id: int
    name: str
    owner_login: str
    created_at: Timestamp
    updated_at: Timestamp
    pushed_at: Timestamp
    description: str | None = None
    private: bool = True
    fork: bool = False
    archived: bool = False
    language: str | None = "Python"
    topics: list[str] = field(default_factory=list)
    default_branch: str = "main"
    commits: dict[str, Commit] = field(default_factory=dict)  # every known commit by sha
    default_branch_shas: list[str] = field(default_factory=list)  # oldest first
    pulls: dict[int, PullRequest] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)  # issues that are not PRs
    next_number: int = 1  # PRs and issues share one number sequence, as on GitHub
    labels: dict[str, Label] = field(default_factory=dict)
    milestones: dict[int, Milestone] = field(default_factory=dict)
    deployments: list[Deployment] = field(default_factory=list)  # oldest first
    workflows: list[Workflow] = field(default_factory=list)
    workflow_runs: list[WorkflowRun] = field(default_factory=list)  # oldest first
    releases: list[Release] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return node_id("R", self.id)

    @property
    def full_name(self) -> str:
        return f"{self.owner_login}/{self.name}"

    def take_number(self) -> int:
        number = self.next_number
        self.next_number += 1
        return number

    def default_branch_commits(self) -> list[Commit]:
        """Default-branch history, newest first (GitHub's order for history and /commits)."""
        return [self.commits[sha] for sha in reversed(self.default_branch_shas)]

    @property
    def head_sha(self) -> str | None:
        return self.default_branch_shas[-1] if self.default_branch_shas else None


# --------------------------------------------------------------------------- the store

GROUND_TRUTH_KINDS = (
    "repositories",
    "commits",
    "pull_requests",
    "pull_request_reviews",
    "pull_request_commits",
    "pull_request_review_comments",
    "pull_request_comments",
    "pull_request_timeline",
    "issues",
    "issue_comments",
    "issue_timeline",
    "labels",
    "milestones",
    "deployments",
    "deployment_statuses",
    "workflows",
    "workflow_runs",
    "releases",
    "teams",
    "team_members",
    "users",
)


class Store:
    """The organisation served by the emulator. All access goes through `lock`."""

    def __init__(self, org: Organization) -> None:
        self.org = org
        self.users: dict[int, User] = {}
        self.users_by_login: dict[str, User] = {}
        self.teams: dict[int, Team] = {}
        self.repos: dict[str, Repository] = {}  # by name, in creation (id) order
        self.repos_by_id: dict[int, Repository] = {}
        self.lock = threading.RLock()
        self._next_id = 1_000_000
        self.version = 0  # bumped by every mutation
        self.add_user(User(id=GHOST_USER_ID, login=GHOST_LOGIN, name=None, created_at=1203098400))

    # ids --------------------------------------------------------------------------
    def new_id(self) -> int:
        """Database ids are unique across entity kinds, increasing in creation order."""
        self._next_id += 1
        return self._next_id

    # writers ----------------------------------------------------------------------
    def add_user(self, user: User) -> User:
        self.users[user.id] = user
        self.users_by_login[user.login.lower()] = user
        if user.type == "Bot":
            self.users_by_login.setdefault(user.graphql_login.lower(), user)
        return user

    def add_team(self, team: Team) -> Team:
        self.teams[team.id] = team
        return team

    def add_repo(self, repo: Repository) -> Repository:
        self.repos[repo.name] = repo
        self.repos_by_id[repo.id] = repo
        return repo

    # readers ----------------------------------------------------------------------
    def user(self, user_id: int | None) -> User | None:
        return None if user_id is None else self.users.get(user_id)

    def user_by_login(self, login: str) -> User | None:
        return self.users_by_login.get(login.lower())

    def repo(self, owner: str, name: str) -> Repository | None:
        if owner.lower() != self.org.login.lower():
            return None
        return self.repos.get(name) or next(
            (r for r in self.repos.values() if r.name.lower() == name.lower()), None
        )

    def team_by_slug(self, slug: str) -> Team | None:
        return next((t for t in self.teams.values() if t.slug == slug), None)

    def ground_truth(self, per_repository: bool = False) -> dict[str, Any]:
        """Exact entity counts, for tests and benchmarks (keys: GROUND_TRUTH_KINDS)."""
        with self.lock:
            totals: Counter[str] = Counter({k: 0 for k in GROUND_TRUTH_KINDS})
            repos: dict[str, dict[str, int]] = {}
            for repo in self.repos.values():
                counts = repo_counts(repo)
                repos[repo.full_name] = counts
                totals.update(counts)
            totals["repositories"] = len(self.repos)
            totals["teams"] = len(self.teams)
            totals["team_members"] = sum(len(t.member_ids) for t in self.teams.values())
            totals["users"] = sum(1 for u in self.users.values() if u.id != GHOST_USER_ID)
            result: dict[str, Any] = dict(totals)
            if per_repository:
                result["per_repository"] = repos
            return result


def repo_counts(repo: Repository) -> dict[str, int]:
    pulls = repo.pulls.values()
    issues = repo.issues.values()
    return {
        "commits": len(repo.default_branch_shas),
        "pull_requests": len(repo.pulls),
        "pull_request_reviews": sum(len(p.reviews) for p in pulls),
        "pull_request_commits": sum(len(p.commit_shas) for p in pulls),
        "pull_request_review_comments": sum(len(p.review_comments) for p in pulls),
        "pull_request_comments": sum(len(p.comments) for p in pulls),
        "pull_request_timeline": sum(len(p.timeline) for p in pulls),
        "issues": len(repo.issues),
        "issue_comments": sum(len(i.comments) for i in issues),
        "issue_timeline": sum(len(i.timeline) for i in issues),
        "labels": len(repo.labels),
        "milestones": len(repo.milestones),
        "deployments": len(repo.deployments),
        "deployment_statuses": sum(len(d.statuses) for d in repo.deployments),
        "workflows": len(repo.workflows),
        "workflow_runs": len(repo.workflow_runs),
        "releases": len(repo.releases),
    }
