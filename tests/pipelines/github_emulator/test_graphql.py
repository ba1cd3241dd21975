"""GraphQL behaviour as GitHub documents it, called directly on GraphQLAPI (no HTTP).

A hand-made organisation (`tiny`) pins exact answers; generated organisations check pagination
and filters against the store's own records.
"""

from __future__ import annotations

import time

import pytest

from pipelines.github_emulator.generator import generate_organization
from pipelines.github_emulator.graphql_api import GraphQLAPI
from pipelines.github_emulator.model import (
    GHOST_USER_ID,
    Commit,
    Deployment,
    DeploymentStatus,
    Issue,
    IssueComment,
    Label,
    Organization,
    PullRequest,
    Repository,
    Review,
    Store,
    Team,
    TimelineEvent,
    User,
    fake_sha,
    iso,
)

DAY = 86_400
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
RATE = {
    "cost": 3,
    "limit": 5000,
    "remaining": 4321,
    "used": 679,
    "resetAt": "2030-01-01T00:00:00Z",
    "nodeCount": 42,
}


# --------------------------------------------------------------------------- fixtures


def _tiny_store() -> Store:
    """acme/widgets: 5 default-branch commits, PRs #1 merged, #2 open bot draft, #3 closed by a
    deleted user; issues #4 open and #5 closed as not planned; one deployment."""
    store = Store(Organization(id=1, login="acme", name="Acme", created_at=T0, member_ids=[11, 12]))
    alice = store.add_user(User(id=11, login="alice", name="Alice", created_at=T0))
    bob = store.add_user(User(id=12, login="bob", name="Bob", created_at=T0))
    bot = store.add_user(User(id=13, login="dependabot[bot]", type="Bot", created_at=T0))
    store.add_team(Team(id=21, slug="core", name="Core", member_ids=[11, 12], maintainer_ids=[11]))
    repo = store.add_repo(
        Repository(
            id=31,
            name="widgets",
            owner_login="acme",
            created_at=T0,
            updated_at=T0 + 30 * DAY,
            pushed_at=T0 + 5 * DAY,
        )
    )
    parent: tuple[str, ...] = ()
    for day in range(1, 6):
        sha = fake_sha("main", day)
        linked = day % 2 == 1
        repo.commits[sha] = Commit(
            sha=sha,
            message=f"change {day}\n\nbody {day}",
            author_name="Alice" if linked else "Someone",
            author_email="alice@acme.test" if linked else "someone@elsewhere.test",
            authored_at=T0 + day * DAY - 600,
            committer_name="Alice",
            committer_email="alice@acme.test",
            committed_at=T0 + day * DAY,
            author_id=alice.id if linked else None,
            additions=day * 10,
            deletions=day,
            changed_files=day,
            parents=parent,
            on_default_branch=True,
        )
        repo.default_branch_shas.append(sha)
        parent = (sha,)
    branch_sha = fake_sha("feature", 1)
    repo.commits[branch_sha] = Commit(
        sha=branch_sha,
        message="feature",
        author_name="Bob",
        author_email="bob@acme.test",
        authored_at=T0 + 2 * DAY,
        committer_name="Bob",
        committer_email="bob@acme.test",
        committed_at=T0 + 2 * DAY,
        author_id=bob.id,
        parents=(repo.default_branch_shas[0],),
    )
    repo.labels["bug"] = Label(id=41, name="bug", color="d73a4a")
    repo.labels["chore"] = Label(id=42, name="chore")
    merged = PullRequest(
        id=51,
        number=1,
        title="Add widgets",
        body="adds",
        author_id=alice.id,
        created_at=T0 + DAY,
        updated_at=T0 + 3 * DAY,
        head_ref="feature",
        base_ref="main",
        head_sha=branch_sha,
        base_sha=repo.default_branch_shas[0],
        state="closed",
        closed_at=T0 + 3 * DAY,
        merged_at=T0 + 3 * DAY,
        merged_by_id=bob.id,
        merge_commit_sha=repo.default_branch_shas[2],
        commit_shas=[branch_sha],
        labels=["bug"],
        requested_reviewer_ids=[],
        requested_team_ids=[21],
        reviews=[
            Review(
                id=61,
                user_id=bob.id,
                state="CHANGES_REQUESTED",
                body="hmm",
                submitted_at=T0 + DAY + 3600,
            ),
            Review(id=62, user_id=bob.id, state="APPROVED", body="ok", submitted_at=T0 + 2 * DAY),
        ],
        comments=[
            IssueComment(
                id=71,
                user_id=GHOST_USER_ID,
                body="old",
                created_at=T0 + DAY + 60,
                updated_at=T0 + DAY + 60,
            )
        ],
        timeline=[
            TimelineEvent(
                id=81,
                event="review_requested",
                actor_id=alice.id,
                created_at=T0 + DAY + 10,
                requested_reviewer_id=bob.id,
            ),
            TimelineEvent(
                id=82, event="ready_for_review", actor_id=alice.id, created_at=T0 + DAY + 20
            ),
            TimelineEvent(
                id=83,
                event="head_ref_force_pushed",
                actor_id=alice.id,
                created_at=T0 + DAY + 7200,
                before_sha="0" * 40,
                after_sha=branch_sha,
            ),
            TimelineEvent(
                id=84,
                event="merged",
                actor_id=bob.id,
                created_at=T0 + 3 * DAY,
                commit_id=repo.default_branch_shas[2],
            ),
            TimelineEvent(id=85, event="closed", actor_id=bob.id, created_at=T0 + 3 * DAY),
        ],
    )
    draft = PullRequest(
        id=52,
        number=2,
        title="Bump lib",
        body=None,
        author_id=bot.id,
        created_at=T0 + 4 * DAY,
        updated_at=T0 + 9 * DAY,
        head_ref="dependabot/lib",
        base_ref="main",
        head_sha=branch_sha,
        base_sha=repo.default_branch_shas[3],
        draft=True,
        labels=["chore"],
        requested_reviewer_ids=[alice.id],
    )
    ghost_pr = PullRequest(
        id=53,
        number=3,
        title="Old idea",
        body="",
        author_id=GHOST_USER_ID,
        created_at=T0 + 5 * DAY,
        updated_at=T0 + 6 * DAY,
        head_ref="old",
        base_ref="main",
        head_sha=branch_sha,
        base_sha=repo.default_branch_shas[0],
        state="closed",
        closed_at=T0 + 6 * DAY,
    )
    for pr in (merged, draft, ghost_pr):
        repo.pulls[pr.number] = pr
    repo.issues[4] = Issue(
        id=54,
        number=4,
        title="Crash",
        body="boom",
        author_id=bob.id,
        created_at=T0 + DAY,
        updated_at=T0 + 10 * DAY,
        labels=["bug"],
    )
    repo.issues[5] = Issue(
        id=55,
        number=5,
        title="Wish",
        body=None,
        author_id=alice.id,
        created_at=T0 + 2 * DAY,
        updated_at=T0 + 20 * DAY,
        state="closed",
        state_reason="not_planned",
        closed_at=T0 + 20 * DAY,
        timeline=[
            TimelineEvent(
                id=91, event="labeled", actor_id=alice.id, created_at=T0 + 2 * DAY, label="chore"
            ),
            TimelineEvent(
                id=92,
                event="closed",
                actor_id=alice.id,
                created_at=T0 + 20 * DAY,
                state_reason="not_planned",
            ),
        ],
    )
    repo.next_number = 6
    repo.deployments.append(
        Deployment(
            id=101,
            sha=repo.default_branch_shas[-1],
            ref="main",
            environment="production",
            creator_id=None,
            created_at=T0 + 5 * DAY,
            updated_at=T0 + 5 * DAY + 300,
            statuses=[
                DeploymentStatus(
                    id=111,
                    state="in_progress",
                    creator_id=bot.id,
                    created_at=T0 + 5 * DAY,
                    updated_at=T0 + 5 * DAY,
                ),
                DeploymentStatus(
                    id=112,
                    state="failure",
                    creator_id=bot.id,
                    created_at=T0 + 5 * DAY + 300,
                    updated_at=T0 + 5 * DAY + 300,
                ),
            ],
        )
    )
    return store


