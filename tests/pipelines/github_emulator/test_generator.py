"""The synthetic organisation: determinism, volumes per scale, git consistency and realism."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest

from pipelines.github_emulator.generator import (
    BOTS,
    DEFAULT_END,
    _giant_plan,
    generate_organization,
)
from pipelines.github_emulator.model import GHOST_USER_ID, Store

END = int(DEFAULT_END.timestamp())
STORY_POINTS = re.compile(r"^(points?|sp|size)[:/ ]?(\d+)$", re.IGNORECASE)
REVERT = re.compile(r"This reverts commit ([0-9a-f]{40})\.")
CONVENTIONAL = re.compile(r"^(feat|fix|chore|docs|refactor|test|perf|ci|build)(\([\w-]+\))?!?: ")


@pytest.fixture(scope="module")
def org() -> Store:
    return generate_organization(scale=1.0)


def digest(store: Store) -> str:
    h = hashlib.sha256()
    h.update(repr(store.org).encode())
    for records in (store.users, store.teams, store.repos):
        for key, value in records.items():
            h.update(f"{key}={value!r}".encode())
    return h.hexdigest()


def pulls(store: Store):
    return [(repo, pr) for repo in store.repos.values() for pr in repo.pulls.values()]


def issues(store: Store):
    return [(repo, i) for repo in store.repos.values() for i in repo.issues.values()]


def local_weekday(ts: int, offset: int) -> int:
    return ((ts + offset * 3600) // 86400 + 3) % 7


# --------------------------------------------------------------------------- determinism and scale


def test_same_seed_gives_identical_organisation_and_other_seed_differs():
    first = generate_organization(scale=0.3, seed=7)
    assert digest(first) == digest(generate_organization(scale=0.3, seed=7))
    assert digest(first) != digest(generate_organization(scale=0.3, seed=8))


def test_scale_one_counts_are_within_25_percent_of_targets(org):
    gt = org.ground_truth()
    assert gt["repositories"] == 8
    assert gt["teams"] == 4
    assert gt["users"] == 33  # 30 people + 3 bots; the ghost is not counted
    for kind, target in (
        ("commits", 6000),
        ("pull_requests", 1500),
        ("pull_request_reviews", 3000),
        ("issues", 1000),
    ):
        assert 0.75 * target <= gt[kind] <= 1.25 * target, (kind, gt[kind])
    for kind in (
        "deployments",
        "workflow_runs",
        "releases",
        "milestones",
        "labels",
        "pull_request_review_comments",
        "pull_request_comments",
        "issue_comments",
    ):
        assert gt[kind] > 0, kind
    assert gt["deployment_statuses"] == 2 * gt["deployments"]  # in_progress, then the outcome


def test_scale_two_roughly_doubles_scale_one(org):
    one, two = org.ground_truth(), generate_organization(scale=2.0).ground_truth()
    assert two["repositories"] == 16 and two["teams"] == 8 and two["users"] == 63
    for kind in ("commits", "pull_requests", "issues", "deployments", "workflow_runs"):
        assert 1.6 <= two[kind] / one[kind] <= 2.4, kind


def test_fractional_scale_gives_a_tiny_but_complete_org():
    tiny = generate_organization(scale=0.05)
    gt = tiny.ground_truth()
    assert gt["repositories"] == 2 and gt["teams"] >= 1 and gt["users"] >= 4 + len(BOTS)
    assert gt["pull_requests"] > 0 and gt["issues"] > 0 and gt["deployments"] > 0


def test_org_login_and_end_are_honoured():
    from datetime import UTC, datetime

    end = datetime(2025, 3, 1, tzinfo=UTC)
    store = generate_organization(scale=0.05, end=end, org_login="globex")
    assert store.org.login == "globex"
    assert all(r.full_name.startswith("globex/") for r in store.repos.values())
    assert max(r.pushed_at for r in store.repos.values()) < int(end.timestamp())


# --------------------------------------------------------------------------- git model


def test_default_branch_is_ordered_and_parents_are_earlier_commits(org):
    for repo in org.repos.values():
        position = {sha: i for i, sha in enumerate(repo.default_branch_shas)}
        times = [repo.commits[s].committed_at for s in repo.default_branch_shas]
        assert times == sorted(times), repo.name
        for sha in repo.default_branch_shas:
            commit = repo.commits[sha]
            assert commit.on_default_branch
            for parent in commit.parents:
                assert position[parent] < position[sha], (repo.name, sha)
        assert sum(c.on_default_branch for c in repo.commits.values()) == len(position)


def test_merge_commit_and_squash_repositories_put_the_right_commits_on_main(org):
    methods = set()
    for repo, pr in pulls(org):
        if not pr.merged:
            assert all(not repo.commits[s].on_default_branch for s in pr.commit_shas)
            continue
        merge = repo.commits[pr.merge_commit_sha]
        assert merge.on_default_branch and merge.committed_at == pr.merged_at
        if len(merge.parents) == 2:
            methods.add("merge")
            assert merge.parents[1] == pr.head_sha
            assert all(repo.commits[s].on_default_branch for s in pr.commit_shas)
        else:
            methods.add("squash")
            assert merge.message.startswith(f"{pr.title} (#{pr.number})")
            assert all(not repo.commits[s].on_default_branch for s in pr.commit_shas)
    assert methods == {"merge", "squash"}


def test_merge_and_squash_commits_carry_the_whole_pr_diff_like_github(org):
    # GitHub's stats for a merge commit are its diff against the first parent: the PR's diff.
    for repo, pr in pulls(org):
        if pr.merged:
            merge = repo.commits[pr.merge_commit_sha]
            assert (merge.additions, merge.deletions, merge.changed_files) == (
                pr.additions,
                pr.deletions,
                pr.changed_files,
            )


def test_pr_size_is_the_sum_of_its_commits(org):
    for repo, pr in pulls(org):
        commits = [repo.commits[s] for s in pr.commit_shas]
        assert pr.additions == sum(c.additions for c in commits)
        assert pr.deletions == sum(c.deletions for c in commits)
        assert pr.head_sha == pr.commit_shas[-1]
        assert pr.changed_files >= max(c.changed_files for c in commits)


def test_direct_pushes_land_on_main_without_a_pr(org):
    for repo in org.repos.values():
        in_prs = {s for pr in repo.pulls.values() for s in pr.commit_shas}
        merges = {pr.merge_commit_sha for pr in repo.pulls.values()}
        direct = [s for s in repo.default_branch_shas if s not in in_prs and s not in merges]
        assert len(direct) > 10, repo.name


def test_pr_and_issue_numbers_share_one_sequence_in_creation_order(org):
    for repo in org.repos.values():
        items = [*repo.pulls.values(), *repo.issues.values()]
        numbers = sorted(i.number for i in items)
        assert numbers == list(range(1, len(items) + 1))
        by_number = sorted(items, key=lambda i: i.number)
        created = [i.created_at for i in by_number]
        assert created == sorted(created), repo.name


def test_updated_at_is_the_latest_activity(org):
    for _repo, pr in pulls(org):
        stamps = [
            pr.created_at,
            *(e.created_at for e in pr.timeline),
            *(r.submitted_at for r in pr.reviews),
            *(c.created_at for c in pr.comments),
            *(c.created_at for c in pr.review_comments),
        ]
        assert pr.updated_at == max(stamps)
    for _repo, issue in issues(org):
        stamps = [
            issue.created_at,
            *(e.created_at for e in issue.timeline),
            *(c.created_at for c in issue.comments),
        ]
        assert issue.updated_at == max(stamps)
    for repo in org.repos.values():
        assert repo.pushed_at >= repo.commits[repo.head_sha].committed_at
        assert repo.updated_at >= repo.pushed_at


def test_every_timestamp_is_before_end_and_ids_are_unique(org):
    ids = Counter()
    for _repo, pr in pulls(org):
        assert pr.updated_at < END
        ids.update(
            [
                pr.id,
                *(r.id for r in pr.reviews),
                *(e.id for e in pr.timeline),
                *(c.id for c in pr.comments),
                *(c.id for c in pr.review_comments),
            ]
        )
    for repo in org.repos.values():
        assert repo.updated_at < END and repo.pushed_at < END
        assert all(s.created_at < END for d in repo.deployments for s in d.statuses)
        assert all(r.updated_at < END for r in repo.workflow_runs)
        ids.update(
            [
                repo.id,
                *(i.id for i in repo.issues.values()),
                *(d.id for d in repo.deployments),
                *(r.id for r in repo.workflow_runs),
            ]
        )
    assert ids.most_common(1)[0][1] == 1


# --------------------------------------------------------------------------- realism


def test_people_work_weekdays_in_several_time_zones(org):
    humans = {u.id: u for u in org.users.values() if u.type == "User" and u.id != GHOST_USER_ID}
    assert len({u.utc_offset_hours for u in humans.values()}) >= 4
    days = Counter()
    for _repo, pr in pulls(org):
        if pr.author_id in humans:
            days[local_weekday(pr.created_at, humans[pr.author_id].utc_offset_hours) < 5] += 1
    assert days[True] / sum(days.values()) > 0.9
    assert days[False] > 0  # but not never


def test_review_delays_are_skewed_like_a_log_normal(org):
    delays = sorted(
        pr.reviews[0].submitted_at - pr.created_at
        for _repo, pr in pulls(org)
        if pr.reviews
        and not pr.draft
        and org.users[pr.author_id].type == "User"
        and org.users.get(pr.reviews[0].user_id, None)
        and org.users[pr.reviews[0].user_id].type == "User"
    )
    median, p90 = delays[len(delays) // 2], delays[int(len(delays) * 0.9)]
    assert 3600 <= median <= 3 * 86400
    assert p90 > 3 * median  # long right tail


def test_bots_open_dependency_bumps_review_and_deploy(org):
    bot_ids = set(BOTS.values())
    assert {org.users[i].type for i in bot_ids} == {"Bot"}
    titles = [pr.title for _r, pr in pulls(org) if pr.author_id in bot_ids]
    assert any(re.match(r"^Bump \S+ from [\d.]+ to [\d.]+$", t) for t in titles)
    assert any(re.match(r"^chore\(deps\): update dependency \S+ to v\d+$", t) for t in titles)
    actions = BOTS["github-actions[bot]"]
    assert any(r.user_id == actions for _r, pr in pulls(org) for r in pr.reviews)
    deployments = [d for r in org.repos.values() for d in r.deployments]
    assert {d.creator_id for d in deployments} == {actions}
    assert any(run.actor_id == actions for r in org.repos.values() for run in r.workflow_runs)


def test_deleted_users_content_is_authored_by_ghost(org):
    assert any(pr.author_id == GHOST_USER_ID for _r, pr in pulls(org))
    assert any(i.author_id == GHOST_USER_ID for _r, i in issues(org))
    ghost_commits = [
        c
        for r, pr in pulls(org)
        if pr.author_id == GHOST_USER_ID
        for c in (r.commits[s] for s in pr.commit_shas)
    ]
    assert ghost_commits and all(c.author_id is None for c in ghost_commits)


def test_commit_emails_include_unlinked_and_noreply_addresses(org):
    commits = [c for r in org.repos.values() for c in r.commits.values()]
    unlinked = [
        c for c in commits if c.author_id is None and c.author_email != "noreply@github.com"
    ]
    assert len(unlinked) > 50
    noreply = [c for c in commits if c.author_email.endswith("@users.noreply.github.com")]
    assert len(noreply) > 100
    for c in noreply:
        uid, login = re.match(r"^(\d+)\+(.+)@users", c.author_email).groups()
        assert c.author_id == int(uid) and org.users[int(uid)].login == login


def test_drafts_become_ready_for_review_and_some_stay_drafts(org):
    ready = [pr for _r, pr in pulls(org) if any(e.event == "ready_for_review" for e in pr.timeline)]
    assert len(ready) > 50 and all(not pr.draft for pr in ready)
    assert any(pr.draft and pr.state == "open" for _r, pr in pulls(org))


def test_review_requests_and_removals_are_events(org):
    events = Counter(e.event for _r, pr in pulls(org) for e in pr.timeline)
    assert events["review_requested"] > 1000 and events["review_request_removed"] > 0
    assert any(e.requested_team_id for _r, pr in pulls(org) for e in pr.timeline)


def test_force_pushes_drop_the_old_commits(org):
    pushes = [
        (r, pr, e)
        for r, pr in pulls(org)
        for e in pr.timeline
        if e.event == "head_ref_force_pushed"
    ]
    assert len(pushes) > 20
    for repo, pr, event in pushes:
        assert event.before_sha in repo.commits and event.after_sha in repo.commits
        assert event.before_sha not in pr.commit_shas


def test_reverts_name_an_earlier_merge_commit(org):
    reverts = 0
    for repo in org.repos.values():
        merged = {pr.merge_commit_sha: pr for pr in repo.pulls.values() if pr.merged}
        for commit in repo.default_branch_commits():
            match = REVERT.search(commit.message)
            if match:
                reverts += 1
                assert commit.message.startswith('Revert "')
                assert merged[match.group(1)].merged_at < commit.committed_at
    assert reverts >= 5


def test_prs_are_reopened_closed_unmerged_self_merged_and_merged_without_approval(org):
    prs = [pr for _r, pr in pulls(org)]
    assert any(any(e.event == "reopened" for e in pr.timeline) for pr in prs)
    assert sum(pr.state == "closed" and not pr.merged for pr in prs) > 50
    merged = [pr for pr in prs if pr.merged]
    assert any(pr.merged_by_id == pr.author_id for pr in merged)
    unapproved = [pr for pr in merged if not any(r.state == "APPROVED" for r in pr.reviews)]
    assert 0.03 < len(unapproved) / len(merged) < 0.3
    for pr in merged:
        tail = [e.event for e in pr.timeline][-2:]
        assert tail == ["merged", "closed"]


def test_issues_are_reopened_and_closed_with_reasons(org):
    reasons = Counter(i.state_reason for _r, i in issues(org) if i.state == "closed")
    assert reasons["completed"] > 0 and reasons["not_planned"] > 0
    assert any(any(e.event == "reopened" for e in i.timeline) for _r, i in issues(org))


def test_incidents_follow_production_deployments_and_get_resolved(org):
    after_failure = 0
    for repo in org.repos.values():
        prod = [d for d in repo.deployments if d.environment == "production"]
        for issue in (i for i in repo.issues.values() if "incident" in i.labels):
            finished = [d for d in prod if d.statuses[-1].created_at <= issue.created_at]
            last = finished[-1]
            assert issue.created_at - last.statuses[-1].created_at < 12 * 3600
            after_failure += last.statuses[-1].state == "failure"
            if issue.state == "closed":
                assert issue.closed_at > issue.created_at
    assert after_failure >= 5
    states = Counter(d.statuses[-1].state for r in org.repos.values() for d in r.deployments)
    assert states["success"] > states["failure"] > 0
    envs = Counter(d.environment for r in org.repos.values() for d in r.deployments)
    assert set(envs) == {"production", "staging"}


def test_sprint_milestones_and_story_point_labels(org):
    for repo in org.repos.values():
        points = [n for n in repo.labels if STORY_POINTS.match(n)]
        assert len(points) >= 5, repo.name
        spans = {m.due_on - m.created_at - 3 * 86400 for m in repo.milestones.values()}
        assert spans == {14 * 86400}
    labelled = [
        i
        for _r, i in issues(org)
        if i.milestone_number and any(STORY_POINTS.match(n) for n in i.labels)
    ]
    assert len(labelled) > 100
    styles = {
        re.sub(r"\d+", "N", n)
        for r in org.repos.values()
        for n in r.labels
        if STORY_POINTS.match(n)
    }
    assert len(styles) >= 3


def test_conventional_and_free_form_commit_messages(org):
    messages = [
        c.message
        for r in org.repos.values()
        for c in r.commits.values()
        if len(c.parents) < 2 and not c.message.startswith(("Revert", "Bump", "Initial"))
    ]
    share = sum(bool(CONVENTIONAL.match(m)) for m in messages) / len(messages)
    assert 0.55 < share < 0.95


def test_workflow_runs_cover_push_and_pull_request_with_mixed_outcomes(org):
    runs = [run for r in org.repos.values() for run in r.workflow_runs]
    assert {"push", "pull_request"} <= {run.event for run in runs}
    assert {"success", "failure", "cancelled"} <= {run.conclusion for run in runs}
    for repo in org.repos.values():
        for wf in repo.workflows:
            numbers = [run.run_number for run in repo.workflow_runs if run.workflow_id == wf.id]
            assert numbers == list(range(1, len(numbers) + 1))


def test_teams_are_nested_and_some_people_are_in_two_teams(org):
    teams = list(org.teams.values())
    assert any(t.parent_id in org.teams for t in teams)
    memberships = Counter(uid for t in teams for uid in t.member_ids)
    assert 1 <= sum(n == 2 for n in memberships.values()) <= 6
    assert set(memberships) == set(org.org.member_ids)


def test_giant_prs_exist_even_in_a_tiny_org():
    tiny = generate_organization(scale=0.05)
    first = next(iter(tiny.repos.values()))
    assert max(len(pr.commit_shas) for pr in first.pulls.values()) >= 120
    assert max(len(pr.reviews) for pr in first.pulls.values()) >= 105


def test_giant_prs_are_spread_over_repositories_from_scale_ten():
    assert _giant_plan(1.0, 8) == {0: ["commits", "reviews"]}
    plan = _giant_plan(10.0, 80)
    assert len(plan) >= 4
    kinds = Counter(k for ks in plan.values() for k in ks)
    assert kinds["commits"] >= 4 and kinds["reviews"] >= 4
