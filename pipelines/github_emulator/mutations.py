"""Incremental changes to a live organisation, as Python calls, for incremental-load tests.

`Mutations(store, clock)` changes the store the way GitHub would when a person acts: every
call takes `store.lock`, stamps its writes with a time strictly after every timestamp already in
the store (max(clock(), latest + 60 s), advancing on each call), bumps `store.version`, goes
through builders.py (the generator's code path, so events, `updated_at` and `pushed_at` move as
on GitHub), and returns the record it created or changed. `repo` is a repository name; logins
are optional and default to deterministic human members of the organisation (a reviewer or
merger other than the PR author).

As on GitHub, a lone review comment (`add_review_comment`) also creates a COMMENTED review.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from . import builders as b
from .model import (
    Commit,
    Deployment,
    Issue,
    IssueComment,
    Label,
    PullRequest,
    Repository,
    Review,
    ReviewComment,
    Store,
    User,
)


def latest_timestamp(store: Store) -> int:
    """The latest event time anywhere in the store (milestone due dates are plans, not events;
    unparseable recorded values are skipped)."""
    times: list[object] = [0]
    for user in store.users.values():
        times += (user.created_at or 0, user.updated_at or 0)
    times += (t.updated_at or 0 for t in store.teams.values())
    for repo in store.repos.values():
        times += (repo.updated_at or 0, repo.pushed_at or 0)
        times += (t for c in repo.commits.values() for t in (c.committed_at, c.authored_at))
        times += (p.updated_at for p in repo.pulls.values())
        times += (i.updated_at for i in repo.issues.values())
        times += (m.updated_at or 0 for m in repo.milestones.values())
        times += (s.updated_at for d in repo.deployments for s in d.statuses)
        times += (d.updated_at for d in repo.deployments)
        times += (r.updated_at for r in repo.workflow_runs)
        times += (r.published_at for r in repo.releases)
    return max(t for t in times if isinstance(t, int))


class Mutations:
    def __init__(self, store: Store, clock: Callable[[], float] | None = None) -> None:
        self.store = store
        self.clock = clock or time.time
        self._last: int | None = None

    # helpers -----------------------------------------------------------------------
    def _tick(self, span: int = 0) -> int:
        """The time of this call; the next call will be later than `now + span`."""
        if self._last is None:
            self._last = latest_timestamp(self.store)
        now = max(int(self.clock()), self._last + 60)
        self._last = now + span
        self.store.version += 1
        return now

    def _repo(self, name: str) -> Repository:
        repo = self.store.repos.get(name)
        if repo is None:
            raise KeyError(f"no repository {name!r} in {self.store.org.login}")
        return repo

    def _user(self, login: str | None, not_id: int | None = None) -> User:
        if login is not None:
            user = self.store.user_by_login(login)
            if user is None:
                raise KeyError(f"no user {login!r}")
            return user
        for uid in self.store.org.member_ids:
            if uid != not_id and self.store.users[uid].type == "User":
                return self.store.users[uid]
        raise LookupError("the organisation has no human member to act")

    @staticmethod
    def _author(user: User) -> b.Author:
        email = f"{user.id}+{user.login}@users.noreply.github.com"
        return b.Author(user.name or user.login, email, user.id)

    def _pull(self, repo: Repository, number: int) -> PullRequest:
        pr = repo.pulls.get(number)
        if pr is None:
            raise KeyError(f"no pull request #{number} in {repo.full_name}")
        return pr

    def _issue(self, repo: Repository, number: int) -> Issue:
        issue = repo.issues.get(number)
        if issue is None:
            raise KeyError(f"no issue #{number} in {repo.full_name}")
        return issue

    def _chain(
        self, repo: Repository, user: User, parent: str | None, count: int, at: int, label: str
    ) -> list[Commit]:
        return b.make_chain(
            repo,
            parent,
            [
                (f"feat: {label} ({i + 1}/{count})", self._author(user), at + i, 10 + i, 2, 1)
                for i in range(count)
            ],
        )

    # git ---------------------------------------------------------------------------
    def add_commits(
        self, repo: str, count: int = 1, author_login: str | None = None
    ) -> list[Commit]:
        """Push `count` commits directly to the default branch."""
        with self.store.lock:
            r, user = self._repo(repo), self._user(author_login)
            t = self._tick(span=count)
            commits = self._chain(r, user, r.head_sha, count, t, f"direct change at {t}")
            b.push_to_default_branch(r, commits, t + count - 1)
            return commits

    # pull requests -----------------------------------------------------------------
    def open_pull_request(
        self,
        repo: str,
        author_login: str | None = None,
        draft: bool = False,
        commits: int = 2,
        title: str | None = None,
    ) -> PullRequest:
        with self.store.lock:
            r, user = self._repo(repo), self._user(author_login)
            t = self._tick(span=commits)
            number = r.next_number
            chain = self._chain(r, user, r.head_sha, commits, t, f"change for #{number}")
            return b.open_pull_request(
                self.store,
                r,
                author_id=user.id,
                title=title or f"feat: mutation change {number}",
                body="Opened by the emulator's mutations.",
                head_ref=f"{user.login}/change-{number}",
                commits=chain,
                at=t + commits,
                draft=draft,
            )

    def merge_pull_request(
        self, repo: str, number: int, by_login: str | None = None, method: str = "merge"
    ) -> PullRequest:
        """Merge an open, non-draft PR (`method` "merge" or "squash")."""
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            if pr.state != "open" or pr.draft:
                raise ValueError(f"#{number} in {r.full_name} is not an open, ready PR")
            user = self._user(by_login, not_id=pr.author_id)
            b.merge_pull_request(
                self.store, r, pr, merger=self._author(user), at=self._tick(), method=method
            )
            return pr

    def close_pull_request(self, repo: str, number: int) -> PullRequest:
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            if pr.state != "open":
                raise ValueError(f"#{number} in {r.full_name} is not open")
            b.close_item(self.store, r, pr, actor_id=pr.author_id, at=self._tick())
            return pr

    def reopen_pull_request(self, repo: str, number: int) -> PullRequest:
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            if pr.state != "closed" or pr.merged:
                raise ValueError(f"#{number} in {r.full_name} is not closed-unmerged")
            b.reopen_item(self.store, r, pr, actor_id=pr.author_id, at=self._tick())
            return pr

    def edit_pull_request(
        self,
        repo: str,
        number: int,
        title: str | None = None,
        body: str | None = None,
        labels: list[str] | None = None,
    ) -> PullRequest:
        """Edit title/body/labels of any PR, open, closed or merged; unknown labels are created."""
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            for name in labels or ():
                if name not in r.labels:
                    r.labels[name] = Label(id=self.store.new_id(), name=name)
            b.edit_item(
                self.store,
                r,
                pr,
                actor_id=pr.author_id,
                at=self._tick(),
                title=title,
                body=body,
                labels=labels,
            )
            return pr

    def mark_ready_for_review(self, repo: str, number: int) -> PullRequest:
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            if not pr.draft or pr.state != "open":
                raise ValueError(f"#{number} in {r.full_name} is not an open draft")
            b.ready_for_review(self.store, pr, actor_id=pr.author_id, at=self._tick())
            return pr

    def add_review(
        self,
        repo: str,
        number: int,
        reviewer_login: str | None = None,
        state: str = "APPROVED",
        body: str = "",
    ) -> Review:
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            user = self._user(reviewer_login, not_id=pr.author_id)
            return b.add_review(
                self.store, pr, user_id=user.id, state=state, body=body, at=self._tick()
            )

    def add_review_comment(
        self,
        repo: str,
        number: int,
        user_login: str | None = None,
        body: str = "Please take another look at this line.",
    ) -> ReviewComment:
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            user = self._user(user_login, not_id=pr.author_id)
            return b.add_review_comment(
                self.store,
                pr,
                user_id=user.id,
                body=body,
                at=self._tick(),
                path="README.md",
                line=1,
            )

    def force_push(self, repo: str, number: int, commits: int = 1) -> PullRequest:
        """Rewrite the PR branch: its last `commits` commits are replaced by as many new ones."""
        with self.store.lock:
            r = self._repo(repo)
            pr = self._pull(r, number)
            if pr.state != "open":
                raise ValueError(f"#{number} in {r.full_name} is not open")
            user = self.store.user(pr.author_id) or self._user(None)
            t = self._tick(span=commits)
            drop = min(commits, len(pr.commit_shas))
            kept = pr.commit_shas[: len(pr.commit_shas) - drop]
            new = self._chain(
                r,
                user,
                kept[-1] if kept else pr.base_sha,
                commits,
                t,
                f"rewrite of #{number} at {t}",
            )
            b.force_push(
                self.store, r, pr, actor_id=user.id, drop=drop, new_commits=new, at=t + commits - 1
            )
            return pr

    # issues and conversation -------------------------------------------------------
    def add_comment(
        self,
        repo: str,
        number: int,
        user_login: str | None = None,
        body: str = "Thanks, looking into it.",
    ) -> IssueComment:
        """A conversation comment on a PR or an issue."""
        with self.store.lock:
            r = self._repo(repo)
            item = r.pulls.get(number) or self._issue(r, number)
            user = self._user(user_login)
            comment = b.add_comment(self.store, item, user_id=user.id, body=body, at=self._tick())
            return comment

    def open_issue(
        self,
        repo: str,
        title: str = "Something is broken",
        labels: list[str] | None = None,
        author_login: str | None = None,
    ) -> Issue:
        with self.store.lock:
            r, user = self._repo(repo), self._user(author_login)
            for name in labels or ():
                if name not in r.labels:
                    r.labels[name] = Label(id=self.store.new_id(), name=name)
            return b.open_issue(
                self.store,
                r,
                author_id=user.id,
                title=title,
                body=None,
                at=self._tick(),
                labels=labels,
            )

    def close_issue(self, repo: str, number: int, reason: str = "completed") -> Issue:
        with self.store.lock:
            r = self._repo(repo)
            issue = self._issue(r, number)
            if issue.state != "open":
                raise ValueError(f"issue #{number} in {r.full_name} is not open")
            b.close_item(
                self.store, r, issue, actor_id=self._user(None).id, at=self._tick(), reason=reason
            )
            return issue

    def reopen_issue(self, repo: str, number: int) -> Issue:
        with self.store.lock:
            r = self._repo(repo)
            issue = self._issue(r, number)
            if issue.state != "closed":
                raise ValueError(f"issue #{number} in {r.full_name} is not closed")
            b.reopen_item(self.store, r, issue, actor_id=self._user(None).id, at=self._tick())
            return issue

    # delivery ----------------------------------------------------------------------
    def add_deployment(
        self,
        repo: str,
        environment: str = "production",
        state: str = "success",
        sha: str | None = None,
    ) -> Deployment:
        """A deployment of `sha` (default: the default-branch head) by github-actions[bot]."""
        with self.store.lock:
            r = self._repo(repo)
            bot = self.store.user_by_login("github-actions[bot]")
            return b.add_deployment(
                self.store,
                r,
                sha=sha or r.head_sha or "",
                environment=environment,
                creator_id=bot.id if bot else None,
                at=self._tick(span=30),
                state=state,
                duration=30,
            )