@pytest.fixture(scope="module")
def tiny() -> GraphQLAPI:
    return GraphQLAPI(_tiny_store())


@pytest.fixture(scope="module")
def small() -> GraphQLAPI:
    return GraphQLAPI(generate_organization(scale=0.3, seed=5))


def run(api: GraphQLAPI, query: str, **variables) -> dict:
    prepared = api.prepare(query, variables=variables or None)
    if prepared.errors:
        return {"errors": prepared.errors}
    return api.execute(prepared, variables or None, RATE)


def data(api: GraphQLAPI, query: str, **variables) -> dict:
    result = run(api, query, **variables)
    assert "errors" not in result, result.get("errors")
    return result["data"]


def _busiest_repo(api: GraphQLAPI) -> Repository:
    return max(api.store.repos.values(), key=lambda r: len(r.pulls))


def _walk(
    api: GraphQLAPI, owner: str, name: str, connection: str, args: str, page: int
) -> tuple[list, list]:
    """Follow a repository connection to its end; returns (numbers, totalCounts seen)."""
    query = (
        "query($o:String!,$n:String!,$after:String){repository(owner:$o,name:$n){"
        f"{connection}(first:{page},after:$after{args}){{totalCount "
        "pageInfo{hasNextPage endCursor} edges{cursor node{number}}}}}"
    )
    numbers, totals, after = [], [], None
    while True:
        conn = data(api, query, o=owner, n=name, after=after)["repository"][connection]
        numbers += [e["node"]["number"] for e in conn["edges"]]
        totals.append(conn["totalCount"])
        if not conn["pageInfo"]["hasNextPage"]:
            return numbers, totals
        assert conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
        after = conn["pageInfo"]["endCursor"]


