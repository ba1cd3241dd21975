"""One code path for every write to the emulator's organisation.

Both the synthetic generator (generator.py) and the incremental-test mutations (mutations.py)
build records only through these functions, so a commit, a merge or a review looks the same
whichever created it. Each function takes the time it happens at (epoch seconds), appends the
matching REST-named TimelineEvent, and keeps `updated_at` of the PR/issue and `pushed_at` /
`updated_at` of the repository consistent with the latest activity. Callers hold `store.lock`
when the store is shared (mutations); the generator builds a private store.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from .model import (
    Commit,
    Deployment,
    DeploymentStatus,
    Issue,
    IssueComment,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewComment,
    Store,
    TimelineEvent,
    Workflow,
    WorkflowRun,
    fake_sha,
)

WEB_FLOW = (
    "GitHub",
    "noreply@github.com",
)  # committer of merge and squash commits made on github.com


class Author(NamedTuple):
    """A commit identity: `user_id` is the linked GitHub user, None when the email maps to none."""

    name: str
    email: str
    user_id: int | None


def touch(repo: Repository, at: int, pushed: bool = False) -> None:
    """Move the repository's `updated_at` (and `pushed_at` for pushes) forward to `at`."""
    if repo.updated_at is None or at > repo.updated_at:
        repo.updated_at = at
    if pushed and (repo.pushed_at is None or at > repo.pushed_at):
        repo.pushed_at = at


def _bump(item: PullRequest | Issue, at: int) -> None:
    if item.updated_at is None or at > item.updated_at:
        item.updated_at = at


def add_event(
    store: Store,
    item: PullRequest | Issue,
    event: str,
    actor_id: int | None,
    at: int,
    **fields: object,
) -> TimelineEvent:
    """Append a timeline event to a PR or issue and bump its `updated_at`."""
    ev = TimelineEvent(id=store.new_id(), event=event, actor_id=actor_id, created_at=at, **fields)
    item.timeline.append(ev)
    _bump(item, at)
    return ev


# --------------------------------------------------------------------------- git


def make_commit(
    repo: Repository,
    *,
    message: str,
    author: Author,
    at: int,
    parents: tuple[str, ...],
    additions: int = 0,
    deletions: int = 0,
    changed_files: int = 0,
    committer: Author | None = None,
    committed_at: int | None = None,
) -> Commit:
    """Create a commit (not yet on the default branch) and register it in `repo.commits`."""
    committer = committer or author
    committed_at = at if committed_at is None else committed_at
    sha = fake_sha(repo.id, message, author.email, at, committed_at, *parents)
    commit = Commit(
        sha=sha,
        message=message,
        author_name=author.name,
        author_email=author.email,
        authored_at=at,
        committer_name=committer.name,
        committer_email=committer.email,
        committed_at=committed_at,
        author_id=author.user_id,
        committer_id=committer.user_id,
        additions=additions,
        deletions=deletions,
        changed_files=changed_files,
        parents=parents,
    )
    repo.commits[sha] = commit
    return commit


def make_chain(
    repo: Repository, parent: str | None, specs: list[tuple[str, Author, int, int, int, int]]
) -> list[Commit]:
    """Commits each on top of the previous one; specs are (message, author, at, +, -, files)."""
    out: list[Commit] = []
    for message, author, at, adds, dels, files in specs:
        parents = (parent,) if parent else ()
        commit = make_commit(
            repo,
            message=message,
            author=author,
            at=at,
            parents=parents,
            additions=adds,
            deletions=dels,
            changed_files=files,
        )
        out.append(commit)
        parent = commit.sha
    return out


def push_to_default_branch(repo: Repository, commits: list[Commit], at: int) -> None:
    """Put commits on the default branch, keeping `default_branch_shas` in committed_at order."""
    shas = repo.default_branch_shas
    key = repo.commits.__getitem__
    for commit in commits:
        commit.on_default_branch = True
        if not shas or key(shas[-1]).committed_at <= commit.committed_at:
            shas.append(commit.sha)
        else:
            pos = bisect_right(shas, commit.committed_at, key=lambda s: key(s).committed_at)
            shas.insert(pos, commit.sha)
    touch(repo, at, pushed=True)


# --------------------------------------------------------------------------- pull requests


