"""The pagination floor: the fewest API requests that can read the whole organisation.

GitHub serves at most 100 items per page on every list, REST and GraphQL, so no extractor can
read an organisation in fewer requests than this (short of merging unrelated lists into one
request, which the floor deliberately does not assume):

- every top-level list costs `max(1, ceil(items / 100))` requests — even an empty list costs
  one request to learn that it is empty:
  - per organisation: `repositories` (the organisation's repository list), `teams`,
    `members` (organisation members);
  - per repository: `commits` (default-branch history), `pull_requests`, `issues` (not PRs),
    `deployments`, `workflow_runs`, `milestones`, `review_comments` (REST's repository-wide
    list of pull-request review comments);
- plus, for every nested list longer than 100 items, its extra pages
  `ceil(items / 100) - 1` (its first page arrives with the parent record):
  - per pull request: `pr_reviews`, `pr_commits`, `pr_timeline` (timeline events),
    `pr_comments` (conversation comments), `pr_labels`;
  - per issue: `issue_labels`;
  - per deployment: `deployment_statuses`;
  - per team: `team_members` (immediate members and maintainers).

`pagination_floor(store)` returns `{"total": int, "by_list": {list: requests}}`; the emulator
reports it under the `floor` key of its stats snapshot (`GET /_emulator/stats`), and
`devmetrics bench extract` compares the requests an extraction made with it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .model import Store

PAGE = 100

TOP_LEVEL = (
    "repositories",
    "teams",
    "members",
    "commits",
    "pull_requests",
    "issues",
    "deployments",
    "workflow_runs",
    "milestones",
    "review_comments",
)
NESTED = (
    "pr_reviews",
    "pr_commits",
    "pr_timeline",
    "pr_comments",
    "pr_labels",
    "issue_labels",
    "deployment_statuses",
    "team_members",
)


def pages(items: int) -> int:
    """Requests for a top-level list: at least one, then one per 100 items."""
    return max(1, -(-items // PAGE))


def extra_pages(items: int) -> int:
    """Requests for a nested list beyond the first page that came with its parent."""
    return max(0, -(-items // PAGE) - 1)


def pagination_floor(store: Store) -> dict[str, Any]:
    """The fewest requests that read every list of `store`'s organisation (see module doc)."""
    floor: Counter[str] = Counter({name: 0 for name in (*TOP_LEVEL, *NESTED)})
    with store.lock:
        floor["repositories"] += pages(len(store.repos))
        floor["teams"] += pages(len(store.teams))
        floor["members"] += pages(len(store.org.member_ids))
        for team in store.teams.values():
            members = len(dict.fromkeys([*team.member_ids, *team.maintainer_ids]))
            floor["team_members"] += extra_pages(members)
        for repo in store.repos.values():
            floor["commits"] += pages(len(repo.default_branch_shas))
            floor["pull_requests"] += pages(len(repo.pulls))
            floor["issues"] += pages(len(repo.issues))
            floor["deployments"] += pages(len(repo.deployments))
            floor["workflow_runs"] += pages(len(repo.workflow_runs))
            floor["milestones"] += pages(len(repo.milestones))
            floor["review_comments"] += pages(
                sum(len(p.review_comments) for p in repo.pulls.values())
            )
            for pull in repo.pulls.values():
                floor["pr_reviews"] += extra_pages(len(pull.reviews))
                floor["pr_commits"] += extra_pages(len(pull.commit_shas))
                floor["pr_timeline"] += extra_pages(len(pull.timeline))
                floor["pr_comments"] += extra_pages(len(pull.comments))
                floor["pr_labels"] += extra_pages(len(pull.labels))
            for issue in repo.issues.values():
                floor["issue_labels"] += extra_pages(len(issue.labels))
            for deployment in repo.deployments:
                floor["deployment_statuses"] += extra_pages(len(deployment.statuses))
    return {"total": sum(floor.values()), "by_list": dict(floor)}