# --------------------------------------------------------------------------- pagination


def test_pull_requests_walk_to_the_end_without_duplicates_and_totalcount_matches_store(small):
    repo = _busiest_repo(small)
    numbers, totals = _walk(small, repo.owner_login, repo.name, "pullRequests", "", 7)
    assert len(numbers) == len(set(numbers)) == len(repo.pulls)
    assert set(numbers) == set(repo.pulls)
    assert set(totals) == {len(repo.pulls)}
    assert numbers == sorted(numbers)  # default order: creation (number) ascending


def test_issues_walk_matches_store_issues_which_exclude_pull_requests(small):
    repo = max(small.store.repos.values(), key=lambda r: len(r.issues))
    numbers, _ = _walk(small, repo.owner_login, repo.name, "issues", "", 9)
    assert sorted(numbers) == sorted(repo.issues)
    assert not set(numbers) & set(repo.pulls)


def test_last_before_pages_backwards_over_the_same_items(small):
    repo = _busiest_repo(small)
    query = (
        "query($o:String!,$n:String!,$before:String){repository(owner:$o,name:$n){"
        "pullRequests(last:10,before:$before){pageInfo{hasPreviousPage startCursor} nodes{number}}}}"
    )
    numbers, before = [], None
    while True:
        conn = data(small, query, o=repo.owner_login, n=repo.name, before=before)["repository"][
            "pullRequests"
        ]
        numbers = [n["number"] for n in conn["nodes"]] + numbers
        if not conn["pageInfo"]["hasPreviousPage"]:
            break
        before = conn["pageInfo"]["startCursor"]
    assert numbers == sorted(repo.pulls)


