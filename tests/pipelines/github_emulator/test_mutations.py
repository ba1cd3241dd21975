"""Mutations: each call changes exactly what it says, after every existing timestamp."""

from __future__ import annotations

import pytest

from pipelines.github_emulator.generator import generate_organization
from pipelines.github_emulator.model import Store
from pipelines.github_emulator.mutations import Mutations, latest_timestamp


@pytest.fixture
def store() -> Store:
    return generate_organization(scale=0.1, seed=3)


@pytest.fixture
def mut(store) -> Mutations:
    return Mutations(store, clock=lambda: 0)  # a clock in the past: times follow the data


@pytest.fixture
def repo(store) -> str:
    return next(iter(store.repos))


def delta(before: dict, after: dict) -> dict:
    return {k: after[k] - before[k] for k in before if after[k] != before[k]}


def open_issue_number(store: Store, repo: str) -> int:
    return next(i.number for i in store.repos[repo].issues.values() if i.state == "open")


def test_times_follow_every_existing_timestamp_and_advance_per_call(store, mut, repo):
    latest = latest_timestamp(store)
    first = mut.open_issue(repo, title="first")
    second = mut.open_issue(repo, title="second")
    assert latest < first.created_at < second.created_at
    assert store.version == 2


def test_real_clock_is_used_when_it_is_later(store, repo):
    future = latest_timestamp(store) + 10 * 86400
    issue = Mutations(store, clock=lambda: future).open_issue(repo)
    assert issue.created_at == future


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda m, r, pr, i: m.add_commits(r, count=3), {"commits": 3}),
        (
            lambda m, r, pr, i: m.open_pull_request(r, commits=2),
            {"pull_requests": 1, "pull_request_commits": 2},
        ),
        (
            lambda m, r, pr, i: m.add_review(r, pr, state="CHANGES_REQUESTED"),
            {"pull_request_reviews": 1},
        ),
        (lambda m, r, pr, i: m.add_comment(r, pr), {"pull_request_comments": 1}),
        (lambda m, r, pr, i: m.add_comment(r, i), {"issue_comments": 1}),
        (
            lambda m, r, pr, i: m.add_review_comment(r, pr),
            {"pull_request_review_comments": 1, "pull_request_reviews": 1},
        ),
        (lambda m, r, pr, i: m.close_pull_request(r, pr), {"pull_request_timeline": 1}),
        (lambda m, r, pr, i: m.force_push(r, pr, commits=1), {"pull_request_timeline": 1}),
        (lambda m, r, pr, i: m.close_issue(r, i), {"issue_timeline": 1}),
        (lambda m, r, pr, i: m.open_issue(r, labels=["bug"]), {"issues": 1, "issue_timeline": 1}),
        (
            lambda m, r, pr, i: m.add_deployment(r, state="failure"),
            {"deployments": 1, "deployment_statuses": 2},
        ),
        (lambda m, r, pr, i: m.edit_pull_request(r, pr, title="Renamed"), {}),
    ],
    ids=[
        "add_commits",
        "open_pr",
        "add_review",
        "pr_comment",
        "issue_comment",
        "review_comment",
        "close_pr",
        "force_push",
        "close_issue",
        "open_issue",
        "add_deployment",
        "edit_title",
    ],
)
def test_each_mutation_changes_exactly_its_counts(store, mut, repo, call, expected):
    pr = mut.open_pull_request(repo).number
    issue = open_issue_number(store, repo)
    before, version = store.ground_truth(), store.version
    call(mut, repo, pr, issue)
    assert delta(before, store.ground_truth()) == expected
    assert store.version == version + 1


def test_add_commits_extend_the_default_branch_head(store, mut, repo):
    r = store.repos[repo]
    old_head = r.head_sha
    commits = mut.add_commits(
        repo, count=2, author_login=store.users[store.org.member_ids[1]].login
    )
    assert r.default_branch_shas[-2:] == [c.sha for c in commits]
    assert commits[0].parents == (old_head,) and commits[1].parents == (commits[0].sha,)
    assert commits[0].author_id == store.org.member_ids[1]
    assert r.pushed_at == commits[-1].committed_at


def test_open_pull_request_shares_the_number_sequence_and_is_off_main(store, mut, repo):
    r = store.repos[repo]
    expected = r.next_number
    pr = mut.open_pull_request(repo, commits=3, title="feat: thing")
    assert pr.number == expected and pr.title == "feat: thing" and pr.state == "open"
    assert len(pr.commit_shas) == 3 and pr.base_sha == r.head_sha
    assert not any(r.commits[s].on_default_branch for s in pr.commit_shas)
    assert pr.author_id == store.org.member_ids[0]


