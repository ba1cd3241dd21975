"""The simulated activity of one repository (used by generator.py).

Every PR, issue, the direct pushes, the dependency bots and the deploy pipeline are Python
generators that yield the time of their next action; `Sim` runs them in time order so a branch
starts from the default-branch head of its moment and a deployment ships what was merged by
then. All writes go through builders.py. People work weekdays 09-18 in their own time zone
(`work`), and waits between actions are log-normal (`after`).
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import builders as b
from .builders import Author
from .generator_vocab import (
    CONVERSATION,
    FREE_FORM,
    OBJECTS,
    PACKAGES,
    POINTS,
    REVIEW_BODIES,
    REVIEW_COMMENTS,
    SCOPES,
    TYPE_WEIGHTS,
    TYPES,
    VERBS,
)
from .model import GHOST_USER_ID, PullRequest, Repository, Store, Team, Workflow

WINDOW_DAYS = 183
DAY = 86_400
HOUR = 3_600
BOTS = {  # login -> id, as on github.com
    "dependabot[bot]": 49699333,
    "renovate[bot]": 29139614,
    "github-actions[bot]": 41898282,
}

# --------------------------------------------------------------------------- people


@dataclass(slots=True)
class Persona:
    """A contributor as the simulation sees them; `user_id` is GHOST_USER_ID for deleted users."""

    user_id: int
    login: str
    offset: int
    author: Author
    alt: Author | None  # a second email linked to no GitHub user
    weight: float

    def commit_author(self, rng: random.Random) -> Author:
        return self.alt if self.alt and rng.random() < 0.12 else self.author


def work(rng: random.Random, ts: float, offset: int) -> int:
    """Snap `ts` to working time (weekdays 09-18 in the person's zone); 10% stay off-hours."""
    ts = int(ts)
    day, sec = divmod(ts + offset * HOUR, DAY)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    if (weekday < 5 and 9 * HOUR <= sec < 18 * HOUR) or rng.random() < 0.1:
        return ts
    if weekday >= 5 or sec >= 18 * HOUR:
        day += 1
        weekday = (weekday + 1) % 7
        if weekday >= 5:
            day += 7 - weekday
    return day * DAY + 9 * HOUR + int(rng.random() * 3 * HOUR) - offset * HOUR


def after(rng: random.Random, ts: int, offset: int, median_hours: float, sigma: float = 1.0) -> int:
    """`ts` plus a log-normal delay (median `median_hours`, capped at 30 days), in working time."""
    delay = min(rng.lognormvariate(math.log(median_hours * HOUR), sigma), 30 * DAY)
    return work(rng, ts + 60 + delay, offset)


# --------------------------------------------------------------------------- simulation


class Sim:
    """Runs processes (generators yielding their next wake-up time) in time order until `end`."""

    def __init__(self, end: int) -> None:
        self.end = end
        self.heap: list[tuple[int, int, Iterator[int]]] = []
        self.seq = 0

    def spawn(self, process: Iterator[int]) -> None:
        self._schedule(next(process, None), process)

    def _schedule(self, t: int | None, process: Iterator[int]) -> None:
        if t is not None and t < self.end:
            self.seq += 1
            heapq.heappush(self.heap, (t, self.seq, process))

    def run(self) -> None:
        while self.heap:
            t, _, process = heapq.heappop(self.heap)
            nxt = next(process, None)
            self._schedule(None if nxt is None else max(nxt, t), process)


@dataclass
class RepoCtx:
    """Everything the processes of one repository share."""

    store: Store
    repo: Repository
    index: int
    seed: int
    sim: Sim
    begin: int
    end: int
    team: Team
    people: list[Persona]
    maintainers: list[Persona]
    bots: dict[str, Persona]
    method: str
    point_style: str
    files: list[str]
    ci: Workflow
    deploy: Workflow
    sprints: list[tuple[int, int]]  # (start, milestone number)
    cum: list[float] = field(default_factory=list)
    by_id: dict[int, Persona] = field(default_factory=dict)

    def rng(self, kind: int, idx: int = 0) -> random.Random:
        return random.Random(((self.seed * 1_000_003 + self.index) * 101 + kind) * 10_000_019 + idx)

    def pick(self, rng: random.Random, exclude: Persona | None = None) -> Persona:
        for _ in range(8):
            p = self.people[bisect_right(self.cum, rng.random() * self.cum[-1])]
            if p is not exclude:
                return p
        return next(p for p in self.people if p is not exclude)

    def sprint_at(self, ts: int) -> int | None:
        pos = bisect_right(self.sprints, (ts, 1 << 30)) - 1
        return self.sprints[pos][1] if pos >= 0 else None

    def message(self, rng: random.Random, free_form: float = 0.22) -> str:
        obj = rng.choice(OBJECTS)
        if rng.random() < free_form:
            return rng.choice(FREE_FORM).format(o=obj)
        kind = TYPES[bisect_right(TYPE_WEIGHTS, rng.random() * TYPE_WEIGHTS[-1])]
        scope = f"({rng.choice(SCOPES)})" if rng.random() < 0.5 else ""
        return f"{kind}{scope}: {rng.choice(VERBS[kind])} {obj}"

    def size(self, rng: random.Random) -> tuple[int, int, int]:
        adds = int(rng.lognormvariate(3.3, 1.1)) + 1
        return (
            adds,
            int(adds * rng.random() * 0.7),
            min(len(self.files), 1 + int(rng.expovariate(0.4))),
        )

    def ci_run(
        self,
        rng: random.Random,
        sha: str,
        branch: str,
        event: str,
        actor: int | None,
        at: int,
        pr: PullRequest | None = None,
    ) -> None:
        r = rng.random()
        conclusion = "success" if r < 0.84 else "failure" if r < 0.95 else "cancelled"
        b.add_workflow_run(
            self.store,
            self.repo,
            self.ci,
            head_branch=branch,
            head_sha=sha,
            event=event,
            actor_id=actor,
            at=at + 5,
            conclusion=conclusion,
            duration=120 + int(rng.random() * 600),
            title=pr.title if pr else self.repo.commits[sha].message.split("\n")[0],
            pull_request_numbers=[pr.number] if pr else None,
        )


# --------------------------------------------------------------------------- processes


def _pr_commits(
    ctx: RepoCtx,
    rng: random.Random,
    who: Persona,
    start: int,
    count: int,
    parent: str | None,
    title: str,
    spread: bool = True,
) -> list[b.Commit]:
    """A chain of commits from `start`; spread over the following hours unless `spread` is
    False (a rewrite pushed at once: all committed by `start + count` seconds)."""
    specs, t = [], start
    for i in range(count):
        msg = title if i == 0 and rng.random() < 0.5 else ctx.message(rng)
        specs.append((msg, who.commit_author(rng), t, *ctx.size(rng)))
        if not spread:
            t += 1
        elif count < 50:
            t = after(rng, t, who.offset, 1.5, 1.2)
        else:
            t += 600 + int(rng.random() * 3000)
    return b.make_chain(ctx.repo, parent, specs)


def _review_comments(ctx: RepoCtx, rng: random.Random, n: int) -> list[tuple[str, int, str]]:
    return [
        (rng.choice(ctx.files), 1 + int(rng.random() * 300), rng.choice(REVIEW_COMMENTS))
        for _ in range(n)
    ]


def _merge(ctx: RepoCtx, rng: random.Random, pr: PullRequest, merger: Persona, at: int) -> None:
    commit = b.merge_pull_request(
        ctx.store, ctx.repo, pr, merger=merger.author, at=at, method=ctx.method
    )
    ctx.ci_run(rng, commit.sha, ctx.repo.default_branch, "push", merger.user_id, at)
    if rng.random() < 0.035:
        ctx.sim.spawn(_revert(ctx, rng, commit.sha, at))


def _revert(ctx: RepoCtx, rng: random.Random, sha: str, merged_at: int) -> Iterator[int]:
    who = ctx.pick(rng)
    t = after(rng, merged_at, who.offset, 5, 1.0)
    yield t
    original = ctx.repo.commits[sha].message.split("\n")[0]
    head = ctx.repo.head_sha
    commit = b.make_commit(
        ctx.repo,
        message=f'Revert "{original}"\n\nThis reverts commit {sha}.',
        author=who.author,
        at=t,
        parents=(head,) if head else (),
        additions=3,
        deletions=12,
        changed_files=2,
    )
    b.push_to_default_branch(ctx.repo, [commit], t)
    ctx.ci_run(rng, commit.sha, ctx.repo.default_branch, "push", who.user_id, t)


def human_pr(ctx: RepoCtx, idx: int, giant: str | None = None) -> Iterator[int]:
    """One human PR from first commit to merge/close (or still open at `end`)."""
    rng = ctx.rng(1, idx)
    store, repo = ctx.store, ctx.repo
    author = ctx.pick(rng)
    span = ctx.end - ctx.begin
    start = ctx.begin + (0.02 + rng.random() * 0.2 if giant else rng.random()) * span
    t = work(rng, start, author.offset)
    count = {"commits": 125}.get(giant, 1 + min(int(rng.expovariate(1 / 2.6)), 30))
    title = ctx.message(rng, free_form=0.15)
    title = title[0].upper() + title[1:] if ":" not in title else title
    yield t
    commits = _pr_commits(ctx, rng, author, t, count, repo.head_sha, title)
    t = commits[-1].authored_at + 300 + int(rng.random() * 3 * HOUR)
    yield t
    draft = rng.random() < 0.16
    labels = []
    if rng.random() < 0.3:
        labels.append("bug" if title.startswith("fix") else "enhancement")
    milestone = ctx.sprint_at(t) if rng.random() < 0.2 else None
    if milestone and rng.random() < 0.7:
        labels.append(ctx.point_style.format(n=rng.choice(POINTS)))
    slug = title.split(": ")[-1].lower().replace(" ", "-")[:30]
    body = rng.choice(
        ["", f"This PR makes {slug.replace('-', ' ')} work.", "Part of the sprint goal."]
    )
    pr = b.open_pull_request(
        store,
        repo,
        author_id=author.user_id,
        title=title,
        body=body,
        head_ref=f"{author.login.lower()}/{slug}-{idx}",
        commits=commits,
        at=t,
        draft=draft,
        labels=labels,
        milestone_number=milestone,
    )
    ctx.ci_run(rng, pr.head_sha, pr.head_ref, "pull_request", author.user_id, t, pr)
    if rng.random() < 0.08:  # a bot comments (coverage report) right after opening
        b.add_review(
            store,
            pr,
            user_id=ctx.bots["github-actions[bot]"].user_id,
            state="COMMENTED",
            body="Coverage report: no change in total coverage.",
            at=t + 400,
        )
    if draft:
        if rng.random() < 0.15:
            return  # still a draft
        t = after(rng, t, author.offset, 20, 1.0)
        yield t
        b.ready_for_review(store, pr, actor_id=author.user_id, at=t)
    # review requests
    reviewers: list[Persona] = []
    for _ in range(1 if rng.random() < 0.4 else 2):
        r = ctx.pick(rng, exclude=author)
        if r not in reviewers and r.user_id != GHOST_USER_ID:
            reviewers.append(r)
            b.request_review(store, pr, actor_id=author.user_id, at=t, reviewer_id=r.user_id)
    if rng.random() < 0.05:
        b.request_review(store, pr, actor_id=author.user_id, at=t, team_id=ctx.team.id)
    if reviewers and rng.random() < 0.06:
        t += 600 + int(rng.random() * HOUR)
        yield t
        gone = reviewers.pop()
        b.remove_review_request(store, pr, actor_id=author.user_id, at=t, reviewer_id=gone.user_id)
        other = ctx.pick(rng, exclude=author)
        if other is not gone and other not in reviewers:
            reviewers.append(other)
            b.request_review(store, pr, actor_id=author.user_id, at=t, reviewer_id=other.user_id)
    outcome = 0.0 if giant else rng.random()
    unapproved = rng.random() < 0.08
    if giant == "reviews":
        yield from _giant_reviews(ctx, rng, pr, author, t)
        t = max(r.submitted_at for r in pr.reviews)
    else:
        # first round of reviews, in time order
        plan = sorted((after(rng, t, r.offset, 4, 1.1), i) for i, r in enumerate(reviewers))
        changes: list[Persona] = []
        for rt, i in plan:
            yield rt
            t = rt
            r = reviewers[i]
            roll = rng.random()
            state = (
                "COMMENTED"
                if unapproved or roll < 0.22
                else "CHANGES_REQUESTED"
                if roll < 0.38
                else "APPROVED"
            )
            n = int(rng.random() * (4 if state != "APPROVED" else 1.5))
            b.add_review(
                store,
                pr,
                user_id=r.user_id,
                state=state,
                body=rng.choice(REVIEW_BODIES),
                at=t,
                comments=_review_comments(ctx, rng, n),
            )
            if state == "CHANGES_REQUESTED":
                changes.append(r)
        if rng.random() < 0.35:
            t = after(rng, t, author.offset, 1, 1.0)
            yield t
            b.add_comment(
                store, pr, user_id=ctx.pick(rng).user_id, body=rng.choice(CONVERSATION), at=t
            )
        if rng.random() < 0.05:  # rewrite history
            t = after(rng, t, author.offset, 2, 1.0)
            yield t
            drop = min(len(pr.commit_shas), 1 + int(rng.random() * 2))
            keep = pr.commit_shas[: len(pr.commit_shas) - drop]
            parent = keep[-1] if keep else pr.base_sha
            new = _pr_commits(ctx, rng, author, t, drop, parent, title, spread=False)
            b.force_push(store, repo, pr, actor_id=author.user_id, drop=drop, new_commits=new, at=t)
            ctx.ci_run(rng, pr.head_sha, pr.head_ref, "pull_request", author.user_id, t, pr)
        if changes:
            t = after(rng, t, author.offset, 3, 1.0)
            yield t
            fix = _pr_commits(
                ctx, rng, author, t, 1, pr.head_sha, "address review comments", spread=False
            )
            b.push_pr_commits(repo, pr, fix, t)
            ctx.ci_run(rng, pr.head_sha, pr.head_ref, "pull_request", author.user_id, t, pr)
            if rng.random() < 0.3:
                b.add_review_comment(
                    store,
                    pr,
                    user_id=author.user_id,
                    body="Done.",
                    at=t,
                    path=rng.choice(ctx.files),
                    line=10,
                    in_reply_to_id=pr.review_comments[-1].id if pr.review_comments else None,
                )
            for r in changes:
                t = after(rng, t, r.offset, 3, 1.0)
                yield t
                b.add_review(
                    store,
                    pr,
                    user_id=r.user_id,
                    state="COMMENTED" if unapproved else "APPROVED",
                    body="",
                    at=t,
                )
        if reviewers and not unapproved and not any(r.state == "APPROVED" for r in pr.reviews):
            r = reviewers[0]  # comments answered: the first reviewer approves
            t = after(rng, t, r.offset, 3, 1.0)
            yield t
            b.add_review(store, pr, user_id=r.user_id, state="APPROVED", body="LGTM", at=t)
    if outcome > 0.95:
        return  # abandoned, still open
    if outcome > 0.85:  # closed without merging (sometimes reopened and merged later)
        t = after(rng, t, author.offset, 30, 1.2)
        yield t
        closer = author if rng.random() < 0.6 else ctx.maintainers[0]
        if rng.random() < 0.5:
            b.add_comment(store, pr, user_id=closer.user_id, body="Closing, superseded.", at=t)
        b.close_item(store, repo, pr, actor_id=closer.user_id, at=t)
        if outcome > 0.92:
            t = after(rng, t, author.offset, 8, 1.0)
            yield t
            b.reopen_item(store, repo, pr, actor_id=author.user_id, at=t)
        else:
            return
    approvers = [
        ctx.by_id[r.user_id] for r in pr.reviews if r.state == "APPROVED" and r.user_id in ctx.by_id
    ]
    merger = author if rng.random() < 0.18 or not approvers else approvers[0]
    if merger.user_id == GHOST_USER_ID:  # deleted accounts do not merge
        merger = ctx.maintainers[0]
    t = after(rng, t, merger.offset, 1.5, 1.0)
    yield t
    _merge(ctx, rng, pr, merger, t)


def _giant_reviews(
    ctx: RepoCtx, rng: random.Random, pr: PullRequest, author: Persona, t: int
) -> Iterator[int]:
    """110 reviews from rotating reviewers (mostly COMMENTED, a few change requests, approvals)."""
    for i in range(110):
        r = ctx.pick(rng, exclude=author)
        t = after(rng, t, r.offset, 0.6, 0.8)
        yield t
        state = "APPROVED" if i >= 107 else "CHANGES_REQUESTED" if i % 15 == 7 else "COMMENTED"
        b.add_review(
            ctx.store,
            pr,
            user_id=r.user_id,
            state=state,
            body=rng.choice(REVIEW_BODIES),
            at=t,
            comments=_review_comments(ctx, rng, int(rng.random() * 2)),
        )


def bot_prs(ctx: RepoCtx, bot_login: str) -> None:
    """Weekly dependency-bump PRs from dependabot or renovate, mostly merged by a maintainer."""
    rng = ctx.rng(2, BOTS[bot_login])
    bot = ctx.bots[bot_login]
    packages = PACKAGES.get(ctx.repo.language or "Python", PACKAGES["Python"])
    monday = ctx.begin - (ctx.begin // DAY + 3) % 7 * DAY + 7 * DAY
    for week in range(WINDOW_DAYS // 7):
        for k in range(int(rng.random() * 2.25)):
            t = monday + week * 7 * DAY + 4 * HOUR + k * 97 + int(rng.random() * 1800)
            ctx.sim.spawn(_bot_pr(ctx, random.Random(rng.random()), bot, rng.choice(packages), t))


def _bot_pr(ctx: RepoCtx, rng: random.Random, bot: Persona, package: str, t: int) -> Iterator[int]:
    store, repo = ctx.store, ctx.repo
    yield t
    old = f"{1 + int(rng.random() * 4)}.{int(rng.random() * 30)}.{int(rng.random() * 10)}"
    major = int(old.split(".")[0])
    if bot.login.startswith("dependabot"):
        new = f"{major}.{int(old.split('.')[1]) + 1}.0"
        title = f"Bump {package} from {old} to {new}"
        ref = f"dependabot/{package.replace('/', '-')}-{new}"
    else:
        title = f"chore(deps): update dependency {package} to v{major + 1}"
        ref = f"renovate/{package.replace('/', '-')}-{major + 1}.x"
    commit = b.make_commit(
        repo,
        message=title,
        author=bot.author,
        at=t,
        parents=(repo.head_sha,) if repo.head_sha else (),
        additions=2,
        deletions=2,
        changed_files=1 + int(rng.random() * 2),
    )
    pr = b.open_pull_request(
        store,
        repo,
        author_id=bot.user_id,
        title=title,
        body=f"Bumps {package}.",
        head_ref=ref,
        commits=[commit],
        at=t,
        labels=["dependencies"],
    )
    ctx.ci_run(rng, pr.head_sha, ref, "pull_request", bot.user_id, t, pr)
    fate = rng.random()
    if fate < 0.15:  # "@dependabot rebase": the bot force-pushes its branch
        t = after(rng, t, 0, 24, 1.0)
        yield t
        new_commit = b.make_commit(
            repo,
            message=title,
            author=bot.author,
            at=t,
            parents=(repo.head_sha,),
            additions=2,
            deletions=2,
            changed_files=commit.changed_files,
        )
        b.force_push(store, repo, pr, actor_id=bot.user_id, drop=1, new_commits=[new_commit], at=t)
    if fate < 0.62:
        m = ctx.maintainers[int(rng.random() * len(ctx.maintainers))]
        t = after(rng, t, m.offset, 20, 1.2)
        yield t
        if rng.random() < 0.45:
            b.add_review(store, pr, user_id=m.user_id, state="APPROVED", body="", at=t)
        t += 30
        yield t
        _merge(ctx, rng, pr, m, t)
    elif fate < 0.9:
        t += (7 + int(rng.random() * 14)) * DAY
        yield t
        b.add_comment(store, pr, user_id=bot.user_id, body="Superseded by a newer version.", at=t)
        b.close_item(store, repo, pr, actor_id=bot.user_id, at=t)


def issue(ctx: RepoCtx, idx: int) -> Iterator[int]:
    rng = ctx.rng(3, idx)
    store, repo = ctx.store, ctx.repo
    author = ctx.pick(rng)
    t = work(rng, ctx.begin + rng.random() * (ctx.end - ctx.begin), author.offset)
    yield t
    kind = rng.choice(["bug", "bug", "enhancement", "enhancement", "documentation", "question"])
    labels = [kind]
    milestone = ctx.sprint_at(t) if rng.random() < 0.65 else None
    if kind in ("bug", "enhancement") and rng.random() < 0.65:
        labels.append(ctx.point_style.format(n=rng.choice(POINTS)))
    verb = (
        "is broken" if kind == "bug" else "needs an update" if kind != "enhancement" else "support"
    )
    title = f"{rng.choice(OBJECTS).capitalize()} {verb}"
    assignee = ctx.pick(rng) if rng.random() < 0.5 else None
    item = b.open_issue(
        store,
        repo,
        author_id=author.user_id,
        title=title,
        body="Steps to reproduce:\n1. ...",
        at=t,
        labels=labels,
        milestone_number=milestone,
        assignee_ids=[assignee.user_id] if assignee else None,
    )
    for _ in range(int(rng.random() * 3.2)):
        who = ctx.pick(rng)
        t = after(rng, t, who.offset, 10, 1.2)
        yield t
        b.add_comment(store, item, user_id=who.user_id, body=rng.choice(CONVERSATION), at=t)
    if rng.random() < 0.25:
        return  # stays open
    closer = assignee or author
    t = after(rng, t, closer.offset, 60, 1.2)
    yield t
    reason = "completed" if rng.random() < 0.8 else "not_planned"
    b.close_item(store, repo, item, actor_id=closer.user_id, at=t, reason=reason)
    if rng.random() < 0.07:
        t = after(rng, t, author.offset, 24, 1.0)
        yield t
        b.reopen_item(store, repo, item, actor_id=author.user_id, at=t)
        t = after(rng, t, closer.offset, 48, 1.0)
        yield t
        b.close_item(store, repo, item, actor_id=closer.user_id, at=t, reason="completed")


def direct_pushes(ctx: RepoCtx, count: int) -> Iterator[int]:
    rng = ctx.rng(4)
    pushers = ctx.maintainers + [p for p in ctx.people[:4] if p not in ctx.maintainers]
    times = sorted(ctx.begin + rng.random() * (ctx.end - ctx.begin) for _ in range(count))
    t = ctx.begin
    for raw in times:
        who = pushers[int(rng.random() * len(pushers))]
        t = max(work(rng, raw, who.offset), t)  # snapping must not move time backwards
        yield t
        head = ctx.repo.head_sha
        commit = b.make_commit(
            ctx.repo,
            message=ctx.message(rng),
            author=who.commit_author(rng),
            at=t,
            parents=(head,) if head else (),
            **dict(zip(("additions", "deletions", "changed_files"), ctx.size(rng), strict=True)),
        )
        b.push_to_default_branch(ctx.repo, [commit], t)
        ctx.ci_run(rng, commit.sha, ctx.repo.default_branch, "push", who.user_id, t)


def deliveries(ctx: RepoCtx) -> Iterator[int]:
    """Deploy pipeline: on some working days staging then production (github-actions creates the
    deployments); failures sometimes lead to an incident issue; releases every few weeks."""
    rng = ctx.rng(5)
    bot = ctx.bots["github-actions[bot]"].user_id
    per_week = rng.choice([1, 2, 3, 5, 5])
    offset = ctx.maintainers[0].offset
    day = ctx.begin // DAY
    deployed, release_no, last_release = None, 0, ctx.begin
    while day * DAY < ctx.end:
        day += 1
        if (day + 3) % 7 >= 5 or rng.random() > per_week / 5:
            continue
        t = day * DAY + (13 - offset) * HOUR + int(rng.random() * 3 * HOUR)
        yield t
        sha = ctx.repo.head_sha
        if sha == deployed or sha is None:
            continue
        for env, fail_p in (("staging", 0.04), ("production", 0.11)):
            state = "failure" if rng.random() < fail_p else "success"
            duration = 180 + int(rng.random() * 900)
            b.add_deployment(
                ctx.store,
                ctx.repo,
                sha=sha,
                environment=env,
                creator_id=bot,
                at=t,
                state=state,
                duration=duration,
            )
            b.add_workflow_run(
                ctx.store,
                ctx.repo,
                ctx.deploy,
                head_branch=ctx.repo.default_branch,
                head_sha=sha,
                event="push" if env == "staging" else "workflow_dispatch",
                actor_id=bot,
                at=t,
                conclusion=state,
                duration=duration,
                title=f"Deploy to {env}",
            )
            if state == "failure" and env == "staging":
                break
            if env == "production":
                if state == "success":
                    deployed = sha
                if (state == "failure" and rng.random() < 0.45) or rng.random() < 0.03:
                    ctx.sim.spawn(incident(ctx, random.Random(rng.random()), sha, t + duration))
            t += duration + 1800 + int(rng.random() * 3600)
            yield t
        if t - last_release > 14 * DAY and rng.random() < 0.5:
            release_no += 1
            last_release = t
            b.add_release(
                ctx.store,
                ctx.repo,
                tag=f"v1.{release_no}.0",
                author_id=ctx.maintainers[0].user_id,
                at=t,
                body="## What's changed\n* Fixes and improvements",
            )


def incident(ctx: RepoCtx, rng: random.Random, sha: str, finished: int) -> Iterator[int]:
    """An incident issue opened within hours of a production deploy and resolved later."""
    oncall = ctx.maintainers[int(rng.random() * len(ctx.maintainers))]
    t = finished + 600 + int(rng.lognormvariate(math.log(1.5 * HOUR), 0.7))
    yield t
    item = b.open_issue(
        ctx.store,
        ctx.repo,
        author_id=oncall.user_id,
        title=f"Incident: elevated errors in production after deploy {sha[:7]}",
        body=f"Error rate above SLO since deploying {sha}.",
        at=t,
        labels=["incident", "bug"],
        assignee_ids=[oncall.user_id],
    )
    t += 1200 + int(rng.lognormvariate(math.log(3 * HOUR), 1.0))
    yield t
    b.add_comment(ctx.store, item, user_id=oncall.user_id, body="Mitigated by rolling back.", at=t)
    b.close_item(ctx.store, ctx.repo, item, actor_id=oncall.user_id, at=t + 60, reason="completed")