def test_page_info_and_cursors_of_a_middle_page(tiny):
    query = '{repository(owner:"acme",name:"widgets"){pullRequests(first:1,after:"%s"){pageInfo{hasNextPage hasPreviousPage startCursor endCursor} nodes{number}}}}'
    first = data(tiny, query.replace(',after:"%s"', ""))["repository"]["pullRequests"]
    second = data(tiny, query % first["pageInfo"]["endCursor"])["repository"]["pullRequests"]
    assert [n["number"] for n in second["nodes"]] == [2]
    assert second["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert (
        second["pageInfo"]["startCursor"]
        == second["pageInfo"]["endCursor"]
        != first["pageInfo"]["endCursor"]
    )


def test_an_invalid_cursor_is_an_error_naming_it(tiny):
    result = run(
        tiny,
        '{repository(owner:"acme",name:"widgets"){pullRequests(first:1,after:"nope"){totalCount}}}',
    )
    assert result["errors"][0]["message"] == "`nope` does not appear to be a valid cursor."


# --------------------------------------------------------------------------- order and filters


def test_order_by_updated_at_desc_returns_newest_updated_first(small):
    repo = _busiest_repo(small)
    query = (
        "query($o:String!,$n:String!){repository(owner:$o,name:$n){"
        "pullRequests(first:100,orderBy:{field:UPDATED_AT,direction:DESC}){nodes{number updatedAt}}}}"
    )
    nodes = data(small, query, o=repo.owner_login, n=repo.name)["repository"]["pullRequests"][
        "nodes"
    ]
    stamps = [n["updatedAt"] for n in nodes]
    assert stamps == sorted(stamps, reverse=True)
    newest = max(repo.pulls.values(), key=lambda p: (p.updated_at, p.number))
    assert nodes[0]["number"] == newest.number


