"""Incremental runs: nothing changed costs about one request and loads nothing; after the emulator
mutates, the next run leaves exactly what a fresh full load of the mutated organisation gives."""

from __future__ import annotations

import math

import pytest
from extract_helpers import assert_same_tables, duplicate_keys, extract, query, snapshot


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A private emulator (scale 0.1, seed 7) and a warehouse holding its first full load."""
    from pipelines.github_emulator import run_emulator

    with run_emulator(scale=0.1, seed=7) as gh:
        warehouse = tmp_path_factory.mktemp("incremental") / "warehouse.duckdb"
        extract(gh, warehouse)
        yield gh, warehouse


def test_no_change_run_costs_one_request_per_100_repositories_plus_two_and_changes_nothing(live):
    gh, warehouse = live
    before = snapshot(warehouse)
    gh.emulator.stats.reset()
    result = extract(gh, warehouse)
    requests = gh.stats()["requests"]["total"]
    repositories = gh.store.ground_truth()["repositories"]
    assert requests <= math.ceil(repositories / 100) + 2
    assert result.report.extracted == []
    assert sorted(result.report.unchanged) == sorted(
        f"{gh.store.org.login}/{name}" for name in gh.store.repos
    )
    assert_same_tables(snapshot(warehouse), before)


def _open_prs(repo, *, ready: bool):
    return [
        pr
        for pr in sorted(repo.pulls.values(), key=lambda p: p.number)
        if pr.state == "open" and (not ready or not pr.draft)
    ]


def test_after_mutations_the_next_run_equals_a_fresh_full_load(live, tmp_path):
    gh, warehouse = live
    store, act = gh.store, gh.mutations
    repo = store.repos[sorted(store.repos)[0]]
    name = repo.name

    ready = [pr for pr in _open_prs(repo, ready=True) if pr.base_ref == repo.default_branch]
    to_merge, to_force_push, to_review = ready[0], ready[1], ready[2]
    closed = next(pr for pr in repo.pulls.values() if pr.state == "closed")
    issue = next(i for i in repo.issues.values() if i.state == "open")
    old_commits = list(to_force_push.commit_shas)
    merged_pr_commits = list(to_merge.commit_shas)

    pushed = act.add_commits(name, count=2)
    act.merge_pull_request(name, to_merge.number, method="merge")
    review = act.add_review(name, to_review.number, state="CHANGES_REQUESTED", body="Not yet.")
    act.close_issue(name, issue.number, reason="not_planned")
    act.force_push(name, to_force_push.number, commits=1)
    act.edit_pull_request(name, closed.number, title="Renamed after closing")
    deployment = act.add_deployment(name, environment="staging")

    result = extract(gh, warehouse)
    assert result.report.ok

    fresh = tmp_path / "fresh.duckdb"
    extract(gh, fresh)
    assert_same_tables(snapshot(warehouse), snapshot(fresh))
    assert duplicate_keys(warehouse) == {}

    # ... and the specific changes are there
    commits = {
        sha
        for (sha,) in query(
            warehouse, "select sha from github_raw.commits where repository_id = ?", [repo.id]
        )
    }
    assert {c.sha for c in pushed} <= commits
    assert set(merged_pr_commits) <= commits, "a merge commit brings the PR's commits"
    assert to_merge.merge_commit_sha in commits
    (state,) = query(
        warehouse, "select state from github_raw.pull_requests where id = ?", [to_merge.id]
    )
    assert state == ("merged",)
    assert query(
        warehouse, "select state from github_raw.pull_request_reviews where id = ?", [review.id]
    ) == [("CHANGES_REQUESTED",)]
    assert query(
        warehouse, "select state, state_reason from github_raw.issues where id = ?", [issue.id]
    ) == [("closed", "not_planned")]
    pr_commits = {
        sha
        for (sha,) in query(
            warehouse,
            "select sha from github_raw.pull_request_commits where pull_request_id = ?",
            [to_force_push.id],
        )
    }
    assert pr_commits == set(to_force_push.commit_shas)
    assert old_commits[-1] not in pr_commits, "the force-pushed-away commit left the PR"
    assert query(
        warehouse, "select title from github_raw.pull_requests where id = ?", [closed.id]
    ) == [("Renamed after closing",)]
    assert query(
        warehouse, "select environment from github_raw.deployments where id = ?", [deployment.id]
    ) == [("staging",)]
