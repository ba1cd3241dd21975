"""Constants of the GitHub source."""

from __future__ import annotations

from datetime import timedelta

DEFAULT_API_URL = "https://api.github.com"
PAGE_SIZE = 100  # GitHub's maximum for every list, REST and GraphQL
MIN_PAGE_SIZE = 1
GROW_AFTER_PAGES = 3  # after a halving, double the page size again after this many successes

# Deployments and workflow runs change after creation (statuses, conclusions) but can only be
# listed by creation time: each incremental run re-reads this window before the cursor.
REFRESH_LOOKBACK = timedelta(days=3)

# Teams and members have no updatedAt to skip them by: they are re-read when a one-request
# signature (member count, each team's updatedAt and member count) changes, or after this long.
PEOPLE_REFRESH = timedelta(hours=24)

DATASET_NAME = "github_raw"
PIPELINE_NAME = "devmetrics_github"


def _columns(spec: str) -> dict[str, dict[str, object]]:
    """ "id bigint!, title text" -> dlt column hints (`!` marks not-null)."""
    columns = {}
    for part in spec.split(","):
        name, data_type = part.split()
        nullable = not data_type.endswith("!")
        columns[name] = {"data_type": data_type.rstrip("!"), "nullable": nullable}
    return columns


ACTOR = "{p}_id bigint, {p}_login text, {p}_type text"
GIT = "{p}_name text, {p}_email text, {p}_user_id bigint, {p}_login text"
COMMIT = (
    "sha text!, message text, authored_at timestamp, committed_at timestamp!, "
    + GIT.format(p="author")
    + ", "
    + GIT.format(p="committer")
    + ", additions bigint, deletions bigint, changed_files bigint, parent_count bigint, parent_shas json"
)
PR_PARENT = "pull_request_id bigint, repository_id bigint!, pull_request_number bigint"

# raw table -> (primary key, merge key replacing a parent's children, column types)
TABLES: dict[str, tuple[tuple[str, ...], str | None, dict]] = {
    "repositories": (
        ("id",),
        None,
        _columns(
            "id bigint!, node_id text, name text, full_name text!, owner text, description text, "
            "is_private bool, is_fork bool, is_archived bool, default_branch text, "
            "primary_language text, created_at timestamp, updated_at timestamp, pushed_at timestamp"
        ),
    ),
    "commits": (
        ("repository_id", "sha"),
        None,
        _columns("repository_id bigint!, repository text, " + COMMIT),
    ),
    "pull_requests": (
        ("id",),
        None,
        _columns(
            "id bigint!, node_id text, repository_id bigint!, repository text, number bigint!, "
            "title text, body text, state text, is_draft bool, is_locked bool, "
            "created_at timestamp!, updated_at timestamp!, closed_at timestamp, merged_at timestamp, "
            + ACTOR.format(p="author")
            + ", "
            + ACTOR.format(p="merged_by")
            + ", additions bigint, deletions bigint, changed_files bigint, commits_count bigint, "
            "head_ref text, base_ref text, head_sha text, base_sha text, merge_commit_sha text, "
            "merge_commit_parent_count bigint, milestone_number bigint, labels json"
        ),
    ),
    "pull_request_reviews": (
        ("id",),
        "pull_request_id",
        _columns(
            "id bigint!, node_id text, "
            + PR_PARENT
            + ", state text, body text, created_at timestamp, submitted_at timestamp, "
            + ACTOR.format(p="author")
            + ", commit_sha text"
        ),
    ),
    "pull_request_commits": (
        ("pull_request_id", "sha"),
        "pull_request_id",
        _columns(PR_PARENT + ", " + COMMIT),
    ),
    "pull_request_timeline": (
        ("id",),
        "pull_request_id",
        _columns(
            "id text!, "
            + PR_PARENT
            + ", event text!, created_at timestamp!, "
            + ACTOR.format(p="actor")
            + ", requested_reviewer_type text, requested_reviewer_id bigint, "
            "requested_reviewer_login text, requested_team_slug text, label text, "
            "milestone_title text, assignee_id bigint, assignee_login text, commit_sha text, "
            "before_sha text, after_sha text"
        ),
    ),
    "pull_request_comments": (
        ("comment_type", "id"),
        None,
        _columns(
            "comment_type text!, id bigint!, node_id text, "
            + PR_PARENT
            + ", review_id bigint, path text, body text, created_at timestamp!, updated_at timestamp, "
            + ACTOR.format(p="author")
        ),
    ),
    "issues": (
        ("id",),
        None,
        _columns(
            "id bigint!, node_id text, repository_id bigint!, repository text, number bigint!, "
            "title text, body text, state text, state_reason text, is_locked bool, "
            "created_at timestamp!, updated_at timestamp!, closed_at timestamp, "
            + ACTOR.format(p="author")
            + ", milestone_number bigint, labels json, comments_count bigint"
        ),
    ),
    "milestones": (
        ("repository_id", "number"),
        None,
        _columns(
            "node_id text, repository_id bigint!, repository text, number bigint!, title text, "
            "description text, state text, due_on timestamp, created_at timestamp, "
            "updated_at timestamp, closed_at timestamp, " + ACTOR.format(p="creator")
        ),
    ),
    "deployments": (
        ("id",),
        None,
        _columns(
            "id bigint!, node_id text, repository_id bigint!, repository text, environment text, "
            "task text, description text, state text, sha text, created_at timestamp!, "
            "updated_at timestamp, " + ACTOR.format(p="creator")
        ),
    ),
    "deployment_statuses": (
        ("id",),
        "deployment_id",
        _columns(
            "id text!, deployment_id bigint!, repository_id bigint, state text, description text, "
            "environment text, log_url text, created_at timestamp!, updated_at timestamp, "
            + ACTOR.format(p="creator")
        ),
    ),
    "workflow_runs": (
        ("id",),
        None,
        _columns(
            "id bigint!, node_id text, repository_id bigint!, repository text, workflow_id bigint, "
            "name text, display_title text, event text, status text, conclusion text, "
            "head_branch text, head_sha text, run_number bigint, run_attempt bigint, "
            "created_at timestamp!, updated_at timestamp, run_started_at timestamp, "
            + ACTOR.format(p="actor")
            + ", pull_request_numbers json"
        ),
    ),
    "teams": (
        ("id",),
        None,
        _columns(
            "id bigint!, node_id text, slug text!, name text, description text, privacy text, "
            "parent_team_id bigint, parent_team_slug text, created_at timestamp, updated_at timestamp"
        ),
    ),
    "team_members": (
        ("team_id", "user_id"),
        "team_id",
        _columns("team_id bigint!, team_slug text, user_id bigint!, login text, role text"),
    ),
    "users": (
        ("id",),
        None,
        # A run sees a person many times, not every time with a name (actors in some queries
        # carry none); dlt keeps one row per id per load in an unspecified order, so sort on
        # name: ascending leaves NULLs last on DuckDB and PostgreSQL alike, and the name wins.
        _columns("id bigint!, login text, type text, name text")
        | {"name": {"data_type": "text", "nullable": True, "dedup_sort": "asc"}},
    ),
    "quarantine": (
        ("id",),
        None,
        _columns(
            "id text!, entity text!, repository text, record_key text, reason text!, payload text"
        ),
    ),
}