def test_issues_filter_by_since_keeps_only_issues_updated_at_or_after_since(tiny, small):
    query = '{repository(owner:"acme",name:"widgets"){issues(first:10,filterBy:{since:"%s"}){totalCount nodes{number}}}}'
    exact = data(tiny, query % iso(T0 + 20 * DAY))["repository"]["issues"]
    assert [n["number"] for n in exact["nodes"]] == [5]  # updated exactly at `since` counts
    assert data(tiny, query % iso(T0 + 20 * DAY + 1))["repository"]["issues"]["totalCount"] == 0

    repo = max(small.store.repos.values(), key=lambda r: len(r.issues))
    stamps = sorted(i.updated_at for i in repo.issues.values())
    since = stamps[len(stamps) // 2]
    numbers, _ = _walk(
        small, repo.owner_login, repo.name, "issues", f',filterBy:{{since:"{iso(since)}"}}', 25
    )
    assert sorted(numbers) == sorted(
        i.number for i in repo.issues.values() if i.updated_at >= since
    )


def test_pull_request_states_filters_partition_the_pull_requests(tiny, small):
    query = '{repository(owner:"acme",name:"widgets"){pullRequests(first:10,states:%s){nodes{number state}}}}'
    assert data(tiny, query % "MERGED")["repository"]["pullRequests"]["nodes"] == [
        {"number": 1, "state": "MERGED"}
    ]
    assert data(tiny, query % "OPEN")["repository"]["pullRequests"]["nodes"] == [
        {"number": 2, "state": "OPEN"}
    ]
    assert data(tiny, query % "CLOSED")["repository"]["pullRequests"]["nodes"] == [
        {"number": 3, "state": "CLOSED"}
    ]

    repo = _busiest_repo(small)
    counts = {}
    for state in ("OPEN", "CLOSED", "MERGED"):
        q = (
            "query($o:String!,$n:String!,$s:[PullRequestState!]){repository(owner:$o,name:$n){"
            "pullRequests(states:$s){totalCount}}}"
        )
        counts[state] = data(small, q, o=repo.owner_login, n=repo.name, s=[state])["repository"][
            "pullRequests"
        ]["totalCount"]
    assert counts["MERGED"] == sum(1 for p in repo.pulls.values() if p.merged_at is not None)
    assert counts["OPEN"] == sum(1 for p in repo.pulls.values() if p.state == "open")
    assert sum(counts.values()) == len(repo.pulls)


def test_issue_states_and_state_reason(tiny):
    query = '{repository(owner:"acme",name:"widgets"){issues(first:10,states:CLOSED){nodes{number state stateReason closed closedAt}}}}'
    assert data(tiny, query)["repository"]["issues"]["nodes"] == [
        {
            "number": 5,
            "state": "CLOSED",
            "stateReason": "NOT_PLANNED",
            "closed": True,
            "closedAt": iso(T0 + 20 * DAY),
        }
    ]


def test_history_since_until_is_inclusive_and_newest_first(tiny):
    query = (
        '{repository(owner:"acme",name:"widgets"){defaultBranchRef{name target{... on Commit{'
        'history(first:10,since:"%s",until:"%s"){totalCount nodes{messageHeadline committedDate}}}}}}}'
    )
    history = data(tiny, query % (iso(T0 + 2 * DAY), iso(T0 + 4 * DAY)))["repository"][
        "defaultBranchRef"
    ]["target"]["history"]
    assert history["totalCount"] == 3
    assert [n["messageHeadline"] for n in history["nodes"]] == ["change 4", "change 3", "change 2"]


def test_history_without_filters_is_the_whole_default_branch_newest_first(small):
    repo = max(small.store.repos.values(), key=lambda r: len(r.default_branch_shas))
    query = (
        "query($o:String!,$n:String!,$after:String){repository(owner:$o,name:$n){defaultBranchRef{target{"
        "... on Commit{history(first:100,after:$after){totalCount pageInfo{hasNextPage endCursor} nodes{oid}}}}}}}"
    )
    oids, after = [], None
    while True:
        history = data(small, query, o=repo.owner_login, n=repo.name, after=after)["repository"][
            "defaultBranchRef"
        ]["target"]["history"]
        oids += [n["oid"] for n in history["nodes"]]
        if not history["pageInfo"]["hasNextPage"]:
            break
        after = history["pageInfo"]["endCursor"]
    assert oids == list(reversed(repo.default_branch_shas))
    assert history["totalCount"] == len(repo.default_branch_shas)


def test_commit_stats_and_authors_link_users_only_for_known_emails(tiny):
    query = '{repository(owner:"acme",name:"widgets"){object(expression:"main"){... on Commit{history(first:2){nodes{additions deletions changedFilesIfAvailable messageBody author{email user{login}}}}}}}}'
    nodes = data(tiny, query)["repository"]["object"]["history"]["nodes"]
    assert nodes == [
        {
            "additions": 50,
            "deletions": 5,
            "changedFilesIfAvailable": 5,
            "messageBody": "body 5",
            "author": {"email": "alice@acme.test", "user": {"login": "alice"}},
        },
        {
            "additions": 40,
            "deletions": 4,
            "changedFilesIfAvailable": 4,
            "messageBody": "body 4",
            "author": {"email": "someone@elsewhere.test", "user": None},
        },
    ]


def test_timeline_items_follow_time_order_and_filter_by_item_types_and_since(tiny):
    query = '{repository(owner:"acme",name:"widgets"){pullRequest(number:1){timelineItems(first:50%s){totalCount nodes{__typename}}}}}'
    everything = data(tiny, query % "")["repository"]["pullRequest"]["timelineItems"]
    assert [n["__typename"] for n in everything["nodes"]] == [
        "ReviewRequestedEvent",
        "ReadyForReviewEvent",
        "IssueComment",
        "PullRequestReview",
        "HeadRefForcePushedEvent",
        "PullRequestCommit",
        "PullRequestReview",
        "MergedEvent",
        "ClosedEvent",
    ]
    typed = data(tiny, query % ",itemTypes:[READY_FOR_REVIEW_EVENT,PULL_REQUEST_REVIEW]")
    assert typed["repository"]["pullRequest"]["timelineItems"] == {
        "totalCount": 3,
        "nodes": [
            {"__typename": "ReadyForReviewEvent"},
            {"__typename": "PullRequestReview"},
            {"__typename": "PullRequestReview"},
        ],
    }
    recent = data(tiny, query % f',since:"{iso(T0 + 3 * DAY)}"')
    assert [
        n["__typename"] for n in recent["repository"]["pullRequest"]["timelineItems"]["nodes"]
    ] == ["MergedEvent", "ClosedEvent"]


def test_pull_request_details_reviews_states_requests_and_merge(tiny):
    query = """{repository(owner:"acme",name:"widgets"){pullRequest(number:1){
      state merged mergedAt mergedBy{login} mergeCommit{oid} headRefName baseRefName
      reviews(first:10,states:[APPROVED]){totalCount nodes{state author{login} submittedAt}}
      reviewRequests(first:5){nodes{requestedReviewer{__typename ... on Team{slug}}}}
      labels(first:5){nodes{name color}}
      commits(first:5){totalCount nodes{commit{oid}}}
      timelineItems(first:1,itemTypes:[REVIEW_REQUESTED_EVENT]){nodes{... on ReviewRequestedEvent{requestedReviewer{... on User{login}}}}}
    }}}"""
    pr = data(tiny, query)["repository"]["pullRequest"]
    store_pr = tiny.store.repos["widgets"].pulls[1]
    assert pr["state"] == "MERGED" and pr["merged"] is True
    assert pr["mergedAt"] == iso(T0 + 3 * DAY) and pr["mergedBy"] == {"login": "bob"}
    assert pr["mergeCommit"] == {"oid": store_pr.merge_commit_sha}
    assert pr["reviews"] == {
        "totalCount": 1,
        "nodes": [
            {"state": "APPROVED", "author": {"login": "bob"}, "submittedAt": iso(T0 + 2 * DAY)}
        ],
    }
    assert pr["reviewRequests"]["nodes"] == [
        {"requestedReviewer": {"__typename": "Team", "slug": "core"}}
    ]
    assert pr["labels"]["nodes"] == [{"name": "bug", "color": "d73a4a"}]
    assert pr["commits"] == {"totalCount": 1, "nodes": [{"commit": {"oid": store_pr.head_sha}}]}
    requested = pr["timelineItems"]["nodes"][0]["requestedReviewer"]
    assert requested == {"login": "bob"}


def test_deployment_state_and_latest_status_come_from_the_newest_status(tiny):
    query = '{repository(owner:"acme",name:"widgets"){deployments(first:5,environments:["production"]){nodes{environment state creator{login} latestStatus{state} statuses(first:5){nodes{state}}}}}}'
    assert data(tiny, query)["repository"]["deployments"]["nodes"] == [
        {
            "environment": "production",
            "state": "FAILURE",
            "creator": {"login": "ghost"},
            "latestStatus": {"state": "FAILURE"},
            "statuses": {"nodes": [{"state": "IN_PROGRESS"}, {"state": "FAILURE"}]},
        }
    ]


def test_team_members_report_their_role(tiny):
    query = '{organization(login:"acme"){team(slug:"core"){members(first:10){edges{role node{login}}}} teams(first:5){totalCount}}}'
    org = data(tiny, query)["organization"]
    assert org["team"]["members"]["edges"] == [
        {"role": "MAINTAINER", "node": {"login": "alice"}},
        {"role": "MEMBER", "node": {"login": "bob"}},
    ]
    assert org["teams"]["totalCount"] == 1


# --------------------------------------------------------------------------- actors


def test_bots_render_without_the_bot_suffix(tiny):
    query = '{repository(owner:"acme",name:"widgets"){pullRequest(number:2){isDraft author{__typename login url}}}}'
    assert data(tiny, query)["repository"]["pullRequest"] == {
        "isDraft": True,
        "author": {
            "__typename": "Bot",
            "login": "dependabot",
            "url": "https://github.com/apps/dependabot",
        },
    }


def test_deleted_authors_resolve_to_the_ghost_user(tiny):
    query = '{repository(owner:"acme",name:"widgets"){pullRequest(number:3){author{__typename login}} a:pullRequest(number:1){comments(first:1){nodes{author{login}}}}}}'
    repo = data(tiny, query)["repository"]
    assert repo["pullRequest"]["author"] == {"__typename": "User", "login": "ghost"}
    assert repo["a"]["comments"]["nodes"] == [{"author": {"login": "ghost"}}]


def test_node_resolves_a_pull_request_by_its_global_id(tiny):
    pr = tiny.store.repos["widgets"].pulls[2]
    query = "query($id:ID!){node(id:$id){__typename ... on PullRequest{number repository{nameWithOwner}}}}"
    assert data(tiny, query, id=pr.node_id)["node"] == {
        "__typename": "PullRequest",
        "number": 2,
        "repository": {"nameWithOwner": "acme/widgets"},
    }


# --------------------------------------------------------------------------- errors


def test_missing_first_or_last_is_missing_pagination_boundaries(tiny):
    result = run(tiny, '{repository(owner:"acme",name:"widgets"){pullRequests{nodes{number}}}}')
    assert result == {
        "errors": [
            {
                "type": "MISSING_PAGINATION_BOUNDARIES",
                "path": ["repository", "pullRequests"],
                "locations": [{"line": 1, "column": 42}],
                "message": "You must provide a `first` or `last` value to properly paginate the `pullRequests` connection.",
            }
        ]
    }


def test_a_connection_read_only_for_totalcount_needs_no_boundaries(tiny):
    query = '{repository(owner:"acme",name:"widgets"){pullRequests{totalCount}}}'
    assert data(tiny, query)["repository"]["pullRequests"]["totalCount"] == 3


def test_more_than_100_records_is_excessive_pagination_even_through_a_variable(tiny):
    query = 'query($n:Int){repository(owner:"acme",name:"widgets"){pullRequests(first:$n){nodes{number}}}}'
    result = run(tiny, query, n=101)
    assert [e["type"] for e in result["errors"]] == ["EXCESSIVE_PAGINATION"]
    assert result["errors"][0]["message"] == (
        "Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records."
    )
    # when prepare() was not told the variables, execution still refuses the page
    prepared = tiny.prepare(query)
    executed = tiny.execute(prepared, {"n": 101}, RATE)
    assert executed["data"] == {"repository": None}
    assert executed["errors"][0]["type"] == "EXCESSIVE_PAGINATION"


def test_unknown_repository_is_null_with_a_not_found_error(tiny):
    result = run(tiny, '{repository(owner:"acme",name:"x"){name} rateLimit{cost}}')
    assert result["data"] == {"repository": None, "rateLimit": {"cost": 3}}
    assert result["errors"] == [
        {
            "type": "NOT_FOUND",
            "path": ["repository"],
            "locations": [{"line": 1, "column": 2}],
            "message": "Could not resolve to a Repository with the name 'acme/x'.",
        }
    ]


def test_unknown_pull_request_number_is_not_found_inside_the_repository(tiny):
    result = run(
        tiny, '{repository(owner:"acme",name:"widgets"){name pullRequest(number:99){title}}}'
    )
    assert result["data"] == {"repository": {"name": "widgets", "pullRequest": None}}
    assert result["errors"][0]["type"] == "NOT_FOUND"
    assert result["errors"][0]["path"] == ["repository", "pullRequest"]


def test_parse_and_validation_errors_use_githubs_wording(tiny):
    parse_error = run(tiny, "{ repository(owner: } }")["errors"][0]
    assert parse_error["message"] == 'Parse error on "}" (RCURLY) at [1, 21]'
    assert parse_error["locations"] == [{"line": 1, "column": 21}]
    unknown = run(tiny, '{repository(owner:"acme",name:"widgets"){stars}}')["errors"][0]
    assert unknown["message"] == "Field 'stars' doesn't exist on type 'Repository'"
    assert unknown["extensions"]["code"] == "undefinedField"


# --------------------------------------------------------------------------- cost and nodeCount


def test_node_count_of_githubs_simple_example_is_550(tiny):
    # docs.github.com "Rate limits and node limits for the GraphQL API", with organization
    # in place of viewer
    query = """query { organization(login: "acme") { repositories(first: 50) { edges { repository:node {
      name issues(first: 10) { totalCount edges { node { title body } } } } } } } }"""
    prepared = tiny.prepare(query)
    assert (prepared.node_count, prepared.cost, prepared.max_nested_page) == (550, 1, 50)


def test_node_count_of_githubs_complex_example_is_22060(tiny):
    # the docs' complex example; membersWithRole(first: 10) stands in for followers(first: 10)
    query = """query { organization(login: "acme") {
      repositories(first: 50) { edges { repository:node { name
        pullRequests(first: 20) { edges { pullRequest:node { title
          comments(first: 10) { edges { comment:node { body } } } } } }
        issues(first: 20) { totalCount edges { issue:node { title body
          comments(first: 10) { edges { comment:node { body } } } } } } } } }
      membersWithRole(first: 10) { edges { follower:node { login } } } } }"""
    prepared = tiny.prepare(query)
    assert prepared.node_count == 22_060
    # requests: 1 + 50 + 50*20 + 50 + 50*20 + 1 = 2,102 -> cost 21
    assert prepared.cost == 21


def test_cost_of_githubs_rate_limit_example_is_51(tiny):
    # 1 request for repositories + 100 for issues + 5,000 for labels = 5,101 -> 51
    query = """query { organization(login: "acme") { repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }"""
    prepared = tiny.prepare(query)
    assert prepared.cost == 51
    assert prepared.node_count == 100 + 100 * 50 + 100 * 50 * 60


def test_single_object_queries_cost_one_point(tiny):
    prepared = tiny.prepare('{repository(owner:"acme",name:"widgets"){name} rateLimit{cost}}')
    assert (prepared.cost, prepared.node_count, prepared.errors) == (1, 0, [])


def test_more_than_500000_possible_nodes_is_refused(tiny):
    query = """{ organization(login:"acme") { repositories(first:100) { nodes {
      pullRequests(first:100) { nodes { reviews(first:100) { nodes { body } } } } } } } }"""
    errors = tiny.prepare(query).errors
    assert [e["type"] for e in errors] == ["MAX_NODE_LIMIT_EXCEEDED"]
    assert "exceeds the maximum limit of 500,000" in errors[0]["message"]


def test_rate_limit_field_reports_what_execute_was_given(tiny):
    result = data(tiny, "{rateLimit{cost limit remaining used resetAt nodeCount}}")
    assert result["rateLimit"] == RATE


# --------------------------------------------------------------------------- performance


def test_a_page_of_100_pull_requests_with_nested_pages_executes_well_under_a_second():
    api = GraphQLAPI(generate_organization(scale=1.0, seed=42))
    repo = _busiest_repo(api)
    query = """query($o:String!,$n:String!){repository(owner:$o,name:$n){
      pullRequests(first:100,orderBy:{field:UPDATED_AT,direction:DESC}){nodes{
        number title state createdAt mergedAt additions deletions changedFiles author{login}
        reviews(first:100){nodes{state submittedAt author{login}}}
        commits(first:100){nodes{commit{oid committedDate author{email user{login}}}}}
        timelineItems(first:100){nodes{__typename ... on ReadyForReviewEvent{createdAt}
          ... on ReviewRequestedEvent{createdAt requestedReviewer{... on User{login}}}}}}}}}"""
    variables = {"o": repo.owner_login, "n": repo.name}
    prepared = api.prepare(query, variables=variables)
    started = time.perf_counter()
    result = api.execute(prepared, variables, RATE)
    elapsed = time.perf_counter() - started
    assert "errors" not in result
    assert len(result["data"]["repository"]["pullRequests"]["nodes"]) == 100
    assert elapsed < 1.0, f"took {elapsed:.3f}s"
