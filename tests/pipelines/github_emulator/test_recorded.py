"""Loading recorded GitHub REST objects (`--load DIR`) into the emulator's Store.

Most tests read the sample recording in tests/fixtures/recorded (two repositories of
`northwind-labs`, two records malformed on purpose: see MALFORMED.md there); edge cases use
tiny recordings written to a temporary folder.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from pathlib import Path

import httpx
import pytest

from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.graphql_api import GraphQLAPI
from pipelines.github_emulator.model import GHOST_USER_ID, Store, parse_ts
from pipelines.github_emulator.recorded import load_recorded
from pipelines.github_emulator.rest_api import RestAPI

RECORDING = Path(__file__).parents[2] / "fixtures" / "recorded"
ORG = "northwind-labs"
API = "https://api.github.com"
API_BASE = "http://127.0.0.1:9"
MALFORMED = {("pull_requests", 3), ("commits", 0)}  # as listed in MALFORMED.md
RATE_LIMIT = {
    "cost": 1,
    "limit": 5000,
    "remaining": 4999,
    "used": 1,
    "resetAt": "2024-03-14T00:00:00Z",
    "nodeCount": 1,
}


@pytest.fixture(scope="module")
def store() -> Store:
    return load_recorded(RECORDING)


def records(name: str) -> list[dict]:
    data = json.loads((RECORDING / f"{name}.json").read_text())
    return data["workflow_runs"] if name == "workflow_runs" else data


def write(directory: Path, **files: object) -> Path:
    for name, data in files.items():
        (directory / f"{name}.json").write_text(json.dumps(data))
    return directory


def user(login: str, uid: int, kind: str = "User") -> dict:
    return {"login": login, "id": uid, "type": kind, "site_admin": False}


def pull(repo: str, number: int, **fields: object) -> dict:
    return {
        "id": 900 + number,
        "number": number,
        "url": f"{API}/repos/{ORG}/{repo}/pulls/{number}",
        "title": f"PR {number}",
        "user": user("alice", 1),
        "state": "open",
        "created_at": "2024-03-01T10:00:00Z",
        "updated_at": "2024-03-01T10:00:00Z",
        "head": {"ref": f"topic-{number}", "sha": "a" * 40},
        "base": {"ref": "main", "sha": "b" * 40},
        **fields,
    }


def commit(repo: str, sha: str, date: str, **fields: object) -> dict:
    person = {"name": "Alice", "email": "alice@example.com", "date": date}
    return {
        "sha": sha,
        "url": f"{API}/repos/{ORG}/{repo}/commits/{sha}",
        "commit": {"message": f"change {sha[:4]}", "author": person, "committer": person},
        "author": user("alice", 1),
        "committer": user("alice", 1),
        **fields,
    }


# --------------------------------------------------------------------------- the sample


def test_sample_recording_ground_truth_counts_every_entity(store: Store) -> None:
    truth = store.ground_truth()
    assert truth == {
        "repositories": 2,
        "commits": 10,
        "pull_requests": 7,
        "pull_request_reviews": 8,
        "pull_request_commits": 2,
        "pull_request_review_comments": 2,
        "pull_request_comments": 2,
        "pull_request_timeline": 12,  # 5 merged PRs x (merged, closed) + 1 closed + 1 recorded
        "issues": 5,
        "issue_comments": 4,
        "issue_timeline": 5,
        "labels": 8,
        "milestones": 1,
        "deployments": 2,
        "deployment_statuses": 4,
        "workflows": 2,
        "workflow_runs": 2,
        "releases": 1,
        "teams": 2,
        "team_members": 5,
        "users": 7,  # 4 people, dependabot[bot], github-actions[bot], web-flow
    }
    assert store.load_warnings == []


def test_sample_records_have_githubs_rest_shapes_except_the_documented_malformed_ones() -> None:
    models = pytest.importorskip("githubkit.versions.latest.models")
    shapes = {
        "repositories": models.Repository,
        "commits": models.Commit,
        "reviews": models.PullRequestReview,
        "review_comments": models.PullRequestReviewComment,
        "issues": models.Issue,
        "comments": models.IssueComment,
        "issue_events": models.IssueEvent,
        "deployments": models.Deployment,
        "deployment_statuses": models.DeploymentStatus,
        "workflow_runs": models.WorkflowRun,
        "teams": models.Team,
        "labels": models.Label,
        "milestones": models.Milestone,
        "releases": models.Release,
    }
    invalid = set()
    for name in [*shapes, "pull_requests"]:
        for index, rec in enumerate(records(name)):
            model = shapes.get(name) or (
                models.PullRequest if "additions" in rec else models.PullRequestSimple
            )
            try:
                model.model_validate(rec)
            except ValueError:
                invalid.add((name, index))
    for commits in records("pr_commits").values():
        for rec in commits:
            models.Commit.model_validate(rec)
    assert invalid == MALFORMED


def test_malformed_sample_records_are_loaded_with_their_raw_values(store: Store) -> None:
    orders = store.repos["orders-api"]
    assert orders.pulls[5].created_at == "yesterday"
    assert orders.pulls[5].title == "Cache price lookups"
    assert orders.pulls[5].id == 1770000105
    bad_commit = orders.commits[records("commits")[0]["sha"]]
    assert bad_commit.additions == "lots"
    assert bad_commit.deletions == 12
    assert bad_commit.changed_files == 1


def test_recorded_ids_are_kept_and_derived_ids_start_above_the_largest(store: Store) -> None:
    orders = store.repos["orders-api"]
    assert (store.org.id, store.org.login) == (90211001, ORG)
    assert [r.id for r in store.repos.values()] == [812340001, 812340002]
    assert orders.pulls[1].id == 1770000101
    assert [r.id for r in orders.pulls[1].reviews] == [1880000001, 1880000002]
    assert orders.issues[3].id == 1660000103
    ids = re.findall(r'"id": (\d+)', "".join(p.read_text() for p in RECORDING.glob("*.json")))
    largest = max(map(int, ids))
    assert largest == 9500000001  # the release
    derived = [e.id for e in orders.pulls[1].timeline]
    assert min(derived) > largest
    assert store.new_id() > max(derived)


def test_users_come_from_embedded_objects_with_their_types(store: Store) -> None:
    logins = {u.login: (u.id, u.type) for u in store.users.values() if u.id != GHOST_USER_ID}
    assert logins == {
        "alice-ng": (5100201, "User"),
        "bob-okafor": (5100202, "User"),
        "chen-li": (5100203, "User"),
        "dana-kowalski": (5100204, "User"),
        "web-flow": (19864447, "User"),
        "dependabot[bot]": (49699333, "Bot"),
        "github-actions[bot]": (41898282, "Bot"),
    }
    bot = store.user_by_login("dependabot[bot]")
    assert bot is store.user_by_login("dependabot")
    assert bot.graphql_login == "dependabot"
    assert store.repos["orders-api"].pulls[2].author_id == 49699333
    assert store.user_by_login(ORG) is None  # the organisation is not a user


def test_default_branch_history_is_commits_json_by_committer_date(store: Store) -> None:
    orders = store.repos["orders-api"]
    history = [orders.commits[sha] for sha in orders.default_branch_shas]
    dates = [c.committed_at for c in history]
    assert dates == sorted(dates) and len(history) == 6
    assert history[0].message == "Initial order service skeleton"
    assert history[0].parents == ()
    assert all(c.parents == (p.sha,) for p, c in itertools.pairwise(history))
    assert orders.head_sha == history[-1].sha
    contractor = next(c for c in history if c.message == "docs: document order states")
    assert (contractor.author_id, contractor.author_email) == (None, "sam@contractor.example.org")
    squash = next(c for c in history if c.message.startswith("fix: reject negative"))
    assert (squash.additions, squash.deletions, squash.changed_files) == (24, 7, 2)
    assert squash.author_id == 5100203 and squash.committer_id == 19864447


def test_pr_commits_json_gives_a_prs_commits_off_the_default_branch(store: Store) -> None:
    orders = store.repos["orders-api"]
    shas = orders.pulls[1].commit_shas
    assert [orders.commits[s].message for s in shas] == [
        "Add order validation",
        "Address review: validate currency",
    ]
    assert not any(orders.commits[s].on_default_branch for s in shas)
    assert set(shas).isdisjoint(orders.default_branch_shas)
    assert orders.pulls[4].commit_shas == []


def test_merged_pr_gets_merged_then_closed_events_at_recorded_times(store: Store) -> None:
    pr = store.repos["orders-api"].pulls[1]
    assert [(e.event, e.created_at, e.actor_id) for e in pr.timeline] == [
        ("merged", parse_ts("2024-03-05T14:30:00Z"), 5100201),
        ("closed", parse_ts("2024-03-05T14:30:00Z"), 5100201),
    ]
    assert pr.timeline[0].commit_id == pr.merge_commit_sha
    assert pr.merged and pr.merged_by_id == 5100201
    assert (pr.additions, pr.deletions, pr.changed_files) == (96, 4, 3)


def test_closed_unmerged_pr_gets_only_a_closed_event(store: Store) -> None:
    pr = store.repos["web-shop"].pulls[4]
    assert [(e.event, e.created_at) for e in pr.timeline] == [
        ("closed", parse_ts("2024-03-11T09:30:00Z"))
    ]
    assert pr.draft is True and not pr.merged


def test_closed_issue_gets_a_closed_event_after_its_recorded_events(store: Store) -> None:
    issue = store.repos["orders-api"].issues[3]
    assert [(e.event, e.actor_id, e.state_reason, e.label) for e in issue.timeline] == [
        ("labeled", 5100204, None, "bug"),
        ("closed", 5100203, "completed", None),
    ]
    not_planned = store.repos["web-shop"].issues[5]
    assert [(e.event, e.state_reason) for e in not_planned.timeline] == [("closed", "not_planned")]
    assert store.repos["orders-api"].issues[6].timeline == []


def test_open_pr_keeps_its_recorded_review_request_and_pending_reviewer(store: Store) -> None:
    pr = store.repos["orders-api"].pulls[5]
    assert pr.state == "open"
    assert [(e.event, e.actor_id, e.requested_reviewer_id) for e in pr.timeline] == [
        ("review_requested", 5100201, 5100202)
    ]
    assert pr.requested_reviewer_ids == [5100202]


def test_issues_list_item_with_pull_request_key_is_not_an_issue(store: Store) -> None:
    orders = store.repos["orders-api"]
    assert sorted(orders.issues) == [3, 6, 7]
    assert sorted(orders.pulls) == [1, 2, 4, 5]
    assert orders.next_number == 8
    assert store.repos["web-shop"].next_number == 6


def test_comments_reviews_and_review_comments_land_on_their_issue_or_pr(store: Store) -> None:
    orders, shop = store.repos["orders-api"], store.repos["web-shop"]
    assert [c.id for c in orders.pulls[1].comments] == [2550000001]
    assert [c.id for c in orders.issues[3].comments] == [2550000002, 2550000003]
    assert orders.issues[7].comments[0].user_id == 41898282
    assert [(r.state, r.user_id) for r in orders.pulls[1].reviews] == [
        ("CHANGES_REQUESTED", 5100201),
        ("APPROVED", 5100201),
    ]
    (comment,) = shop.pulls[2].review_comments
    assert (comment.review_id, comment.path, comment.line) == (1880000007, "src/cart.ts", 42)


def test_labels_milestones_teams_and_delivery_records(store: Store) -> None:
    orders, shop = store.repos["orders-api"], store.repos["web-shop"]
    assert sorted(orders.labels) == [
        "bug",
        "dependencies",
        "documentation",
        "enhancement",
        "incident",
    ]
    assert sorted(shop.labels) == ["bug", "enhancement", "wontfix"]  # from embedded labels
    assert shop.labels["wontfix"].id == 6100106
    assert orders.milestones[1].title == "v0.1"
    assert orders.issues[3].milestone_number == 1 and orders.pulls[4].labels == ["bug"]
    assert [d.id for d in orders.deployments] == [1930000001, 1930000002]
    assert [s.state for s in orders.deployments[0].statuses] == ["in_progress", "failure"]
    assert [(w.id, w.name, w.path) for w in shop.workflows] == [
        (88000002, "CI", ".github/workflows/ci.yml")
    ]
    assert shop.workflow_runs[0].pull_request_numbers == [4]
    assert [r.tag_name for r in orders.releases] == ["v0.1.0"]
    backend = store.team_by_slug("backend")
    assert backend.member_ids == [5100201, 5100202, 5100203]
    assert store.org.member_ids == [5100201, 5100202, 5100203, 5100204]


def test_org_login_serves_the_recording_under_that_login() -> None:
    renamed = load_recorded(RECORDING, org_login="acme-corp")
    assert renamed.org.login == "acme-corp"
    assert renamed.repo("acme-corp", "orders-api") is not None
    assert renamed.repos["web-shop"].full_name == "acme-corp/web-shop"
    assert renamed.ground_truth()["pull_requests"] == 7


# --------------------------------------------------------------------------- derivations


def test_repositories_are_derived_from_urls_without_repositories_json(tmp_path: Path) -> None:
    bare = write(
        tmp_path,
        commits=[
            commit("svc", "c" * 40, "2024-03-02T10:00:00Z", parents=[{"sha": "0" * 40}]),
            commit("svc", "d" * 40, "2024-03-03T10:00:00Z"),
            commit("svc", "e" * 40, "2024-03-04T10:00:00Z"),
        ],
        issues=[
            {
                "id": 77,
                "number": 3,
                "title": "From the html url only",
                "html_url": f"https://github.com/{ORG}/tools/issues/3",
                "user": None,
                "state": "closed",
                "closed_at": "2024-03-05T00:00:00Z",
                "created_at": "2024-03-01T00:00:00Z",
                "updated_at": "2024-03-05T00:00:00Z",
            }
        ],
    )
    store = load_recorded(bare)
    assert store.org.login == ORG and store.org.id > 77
    svc, tools = store.repos["svc"], store.repos["tools"]
    assert svc.id > 77 and tools.id > svc.id
    assert svc.default_branch_shas == ["c" * 40, "d" * 40, "e" * 40]
    assert svc.commits["c" * 40].parents == ("0" * 40,)  # recorded parents are kept
    assert svc.commits["e" * 40].parents == ("d" * 40,)  # absent ones: the previous commit
    assert svc.pushed_at == parse_ts("2024-03-04T10:00:00Z") == svc.updated_at
    assert svc.created_at is None and svc.language is None
    assert tools.issues[3].author_id is None
    assert [e.event for e in tools.issues[3].timeline] == ["closed"]
    assert tools.next_number == 4


def test_repository_details_come_from_an_embedded_base_repo(tmp_path: Path) -> None:
    base_repo = {
        "id": 4242,
        "name": "svc",
        "full_name": f"{ORG}/svc",
        "owner": user(ORG, 31, "Organization"),
        "default_branch": "trunk",
        "language": "Go",
        "created_at": "2023-01-01T00:00:00Z",
    }
    store = load_recorded(
        write(tmp_path, pull_requests=[pull("svc", 1, base={"ref": "trunk", "repo": base_repo})])
    )
    svc = store.repos["svc"]
    assert (svc.id, svc.default_branch, svc.language) == (4242, "trunk", "Go")
    assert svc.created_at == parse_ts("2023-01-01T00:00:00Z")
    assert store.org.id == 31 and 31 not in store.users


def test_lenient_loading_keeps_malformed_values_as_recorded(tmp_path: Path) -> None:
    untitled = pull("svc", 2, created_at="not-a-date", user=None, additions="many")
    del untitled["title"]
    store = load_recorded(
        write(
            tmp_path,
            pull_requests=[untitled],
            commits=[commit("svc", "f" * 40, "2024-13-45", stats={"additions": None})],
        )
    )
    pr = store.repos["svc"].pulls[2]
    assert (pr.created_at, pr.title, pr.author_id, pr.additions) == (
        "not-a-date",
        None,
        None,
        "many",
    )
    assert store.repos["svc"].commits["f" * 40].committed_at == "2024-13-45"
    assert store.repos["svc"].commits["f" * 40].additions is None
    assert store.load_warnings == []


def test_issues_item_of_a_pr_fills_the_prs_empty_labels_and_milestone(tmp_path: Path) -> None:
    as_issue = {
        "id": 5001,
        "number": 1,
        "url": f"{API}/repos/{ORG}/svc/issues/1",
        "repository_url": f"{API}/repos/{ORG}/svc",
        "labels": [{"id": 61, "name": "bug", "color": "d73a4a"}],
        "milestone": {"id": 71, "number": 2, "title": "Q2"},
        "assignees": [user("bob", 2)],
        "pull_request": {"url": f"{API}/repos/{ORG}/svc/pulls/1", "merged_at": None},
    }
    store = load_recorded(write(tmp_path, pull_requests=[pull("svc", 1)], issues=[as_issue]))
    svc = store.repos["svc"]
    pr = svc.pulls[1]
    assert (pr.labels, pr.milestone_number, pr.assignee_ids) == (["bug"], 2, [2])
    assert svc.issues == {} and svc.labels["bug"].id == 61 and svc.milestones[2].title == "Q2"


def test_list_and_single_shapes_of_one_record_are_merged(tmp_path: Path) -> None:
    listed = pull("svc", 1)
    single = pull("svc", 1, additions=10, deletions=2, changed_files=1, title="Renamed")
    sha = "9" * 40
    store = load_recorded(
        write(
            tmp_path,
            pull_requests=[listed, single],
            commits=[
                commit("svc", sha, "2024-03-01T00:00:00Z"),
                commit("svc", sha, "2024-03-01T00:00:00Z", stats={"additions": 5, "deletions": 1}),
            ],
        )
    )
    svc = store.repos["svc"]
    assert len(svc.pulls) == 1 and svc.pulls[1].title == "Renamed" and svc.pulls[1].additions == 10
    assert svc.default_branch_shas == [sha] and svc.commits[sha].additions == 5


def test_timeline_json_items_become_events_comments_reviews_and_commits(tmp_path: Path) -> None:
    key = f"{ORG}/svc#1"
    timeline = {
        key: [
            {"id": 11, "event": "ready_for_review", "actor": user("alice", 1),
             "created_at": "2024-03-01T11:00:00Z"},
            {"id": 12, "event": "commented", "user": user("bob", 2), "body": "hi",
             "created_at": "2024-03-01T12:00:00Z", "updated_at": "2024-03-01T12:00:00Z"},
            {"id": 13, "event": "reviewed", "user": user("bob", 2), "state": "approved",
             "submitted_at": "2024-03-01T13:00:00Z", "commit_id": "7" * 40},
            {"sha": "7" * 40, "event": "committed", "message": "wip", "parents": [],
             "author": {"name": "A", "email": "a@x", "date": "2024-03-01T10:30:00Z"},
             "committer": {"name": "A", "email": "a@x", "date": "2024-03-01T10:30:00Z"}},
            {"id": 14, "event": "subscribed", "actor": user("bob", 2),
             "created_at": "2024-03-01T12:00:00Z"},
        ]
    }  # fmt: skip
    store = load_recorded(write(tmp_path, pull_requests=[pull("svc", 1)], timeline=timeline))
    pr = store.repos["svc"].pulls[1]
    assert [e.event for e in pr.timeline] == ["ready_for_review"]
    assert [(c.id, c.body) for c in pr.comments] == [(12, "hi")]
    assert [(r.id, r.state) for r in pr.reviews] == [(13, "approved")]
    assert pr.commit_shas == ["7" * 40]
    assert store.load_warnings == [
        f"timeline.json['{key}'][4]: skipped, event kind 'subscribed' is not modelled "
        "by the emulator"
    ]


# --------------------------------------------------------------------------- skipped records


def test_unplaceable_records_are_skipped_and_reported(tmp_path: Path, caplog) -> None:
    numberless = pull("svc", 3)
    del numberless["number"], numberless["url"]
    numberless["base"] = {"ref": "main", "repo": {"full_name": f"{ORG}/svc"}}
    recording = write(
        tmp_path,
        pull_requests=[pull("svc", 1), numberless, pull("svc", 2, url=None), "not an object"],
        commits=[
            commit("svc", "1" * 40, "2024-03-01T00:00:00Z"),
            {"sha": "2" * 40, "commit": {"message": "no url"}},
            commit("other", "3" * 40, "2024-03-01T00:00:00Z", url=f"{API}/repos/else/other/x"),
        ],
        reviews=[
            {"id": 1, "state": "APPROVED", "pull_request_url": f"{API}/repos/{ORG}/svc/pulls/1"},
            {"id": 2, "state": "APPROVED", "pull_request_url": f"{API}/repos/{ORG}/svc/pulls/9"},
        ],
        comments=[{"id": 3, "body": "?", "issue_url": f"{API}/repos/{ORG}/svc/issues/42"}],
        deployment_statuses=[
            {"id": 4, "state": "success", "deployment_url": f"{API}/repos/{ORG}/svc/deployments/5"}
        ],
        team_members={"nobody": [user("alice", 1)]},
    )
    with caplog.at_level(logging.WARNING, logger="pipelines.github_emulator.recorded"):
        store = load_recorded(recording)
    expected = [
        "pull_requests.json[1]: skipped, pull request without a number in the record or its URLs",
        "pull_requests.json[2]: skipped, no repository can be derived from it "
        "(no repository object or URL)",
        "pull_requests.json[3]: skipped, not a JSON object (str)",
        "commits.json[1]: skipped, no repository can be derived from it "
        "(no repository object or URL)",
        "commits.json[2]: skipped, it belongs to else/other, outside organisation northwind-labs",
        "reviews.json[1]: skipped, review of pull request #9, not in northwind-labs/svc",
        "comments.json[0]: skipped, comment on #42, no such issue or PR in svc",
        "deployment_statuses.json[0]: skipped, its deployment_url names no recorded deployment",
        "team_members.json['nobody']: skipped, no such team in teams.json",
    ]
    assert sorted(store.load_warnings) == sorted(expected)
    assert sorted(caplog.messages) == sorted(expected)
    svc = store.repos["svc"]
    assert list(svc.pulls) == [1] and len(svc.pulls[1].reviews) == 1
    assert svc.default_branch_shas == ["1" * 40]


def test_pr_known_only_from_the_issues_list_is_reported(tmp_path: Path) -> None:
    as_issue = {
        "id": 5002,
        "number": 4,
        "url": f"{API}/repos/{ORG}/svc/issues/4",
        "pull_request": {"url": f"{API}/repos/{ORG}/svc/pulls/4"},
    }
    store = load_recorded(write(tmp_path, issues=[as_issue]))
    assert store.repos["svc"].issues == {} and store.repos["svc"].pulls == {}
    assert store.load_warnings == [
        "issues.json[0]: skipped, it is pull request #4 of northwind-labs/svc (it has a "
        "pull_request key) but pull_requests.json has no record of it; add GET …/pulls?state=all"
    ]


def test_unusable_recording_folders_fail_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_recorded(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds none of the recorded files"):
        load_recorded(tmp_path)
    (tmp_path / "commits.json").write_text("[{")
    with pytest.raises(ValueError, match=r"commits\.json is not valid JSON"):
        load_recorded(tmp_path)
    (tmp_path / "commits.json").write_text('{"sha": "x"}')
    with pytest.raises(ValueError, match=r"commits\.json must hold an array"):
        load_recorded(tmp_path)


# --------------------------------------------------------------------------- served


def rest_pull_numbers(store: Store, repo: str) -> list[int]:
    rest, numbers, page = RestAPI(store), [], 1
    while True:
        query = {"state": ["all"], "per_page": ["100"], "page": [str(page)]}
        result = rest.handle("GET", f"/repos/{ORG}/{repo}/pulls", query, API_BASE)
        assert result.status == 200, result.body
        numbers += [p["number"] for p in result.body]
        if 'rel="next"' not in result.headers.get("Link", ""):
            return numbers
        page += 1


def graphql_pull_counts(store: Store) -> dict[str, int]:
    api = GraphQLAPI(store)
    query = """query($org: String!) { organization(login: $org) {
        repositories(first: 100) { nodes { name pullRequests(first: 1) { totalCount } } } } }"""
    prepared = api.prepare(query)
    assert prepared.errors == []
    response = api.execute(prepared, {"org": ORG}, RATE_LIMIT)
    assert "errors" not in response
    nodes = response["data"]["organization"]["repositories"]["nodes"]
    return {n["name"]: n["pullRequests"]["totalCount"] for n in nodes}


def test_rest_and_graphql_serve_every_recorded_pr(store: Store) -> None:
    recorded = {name: len(repo.pulls) for name, repo in store.repos.items()}
    assert recorded == {"orders-api": 4, "web-shop": 3}
    for name, repo in store.repos.items():
        assert sorted(rest_pull_numbers(store, name)) == sorted(repo.pulls)
    assert graphql_pull_counts(store) == recorded


def test_rest_and_graphql_serve_a_malformed_pr_timestamp_as_recorded(store: Store) -> None:
    pr = RestAPI(store).handle("GET", f"/repos/{ORG}/orders-api/pulls/5", {}, API_BASE)
    assert (pr.status, pr.body["created_at"]) == (200, "yesterday")
    api = GraphQLAPI(store)
    query = """{ repository(owner: "northwind-labs", name: "orders-api") {
        pullRequest(number: 5) { createdAt } } }"""
    response = api.execute(api.prepare(query), None, RATE_LIMIT)
    assert response["data"]["repository"]["pullRequest"]["createdAt"] == "yesterday"


def test_rest_serves_a_malformed_commit_stat_as_recorded(store: Store) -> None:
    sha = records("commits")[0]["sha"]
    single = RestAPI(store).handle("GET", f"/repos/{ORG}/orders-api/commits/{sha}", {}, API_BASE)
    assert single.status == 200
    assert single.body["stats"]["additions"] == "lots"


def test_emulator_started_with_load_dir_serves_the_recording_over_http() -> None:
    with run_emulator(load_dir=RECORDING, org=ORG) as gh:
        url = f"{gh.api_url}/repos/{ORG}/web-shop/pulls"
        response = httpx.get(url, params={"state": "all"})
        assert gh.store.ground_truth()["pull_requests"] == 7
    assert response.status_code == 200
    assert sorted(p["number"] for p in response.json()) == [1, 2, 4]