def _resize(repo: Repository, pr: PullRequest) -> None:
    """PR size from its commits (changed_files: the largest commit's files plus a share of the rest)."""
    commits = [repo.commits[s] for s in pr.commit_shas]
    pr.additions = sum(c.additions for c in commits)
    pr.deletions = sum(c.deletions for c in commits)
    files = sorted((c.changed_files for c in commits), reverse=True)
    pr.changed_files = (files[0] + sum(files[1:]) // 3) if files else 0


def open_pull_request(
    store: Store,
    repo: Repository,
    *,
    author_id: int | None,
    title: str,
    body: str | None,
    head_ref: str,
    commits: list[Commit],
    at: int,
    base_sha: str | None = None,
    draft: bool = False,
    labels: list[str] | None = None,
    milestone_number: int | None = None,
) -> PullRequest:
    """Open a PR from a branch whose commits already exist (oldest first)."""
    base = base_sha or (commits[0].parents[0] if commits and commits[0].parents else repo.head_sha)
    pr = PullRequest(
        id=store.new_id(),
        number=repo.take_number(),
        title=title,
        body=body,
        author_id=author_id,
        created_at=at,
        updated_at=at,
        head_ref=head_ref,
        base_ref=repo.default_branch,
        head_sha=commits[-1].sha if commits else (base or ""),
        base_sha=base or "",
        draft=draft,
        commit_shas=[c.sha for c in commits],
        milestone_number=milestone_number,
    )
    _resize(repo, pr)
    repo.pulls[pr.number] = pr
    for label in labels or ():
        pr.labels.append(label)
        add_event(store, pr, "labeled", author_id, at, label=label)
    if milestone_number is not None:
        add_event(
            store,
            pr,
            "milestoned",
            author_id,
            at,
            milestone_title=repo.milestones[milestone_number].title,
        )
    touch(repo, at, pushed=True)
    return pr


def push_pr_commits(repo: Repository, pr: PullRequest, commits: list[Commit], at: int) -> None:
    """Push more commits to a PR's head branch."""
    pr.commit_shas.extend(c.sha for c in commits)
    pr.head_sha = pr.commit_shas[-1]
    _resize(repo, pr)
    _bump(pr, at)
    touch(repo, at, pushed=True)


def force_push(
    store: Store,
    repo: Repository,
    pr: PullRequest,
    *,
    actor_id: int | None,
    drop: int,
    new_commits: list[Commit],
    at: int,
) -> TimelineEvent:
    """Rewrite the head branch: the last `drop` commits leave the PR, `new_commits` replace them."""
    before = pr.head_sha
    kept = pr.commit_shas[: max(0, len(pr.commit_shas) - drop)]
    pr.commit_shas = kept + [c.sha for c in new_commits]
    pr.head_sha = pr.commit_shas[-1] if pr.commit_shas else pr.base_sha
    _resize(repo, pr)
    touch(repo, at, pushed=True)
    return add_event(
        store, pr, "head_ref_force_pushed", actor_id, at, before_sha=before, after_sha=pr.head_sha
    )


def request_review(
    store: Store,
    pr: PullRequest,
    *,
    actor_id: int | None,
    at: int,
    reviewer_id: int | None = None,
    team_id: int | None = None,
) -> TimelineEvent:
    if reviewer_id is not None and reviewer_id not in pr.requested_reviewer_ids:
        pr.requested_reviewer_ids.append(reviewer_id)
    if team_id is not None and team_id not in pr.requested_team_ids:
        pr.requested_team_ids.append(team_id)
    return add_event(
        store,
        pr,
        "review_requested",
        actor_id,
        at,
        requested_reviewer_id=reviewer_id,
        requested_team_id=team_id,
    )


def remove_review_request(
    store: Store,
    pr: PullRequest,
    *,
    actor_id: int | None,
    at: int,
    reviewer_id: int | None = None,
    team_id: int | None = None,
) -> TimelineEvent:
    if reviewer_id in pr.requested_reviewer_ids:
        pr.requested_reviewer_ids.remove(reviewer_id)
    if team_id in pr.requested_team_ids:
        pr.requested_team_ids.remove(team_id)
    return add_event(
        store,
        pr,
        "review_request_removed",
        actor_id,
        at,
        requested_reviewer_id=reviewer_id,
        requested_team_id=team_id,
    )


def ready_for_review(
    store: Store, pr: PullRequest, *, actor_id: int | None, at: int
) -> TimelineEvent:
    pr.draft = False
    return add_event(store, pr, "ready_for_review", actor_id, at)


def convert_to_draft(
    store: Store, pr: PullRequest, *, actor_id: int | None, at: int
) -> TimelineEvent:
    pr.draft = True
    return add_event(store, pr, "convert_to_draft", actor_id, at)


def add_review(
    store: Store,
    pr: PullRequest,
    *,
    user_id: int | None,
    state: str,
    body: str,
    at: int,
    comments: list[tuple[str, int, str]] = (),
) -> Review:
    """Submit a review (with diff comments given as (path, line, body)); a submitted review
    clears the reviewer's pending request, as on GitHub."""
    review = Review(
        id=store.new_id(),
        user_id=user_id,
        state=state,
        body=body,
        submitted_at=at,
        commit_id=pr.head_sha,
    )
    pr.reviews.append(review)
    for path, line, text in comments:
        add_review_comment(
            store, pr, user_id=user_id, body=text, at=at, path=path, line=line, review_id=review.id
        )
    if user_id in pr.requested_reviewer_ids:
        pr.requested_reviewer_ids.remove(user_id)
    _bump(pr, at)
    return review


def add_review_comment(
    store: Store,
    pr: PullRequest,
    *,
    user_id: int | None,
    body: str,
    at: int,
    path: str,
    line: int | None,
    review_id: int | None = None,
    in_reply_to_id: int | None = None,
) -> ReviewComment:
    if review_id is None:  # a lone diff comment is a single-comment COMMENTED review on GitHub
        review = Review(
            id=store.new_id(),
            user_id=user_id,
            state="COMMENTED",
            body="",
            submitted_at=at,
            commit_id=pr.head_sha,
        )
        pr.reviews.append(review)
        review_id = review.id
    comment = ReviewComment(
        id=store.new_id(),
        review_id=review_id,
        user_id=user_id,
        body=body,
        path=path,
        line=line,
        commit_id=pr.head_sha,
        created_at=at,
        updated_at=at,
        in_reply_to_id=in_reply_to_id,
    )
    pr.review_comments.append(comment)
    _bump(pr, at)
    return comment


def add_comment(
    store: Store, item: PullRequest | Issue, *, user_id: int | None, body: str, at: int
) -> IssueComment:
    """A conversation comment on a PR or an issue."""
    comment = IssueComment(
        id=store.new_id(), user_id=user_id, body=body, created_at=at, updated_at=at
    )
    item.comments.append(comment)
    _bump(item, at)
    return comment


def merge_pull_request(
    store: Store,
    repo: Repository,
    pr: PullRequest,
    *,
    merger: Author,
    at: int,
    method: str = "merge",
) -> Commit:
    """Merge with a merge commit (the PR's commits join the default branch) or squash (one new
    commit; the PR's commits stay off it). Emits GitHub's `merged` then `closed` events."""
    head = repo.head_sha
    if method == "squash":
        first = repo.commits[pr.commit_shas[0]] if pr.commit_shas else None
        author = Author(first.author_name, first.author_email, first.author_id) if first else merger
        body = "\n".join(f"* {repo.commits[s].message.splitlines()[0]}" for s in pr.commit_shas)
        commit = make_commit(
            repo,
            message=f"{pr.title} (#{pr.number})\n\n{body}",
            author=author,
            at=at,
            parents=(head,) if head else (),
            additions=pr.additions,
            deletions=pr.deletions,
            changed_files=pr.changed_files,
            committer=Author(*WEB_FLOW, None),
            committed_at=at,
        )
        push_to_default_branch(repo, [commit], at)
    else:
        message = (
            f"Merge pull request #{pr.number} from {repo.owner_login}/{pr.head_ref}\n\n{pr.title}"
        )
        parents = tuple(p for p in (head, pr.head_sha) if p)
        # GitHub reports a merge commit's stats against its first parent: the whole PR's diff.
        commit = make_commit(
            repo,
            message=message,
            author=merger,
            at=at,
            parents=parents,
            additions=pr.additions,
            deletions=pr.deletions,
            changed_files=pr.changed_files,
            committer=Author(*WEB_FLOW, None),
        )
        pr_commits = [
            repo.commits[s] for s in pr.commit_shas if not repo.commits[s].on_default_branch
        ]
        push_to_default_branch(repo, [*pr_commits, commit], at)
    pr.state = "closed"
    pr.draft = False
    pr.merged_at = pr.closed_at = at
    pr.merged_by_id = merger.user_id
    pr.merge_commit_sha = commit.sha
    pr.requested_reviewer_ids.clear()
    pr.requested_team_ids.clear()
    add_event(store, pr, "merged", merger.user_id, at, commit_id=commit.sha)
    add_event(store, pr, "closed", merger.user_id, at)
    return commit


def close_item(
    store: Store,
    repo: Repository,
    item: PullRequest | Issue,
    *,
    actor_id: int | None,
    at: int,
    reason: str | None = None,
) -> TimelineEvent:
    """Close a PR without merging, or an issue with a state reason (completed | not_planned)."""
    item.state = "closed"
    item.closed_at = at
    if isinstance(item, Issue):
        item.state_reason = reason or "completed"
        item.closed_by_id = actor_id
    touch(repo, at)
    return add_event(
        store,
        item,
        "closed",
        actor_id,
        at,
        state_reason=item.state_reason if isinstance(item, Issue) else None,
    )


def reopen_item(
    store: Store, repo: Repository, item: PullRequest | Issue, *, actor_id: int | None, at: int
) -> TimelineEvent:
    item.state = "open"
    item.closed_at = None
    if isinstance(item, Issue):
        item.state_reason = "reopened"
        item.closed_by_id = None
    touch(repo, at)
    return add_event(store, item, "reopened", actor_id, at)


def edit_item(
    store: Store,
    repo: Repository,
    item: PullRequest | Issue,
    *,
    actor_id: int | None,
    at: int,
    title: str | None = None,
    body: str | None = None,
    labels: list[str] | None = None,
) -> None:
    """Edit title/body and replace labels (emitting labeled/unlabeled events)."""
    if title is not None:
        item.title = title
    if body is not None:
        item.body = body
    if labels is not None:
        for name in [n for n in item.labels if n not in labels]:
            item.labels.remove(name)
            add_event(store, item, "unlabeled", actor_id, at, label=name)
        for name in [n for n in labels if n not in item.labels]:
            item.labels.append(name)
            add_event(store, item, "labeled", actor_id, at, label=name)
    _bump(item, at)
    touch(repo, at)


# --------------------------------------------------------------------------- issues


def open_issue(
    store: Store,
    repo: Repository,
    *,
    author_id: int | None,
    title: str,
    body: str | None,
    at: int,
    labels: list[str] | None = None,
    milestone_number: int | None = None,
    assignee_ids: list[int] | None = None,
) -> Issue:
    issue = Issue(
        id=store.new_id(),
        number=repo.take_number(),
        title=title,
        body=body,
        author_id=author_id,
        created_at=at,
        updated_at=at,
        milestone_number=milestone_number,
    )
    repo.issues[issue.number] = issue
    for label in labels or ():
        issue.labels.append(label)
        add_event(store, issue, "labeled", author_id, at, label=label)
    if milestone_number is not None:
        add_event(
            store,
            issue,
            "milestoned",
            author_id,
            at,
            milestone_title=repo.milestones[milestone_number].title,
        )
    for assignee in assignee_ids or ():
        issue.assignee_ids.append(assignee)
        add_event(store, issue, "assigned", author_id, at, assignee_id=assignee)
    touch(repo, at)
    return issue


# --------------------------------------------------------------------------- delivery


def add_deployment(
    store: Store,
    repo: Repository,
    *,
    sha: str,
    environment: str,
    creator_id: int | None,
    at: int,
    state: str,
    duration: int = 300,
    ref: str | None = None,
) -> Deployment:
    """A deployment with GitHub Actions-style statuses: in_progress, then the final `state`
    `duration` seconds later (statuses oldest first)."""
    production = environment in ("production", "prod")
    dep = Deployment(
        id=store.new_id(),
        sha=sha,
        ref=ref or repo.default_branch,
        environment=environment,
        creator_id=creator_id,
        created_at=at,
        updated_at=at + duration,
        description=f"Deploy {sha[:7]} to {environment}",
        production_environment=production,
    )
    url = f"https://github.com/{repo.full_name}/actions/runs/{dep.id}"
    env_url = f"https://{environment}.{repo.name}.example.com"
    for state_, when in (("in_progress", at + 5), (state, at + duration)):
        dep.statuses.append(
            DeploymentStatus(
                id=store.new_id(),
                state=state_,
                creator_id=creator_id,
                created_at=when,
                updated_at=when,
                description=f"Deployment {state_.replace('_', ' ')}",
                environment=environment,
                log_url=url,
                environment_url=env_url,
            )
        )
    repo.deployments.append(dep)
    touch(repo, at + duration)
    return dep


def add_workflow_run(
    store: Store,
    repo: Repository,
    workflow: Workflow,
    *,
    head_branch: str,
    head_sha: str,
    event: str,
    actor_id: int | None,
    at: int,
    conclusion: str | None,
    duration: int = 240,
    title: str = "",
    pull_request_numbers: list[int] | None = None,
) -> WorkflowRun:
    last = next((r for r in reversed(repo.workflow_runs) if r.workflow_id == workflow.id), None)
    number = last.run_number + 1 if last else 1
    run = WorkflowRun(
        id=store.new_id(),
        workflow_id=workflow.id,
        name=workflow.name,
        head_branch=head_branch,
        head_sha=head_sha,
        event=event,
        status="completed" if conclusion else "in_progress",
        conclusion=conclusion,
        run_number=number,
        run_attempt=1,
        created_at=at,
        updated_at=at + duration,
        run_started_at=at,
        actor_id=actor_id,
        display_title=title,
        pull_request_numbers=list(pull_request_numbers or ()),
    )
    repo.workflow_runs.append(run)
    touch(repo, at + duration)
    return run


def add_release(
    store: Store, repo: Repository, *, tag: str, author_id: int | None, at: int, body: str = ""
) -> Release:
    release = Release(
        id=store.new_id(),
        tag_name=tag,
        name=tag,
        target_commitish=repo.default_branch,
        author_id=author_id,
        created_at=at,
        published_at=at,
        body=body,
    )
    repo.releases.append(release)
    touch(repo, at)
    return release
