"""Unmodified third-party GitHub clients (PyGithub, githubkit) read the emulator over real HTTP
and get the emulator's ground-truth counts for one repository: commits, pulls, reviews, issues.
"""

from __future__ import annotations

import pytest
from github import Auth, Github
from githubkit import GitHub

TOKEN = "ghp_thirdparty000000000000000000000000000"  # not a real token


@pytest.fixture(scope="module")
def emu():
    from pipelines.github_emulator import run_emulator

    with run_emulator(scale=0.1, seed=11) as running:
        yield running


@pytest.fixture(scope="module")
def truth(emu):
    """The repository with the fewest PRs that still has PRs, issues and reviews (fast to walk)."""
    with emu.store.lock:
        candidates = [
            r
            for r in emu.store.repos.values()
            if r.issues and any(p.reviews for p in r.pulls.values())
        ]
        repo = min(candidates, key=lambda r: len(r.pulls))
        return {
            "name": repo.name,
            "owner": repo.owner_login,
            "commits": len(repo.default_branch_shas),
            "pulls": len(repo.pulls),
            "reviews": {n: len(p.reviews) for n, p in repo.pulls.items()},
            "issues": len(repo.issues),
            "pull_commits": {n: min(len(p.commit_shas), 250) for n, p in repo.pulls.items()},
        }


def test_pygithub_lists_commits_pulls_reviews_and_issues_with_ground_truth_counts(emu, truth):
    gh = Github(
        base_url=emu.api_url,
        auth=Auth.Token(TOKEN),
        per_page=100,
        retry=None,
        seconds_between_requests=None,  # PyGithub throttles to 4 requests/s by default
    )
    repo = gh.get_repo(f"{truth['owner']}/{truth['name']}")
    assert repo.full_name == f"{truth['owner']}/{truth['name']}"
    assert len({c.sha for c in repo.get_commits()}) == truth["commits"]
    pulls = list(repo.get_pulls(state="all"))
    assert len({p.number for p in pulls}) == truth["pulls"]
    reviews = {p.number: len(list(p.get_reviews())) for p in pulls}
    assert reviews == truth["reviews"]
    items = list(repo.get_issues(state="all"))
    assert sum(i.pull_request is None for i in items) == truth["issues"]
    assert sum(i.pull_request is not None for i in items) == truth["pulls"]
    busiest = max(pulls, key=lambda p: truth["pull_commits"][p.number])
    assert busiest.get_commits().totalCount == truth["pull_commits"][busiest.number]


def test_githubkit_paginates_commits_pulls_reviews_and_issues_with_ground_truth_counts(emu, truth):
    owner, name = truth["owner"], truth["name"]
    with GitHub(TOKEN, base_url=emu.api_url, auto_retry=False) as gh:
        commits = list(
            gh.rest.paginate(gh.rest.repos.list_commits, owner=owner, repo=name, per_page=100)
        )
        assert len({c.sha for c in commits}) == truth["commits"]
        pulls = list(
            gh.rest.paginate(gh.rest.pulls.list, owner=owner, repo=name, state="all", per_page=100)
        )
        assert len(pulls) == truth["pulls"]
        reviews = {
            p.number: len(
                list(
                    gh.rest.paginate(
                        gh.rest.pulls.list_reviews, owner=owner, repo=name, pull_number=p.number
                    )
                )
            )
            for p in pulls
        }
        assert reviews == truth["reviews"]
        issues = list(
            gh.rest.paginate(
                gh.rest.issues.list_for_repo, owner=owner, repo=name, state="all", per_page=100
            )
        )
        assert sum(not i.pull_request for i in issues) == truth["issues"]
        first = gh.rest.repos.get_commit(owner, name, commits[0].sha).parsed_data
        assert sum(f.additions for f in first.files) == first.stats.additions
