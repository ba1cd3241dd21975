"""Behaviour of the emulator's REST layer (RestAPI.handle called directly, no HTTP).

`build_rest_store()` is a small hand-made organisation that exercises the edge cases REST
clients meet (bots, the ghost user, commit emails linked to no user, drafts, reopened and
merged PRs, a PR over GitHub's 250-commit list cap); test_rest_fidelity.py reuses it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from pipelines.github_emulator.model import (
    GHOST_USER_ID,
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
    fake_sha,
    iso,
)
from pipelines.github_emulator.rest_api import RestAPI
from pipelines.github_emulator.rest_files import files_for_commit

API = "http://127.0.0.1:8123"
T0 = 1_704_067_200  # 2024-01-01T00:00:00Z
DAY = 86_400


def build_rest_store() -> Store:
    """Org `acme`: repo `api` (45 commits, 12 PRs, 8 issues, deployments, runs) and `web`."""
    store = Store(Organization(id=100, login="acme", name="Acme", created_at=T0 - 400 * DAY))
    people = ["alice", "bob", "carol", "dave"]
    for i, login in enumerate(people, start=1):
        store.add_user(User(id=i, login=login, name=login.title(), created_at=T0 - 300 * DAY))
    store.add_user(User(id=9, login="dependabot[bot]", type="Bot", created_at=T0 - 900 * DAY))
    store.org.member_ids = [1, 2, 3]  # dave is an outside contributor
    store.add_team(
        Team(
            id=50,
            slug="platform",
            name="Platform",
            member_ids=[1, 2],
            maintainer_ids=[1],
            created_at=T0,
        )
    )
    store.add_team(Team(id=51, slug="web", name="Web", parent_id=50, member_ids=[3], created_at=T0))

    repo = store.add_repo(
        Repository(
            id=200,
            name="api",
            owner_login="acme",
            created_at=T0 - DAY,
            updated_at=T0 + 60 * DAY,
            pushed_at=T0 + 50 * DAY,
        )
    )
    parent: tuple[str, ...] = ()
    for i in range(45):
        author_id = [1, 2, 3, 4, None][i % 5]  # every fifth commit's email maps to no user
        login = people[author_id - 1] if author_id else "contractor"
        at = T0 + i * DAY
        commit = Commit(
            sha=fake_sha("api", i),
            message=f"change {i}",
            author_name=login,
            author_email=f"{login}@example.com",
            authored_at=at - 600,
            committer_name=login,
            committer_email=f"{login}@example.com",
            committed_at=at,
            author_id=author_id,
            committer_id=author_id,
            additions=10 + i,
            deletions=i % 7,
            changed_files=1 + i % 4,
            parents=parent,
            on_default_branch=True,
        )
        repo.commits[commit.sha] = commit
        repo.default_branch_shas.append(commit.sha)
        parent = (commit.sha,)

    repo.labels = {
        n: Label(id=300 + k, name=n, color="d73a4a")
        for k, n in enumerate(["bug", "feature", "points:3"])
    }
    repo.milestones = {
        1: Milestone(
            id=400,
            number=1,
            title="Sprint 1",
            state="closed",
            creator_id=1,
            created_at=T0,
            due_on=T0 + 14 * DAY,
            closed_at=T0 + 15 * DAY,
        ),
        2: Milestone(
            id=401,
            number=2,
            title="Sprint 2",
            creator_id=1,
            created_at=T0 + 14 * DAY,
            due_on=T0 + 28 * DAY,
        ),
    }
    next_id = 10_000
    for n in range(1, 21):  # numbers shared by PRs (odd, plus 20) and issues (even)
        next_id += 100
        created = T0 + n * DAY
        if n % 2 == 1 or n == 20:
            author = {3: 9, 5: GHOST_USER_ID, 7: None}.get(n, [1, 2, 3, 4][n % 4])
            head_shas = [fake_sha("pr", n, k) for k in range(260 if n == 20 else 3)]
            for k, sha in enumerate(head_shas):
                repo.commits[sha] = Commit(
                    sha=sha,
                    message=f"pr {n} commit {k}",
                    author_name="x",
                    author_email="x@example.com",
                    authored_at=created + k,
                    committer_name="x",
                    committer_email="x@example.com",
                    committed_at=created + k,
                    additions=3,
                    deletions=1,
                    changed_files=1,
                )
            pr = PullRequest(
                id=next_id,
                number=n,
                title=f"PR {n}",
                body="body",
                author_id=author,
                created_at=created,
                updated_at=created + 2 * DAY + n,
                head_ref=f"feature/{n}",
                base_ref="main",
                head_sha=head_shas[-1],
                base_sha=repo.default_branch_shas[n],
                commit_shas=head_shas,
                additions=30 + n,
                deletions=n,
                changed_files=2 + n % 3,
                labels=["feature"] if n % 3 else ["bug", "points:3"],
                milestone_number=2 if n > 10 else None,
                draft=n == 9,
                requested_reviewer_ids=[2] if n == 11 else [],
                requested_team_ids=[50] if n == 11 else [],
            )
            if n in (1, 5, 13, 15):  # merged
                pr.state, pr.merged_at, pr.closed_at = "closed", created + DAY, created + DAY
                pr.merged_by_id, pr.merge_commit_sha = 1, fake_sha("merge", n)
            elif n == 17:  # closed without merge
                pr.state, pr.closed_at = "closed", created + DAY
            pr.reviews = [
                Review(
                    id=next_id + 1,
                    user_id=2,
                    state="COMMENTED",
                    body="hm",
                    submitted_at=created + 3600,
                    commit_id=head_shas[0],
                ),
                Review(
                    id=next_id + 2,
                    user_id=1 if n != 1 else None,
                    state="APPROVED",
                    body="",
                    submitted_at=created + 7200,
                ),
            ]
            pr.review_comments = [
                ReviewComment(
                    id=next_id + 3,
                    review_id=next_id + 1,
                    user_id=2,
                    body="nit",
                    path="src/app.py",
                    line=10,
                    commit_id=head_shas[0],
                    created_at=created + 3600,
                    updated_at=created + 3600 + n,
                ),
                ReviewComment(
                    id=next_id + 4,
                    review_id=next_id + 1,
                    user_id=3,
                    body="agree",
                    path="src/app.py",
                    line=None,
                    commit_id=None,
                    created_at=created + 3700,
                    updated_at=created + 3700,
                    in_reply_to_id=next_id + 3,
                ),
            ]
            pr.comments = [
                IssueComment(
                    id=next_id + 5,
                    user_id=4,
                    body="lgtm",
                    created_at=created + 60,
                    updated_at=created + 60,
                )
            ]
            pr.timeline = [
                TimelineEvent(
                    id=next_id + 6,
                    event="review_requested",
                    actor_id=1,
                    created_at=created + 30,
                    requested_reviewer_id=2,
                ),
                TimelineEvent(
                    id=next_id + 7,
                    event="labeled",
                    actor_id=1,
                    created_at=created + 31,
                    label=pr.labels[0],
                ),
                TimelineEvent(
                    id=next_id + 8,
                    event="head_ref_force_pushed",
                    actor_id=author,
                    created_at=created + 40,
                    before_sha=fake_sha("old", n),
                    after_sha=head_shas[-1],
                ),
                TimelineEvent(
                    id=next_id + 9,
                    event="review_requested",
                    actor_id=1,
                    created_at=created + 32,
                    requested_team_id=50,
                ),
            ]
            if pr.merged:
                pr.timeline.append(
                    TimelineEvent(
                        id=next_id + 10,
                        event="merged",
                        actor_id=1,
                        created_at=created + DAY,
                        commit_id=pr.merge_commit_sha,
                    )
                )
            if pr.state == "closed":
                pr.timeline.append(
                    TimelineEvent(
                        id=next_id + 11, event="closed", actor_id=1, created_at=created + DAY
                    )
                )
            repo.pulls[n] = pr
        else:
            issue = Issue(
                id=next_id,
                number=n,
                title=f"Issue {n}",
                body=None,
                author_id=[1, 2, 3, 4][n % 4],
                created_at=created,
                updated_at=created + 5 * DAY + n,
                labels=["bug"] if n % 4 else [],
                milestone_number=1 if n < 8 else None,
                assignee_ids=[3] if n in (2, 6) else [],
            )
            if n in (4, 8):
                issue.state, issue.closed_at, issue.closed_by_id = "closed", created + DAY, 2
                issue.state_reason = "completed"
            issue.comments = [
                IssueComment(
                    id=next_id + 1 + k,
                    user_id=1 + k,
                    body=f"c{k}",
                    created_at=created + 100 * k,
                    updated_at=created + 100 * k + n,
                )
                for k in range(n % 3)
            ]
            issue.timeline = [
                TimelineEvent(
                    id=next_id + 10,
                    event="milestoned",
                    actor_id=1,
                    created_at=created + 5,
                    milestone_title="Sprint 1",
                ),
                TimelineEvent(
                    id=next_id + 11,
                    event="assigned",
                    actor_id=1,
                    created_at=created + 6,
                    assignee_id=3,
                ),
            ]
            if issue.state == "closed":
                issue.timeline.append(
                    TimelineEvent(
                        id=next_id + 12,
                        event="closed",
                        actor_id=2,
                        created_at=created + DAY,
                        state_reason="completed",
                    )
                )
            repo.issues[n] = issue
    repo.next_number = 21

    for k in range(4):
        d = Deployment(
            id=500 + k,
            sha=repo.default_branch_shas[10 * k],
            ref="main",
            environment="production" if k % 2 else "staging",
            creator_id=1,
            created_at=T0 + 10 * k * DAY,
            updated_at=T0 + 10 * k * DAY + 600,
            production_environment=bool(k % 2),
        )
        d.statuses = [
            DeploymentStatus(
                id=600 + 10 * k,
                state="in_progress",
                creator_id=1,
                created_at=d.created_at + 10,
                updated_at=d.created_at + 10,
            ),
            DeploymentStatus(
                id=601 + 10 * k,
                state="failure" if k == 3 else "success",
                creator_id=None,
                created_at=d.created_at + 300,
                updated_at=d.created_at + 300,
                log_url="https://ci.example/1",
            ),
        ]
        repo.deployments.append(d)
    repo.workflows = [
        Workflow(id=700, name="CI", path=".github/workflows/ci.yml", created_at=T0, updated_at=T0),
        Workflow(
            id=701, name="Deploy", path=".github/workflows/deploy.yml", created_at=T0, updated_at=T0
        ),
    ]
    for k in range(40):
        repo.workflow_runs.append(
            WorkflowRun(
                id=800 + k,
                workflow_id=700 + k % 2,
                name="CI" if k % 2 == 0 else "Deploy",
                head_branch="main" if k % 3 else "feature/1",
                head_sha=repo.default_branch_shas[k],
                event="push" if k % 3 else "pull_request",
                status="completed" if k < 38 else "in_progress",
                conclusion=None if k >= 38 else ("failure" if k % 5 == 0 else "success"),
                run_number=k + 1,
                run_attempt=1 + (k == 7),
                created_at=T0 + k * DAY,
                updated_at=T0 + k * DAY + 900,
                run_started_at=T0 + k * DAY + 5,
                actor_id=[1, 2, 9][k % 3],
                pull_request_numbers=[1] if k % 3 == 0 else [],
            )
        )
    repo.releases = [
        Release(
            id=900 + k,
            tag_name=f"v1.{k}.0",
            name=f"v1.{k}",
            target_commitish="main",
            author_id=1 if k else None,
            created_at=T0 + 20 * k * DAY,
            published_at=T0 + 20 * k * DAY + 60,
        )
        for k in range(3)
    ]

    store.add_repo(
        Repository(
            id=201,
            name="web",
            owner_login="acme",
            created_at=T0,
            updated_at=T0 + 2 * DAY,
            pushed_at=T0 + DAY,
            private=False,
            language="TypeScript",
        )
    )
    return store  # fmt: skip


@pytest.fixture(scope="module")
def api() -> RestAPI:
    return RestAPI(build_rest_store())


def get(api: RestAPI, path: str, base: str = API, **params):
    query = {k: [str(v)] for k, v in params.items()}
    return api.handle("GET", path, query, base)


def walk(api: RestAPI, path: str, base: str = API, key: str | None = None, **params) -> list:
    """Follow rel="next" links to the end, as a client does; returns every item."""
    items: list = []
    result = get(api, path, base, **params)
    seen_pages = 0
    while True:
        assert result.status == 200, result.body
        items += result.body[key] if key else result.body
        seen_pages += 1
        assert seen_pages < 100
        nxt = _links(result.headers.get("Link", "")).get("next")
        if not nxt:
            return items
        parts = urlsplit(nxt)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}".startswith(base)
        query = parse_qs(parts.query)
        result = api.handle("GET", parts.path.removeprefix(urlsplit(base).path), query, base)


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


# --------------------------------------------------------------------------- pagination


def test_commit_pagination_walks_every_default_branch_commit_once_newest_first(api):
    items = walk(api, "/repos/acme/api/commits", per_page=7)
    shas = [c["sha"] for c in items]
    repo = api.store.repos["api"]
    assert shas == list(reversed(repo.default_branch_shas))
    assert len(set(shas)) == len(shas) == 45


def test_default_page_size_is_30_and_per_page_is_capped_at_100(api):
    assert len(get(api, "/repos/acme/api/commits").body) == 30
    assert len(get(api, "/repos/acme/api/commits", per_page=500).body) == 45
    assert len(get(api, "/repos/acme/api/pulls/20/commits", per_page=500).body) == 100


def test_link_header_has_githubs_format_with_absolute_urls_and_kept_params(api):
    first = get(api, "/repos/acme/api/commits", per_page=10, since="2024-01-02T00:00:00Z")
    assert first.headers["Link"] == (
        f"<{API}/repos/acme/api/commits?per_page=10&since=2024-01-02T00%3A00%3A00Z&page=2>; "
        f'rel="next", <{API}/repos/acme/api/commits?per_page=10'
        f'&since=2024-01-02T00%3A00%3A00Z&page=5>; rel="last"'
    )
    middle = _links(get(api, "/repos/acme/api/commits", per_page=10, page=3).headers["Link"])
    assert list(middle) == ["prev", "next", "last", "first"]
    assert middle["prev"].endswith("page=2") and middle["first"].endswith("page=1")
    last = get(api, "/repos/acme/api/commits", per_page=10, page=5)
    assert list(_links(last.headers["Link"])) == ["prev", "first"]
    assert "Link" not in get(api, "/repos/acme/api/commits", per_page=100).headers


def test_enterprise_api_base_is_used_in_links_and_urls(api):
    base = "http://127.0.0.1:9000/api/v3"
    items = walk(api, "/repos/acme/api/issues", base=base, state="all", per_page=6)
    assert len(items) == 20
    assert items[0]["url"].startswith(f"{base}/repos/acme/api/issues/")
    assert items[0]["html_url"].startswith("http://127.0.0.1:9000/acme/api/")


def test_pull_commits_are_capped_at_250_like_github(api):
    commits = walk(api, "/repos/acme/api/pulls/20/commits", per_page=100)
    assert len(commits) == 250
    assert commits[0]["sha"] == api.store.repos["api"].pulls[20].commit_shas[0]
    assert get(api, "/repos/acme/api/pulls/20").body["commits"] == 260


def test_every_list_endpoint_matches_store_counts_when_walked(api):
    repo = api.store.repos["api"]
    n_reviews = sum(len(p.reviews) for p in repo.pulls.values())
    assert sum(len(walk(api, f"/repos/acme/api/pulls/{n}/reviews", per_page=1))
               for n in repo.pulls) == n_reviews  # fmt: skip
    assert len(walk(api, "/repos/acme/api/pulls", state="all", per_page=5)) == len(repo.pulls)
    assert len(walk(api, "/repos/acme/api/pulls/comments", per_page=4)) == sum(
        len(p.review_comments) for p in repo.pulls.values()
    )
    assert len(walk(api, "/repos/acme/api/issues/comments", per_page=4)) == sum(
        len(i.comments) for i in [*repo.issues.values(), *repo.pulls.values()]
    )
    assert len(walk(api, "/repos/acme/api/issues/events", per_page=9)) == sum(
        len(i.timeline) for i in [*repo.issues.values(), *repo.pulls.values()]
    )
    runs = walk(api, "/repos/acme/api/actions/runs", key="workflow_runs", per_page=15)
    assert len({r["id"] for r in runs}) == 40
    assert get(api, "/repos/acme/api/actions/runs").body["total_count"] == 40
    assert len(walk(api, "/orgs/acme/repos")) == 2
    assert [m["login"] for m in walk(api, "/orgs/acme/members")] == ["alice", "bob", "carol"]


# --------------------------------------------------------------------------- filters and sorting


def test_commits_since_and_until_filter_on_commit_date(api):
    items = walk(api, "/repos/acme/api/commits", since=iso(T0 + 10 * DAY),
                 until="2024-01-20T00:00:00Z")  # fmt: skip
    dates = [c["commit"]["committer"]["date"] for c in items]
    assert dates[0] == "2024-01-20T00:00:00Z" and dates[-1] == "2024-01-11T00:00:00Z"
    assert len(items) == 10


def test_commits_sha_param_starts_history_at_that_commit_or_branch(api):
    repo = api.store.repos["api"]
    start = repo.default_branch_shas[9]
    assert [c["sha"] for c in walk(api, "/repos/acme/api/commits", sha=start)] == list(
        reversed(repo.default_branch_shas[:10])
    )
    branch = walk(api, "/repos/acme/api/commits", sha="feature/3", per_page=100)
    assert [c["sha"] for c in branch[:3]] == list(reversed(repo.pulls[3].commit_shas))
    assert branch[3]["sha"] == repo.pulls[3].base_sha
    assert get(api, "/repos/acme/api/commits", sha="no-such-branch").status == 404


def test_commits_author_filter_accepts_login_or_email(api):
    by_login = walk(api, "/repos/acme/api/commits", author="bob")
    assert len(by_login) == 9 and {c["author"]["login"] for c in by_login} == {"bob"}
    unlinked = walk(api, "/repos/acme/api/commits", author="contractor@example.com")
    assert len(unlinked) == 9 and all(c["author"] is None for c in unlinked)
    assert unlinked[0]["commit"]["author"]["email"] == "contractor@example.com"


def test_pulls_state_filter_and_default_open(api):
    repo = api.store.repos["api"]
    open_numbers = {p["number"] for p in walk(api, "/repos/acme/api/pulls")}
    assert open_numbers == {n for n, p in repo.pulls.items() if p.state == "open"}
    closed = walk(api, "/repos/acme/api/pulls", state="closed")
    assert {p["number"] for p in closed} == {1, 5, 13, 15, 17}
    assert all(p["state"] == "closed" for p in closed)


def test_pulls_sort_and_direction_follow_github_defaults(api):
    created = [p["number"] for p in walk(api, "/repos/acme/api/pulls", state="all")]
    assert created == sorted(created, reverse=True)  # created, desc by default
    updated = walk(api, "/repos/acme/api/pulls", state="all", sort="updated")
    stamps = [p["updated_at"] for p in updated]
    assert stamps == sorted(stamps)  # any other sort defaults to asc
    desc = walk(api, "/repos/acme/api/pulls", state="all", sort="updated", direction="desc")
    assert [p["updated_at"] for p in desc] == sorted(stamps, reverse=True)
    assert [p["number"] for p in walk(api, "/repos/acme/api/pulls", state="all",
                                      head="acme:feature/9")] == [9]  # fmt: skip


def test_issues_include_pull_requests_with_pull_request_key(api):
    items = walk(api, "/repos/acme/api/issues", state="all")
    prs = [i for i in items if "pull_request" in i]
    assert len(prs) == 11 and len(items) == 20
    merged = next(i for i in prs if i["number"] == 1)
    assert merged["pull_request"]["merged_at"] is not None
    assert merged["pull_request"]["url"] == f"{API}/repos/acme/api/pulls/1"
    assert merged["html_url"].endswith("/acme/api/pull/1")
    assert len({i["id"] for i in items}) == 20  # a PR's issue id differs from its PR id


def test_issues_since_is_updated_at_or_after(api):
    since = "2024-01-16T00:00:00Z"
    items = walk(api, "/repos/acme/api/issues", state="all", since=since)
    assert items and all(i["updated_at"] >= since for i in items)
    repo = api.store.repos["api"]
    expected = [i for i in [*repo.issues.values(), *repo.pulls.values()]
                if i.updated_at >= T0 + 15 * DAY]  # fmt: skip
    assert len(items) == len(expected)


def test_issues_filter_by_labels_milestone_assignee_creator(api):
    assert {i["number"] for i in walk(api, "/repos/acme/api/issues", state="all",
                                      labels="bug,points:3")} == {3, 9, 15}  # fmt: skip
    none = walk(api, "/repos/acme/api/issues", state="all", milestone="none")
    assert all(i["milestone"] is None for i in none)
    sprint1 = walk(api, "/repos/acme/api/issues", state="all", milestone="1")
    assert {i["number"] for i in sprint1} == {2, 4, 6}
    assert {i["number"] for i in walk(api, "/repos/acme/api/issues", assignee="carol")} == {2, 6}
    assert {i["user"]["login"] for i in walk(api, "/repos/acme/api/issues", state="all",
                                             creator="dave")} == {"dave"}  # fmt: skip


def test_issues_sort_by_comments_and_updated(api):
    items = walk(api, "/repos/acme/api/issues", state="all", sort="comments", direction="asc")
    counts = [i["comments"] for i in items]
    assert counts == sorted(counts)
    items = walk(api, "/repos/acme/api/issues", state="all", sort="updated")
    stamps = [i["updated_at"] for i in items]
    assert stamps == sorted(stamps, reverse=True)


def test_comment_endpoints_honour_since_sort_and_direction(api):
    since = "2024-01-10T00:00:00Z"
    comments = walk(api, "/repos/acme/api/issues/comments", since=since)
    assert comments and all(c["updated_at"] >= since for c in comments)
    created = [c["created_at"] for c in walk(api, "/repos/acme/api/issues/comments")]
    assert created == sorted(created)
    desc = walk(api, "/repos/acme/api/pulls/comments", sort="updated", direction="desc")
    assert [c["updated_at"] for c in desc] == sorted((c["updated_at"] for c in desc), reverse=True)
    reply = next(c for c in desc if c["body"] == "agree")
    assert reply["in_reply_to_id"] == reply["pull_request_review_id"] + 2


def test_workflow_runs_filters_including_created_date_ranges(api):
    def ids(**params):
        return {r["id"] for r in walk(api, "/repos/acme/api/actions/runs", key="workflow_runs",
                                      per_page=100, **params)}  # fmt: skip

    assert ids(created="2024-01-01..2024-01-05") == {800, 801, 802, 803, 804}
    assert ids(created=">=2024-02-08") == {838, 839}
    assert ids(created="<2024-01-03") == {800, 801}
    assert ids(created="2024-01-02") == {801}
    assert ids(status="in_progress") == {838, 839}
    assert ids(status="failure") == {800 + k for k in range(0, 38, 5)}
    assert ids(branch="feature/1", event="pull_request") == {800 + k for k in range(0, 40, 3)}
    assert ids(actor="dependabot[bot]") == {800 + k for k in range(2, 40, 3)}
    assert get(api, "/repos/acme/api/actions/workflows/deploy.yml/runs").body["total_count"] == 20
    assert get(api, "/repos/acme/api/actions/runs", created="last week").status == 422


def test_deployments_filter_and_statuses_newest_first(api):
    prod = walk(api, "/repos/acme/api/deployments", environment="production")
    assert [d["id"] for d in prod] == [503, 501]
    statuses = walk(api, "/repos/acme/api/deployments/503/statuses")
    assert [s["state"] for s in statuses] == ["failure", "in_progress"]
    assert statuses[0]["creator"] is None


def test_milestones_state_and_counts(api):
    assert [m["number"] for m in walk(api, "/repos/acme/api/milestones")] == [2]
    closed = walk(api, "/repos/acme/api/milestones", state="closed")
    assert closed[0]["open_issues"] == 2 and closed[0]["closed_issues"] == 1


# --------------------------------------------------------------------------- single objects


def test_single_commit_files_sum_to_stats(api):
    repo = api.store.repos["api"]
    for sha in repo.default_branch_shas[::4]:
        body = get(api, f"/repos/acme/api/commits/{sha}").body
        commit = repo.commits[sha]
        assert body["stats"] == {
            "total": commit.additions + commit.deletions,
            "additions": commit.additions,
            "deletions": commit.deletions,
        }
        assert len(body["files"]) == commit.changed_files
        assert sum(f["additions"] for f in body["files"]) == commit.additions
        assert sum(f["deletions"] for f in body["files"]) == commit.deletions
        assert all(f["changes"] == f["additions"] + f["deletions"] for f in body["files"])
        assert body["files"] == get(api, f"/repos/acme/api/commits/{sha[:10]}").body["files"]


def test_files_for_commit_is_deterministic_and_exact_for_large_commits():
    commit = Commit(sha=fake_sha("big"), message="m", author_name="a", author_email="a@x",
                    authored_at=T0, committer_name="a", committer_email="a@x", committed_at=T0,
                    additions=12345, deletions=678, changed_files=150)  # fmt: skip
    files = files_for_commit(commit)
    assert files == files_for_commit(commit)
    assert len(files) == 150 and len({f["filename"] for f in files}) == 150
    assert sum(f["additions"] for f in files) == 12345
    assert sum(f["deletions"] for f in files) == 678
    assert all(f["changes"] > 0 for f in files)
    assert all(f["deletions"] == 0 for f in files if f["status"] == "added")


def test_commit_author_is_linked_user_and_git_identity_is_separate(api):
    repo = api.store.repos["api"]
    linked = get(api, f"/repos/acme/api/commits/{repo.default_branch_shas[0]}").body
    assert linked["author"]["login"] == "alice"
    assert linked["commit"]["author"] == {
        "name": "alice",
        "email": "alice@example.com",
        "date": "2023-12-31T23:50:00Z",
    }
    assert linked["commit"]["committer"]["date"] == "2024-01-01T00:00:00Z"
    unlinked = get(api, f"/repos/acme/api/commits/{repo.default_branch_shas[4]}").body
    assert unlinked["author"] is None and unlinked["commit"]["author"]["name"] == "contractor"


def test_full_pull_request_has_merge_and_size_fields(api):
    pr = get(api, "/repos/acme/api/pulls/5").body
    assert pr["merged"] is True and pr["merged_by"]["login"] == "alice"
    assert pr["merge_commit_sha"] == fake_sha("merge", 5)
    assert (pr["comments"], pr["review_comments"], pr["commits"]) == (1, 2, 3)
    assert (pr["additions"], pr["deletions"], pr["changed_files"]) == (35, 5, 4)
    assert pr["user"]["login"] == "ghost"
    bot = get(api, "/repos/acme/api/pulls/3").body
    assert bot["user"]["login"] == "dependabot[bot]" and bot["user"]["type"] == "Bot"
    assert get(api, "/repos/acme/api/pulls/9").body["draft"] is True
    requested = get(api, "/repos/acme/api/pulls/11").body
    assert [u["login"] for u in requested["requested_reviewers"]] == ["bob"]
    assert [t["slug"] for t in requested["requested_teams"]] == ["platform"]


def test_author_association_reflects_membership(api):
    assert get(api, "/repos/acme/api/pulls/13").body["author_association"] == "MEMBER"
    assert get(api, "/repos/acme/api/pulls/3").body["author_association"] == "NONE"  # bot
    dave = get(api, "/repos/acme/api/issues/11").body  # dave has default-branch commits
    assert dave["user"]["login"] == "dave" and dave["author_association"] == "CONTRIBUTOR"


def test_review_with_deleted_author_is_rendered_as_ghost(api):
    reviews = get(api, "/repos/acme/api/pulls/1/reviews").body
    assert [r["state"] for r in reviews] == ["COMMENTED", "APPROVED"]
    assert reviews[1]["user"]["login"] == "ghost" and reviews[1]["user"]["id"] == GHOST_USER_ID
    one = get(api, f"/repos/acme/api/pulls/1/reviews/{reviews[0]['id']}").body
    assert one == reviews[0]


def test_timeline_merges_events_comments_reviews_and_commits_in_time_order(api):
    timeline = walk(api, "/repos/acme/api/issues/5/timeline")
    kinds = [t["event"] for t in timeline]
    assert kinds.count("committed") == 3 and kinds.count("reviewed") == 2
    assert kinds.count("commented") == 1 and "merged" in kinds and "head_ref_force_pushed" in kinds
    assert kinds[0] == "committed"
    events = walk(api, "/repos/acme/api/issues/5/events")
    assert {e["event"] for e in events} == {"review_requested", "labeled", "head_ref_force_pushed",
                                            "merged", "closed"}  # fmt: skip
    merged = next(e for e in events if e["event"] == "merged")
    assert merged["commit_id"] == fake_sha("merge", 5)


def test_repo_issue_events_are_newest_first_and_carry_their_issue(api):
    events = walk(api, "/repos/acme/api/issues/events", per_page=100)
    stamps = [e["created_at"] for e in events]
    assert stamps == sorted(stamps, reverse=True)
    assert all("number" in e["issue"] for e in events)


def test_user_org_team_and_authenticated_user_lookups(api):
    assert get(api, "/user").body["login"] == "alice"
    assert get(api, "/users/dependabot[bot]").body["type"] == "Bot"
    assert get(api, "/users/acme").body["type"] == "Organization"
    assert get(api, "/orgs/acme").body["login"] == "acme"
    team = get(api, "/orgs/acme/teams/web").body
    assert team["parent"]["slug"] == "platform" and team["members_count"] == 1
    maint = get(api, "/orgs/acme/teams/platform/members", role="maintainer").body
    assert [m["login"] for m in maint] == ["alice"]
    names = [r["full_name"] for r in get(api, "/orgs/acme/repos", sort="full_name").body]
    assert names == ["acme/api", "acme/web"]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "path",
    [
        "/repos/acme/nope",
        "/repos/other/api/pulls",
        "/repos/acme/api/pulls/2",  # 2 is an issue, not a PR
        "/repos/acme/api/issues/999",
        "/orgs/other",
        "/orgs/acme/teams/nope",
        "/users/nobody",
        "/repos/acme/api/deployments/1/statuses",
        "/repos/acme/api/actions/runs/1",
    ],
)
def test_unknown_objects_are_404_with_github_shape(api, path):
    result = get(api, path)
    assert result.status == 404
    assert result.body["message"] == "Not Found"
    assert result.body["documentation_url"].startswith("https://docs.github.com/rest")


def test_unknown_route_is_404_not_found(api):
    result = get(api, "/nothing/here")
    assert (result.status, result.body, result.endpoint) == (
        404,
        {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
        "unknown",
    )


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/repos/acme/api/pulls", {"state": "merged"}, "state"),
        ("/repos/acme/api/issues", {"sort": "votes"}, "sort"),
        ("/repos/acme/api/issues", {"since": "yesterday"}, "since"),
        ("/repos/acme/api/commits", {"until": "2024-13-01"}, "until"),
        ("/repos/acme/api/pulls", {"direction": "up"}, "direction"),
    ],
)
def test_bad_parameters_are_422_validation_failed(api, path, params, field):
    result = get(api, path, **params)
    assert result.status == 422
    assert result.body["message"] == "Validation Failed"
    assert result.body["errors"][0]["field"] == field


def test_unknown_commit_is_422_no_commit_found(api):
    result = get(api, "/repos/acme/api/commits/deadbeefdeadbeef")
    assert result.status == 422
    assert result.body["message"] == "No commit found for SHA: deadbeefdeadbeef"


def test_endpoint_is_the_route_template(api):
    assert get(api, "/repos/acme/api/pulls/1/reviews").endpoint == (
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"
    )
    assert get(api, "/rate_limit").endpoint == "GET /rate_limit"
    assert api.handle("POST", "/repos/acme/api/pulls", {}, API).status == 404


def test_malformed_recorded_values_are_served_as_recorded():
    store = build_rest_store()
    repo = store.repos["api"]
    commit = repo.commits[repo.default_branch_shas[0]]
    commit.additions = "lots"  # type: ignore[assignment]  # as recorded.py keeps a bad value
    repo.pulls[1].created_at = "yesterday"
    api = RestAPI(store)
    body = get(api, f"/repos/acme/api/commits/{commit.sha}").body
    assert body["stats"] == {"total": None, "additions": "lots", "deletions": commit.deletions}
    assert len(body["files"]) == commit.changed_files
    assert get(api, "/repos/acme/api/pulls/1").body["created_at"] == "yesterday"
    assert len(walk(api, "/repos/acme/api/pulls", state="all")) == len(repo.pulls)