def test_merge_adds_a_merge_commit_and_merged_closed_events(store, mut, repo):
    r = store.repos[repo]
    pr = mut.open_pull_request(repo)
    merged = mut.merge_pull_request(repo, pr.number)
    assert merged is pr and pr.state == "closed" and pr.merged_at == pr.closed_at == pr.updated_at
    assert pr.merged_by_id != pr.author_id  # defaults to another member
    assert r.head_sha == pr.merge_commit_sha
    assert r.commits[pr.merge_commit_sha].parents[1] == pr.head_sha
    assert all(r.commits[s].on_default_branch for s in pr.commit_shas)
    assert [e.event for e in pr.timeline][-2:] == ["merged", "closed"]
    with pytest.raises(ValueError):
        mut.merge_pull_request(repo, pr.number)


def test_squash_merge_keeps_pr_commits_off_main(store, mut, repo):
    r = store.repos[repo]
    pr = mut.open_pull_request(repo, commits=3)
    mut.merge_pull_request(repo, pr.number, method="squash")
    squash = r.commits[pr.merge_commit_sha]
    assert squash.additions == pr.additions and len(squash.parents) == 1
    assert not any(r.commits[s].on_default_branch for s in pr.commit_shas)


def test_close_and_reopen_pull_request(store, mut, repo):
    pr = mut.open_pull_request(repo)
    mut.close_pull_request(repo, pr.number)
    assert pr.state == "closed" and pr.closed_at and not pr.merged
    mut.reopen_pull_request(repo, pr.number)
    assert pr.state == "open" and pr.closed_at is None
    assert [e.event for e in pr.timeline][-2:] == ["closed", "reopened"]


def test_editing_a_merged_pr_moves_updated_at_and_emits_label_events(store, mut, repo):
    r = store.repos[repo]
    pr = next(p for p in r.pulls.values() if p.merged)
    before = pr.updated_at
    mut.edit_pull_request(repo, pr.number, body="new body", labels=["bug", "brand-new"])
    assert pr.updated_at > before and pr.body == "new body"
    assert set(pr.labels) == {"bug", "brand-new"} and "brand-new" in r.labels
    assert {
        e.label for e in pr.timeline if e.event == "labeled" and e.created_at == pr.updated_at
    } >= {"brand-new"}


def test_draft_pr_marked_ready_for_review(store, mut, repo):
    pr = mut.open_pull_request(repo, draft=True)
    assert pr.draft
    mut.mark_ready_for_review(repo, pr.number)
    assert not pr.draft and pr.timeline[-1].event == "ready_for_review"
    assert pr.updated_at == pr.timeline[-1].created_at


def test_review_is_by_another_member_on_the_head_commit(store, mut, repo):
    pr = mut.open_pull_request(repo)
    review = mut.add_review(repo, pr.number, body="ok")
    assert review.user_id != pr.author_id and review.commit_id == pr.head_sha
    assert review.state == "APPROVED" and pr.updated_at == review.submitted_at


def test_force_push_replaces_the_last_commits(store, mut, repo):
    r = store.repos[repo]
    pr = mut.open_pull_request(repo, commits=3)
    old = list(pr.commit_shas)
    mut.force_push(repo, pr.number, commits=2)
    event = pr.timeline[-1]
    assert event.event == "head_ref_force_pushed"
    assert event.before_sha == old[-1] and event.after_sha == pr.head_sha
    assert pr.commit_shas[0] == old[0] and len(pr.commit_shas) == 3
    assert not set(old[1:]) & set(pr.commit_shas) and old[1] in r.commits


def test_issue_close_with_reason_and_reopen(store, mut, repo):
    issue = mut.open_issue(repo, title="Broken", labels=["bug"])
    mut.close_issue(repo, issue.number, reason="not_planned")
    assert issue.state == "closed" and issue.state_reason == "not_planned" and issue.closed_by_id
    mut.reopen_issue(repo, issue.number)
    assert issue.state == "open" and issue.state_reason == "reopened"
    assert [e.event for e in issue.timeline] == ["labeled", "closed", "reopened"]


def test_deployment_ships_the_head_with_final_status(store, mut, repo):
    r = store.repos[repo]
    dep = mut.add_deployment(repo, environment="staging", state="failure")
    assert dep.sha == r.head_sha and dep.environment == "staging"
    assert [s.state for s in dep.statuses] == ["in_progress", "failure"]
    later = mut.open_issue(repo)
    assert later.created_at > dep.statuses[-1].created_at


def test_unknown_repository_and_number_raise(mut, repo):
    with pytest.raises(KeyError):
        mut.add_commits("no-such-repo")
    with pytest.raises(KeyError):
        mut.close_issue(repo, 999_999)
