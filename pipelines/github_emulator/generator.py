"""Deterministic synthetic GitHub organisation: `generate_organization(scale, seed, end)`.

Scale 1 is about 8 repositories, 30 people + 3 bots (dependabot, renovate, github-actions),
4 teams and six months of activity before `end` (default DEFAULT_END, a fixed date so tests are
reproducible): ~6k default-branch commits, ~1.5k PRs, ~3k reviews, ~1k issues, deployments with
statuses, workflow runs, releases, two-week sprint milestones with story-point labels, and
incident issues after failed production deployments. Repositories, people and teams grow with
`scale`; fractional scales give tiny test organisations (at least 2 repositories).

How it works: this module builds the people, teams and repositories; each repository's
activity is then a small discrete-event simulation (generator_activity.py: every PR, issue, the
direct pushes, the bots and the deploy pipeline are processes run in time order), with text from
generator_vocab.py. Every write goes through builders.py (the code path mutations.py uses too). Each process draws from its own random.Random seeded from
(seed, repository, process), so the same arguments always give the identical organisation.

Realism: people have time zones and work weekdays 09-18 local (a few off-hours actions);
review, fix and merge delays are log-normal; drafts (most later marked ready for review, some
still drafts); review requests and removals; CHANGES_REQUESTED rounds followed by fix-up pushes;
force-pushed branches (dropped commits leave the PR); self-merges and merges without approval;
closed-unmerged and reopened PRs and issues; bot PRs (dependency bumps) and bot reviews;
github-actions creates deployments and runs the deploy workflow; deleted users (content by the
ghost user); commit emails linked to no user and users.noreply.github.com emails; reverts of
merge commits; conventional-commit and free-form messages. Most repositories merge with merge
commits, some squash-merge; all also receive direct pushes.

Giant PRs are planted at every scale so nested pagination is exercised even on tiny orgs: the
first repository always has one PR with 125 commits and one with 110 reviews; at scale >= 10
more of each are spread over other repositories (see `_giant_plan`).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from itertools import accumulate

from . import builders as b
from .builders import Author
from .generator_activity import (
    BOTS,
    DAY,
    HOUR,
    WINDOW_DAYS,
    Persona,
    RepoCtx,
    Sim,
    bot_prs,
    deliveries,
    direct_pushes,
    human_pr,
    issue,
)
from .generator_vocab import (
    BASE_LABELS,
    EXT,
    FILES,
    FIRST,
    LAST,
    OFFSETS,
    POINT_STYLES,
    POINTS,
    REPO_NAMES,
    SCOPES,
    TEAM_NAMES,
)
from .model import (
    GHOST_USER_ID,
    Label,
    Milestone,
    Organization,
    Repository,
    Store,
    Team,
    User,
    Workflow,
)

__all__ = ["BOTS", "DEFAULT_END", "generate_organization"]

DEFAULT_END = datetime(2026, 11, 1, tzinfo=UTC)

# Targets per unit of scale.
REPOS_PER_SCALE = 8
PEOPLE_PER_SCALE = 30
TEAMS_PER_SCALE = 4
HUMAN_PRS_PER_SCALE = 1370  # bots add ~130 more
ISSUES_PER_SCALE = 960  # incidents add the rest


def _people(store: Store, rng: random.Random, count: int, begin: int) -> list[Persona]:
    offsets = [o for o, w in OFFSETS for _ in range(w)]
    people, used = [], set()
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        login = f"{first}{last[:3]}".lower().replace("ü", "u")
        if login in used:
            login = f"{login}{i}"
        used.add(login)
        uid = store.new_id()
        name = f"{first} {last}"
        user = store.add_user(
            User(
                id=uid,
                login=login,
                name=name,
                email=f"{login}@acme.example" if rng.random() < 0.5 else None,
                company="Acme Corp",
                location=None,
                created_at=begin - int((200 + rng.random() * 3000) * DAY),
                updated_at=begin - int(rng.random() * 60 * DAY),
                utc_offset_hours=rng.choice(offsets),
            )
        )
        roll = rng.random()
        email = (
            f"{uid}+{login}@users.noreply.github.com"
            if roll < 0.3
            else f"{first.lower()}.{last.lower()}@acme.example"
        )
        alt = Author(name, f"{login}@{login}-laptop.local", None) if rng.random() < 0.3 else None
        people.append(
            Persona(
                uid,
                login,
                user.utc_offset_hours,
                Author(name, email, uid),
                alt,
                rng.lognormvariate(0, 0.6),
            )
        )
    return people


def _ghosts(rng: random.Random, count: int) -> list[Persona]:
    """Former employees whose accounts were deleted: their content shows the ghost user and their
    commit emails link to nobody."""
    out = []
    for i in range(count):
        name = f"{FIRST[-1 - i % len(FIRST)]} {LAST[-1 - i % len(LAST)]}"
        email = f"{name.lower().replace(' ', '.')}{i}@old-acme.example"
        out.append(Persona(GHOST_USER_ID, "ghost", 0, Author(name, email, None), None, 0.4))
    return out


def _bots(store: Store, begin: int) -> dict[str, Persona]:
    bots = {}
    for login, uid in BOTS.items():
        store.add_user(
            User(
                id=uid,
                login=login,
                type="Bot",
                created_at=begin - 2000 * DAY,
                updated_at=begin - 100 * DAY,
            )
        )
        email = f"{uid}+{login}@users.noreply.github.com"
        bots[login] = Persona(uid, login, 0, Author(login, email, uid), None, 0)
    return bots


def _teams(
    store: Store, rng: random.Random, count: int, people: list[Persona], at: int
) -> list[Team]:
    teams: list[Team] = []
    size = len(people) / count
    for i in range(count):
        name = TEAM_NAMES[i % len(TEAM_NAMES)] + (
            f" {i // len(TEAM_NAMES) + 1}" if i >= len(TEAM_NAMES) else ""
        )
        parent = teams[i - 1].id if i % 4 == 1 and count > 1 else None
        members = people[int(i * size) : int((i + 1) * size)] or [people[i % len(people)]]
        team = Team(
            id=store.new_id(),
            slug=name.lower().replace(" ", "-"),
            name=name,
            description=f"The {name} team",
            parent_id=parent,
            created_at=at,
            updated_at=at,
            member_ids=[p.user_id for p in members],
            maintainer_ids=[members[0].user_id],
        )
        teams.append(store.add_team(team))
    if count > 1:  # about one person in ten also belongs to a second team
        for i in range(3, len(people), 10):
            other = teams[(int(i / size) + 1 + int(rng.random() * (count - 1))) % count]
            if people[i].user_id not in other.member_ids:
                other.member_ids.append(people[i].user_id)
    return teams


def _sprints(begin: int, end: int) -> list[tuple[int, int]]:
    monday = (begin // DAY - (begin // DAY + 3) % 7) * DAY
    starts = list(range(monday, end, 14 * DAY))
    return [(s, i + 1) for i, s in enumerate(starts)]


def _setup_repo(
    store: Store,
    org: str,
    idx: int,
    seed: int,
    sim: Sim,
    begin: int,
    end: int,
    teams: list[Team],
    people: list[Persona],
    ghosts: list[Persona],
    bots: dict[str, Persona],
) -> RepoCtx:
    rng = random.Random(seed * 7919 + idx)
    base, language = REPO_NAMES[idx % len(REPO_NAMES)]
    name = base if idx < len(REPO_NAMES) else f"{base}-{idx // len(REPO_NAMES) + 1}"
    created = begin - int((60 + rng.random() * 900) * DAY)
    repo = store.add_repo(
        Repository(
            id=store.new_id(),
            name=name,
            owner_login=org,
            created_at=created,
            updated_at=created,
            pushed_at=created,
            description=f"{name.replace('-', ' ').capitalize()} for Acme",
            language=language,
            topics=[language.lower(), "acme"],
        )
    )
    team = teams[idx % len(teams)]
    by_id = {p.user_id: p for p in people}
    members = [by_id[i] for i in team.member_ids if i in by_id]
    others = [p for p in rng.sample(people, min(3, len(people))) if p not in members]
    ghost = [ghosts[idx % len(ghosts)]] if ghosts and (idx == 0 or rng.random() < 0.5) else []
    crowd = members + others + ghost
    ext = EXT.get(language, "py")
    files = sorted({f.format(s=rng.choice(SCOPES), x=ext) for f in FILES})
    style = POINT_STYLES[idx % len(POINT_STYLES)]
    for lname, color in BASE_LABELS:
        repo.labels[lname] = Label(
            id=store.new_id(), name=lname, color=color, default=lname == "bug"
        )
    for n in POINTS:
        lname = style.format(n=n)
        repo.labels[lname] = Label(
            id=store.new_id(), name=lname, color="c5def5", description=f"{n} story points"
        )
    sprints = [s for s in _sprints(begin, end) if s[0] + 14 * DAY > created]
    for start, number in sprints:
        due = start + 14 * DAY
        done = due < end
        repo.milestones[number] = Milestone(
            id=store.new_id(),
            number=number,
            title=f"Sprint {number}",
            description=f"Two-week sprint starting {datetime.fromtimestamp(start, UTC):%Y-%m-%d}",
            state="closed" if done else "open",
            creator_id=members[0].user_id if members else None,
            created_at=start - 3 * DAY,
            updated_at=min(due, end - 1) if done else start - 3 * DAY,
            due_on=due,
            closed_at=due if done else None,
        )
    workflows = [
        Workflow(
            id=store.new_id(),
            name=n,
            path=f".github/workflows/{p}",
            created_at=created,
            updated_at=created,
        )
        for n, p in (("CI", "ci.yml"), ("Deploy", "deploy.yml"))
    ]
    repo.workflows.extend(workflows)
    ctx = RepoCtx(
        store=store,
        repo=repo,
        index=idx,
        seed=seed,
        sim=sim,
        begin=begin,
        end=end,
        team=team,
        people=crowd,
        bots=bots,
        maintainers=[p for p in members or crowd if p.user_id != GHOST_USER_ID][:2],
        method="squash" if idx % 10 in (2, 5, 8) else "merge",
        point_style=style,
        files=files,
        ci=workflows[0],
        deploy=workflows[1],
        sprints=sprints,
    )
    ctx.cum = list(accumulate(p.weight * (1.0 if p in members else 0.35) for p in crowd))
    ctx.by_id = {p.user_id: p for p in crowd if p.user_id != GHOST_USER_ID}
    first = ctx.maintainers[0]
    init = b.make_commit(
        repo,
        message="Initial commit",
        author=first.author,
        at=created,
        parents=(),
        additions=40,
        deletions=0,
        changed_files=5,
    )
    b.push_to_default_branch(repo, [init], created)
    return ctx


def _giant_plan(scale: float, repos: int) -> dict[int, list[str]]:
    """Repository index -> giant PRs to plant: always both kinds in repository 0; from scale 10
    on, a few more spread over the other repositories."""
    plan: dict[int, list[str]] = {0: ["commits", "reviews"]}
    if scale >= 10:
        extra = 3 + int(scale / 25)
        for k in range(1, extra + 1):
            plan.setdefault(k * repos // (extra + 1), []).append("commits" if k % 2 else "reviews")
            plan.setdefault((k * repos // (extra + 1) + 1) % repos, []).append(
                "reviews" if k % 2 else "commits"
            )
    return plan


def generate_organization(
    scale: float = 1.0, seed: int = 42, end: datetime | None = None, org_login: str = "acme-corp"
) -> Store:
    """Build the synthetic organisation (see the module docstring); same arguments, same Store."""
    end_ts = int((end or DEFAULT_END).timestamp())
    begin = end_ts - WINDOW_DAYS * DAY
    rng = random.Random(seed)
    store = Store(
        Organization(
            id=0,
            login=org_login,
            name=org_login.replace("-", " ").title(),
            description="Synthetic organisation served by the DevMetrics emulator",
            created_at=begin - 1500 * DAY,
            updated_at=begin,
        )
    )
    store.org.id = store.new_id()
    n_repos = max(2, round(REPOS_PER_SCALE * scale))
    people = _people(store, rng, max(4, round(PEOPLE_PER_SCALE * scale)), begin)
    ghosts = _ghosts(rng, max(1, round(2 * scale)))
    bots = _bots(store, begin)
    teams = _teams(store, rng, max(1, round(TEAMS_PER_SCALE * scale)), people, begin - 400 * DAY)
    store.org.member_ids = [p.user_id for p in people]
    weights = [random.Random(seed * 31 + i).lognormvariate(0, 0.35) for i in range(n_repos)]
    total_w = sum(weights)
    giants = _giant_plan(scale, n_repos)
    for idx in range(n_repos):
        sim = Sim(end_ts - HOUR)  # actions last < 1 h, so everything ends before `end`
        ctx = _setup_repo(
            store, org_login, idx, seed, sim, begin, end_ts, teams, people, ghosts, bots
        )
        share = weights[idx] / total_w
        n_prs = max(3, round(HUMAN_PRS_PER_SCALE * scale * share))
        for i in range(n_prs):
            sim.spawn(human_pr(ctx, i))
        for j, kind in enumerate(giants.get(idx, ())):
            sim.spawn(human_pr(ctx, 1_000_000 + j, giant=kind))
        for i in range(max(2, round(ISSUES_PER_SCALE * scale * share))):
            sim.spawn(issue(ctx, i))
        sim.spawn(direct_pushes(ctx, round(n_prs * (2.0 if ctx.method == "squash" else 0.65))))
        bot_prs(ctx, "dependabot[bot]" if idx % 3 else "renovate[bot]")
        sim.spawn(deliveries(ctx))
        sim.run()
    store.org.updated_at = max(r.updated_at for r in store.repos.values())
    return store
