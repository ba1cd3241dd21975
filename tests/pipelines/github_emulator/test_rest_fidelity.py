"""Every REST endpoint's JSON validates against githubkit's pydantic models of GitHub's OpenAPI.

Validation is pydantic's strict JSON mode (no int<->str coercion, RFC 3339 dates), item by item,
and additionally every top-level key the emulator emits must be a field GitHub documents for
that object, so a misspelt field fails here instead of in a client. Runs over the hand-made
organisation of test_rest.py and over a small synthetic one from generator.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from test_rest import API, build_rest_store

from pipelines.github_emulator.rest_api import RestAPI
from pipelines.github_emulator.rest_serializers import rate_limit_body

try:
    from githubkit_schemas.latest import models
except ImportError:  # older githubkit ships the models itself
    from githubkit.versions.latest import models

EVENT_MODELS = {
    "commented": models.TimelineCommentEvent,
    "reviewed": models.TimelineReviewedEvent,
    "committed": models.TimelineCommittedEvent,
    "labeled": models.LabeledIssueEvent,
    "unlabeled": models.UnlabeledIssueEvent,
    "milestoned": models.MilestonedIssueEvent,
    "demilestoned": models.DemilestonedIssueEvent,
    "review_requested": models.ReviewRequestedIssueEvent,
    "review_request_removed": models.ReviewRequestRemovedIssueEvent,
    "assigned": models.TimelineAssignedIssueEvent,
    "unassigned": models.TimelineUnassignedIssueEvent,
}  # any other event (closed, merged, reopened, ready_for_review, …) is a StateChangeIssueEvent


# Fields of API version 2022-11-28 (the default clients send) that the 2026-03-10 description
# githubkit mirrors no longer lists; GitHub still returns them and PyGithub reads them.
# `state_reason` of closed events is documented on StateChangeIssueEvent, not on IssueEvent.
API_2022_FIELDS = {"assignee", "merge_commit_sha", "has_downloads", "rate", "state_reason"}


def validate(model, item: dict, where: str) -> None:
    model.model_validate_json(json.dumps(item), strict=True)
    known = {f.alias or name for name, f in model.model_fields.items()}
    unknown = set(item) - known - API_2022_FIELDS
    assert not unknown, f"{where}: fields GitHub does not document on {model.__name__}: {unknown}"


def _stores() -> Iterator:
    yield pytest.param(build_rest_store, id="hand-made")
    try:
        from pipelines.github_emulator.generator import generate_organization
    except ImportError:
        return
    yield pytest.param(lambda: generate_organization(scale=0.05, seed=3), id="generated")


@pytest.fixture(scope="module", params=list(_stores()))
def api(request) -> RestAPI:
    return RestAPI(request.param())


def fetch(api: RestAPI, path: str, **params):
    result = api.handle("GET", path, {k: [str(v)] for k, v in params.items()}, API)
    assert result.status == 200, (path, result.body)
    return result.body


def check_list(api: RestAPI, path: str, model, **params) -> list[dict]:
    items = fetch(api, path, per_page=100, **params)
    for item in items:
        validate(model, item, path)
    return items


def _targets(api: RestAPI):
    """A repository with data and a few interesting numbers in it."""
    repo = max(api.store.repos.values(), key=lambda r: len(r.pulls) + len(r.issues))
    pulls = sorted(repo.pulls.values(), key=lambda p: (-len(p.reviews), p.number))
    issue = max(repo.issues.values(), key=lambda i: len(i.comments) + len(i.timeline))
    return repo, pulls[:5], issue


def test_org_user_and_team_endpoints_validate(api):
    org = api.store.org.login
    validate(models.OrganizationFull, fetch(api, f"/orgs/{org}"), "org")
    members = check_list(api, f"/orgs/{org}/members", models.SimpleUser)
    assert members
    validate(models.PublicUser, fetch(api, f"/users/{members[0]['login']}"), "user")
    validate(models.PublicUser, fetch(api, f"/users/{org}"), "org as user")
    validate(models.PrivateUser, fetch(api, "/user"), "authenticated user")
    teams = check_list(api, f"/orgs/{org}/teams", models.Team)
    assert teams
    for team in teams:
        validate(models.TeamFull, fetch(api, f"/orgs/{org}/teams/{team['slug']}"), "team")
        check_list(api, f"/orgs/{org}/teams/{team['slug']}/members", models.SimpleUser)
    bots = [u for u in api.store.users.values() if u.type == "Bot"]
    for bot in bots:
        validate(models.PublicUser, fetch(api, f"/users/{bot.login}"), "bot")


def test_repository_endpoints_validate(api):
    org = api.store.org.login
    repos = check_list(api, f"/orgs/{org}/repos", models.MinimalRepository)
    check_list(api, f"/users/{org}/repos", models.MinimalRepository)
    for repo in repos:
        validate(models.FullRepository, fetch(api, f"/repos/{repo['full_name']}"), "repo")
        check_list(api, f"/repos/{repo['full_name']}/branches", models.ShortBranch)
        check_list(api, f"/repos/{repo['full_name']}/labels", models.Label)
        check_list(api, f"/repos/{repo['full_name']}/milestones", models.Milestone, state="all")
        check_list(api, f"/repos/{repo['full_name']}/releases", models.Release)


def test_commit_endpoints_validate(api):
    repo, _, _ = _targets(api)
    commits = check_list(api, f"/repos/{repo.full_name}/commits", models.Commit)
    assert commits
    for commit in commits[:10]:
        body = fetch(api, f"/repos/{repo.full_name}/commits/{commit['sha']}")
        validate(models.Commit, body, "single commit")
        for entry in body["files"]:
            validate(models.DiffEntry, entry, "commit file")


def test_pull_request_endpoints_validate(api):
    repo, pulls, _ = _targets(api)
    base = f"/repos/{repo.full_name}"
    assert check_list(api, f"{base}/pulls", models.PullRequestSimple, state="all")
    check_list(api, f"{base}/pulls/comments", models.PullRequestReviewComment)
    for pr in pulls:
        validate(models.PullRequest, fetch(api, f"{base}/pulls/{pr.number}"), "pull")
        reviews = check_list(api, f"{base}/pulls/{pr.number}/reviews", models.PullRequestReview)
        for review in reviews[:2]:
            body = fetch(api, f"{base}/pulls/{pr.number}/reviews/{review['id']}")
            validate(models.PullRequestReview, body, "review")
        check_list(api, f"{base}/pulls/{pr.number}/commits", models.Commit)
        check_list(api, f"{base}/pulls/{pr.number}/files", models.DiffEntry)
        check_list(api, f"{base}/pulls/{pr.number}/comments", models.PullRequestReviewComment)


def _check_events(events: list[dict], where: str, timeline: bool) -> None:
    overrides = {} if timeline else {"assigned": models.AssignedIssueEvent}
    for event in events:
        model = {**EVENT_MODELS, **overrides}.get(event["event"], models.StateChangeIssueEvent)
        validate(model, event, where)


def test_issue_endpoints_validate(api):
    repo, pulls, issue = _targets(api)
    base = f"/repos/{repo.full_name}"
    assert check_list(api, f"{base}/issues", models.Issue, state="all")
    check_list(api, f"{base}/issues/comments", models.IssueComment)
    check_list(api, f"{base}/issues/events", models.IssueEvent)
    kinds: set[str] = set()
    for number in [issue.number, *(p.number for p in pulls)]:
        validate(models.Issue, fetch(api, f"{base}/issues/{number}"), "issue")
        check_list(api, f"{base}/issues/{number}/comments", models.IssueComment)
        events = fetch(api, f"{base}/issues/{number}/events", per_page=100)
        _check_events(events, "issue events", timeline=False)
        for event in events:
            validate(models.IssueEvent, event, "issue event")
        timeline = fetch(api, f"{base}/issues/{number}/timeline", per_page=100)
        _check_events(timeline, "timeline", timeline=True)
        kinds |= {t["event"] for t in timeline}
    assert {"committed", "reviewed"} <= kinds


def test_delivery_endpoints_validate(api):
    repo = max(api.store.repos.values(), key=lambda r: len(r.deployments) + len(r.workflow_runs))
    base = f"/repos/{repo.full_name}"
    deployments = check_list(api, f"{base}/deployments", models.Deployment)
    assert deployments
    for d in deployments[:5]:
        validate(models.Deployment, fetch(api, f"{base}/deployments/{d['id']}"), "deployment")
        check_list(api, f"{base}/deployments/{d['id']}/statuses", models.DeploymentStatus)
    workflows = fetch(api, f"{base}/actions/workflows")
    validate(models.ReposOwnerRepoActionsWorkflowsGetResponse200, workflows, "workflows")
    for workflow in workflows["workflows"]:
        validate(models.Workflow, workflow, "workflow")
    runs = fetch(api, f"{base}/actions/runs", per_page=100)
    validate(models.ReposOwnerRepoActionsRunsGetResponse200, runs, "runs")
    assert runs["workflow_runs"]
    for run in runs["workflow_runs"]:
        validate(models.WorkflowRun, run, "run")
    run_id = runs["workflow_runs"][0]["id"]
    validate(models.WorkflowRun, fetch(api, f"{base}/actions/runs/{run_id}"), "single run")


def test_rate_limit_body_validates():
    core = {"limit": 5000, "used": 12, "remaining": 4988, "reset": 1_704_070_800}
    graphql = {"limit": 5000, "used": 3, "remaining": 4997, "reset": 1_704_070_800}
    body = rate_limit_body(core, graphql)
    validate(models.RateLimitOverview, body, "rate_limit")
    assert body["resources"]["graphql"] == graphql and body["rate"] == core
