"""Load a recorded GitHub organisation (REST API JSON) into the emulator's Store.

`devmetrics emulator serve --load DIR` serves these records instead of synthetic data, through
GraphQL and REST alike, so a real organisation's exported data can be replayed.

Format of DIR: one JSON file per kind, every file optional, each object exactly as the GitHub
REST API returns it (list or single-object shapes both work; a record seen twice, e.g. a
commit from the list and again from `GET …/commits/{sha}`, is merged, later keys winning):

    repositories.json         [repository]               GET /orgs/{org}/repos, /repos/{o}/{r}
    commits.json              [commit]                   the default branch: GET …/commits
                                                         (single commits add stats and files)
    pull_requests.json        [pull request]             GET …/pulls?state=all, …/pulls/{n}
    reviews.json              [review]                   GET …/pulls/{n}/reviews
    review_comments.json      [review comment]           GET …/pulls/comments
    issues.json               [issue]                    GET …/issues?state=all; items with a
                              `pull_request` key are PRs: they only fill a recorded PR's empty
                              labels, milestone and assignees
    comments.json             [issue comment]            GET …/issues/comments (issues and PRs)
    issue_events.json         [issue event]              GET …/issues/events (embeds `issue`)
    timeline.json             {"owner/repo#N": [item]}   GET …/issues/{N}/timeline; its
                              `commented`, `reviewed` and `committed` items become comments,
                              reviews and PR commits
    pr_commits.json           {"owner/repo#N": [commit]} GET …/pulls/{N}/commits
    deployments.json          [deployment]               GET …/deployments
    deployment_statuses.json  [deployment status]        GET …/deployments/{id}/statuses
    workflow_runs.json        [run] or {"workflow_runs": [run]}   GET …/actions/runs
    teams.json                [team]                     GET /orgs/{org}/teams
    team_members.json         {"team-slug": [user]}      GET /orgs/{org}/teams/{slug}/members
    milestones.json, labels.json, releases.json          GET …/milestones?state=all, …/labels,
                                                         …/releases

What the recordings lack is derived where GitHub would derive it: each record's repository
from its embedded repository object or its URLs (`repository_url`, `url`, `html_url`,
`pull_request_url`, `issue_url`, `deployment_url`); the organisation from the repositories'
owner; users (id, login, type) from every embedded user object; PR and issue numbers from
URLs; `next_number` as the highest number + 1; the default branch's history as commits.json
ordered by committer date, parents from `parents[].sha` or else the previous commit; labels,
milestones and teams from the objects embedding them; workflows from their runs; merged /
closed events from a PR's or issue's state unless recorded. Anything else stays null/empty,
except counts GitHub always reports, which are 0 when only list shapes were recorded (a PR's
additions/deletions/changed_files, a commit's stats).

Recorded ids are kept; derived records take `Store.new_id()`, which starts above the largest
recorded id. Loading is lenient: a malformed value (a date of "yesterday", additions of
"lots", a null user, a missing title) is kept as recorded so clients see it and the extractor
can quarantine it. Only records that cannot be placed at all (no repository, another owner's
repository, no number, a review or comment of an unrecorded PR or issue, an event kind the
emulator does not model) are skipped; each is logged and listed, naming file, index and
reason, in `store.load_warnings`.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipelines.github_emulator.model import (
    Commit,
    Deployment,
    DeploymentStatus,
    Issue,
    IssueComment,
    Label,
    Milestone,
    Organization,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewComment,
    Store,
    Team,
    TimelineEvent,
    User,
    Workflow,
    WorkflowRun,
    parse_ts,
)

log = logging.getLogger(__name__)

LIST_FILES = (
    "repositories",
    "teams",
    "labels",
    "milestones",
    "commits",
    "pull_requests",
    "issues",
    "reviews",
    "review_comments",
    "comments",
    "issue_events",
    "deployments",
    "deployment_statuses",
    "workflow_runs",
    "releases",
)
KEYED_FILES = ("pr_commits", "timeline", "team_members")
EVENT_KINDS = frozenset(
    {
        "ready_for_review",
        "review_requested",
        "review_request_removed",
        "closed",
        "reopened",
        "merged",
        "head_ref_force_pushed",
        "convert_to_draft",
        "labeled",
        "unlabeled",
        "milestoned",
        "assigned",
    }
)
URL_KEYS = ("repository_url", "pull_request_url", "issue_url", "deployment_url", "url", "html_url")

_API_REPO = re.compile(r"/repos/([^/?#]+)/([^/?#]+)")
_HTML_REPO = re.compile(
    r"^https?://[^/]+/([^/]+)/([^/]+)/(?:pull|issues|commit|releases|milestone|labels|actions)/"
)
_NUMBER = re.compile(r"/(?:pulls|pull|issues|milestones|milestone)/(\d+)(?:$|[/?#])")
_DEPLOYMENT = re.compile(r"/deployments/(\d+)(?:$|[/?#])")
_ITEM_KEY = re.compile(r"^([^/\s]+)/([^#\s]+)#(\d+)$")

Ref = tuple[str, str]  # (owner, repository name) as recorded


def load_recorded(directory: Path, org_login: str | None = None) -> Store:
    """Build a Store from the recording in `directory` (format: see the module docstring).

    `org_login` names the organisation to serve: the recorded owner of that login, or else the
    owner of most recorded repositories served under this login. Records of other owners are
    skipped and reported in `store.load_warnings`.
    """
    return _Loader(_read(Path(directory)), org_login).load()


def _read(directory: Path) -> dict[str, Any]:
    if not directory.is_dir():
        raise FileNotFoundError(f"recording directory {directory} does not exist")
    known = {f"{stem}.json" for stem in LIST_FILES + KEYED_FILES}
    data: dict[str, Any] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name not in known:
            log.warning("%s: not a recorded kind, ignored (expected %s)", path, sorted(known))
            continue
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not valid JSON ({exc}); fix or remove it") from exc
        stem = path.stem
        if stem == "workflow_runs" and isinstance(value, dict):
            value = value.get("workflow_runs")
        expected = dict if stem in KEYED_FILES else list
        if not isinstance(value, expected):
            shape = "an object keyed by item" if expected is dict else "an array"
            raise ValueError(f"{path} must hold {shape} of GitHub REST objects")
        data[stem] = value
    if not data:
        raise ValueError(
            f"{directory} holds none of the recorded files ({', '.join(sorted(known))}); "
            "see pipelines/github_emulator/recorded.py for the format"
        )
    return data


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _walk(value: Any) -> Iterator[dict]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _object_ref(repo: Any) -> Ref | None:
    """The (owner, name) of an embedded repository object."""
    full_name = _get(repo, "full_name")
    if isinstance(full_name, str) and full_name.count("/") == 1:
        owner, name = full_name.split("/")
        return owner, name
    owner, name = _get(repo, "owner", "login"), _get(repo, "name")
    if isinstance(owner, str) and isinstance(name, str):
        return owner, name
    return _url_ref(_get(repo, "url"))


def _url_ref(url: Any) -> Ref | None:
    if not isinstance(url, str):
        return None
    match = _API_REPO.search(url) or _HTML_REPO.match(url)
    return (match[1], match[2]) if match else None


def _record_ref(rec: dict) -> Ref | None:
    """Where a record belongs: its embedded repository, else the first URL naming one."""
    for embedded in (_get(rec, "base", "repo"), rec.get("repository")):
        if isinstance(embedded, dict) and (ref := _object_ref(embedded)):
            return ref
    for key in URL_KEYS:
        if ref := _url_ref(rec.get(key)):
            return ref
    return None


def _number(rec: dict, *url_keys: str) -> int | None:
    if _is_int(rec.get("number")):
        return rec["number"]
    for key in url_keys:
        value = rec.get(key)
        if isinstance(value, str) and (match := _NUMBER.search(value)):
            return int(match[1])
    return None


def _ts_key(*values: Any) -> int:
    """Sort key for timestamps; unparseable ones sort first."""
    return next((v for v in values if _is_int(v)), 0)


class _Loader:
    def __init__(self, data: dict[str, Any], org_login: str | None) -> None:
        self.data = data
        self.warnings: list[str] = []
        self.repos: dict[str, Repository] = {}  # by lower-cased name
        self.repo_objects: dict[str, dict] = {}  # best recorded repository object by name
        self.owner, org = self._organization(org_login)
        self.store = Store(org)
        self.store._next_id = max(self.store._next_id, self._max_recorded_id())
        if not _is_int(org.id):
            org.id = self.store.new_id()
        self.deployments: dict[int, Deployment] = {}
        self.run_paths: dict[int, Any] = {}  # workflow run id -> recorded workflow file path
        self.commits_without_parents: set[str] = set()

    # ------------------------------------------------------------------ plumbing
    def skip(self, where: str, reason: str) -> None:
        message = f"{where}: skipped, {reason}"
        self.warnings.append(message)
        log.warning(message)

    def records(self, stem: str) -> Iterator[tuple[str, dict]]:
        for index, rec in enumerate(self.data.get(stem, [])):
            where = f"{stem}.json[{index}]"
            if isinstance(rec, dict):
                yield where, rec
            else:
                self.skip(where, f"not a JSON object ({type(rec).__name__})")

    def keyed(self, stem: str) -> Iterator[tuple[str, Repository, int, list]]:
        """Items of pr_commits.json / timeline.json: (where, repository, number, records)."""
        for key, items in self.data.get(stem, {}).items():
            where = f"{stem}.json[{key!r}]"
            match = _ITEM_KEY.match(key)
            if not match or not isinstance(items, list):
                self.skip(where, "expected a key 'owner/repo#number' holding an array")
                continue
            repo = self.repo_for((match[1], match[2]), where)
            if repo is not None:
                yield where, repo, int(match[3]), items

    def new_id(self, value: Any) -> int:
        return value if _is_int(value) else self.store.new_id()

    def uid(self, user: Any) -> int | None:
        if _is_int(_get(user, "id")):
            return user["id"]
        login = _get(user, "login")
        found = self.store.user_by_login(login) if isinstance(login, str) else None
        return found.id if found else None

    def uids(self, users: Any) -> list[int]:
        ids = [self.uid(u) for u in users] if isinstance(users, list) else []
        return [i for i in ids if i is not None]

    # ------------------------------------------------------------------ organisation and users
    def _all_refs(self) -> Iterator[Ref]:
        for rec in self.data.get("repositories", []):
            if ref := _object_ref(rec):
                yield ref
        for stem in LIST_FILES[1:]:
            for rec in self.data.get(stem, []):
                if isinstance(rec, dict) and (ref := _record_ref(rec)):
                    yield ref
        for stem in ("pr_commits", "timeline"):
            for key in self.data.get(stem, {}):
                if match := _ITEM_KEY.match(key):
                    yield match[1], match[2]

    def _organization(self, org_login: str | None) -> tuple[str, Organization]:
        owners = Counter(owner for owner, _ in self._all_refs())
        wanted = org_login.lower() if org_login else None
        owner = next((o for o in owners if o.lower() == wanted), None)
        if owner is None and owners:
            owner = owners.most_common(1)[0][0]
        if owner is None and org_login is None:
            raise ValueError(
                "the recording names no repository, so its organisation is unknown: "
                "pass org_login or add repositories.json"
            )
        owner = owner or org_login
        assert owner is not None
        self._collect_repo_objects(owner)
        owner_object = next((r["owner"] for r in self.repo_objects.values()), {})
        org = Organization(id=owner_object.get("id"), login=org_login or owner, name=owner)
        return owner, org

    def _collect_repo_objects(self, owner: str) -> None:
        """repositories.json describes its repositories; else the fullest embedded object."""
        for rec in self.data.get("repositories", []):
            ref = _object_ref(rec)
            if ref and ref[0] == owner:
                self.repo_objects.setdefault(ref[1].lower(), rec)
        described = set(self.repo_objects)
        for obj in _walk({k: v for k, v in self.data.items() if k != "repositories"}):
            if _get(obj, "owner", "login") != owner or not isinstance(obj.get("name"), str):
                continue
            ref = _object_ref(obj)
            key = ref[1].lower() if ref and ref[0] == owner else None
            if key and key not in described and len(obj) > len(self.repo_objects.get(key, {})):
                self.repo_objects[key] = obj

    def _max_recorded_id(self) -> int:
        return max(
            (o["id"] for o in _walk(self.data) if _is_int(o.get("id"))),
            default=0,
        )

    def load_users(self) -> None:
        """Every embedded user object (author, user, actor, merged_by, assignees…) is a user."""
        for obj in _walk(self.data):
            login, user_id = obj.get("login"), obj.get("id")
            if not isinstance(login, str) or not _is_int(user_id):
                continue
            kind = obj.get("type")
            if kind == "Organization" or login.lower() == self.owner.lower():
                continue
            if not isinstance(kind, str):
                kind = "Bot" if login.endswith("[bot]") else "User"
            known = self.store.users.get(user_id)
            if known is None:
                self.store.add_user(
                    User(
                        id=user_id,
                        login=login,
                        type=kind,
                        name=obj.get("name"),
                        email=obj.get("email"),
                        site_admin=obj.get("site_admin", False),
                    )
                )
            else:
                known.name = known.name or obj.get("name")
                known.email = known.email or obj.get("email")

    # ------------------------------------------------------------------ repositories
    def repo_for(self, ref: Ref | None, where: str) -> Repository | None:
        if ref is None:
            self.skip(where, "no repository can be derived from it (no repository object or URL)")
            return None
        owner, name = ref
        if owner.lower() != self.owner.lower():
            self.skip(where, f"it belongs to {owner}/{name}, outside organisation {self.owner}")
            return None
        repo = self.repos.get(name.lower())
        if repo is None:
            repo = self.repos[name.lower()] = self._repository(name)
        return repo

    def _repository(self, name: str) -> Repository:
        obj = self.repo_objects.get(name.lower(), {})
        topics = obj.get("topics")
        return Repository(
            id=self.new_id(obj.get("id")),
            name=obj.get("name", name),
            owner_login=self.store.org.login,
            created_at=parse_ts(obj.get("created_at")),
            updated_at=parse_ts(obj.get("updated_at")),
            pushed_at=parse_ts(obj.get("pushed_at")),
            description=obj.get("description"),
            private=obj.get("private", True),
            fork=obj.get("fork", False),
            archived=obj.get("archived", False),
            language=obj.get("language"),
            topics=list(topics) if isinstance(topics, list) else [],
            default_branch=obj.get("default_branch") or "main",
        )

    def load_repositories(self) -> None:
        for where, rec in self.records("repositories"):
            self.repo_for(_object_ref(rec), where)

    def place(self, rec: dict, where: str) -> Repository | None:
        return self.repo_for(_record_ref(rec), where)

    def item(self, repo: Repository, number: int | None) -> PullRequest | Issue | None:
        return None if number is None else repo.pulls.get(number) or repo.issues.get(number)

    # ------------------------------------------------------------------ teams, labels, milestones
    def team(self, obj: dict, where: str) -> int | None:
        if not isinstance(obj.get("slug"), str):
            self.skip(where, "team without a slug")
            return None
        found = self.store.team_by_slug(obj["slug"])
        if found is None:
            found = self.store.add_team(
                Team(
                    id=self.new_id(obj.get("id")),
                    slug=obj["slug"],
                    name=obj.get("name", obj["slug"]),
                    description=obj.get("description") or "",
                    privacy=obj.get("privacy", "closed"),
                    parent_id=_get(obj, "parent", "id"),
                    created_at=parse_ts(obj.get("created_at")),
                    updated_at=parse_ts(obj.get("updated_at")),
                )
            )
        return found.id

    def label(self, repo: Repository, obj: Any) -> str | None:
        name = obj if isinstance(obj, str) else _get(obj, "name")
        if not isinstance(name, str):
            return None
        if name not in repo.labels:
            obj = obj if isinstance(obj, dict) else {}
            repo.labels[name] = Label(
                id=self.new_id(obj.get("id")),
                name=name,
                color=obj.get("color", "ededed"),
                description=obj.get("description"),
                default=obj.get("default", False),
            )
        return name

    def labels(self, repo: Repository, objs: Any) -> list[str]:
        names = [self.label(repo, o) for o in objs] if isinstance(objs, list) else []
        return [n for n in names if n is not None]

    def milestone(self, repo: Repository, obj: Any, where: str) -> int | None:
        if not isinstance(obj, dict):
            return None
        number = _number(obj, "url", "html_url")
        if number is None:
            self.skip(f"{where}.milestone", "milestone without a number")
            return None
        repo.milestones.setdefault(
            number,
            Milestone(
                id=self.new_id(obj.get("id")),
                number=number,
                title=obj.get("title"),
                description=obj.get("description"),
                state=obj.get("state", "open"),
                creator_id=self.uid(obj.get("creator")),
                created_at=parse_ts(obj.get("created_at")),
                updated_at=parse_ts(obj.get("updated_at")),
                due_on=parse_ts(obj.get("due_on")),
                closed_at=parse_ts(obj.get("closed_at")),
            ),
        )
        return number

    def load_catalogues(self) -> None:
        for where, rec in self.records("teams"):
            self.team(rec, where)
        for where, rec in self.records("labels"):
            if (repo := self.place(rec, where)) and self.label(repo, rec) is None:
                self.skip(where, "label without a name")
        for where, rec in self.records("milestones"):
            if repo := self.place(rec, where):
                self.milestone(repo, rec, where)

    # ------------------------------------------------------------------ commits
    def commit(self, rec: dict) -> Commit:
        """A REST commit object, or a timeline `committed` item (the git commit itself)."""
        git = rec["commit"] if isinstance(rec.get("commit"), dict) else rec
        stats = rec.get("stats") if isinstance(rec.get("stats"), dict) else {}
        files = rec.get("files")
        parents = rec.get("parents")
        if not isinstance(parents, list):
            self.commits_without_parents.add(rec["sha"])
        return Commit(
            sha=rec["sha"],
            message=git.get("message"),
            author_name=_get(git, "author", "name"),
            author_email=_get(git, "author", "email"),
            authored_at=parse_ts(_get(git, "author", "date")),
            committer_name=_get(git, "committer", "name"),
            committer_email=_get(git, "committer", "email"),
            committed_at=parse_ts(_get(git, "committer", "date")),
            author_id=self.uid(rec.get("author")) if rec is not git else None,
            committer_id=self.uid(rec.get("committer")) if rec is not git else None,
            additions=stats.get("additions", 0),
            deletions=stats.get("deletions", 0),
            changed_files=len(files) if isinstance(files, list) else 0,
            parents=tuple(p["sha"] for p in parents or () if isinstance(_get(p, "sha"), str)),
        )

    def load_commits(self) -> None:
        merged: dict[tuple[str, str], tuple[Repository, dict]] = {}
        for where, rec in self.records("commits"):
            if not isinstance(rec.get("sha"), str):
                self.skip(where, "commit without a sha")
            elif repo := self.place(rec, where):
                merged.setdefault((repo.name, rec["sha"]), (repo, {}))[1].update(rec)
        for repo, rec in merged.values():
            commit = repo.commits[rec["sha"]] = self.commit(rec)
            commit.on_default_branch = True

    def load_pr_commits(self) -> None:
        for where, repo, number, items in self.keyed("pr_commits"):
            pull = repo.pulls.get(number)
            if pull is None:
                self.skip(where, f"no pull request #{number} in {repo.full_name}")
                continue
            for index, rec in enumerate(items):
                if not isinstance(_get(rec, "sha"), str):
                    self.skip(f"{where}[{index}]", "commit without a sha")
                    continue
                if rec["sha"] not in repo.commits:
                    repo.commits[rec["sha"]] = self.commit(rec)
                if rec["sha"] not in pull.commit_shas:
                    pull.commit_shas.append(rec["sha"])

    # ------------------------------------------------------------------ pull requests and issues
    def grouped(self, stem: str, kind: str) -> Iterator[tuple[str, Repository, int, dict]]:
        """Records of one PR/issue merged (list shape + single shape), in first-seen order."""
        merged: dict[tuple[str, int], tuple[str, Repository, dict]] = {}
        for where, rec in self.records(stem):
            repo = self.place(rec, where)
            number = _number(rec, "url", "html_url", "issue_url")
            if repo is None:
                continue
            if number is None:
                self.skip(where, f"{kind} without a number in the record or its URLs")
                continue
            merged.setdefault((repo.name, number), (where, repo, {}))[2].update(rec)
        for (_, number), (where, repo, rec) in merged.items():
            yield where, repo, number, rec

    def load_pulls(self) -> None:
        for where, repo, number, rec in self.grouped("pull_requests", "pull request"):
            state = rec.get("state", "closed" if rec.get("closed_at") else "open")
            repo.pulls[number] = PullRequest(
                id=self.new_id(rec.get("id")),
                number=number,
                title=rec.get("title"),
                body=rec.get("body"),
                author_id=self.uid(rec.get("user")),
                created_at=parse_ts(rec.get("created_at")),
                updated_at=parse_ts(rec.get("updated_at")),
                head_ref=_get(rec, "head", "ref"),
                base_ref=_get(rec, "base", "ref"),
                head_sha=_get(rec, "head", "sha"),
                base_sha=_get(rec, "base", "sha"),
                state=state,
                draft=rec.get("draft", False),
                locked=rec.get("locked", False),
                closed_at=parse_ts(rec.get("closed_at")),
                merged_at=parse_ts(rec.get("merged_at")),
                merged_by_id=self.uid(rec.get("merged_by")),
                merge_commit_sha=rec.get("merge_commit_sha"),
                additions=rec.get("additions", 0),
                deletions=rec.get("deletions", 0),
                changed_files=rec.get("changed_files", 0),
                labels=self.labels(repo, rec.get("labels")),
                milestone_number=self.milestone(repo, rec.get("milestone"), where),
                assignee_ids=self.assignees(rec),
                requested_reviewer_ids=self.uids(rec.get("requested_reviewers")),
                requested_team_ids=[
                    t
                    for i, obj in enumerate(rec.get("requested_teams") or [])
                    if isinstance(obj, dict)
                    and (t := self.team(obj, f"{where}.requested_teams[{i}]")) is not None
                ],
            )

    def assignees(self, rec: dict) -> list[int]:
        if isinstance(rec.get("assignees"), list):
            return self.uids(rec["assignees"])
        return self.uids([rec["assignee"]]) if rec.get("assignee") else []

    def load_issues(self) -> None:
        for where, repo, number, rec in self.grouped("issues", "issue"):
            labels = self.labels(repo, rec.get("labels"))
            milestone = self.milestone(repo, rec.get("milestone"), where)
            if "pull_request" in rec:
                self.enrich_pull(where, repo, number, rec, labels, milestone)
                continue
            repo.issues[number] = Issue(
                id=self.new_id(rec.get("id")),
                number=number,
                title=rec.get("title"),
                body=rec.get("body"),
                author_id=self.uid(rec.get("user")),
                created_at=parse_ts(rec.get("created_at")),
                updated_at=parse_ts(rec.get("updated_at")),
                state=rec.get("state", "closed" if rec.get("closed_at") else "open"),
                state_reason=rec.get("state_reason"),
                closed_at=parse_ts(rec.get("closed_at")),
                closed_by_id=self.uid(rec.get("closed_by")),
                labels=labels,
                milestone_number=milestone,
                assignee_ids=self.assignees(rec),
                locked=rec.get("locked", False),
            )

    def enrich_pull(
        self,
        where: str,
        repo: Repository,
        number: int,
        rec: dict,
        labels: list[str],
        milestone: int | None,
    ) -> None:
        """An issues-list item that is a PR fills what the recorded PR left empty."""
        pull = repo.pulls.get(number)
        if pull is None:
            self.skip(
                where,
                f"it is pull request #{number} of {repo.full_name} (it has a pull_request key) "
                "but pull_requests.json has no record of it; add GET …/pulls?state=all",
            )
            return
        pull.labels = pull.labels or labels
        pull.milestone_number = pull.milestone_number or milestone
        pull.assignee_ids = pull.assignee_ids or self.assignees(rec)

    # ------------------------------------------------------------------ conversation
    def pull_of(self, rec: dict, where: str, kind: str) -> PullRequest | None:
        repo = self.place(rec, where)
        if repo is None:
            return None
        number = _number(rec, "pull_request_url")
        pull = repo.pulls.get(number) if number is not None else None
        if number is None:
            self.skip(where, f"{kind} without a pull_request_url naming its pull request")
        elif pull is None:
            self.skip(where, f"{kind} of pull request #{number}, not in {repo.full_name}")
        return pull

    def review(self, pull: PullRequest, rec: dict) -> None:
        if any(r.id == rec.get("id") for r in pull.reviews):
            return
        pull.reviews.append(
            Review(
                id=self.new_id(rec.get("id")),
                user_id=self.uid(rec.get("user")),
                state=rec.get("state"),
                body=rec.get("body"),
                submitted_at=parse_ts(rec.get("submitted_at")),
                commit_id=rec.get("commit_id"),
            )
        )

    def comment(self, target: PullRequest | Issue, rec: dict) -> None:
        if any(c.id == rec.get("id") for c in target.comments):
            return
        target.comments.append(
            IssueComment(
                id=self.new_id(rec.get("id")),
                user_id=self.uid(rec.get("user")),
                body=rec.get("body"),
                created_at=parse_ts(rec.get("created_at")),
                updated_at=parse_ts(rec.get("updated_at")),
            )
        )

    def load_conversation(self) -> None:
        for where, rec in self.records("reviews"):
            if pull := self.pull_of(rec, where, "review"):
                self.review(pull, rec)
        for where, rec in self.records("review_comments"):
            if pull := self.pull_of(rec, where, "review comment"):
                pull.review_comments.append(
                    ReviewComment(
                        id=self.new_id(rec.get("id")),
                        review_id=rec.get("pull_request_review_id"),
                        user_id=self.uid(rec.get("user")),
                        body=rec.get("body"),
                        path=rec.get("path"),
                        line=rec.get("line", rec.get("original_line")),
                        commit_id=rec.get("commit_id"),
                        created_at=parse_ts(rec.get("created_at")),
                        updated_at=parse_ts(rec.get("updated_at")),
                        in_reply_to_id=rec.get("in_reply_to_id"),
                    )
                )
        for where, rec in self.records("comments"):
            if repo := self.place(rec, where):
                number = _number(rec, "issue_url")
                target = self.item(repo, number)
                if number is None:
                    self.skip(where, "comment without an issue_url naming its issue or PR")
                elif target is None:
                    self.skip(where, f"comment on #{number}, no such issue or PR in {repo.name}")
                else:
                    self.comment(target, rec)

    # ------------------------------------------------------------------ timelines
    def event(self, target: PullRequest | Issue, rec: dict, where: str) -> None:
        kind = rec.get("event")
        if kind not in EVENT_KINDS:
            self.skip(where, f"event kind {kind!r} is not modelled by the emulator")
            return
        if any(e.id == rec.get("id") for e in target.timeline):
            return
        target.timeline.append(
            TimelineEvent(
                id=self.new_id(rec.get("id")),
                event=kind,
                actor_id=self.uid(rec.get("actor")),
                created_at=parse_ts(rec.get("created_at")),
                requested_reviewer_id=self.uid(rec.get("requested_reviewer")),
                requested_team_id=_get(rec, "requested_team", "id"),
                label=_get(rec, "label", "name"),
                milestone_title=_get(rec, "milestone", "title"),
                assignee_id=self.uid(rec.get("assignee")),
                commit_id=rec.get("commit_id"),
                state_reason=rec.get("state_reason"),
            )
        )

    def load_timelines(self) -> None:
        for where, rec in self.records("issue_events"):
            if repo := self.place(rec, where):
                issue = rec.get("issue") if isinstance(rec.get("issue"), dict) else {}
                number = _number(issue, "url", "html_url")
                target = self.item(repo, number)
                if number is None:
                    self.skip(where, "event without its issue (no issue.number or issue.url)")
                elif target is None:
                    self.skip(where, f"event of #{number}, no such issue or PR in {repo.name}")
                else:
                    self.event(target, rec, where)
        for where, repo, number, items in self.keyed("timeline"):
            target = self.item(repo, number)
            if target is None:
                self.skip(where, f"no issue or PR #{number} in {repo.full_name}")
                continue
            for index, rec in enumerate(items):
                self.timeline_item(repo, target, rec, f"{where}[{index}]")

    def timeline_item(
        self, repo: Repository, target: PullRequest | Issue, rec: Any, where: str
    ) -> None:
        kind = _get(rec, "event")
        if kind == "commented":
            self.comment(target, rec)
        elif kind == "reviewed" and isinstance(target, PullRequest):
            self.review(target, rec)
        elif kind == "committed" and isinstance(target, PullRequest) and "sha" in rec:
            if rec["sha"] not in repo.commits:
                repo.commits[rec["sha"]] = self.commit(rec)
            if rec["sha"] not in target.commit_shas:
                target.commit_shas.append(rec["sha"])
        elif isinstance(rec, dict):
            self.event(target, rec, where)
        else:
            self.skip(where, "not a JSON object")

    def derive_events(self, repo: Repository) -> None:
        """Merged/closed events GitHub would show for the recorded state, unless recorded."""
        for item in [*repo.pulls.values(), *repo.issues.values()]:
            item.timeline.sort(key=lambda e: (_ts_key(e.created_at), e.id))
            kinds = [e.event for e in item.timeline]
            merged_at = item.merged_at if isinstance(item, PullRequest) else None
            if merged_at is not None and "merged" not in kinds:
                self.add_event(item, "merged", item.merged_by_id, merged_at, item.merge_commit_sha)
            last = next((k for k in reversed(kinds) if k in ("closed", "reopened")), None)
            if item.state == "closed" and item.closed_at is not None and last != "closed":
                if isinstance(item, PullRequest):
                    self.add_event(item, "closed", item.merged_by_id, item.closed_at)
                else:
                    self.add_event(
                        item, "closed", item.closed_by_id, item.closed_at, None, item.state_reason
                    )
            item.timeline.sort(key=lambda e: (_ts_key(e.created_at), e.id))

    def add_event(
        self,
        item: PullRequest | Issue,
        kind: str,
        actor_id: int | None,
        at: Any,
        commit_id: str | None = None,
        state_reason: str | None = None,
    ) -> None:
        item.timeline.append(
            TimelineEvent(
                id=self.store.new_id(),
                event=kind,
                actor_id=actor_id,
                created_at=at,
                commit_id=commit_id,
                state_reason=state_reason,
            )
        )

    # ------------------------------------------------------------------ delivery
    def load_delivery(self) -> None:
        for where, rec in self.records("deployments"):
            if repo := self.place(rec, where):
                deployment = Deployment(
                    id=self.new_id(rec.get("id")),
                    sha=rec.get("sha"),
                    ref=rec.get("ref"),
                    environment=rec.get("environment"),
                    creator_id=self.uid(rec.get("creator")),
                    created_at=parse_ts(rec.get("created_at")),
                    updated_at=parse_ts(rec.get("updated_at")),
                    task=rec.get("task", "deploy"),
                    description=rec.get("description"),
                    production_environment=rec.get("production_environment", False),
                    transient_environment=rec.get("transient_environment", False),
                )
                repo.deployments.append(deployment)
                self.deployments[deployment.id] = deployment
        for where, rec in self.records("deployment_statuses"):
            match = _DEPLOYMENT.search(str(rec.get("deployment_url") or rec.get("url") or ""))
            deployment = self.deployments.get(int(match[1])) if match else None
            if deployment is None:
                self.skip(where, "its deployment_url names no recorded deployment")
                continue
            deployment.statuses.append(
                DeploymentStatus(
                    id=self.new_id(rec.get("id")),
                    state=rec.get("state"),
                    creator_id=self.uid(rec.get("creator")),
                    created_at=parse_ts(rec.get("created_at")),
                    updated_at=parse_ts(rec.get("updated_at")),
                    description=rec.get("description", ""),
                    environment=rec.get("environment", deployment.environment),
                    log_url=rec.get("log_url", rec.get("target_url", "")),
                    environment_url=rec.get("environment_url", ""),
                )
            )
        for where, rec in self.records("workflow_runs"):
            if repo := self.place(rec, where):
                repo.workflow_runs.append(self.workflow_run(rec))
        for where, rec in self.records("releases"):
            if repo := self.place(rec, where):
                repo.releases.append(
                    Release(
                        id=self.new_id(rec.get("id")),
                        tag_name=rec.get("tag_name"),
                        name=rec.get("name"),
                        target_commitish=rec.get("target_commitish"),
                        author_id=self.uid(rec.get("author")),
                        created_at=parse_ts(rec.get("created_at")),
                        published_at=parse_ts(rec.get("published_at")),
                        body=rec.get("body", ""),
                        draft=rec.get("draft", False),
                        prerelease=rec.get("prerelease", False),
                    )
                )

    def workflow_run(self, rec: dict) -> WorkflowRun:
        pulls = rec.get("pull_requests") if isinstance(rec.get("pull_requests"), list) else []
        run = WorkflowRun(
            id=self.new_id(rec.get("id")),
            workflow_id=rec.get("workflow_id"),
            name=rec.get("name"),
            head_branch=rec.get("head_branch"),
            head_sha=rec.get("head_sha"),
            event=rec.get("event"),
            status=rec.get("status"),
            conclusion=rec.get("conclusion"),
            run_number=rec.get("run_number"),
            run_attempt=rec.get("run_attempt", 1),
            created_at=parse_ts(rec.get("created_at")),
            updated_at=parse_ts(rec.get("updated_at")),
            run_started_at=parse_ts(rec.get("run_started_at")),
            actor_id=self.uid(rec.get("actor")),
            display_title=rec.get("display_title", ""),
            pull_request_numbers=[p["number"] for p in pulls if _is_int(_get(p, "number"))],
        )
        self.run_paths[run.id] = rec.get("path")
        return run

    def derive_workflows(self, repo: Repository) -> None:
        for run in repo.workflow_runs:
            if not _is_int(run.workflow_id) or any(w.id == run.workflow_id for w in repo.workflows):
                continue
            runs = [r for r in repo.workflow_runs if r.workflow_id == run.workflow_id]
            repo.workflows.append(
                Workflow(
                    id=run.workflow_id,
                    name=run.name,
                    path=self.run_paths.get(run.id),
                    created_at=min((r.created_at for r in runs), key=_ts_key),
                    updated_at=max((r.updated_at for r in runs), key=_ts_key),
                )
            )

    # ------------------------------------------------------------------ finishing
    def load_team_members(self) -> None:
        for slug, users in self.data.get("team_members", {}).items():
            team = self.store.team_by_slug(slug)
            if team is None or not isinstance(users, list):
                self.skip(f"team_members.json[{slug!r}]", "no such team in teams.json")
                continue
            team.member_ids = list(dict.fromkeys(self.uids(users)))

    def order_history(self, repo: Repository) -> None:
        """Default branch oldest first by committer date; missing parents: the previous commit."""
        branch = sorted(
            (c for c in repo.commits.values() if c.on_default_branch),
            key=lambda c: _ts_key(c.committed_at, c.authored_at),
        )
        repo.default_branch_shas = [c.sha for c in branch]
        for previous, commit in zip([None, *branch], branch, strict=False):
            if commit.sha in self.commits_without_parents and previous is not None:
                commit.parents = (previous.sha,)

    def finish(self) -> None:
        for repo in sorted(self.repos.values(), key=lambda r: r.id):
            self.order_history(repo)
            self.derive_events(repo)
            self.derive_workflows(repo)
            for pull in repo.pulls.values():
                pull.reviews.sort(key=lambda r: r.id)
                pull.comments.sort(key=lambda c: c.id)
                pull.review_comments.sort(key=lambda c: c.id)
            for issue in repo.issues.values():
                issue.comments.sort(key=lambda c: c.id)
            repo.deployments.sort(key=lambda d: d.id)
            for deployment in repo.deployments:
                deployment.statuses.sort(key=lambda s: s.id)
            repo.workflow_runs.sort(key=lambda r: r.id)
            repo.releases.sort(key=lambda r: r.id)
            numbers = [*repo.pulls, *repo.issues]
            repo.next_number = max(numbers, default=0) + 1
            if repo.pushed_at is None and repo.default_branch_shas:
                repo.pushed_at = repo.commits[repo.default_branch_shas[-1]].committed_at
            if repo.updated_at is None:
                repo.updated_at = repo.pushed_at
            self.store.add_repo(repo)
        members = dict.fromkeys(m for t in self.store.teams.values() for m in t.member_ids)
        self.store.org.member_ids = list(members)

    def load(self) -> Store:
        self.load_users()
        self.load_repositories()
        self.load_catalogues()
        self.load_commits()
        self.load_pulls()
        self.load_issues()
        self.load_pr_commits()
        self.load_conversation()
        self.load_timelines()
        self.load_delivery()
        self.load_team_members()
        self.finish()
        self.store.load_warnings = self.warnings  # type: ignore[attr-defined]
        counts = self.store.ground_truth()
        log.info(
            "loaded recording: %d repositories, %d commits, %d pull requests, %d issues, "
            "%d users; %d records skipped",
            counts["repositories"],
            counts["commits"],
            counts["pull_requests"],
            counts["issues"],
            counts["users"],
            len(self.warnings),
        )
        return self.store
