"""Render model records as GitHub REST JSON (field names and shapes of GitHub's OpenAPI description).

A `Renderer` is made per request: it knows the absolute API base (used for every `url` and
`*_url` field) and the derived web base (`html_url`), and memoises the repository and user
objects that a page repeats many times. Nothing here filters or paginates; see rest_api.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from .model import (
    GHOST_USER_ID,
    Commit,
    Deployment,
    DeploymentStatus,
    Issue,
    IssueComment,
    Label,
    Milestone,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewComment,
    Store,
    Team,
    TimelineEvent,
    User,
    Workflow,
    WorkflowRun,
    fake_sha,
    iso,
    node_id,
)
from .rest_files import files_for_commit, patch_for, split_files

PR_ISSUE_ID_OFFSET = 1_000_000_000  # a PR's issue id: GitHub gives the PR's issue its own id

UNVERIFIED = {
    "verified": False,
    "reason": "unsigned",
    "signature": None,
    "payload": None,
    "verified_at": None,
}


def html_base_for(api_base: str) -> str:
    """The web host matching an API base: api.github.com -> github.com, GHE drops /api/v3."""
    api_base = api_base.rstrip("/")
    if api_base.endswith("/api/v3"):
        return api_base.removesuffix("/api/v3")
    parts = urlsplit(api_base)
    if parts.hostname == "api.github.com":
        return f"{parts.scheme}://github.com"
    return api_base


def rate_limit_body(core: dict, graphql: dict) -> dict:
    """GET /rate_limit body from the server's live budgets ({limit, used, remaining, reset})."""

    def bucket(limit: int, reset: int) -> dict:
        return {"limit": limit, "used": 0, "remaining": limit, "reset": reset}

    reset = int(core["reset"])
    return {
        "resources": {
            "core": dict(core),
            "graphql": dict(graphql),
            "search": bucket(30, reset),
            "code_search": bucket(10, reset),
            "integration_manifest": bucket(5000, reset),
            "source_import": bucket(100, reset),
            "code_scanning_upload": bucket(1000, reset),
            "actions_runner_registration": bucket(10000, reset),
            "scim": bucket(15000, reset),
            "dependency_snapshots": bucket(100, reset),
            "audit_log": bucket(1750, reset),
        },
        "rate": dict(core),
    }


class Renderer:
    """Per-request JSON renderer over one Store."""

    def __init__(self, store: Store, api_base: str, contributors: dict | None = None) -> None:
        self.store = store
        self.api = api_base.rstrip("/")
        self.html = html_base_for(api_base)
        self._users: dict[int, dict] = {}
        self._repos: dict[int, dict] = {}
        self._milestone_counts: dict[int, dict[int, tuple[int, int]]] = {}
        self._contributors = contributors if contributors is not None else {}

    # ------------------------------------------------------------------ accounts
    def _account(self, login: str, id_: int, node: str, type_: str, site_admin: bool) -> dict:
        api_url = f"{self.api}/users/{quote(login)}"
        if type_ == "Bot":
            html_url = f"{self.html}/apps/{quote(login.removesuffix('[bot]'))}"
        else:
            html_url = f"{self.html}/{quote(login)}"
        return {
            "login": login,
            "id": id_,
            "node_id": node,
            "avatar_url": f"https://avatars.githubusercontent.com/u/{id_}?v=4",
            "gravatar_id": "",
            "url": api_url,
            "html_url": html_url,
            "followers_url": f"{api_url}/followers",
            "following_url": f"{api_url}/following{{/other_user}}",
            "gists_url": f"{api_url}/gists{{/gist_id}}",
            "starred_url": f"{api_url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api_url}/subscriptions",
            "organizations_url": f"{api_url}/orgs",
            "repos_url": f"{api_url}/repos",
            "events_url": f"{api_url}/events{{/privacy}}",
            "received_events_url": f"{api_url}/received_events",
            "type": type_,
            "user_view_type": "public",
            "site_admin": site_admin,
        }

    def user(self, user_id: int | None) -> dict | None:
        """SimpleUser, or None when there is no user."""
        if user_id is None:
            return None
        if user_id not in self._users:
            user = self.store.user(user_id) or self.store.user(GHOST_USER_ID)
            assert user is not None
            self._users[user_id] = self._account(
                user.login, user.id, user.node_id, user.type, user.site_admin
            )
        return self._users[user_id]

    def actor(self, user_id: int | None) -> dict:
        """SimpleUser where GitHub never sends null: a missing author is the ghost user."""
        return self.user(GHOST_USER_ID if user_id is None else user_id)  # type: ignore[return-value]

    def org_account(self) -> dict:
        org = self.store.org
        return self._account(org.login, org.id, org.node_id, "Organization", False)

    def public_user(self, user: User) -> dict:
        members = self.store.org.member_ids
        return {
            **self._account(user.login, user.id, user.node_id, user.type, user.site_admin),
            "name": user.name,
            "company": user.company,
            "blog": "",
            "location": user.location,
            "email": user.email,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": iso(user.created_at),
            "updated_at": iso(user.updated_at or user.created_at),
        } | ({"company": f"@{self.store.org.login}"} if user.id in members else {})

    def private_user(self, user: User) -> dict:
        return self.public_user(user) | {
            "private_gists": 0,
            "total_private_repos": 0,
            "owned_private_repos": 0,
            "disk_usage": 0,
            "collaborators": 0,
            "two_factor_authentication": True,
            "plan": {
                "name": "free",
                "space": 976562499,
                "collaborators": 0,
                "private_repos": 10000,
            },
        }

    def org_as_user(self) -> dict:
        org = self.store.org
        return {
            **self.org_account(),
            "name": org.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": org.description,
            "twitter_username": None,
            "public_repos": sum(not r.private for r in self.store.repos.values()),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": iso(org.created_at),
            "updated_at": iso(org.updated_at or org.created_at),
        }

    def organization(self) -> dict:
        org = self.store.org
        url = f"{self.api}/orgs/{org.login}"
        repos = list(self.store.repos.values())
        return {
            "login": org.login,
            "id": org.id,
            "node_id": org.node_id,
            "url": url,
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events",
            "hooks_url": f"{url}/hooks",
            "issues_url": f"{url}/issues",
            "members_url": f"{url}/members{{/member}}",
            "public_members_url": f"{url}/public_members{{/member}}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{org.id}?v=4",
            "description": org.description,
            "name": org.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "twitter_username": None,
            "is_verified": False,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": sum(not r.private for r in repos),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "html_url": f"{self.html}/{org.login}",
            "created_at": iso(org.created_at),
            "updated_at": iso(org.updated_at or org.created_at),
            "archived_at": None,
            "type": "Organization",
            "total_private_repos": sum(r.private for r in repos),
            "owned_private_repos": sum(r.private for r in repos),
        }

    def author_association(self, repo: Repository, user_id: int | None) -> str:
        if user_id is None or user_id == GHOST_USER_ID:
            return "NONE"
        if user_id in self.store.org.member_ids:
            return "MEMBER"
        key = (repo.id, len(repo.default_branch_shas), self.store.version)
        cached = self._contributors.get(repo.id)
        if cached is None or cached[0] != key:
            authors = {repo.commits[s].author_id for s in repo.default_branch_shas}
            cached = self._contributors[repo.id] = (key, authors)
        return "CONTRIBUTOR" if user_id in cached[1] else "NONE"

    # ------------------------------------------------------------------ teams
    def team(self, team: Team) -> dict:
        org = self.store.org.login
        url = f"{self.api}/orgs/{org}/teams/{team.slug}"
        parent = self.store.teams.get(team.parent_id) if team.parent_id else None
        return {
            "id": team.id,
            "node_id": team.node_id,
            "url": url,
            "html_url": f"{self.html}/orgs/{org}/teams/{team.slug}",
            "name": team.name,
            "slug": team.slug,
            "description": team.description,
            "privacy": team.privacy,
            "notification_setting": "notifications_enabled",
            "permission": "pull",
            "members_url": f"{url}/members{{/member}}",
            "repositories_url": f"{url}/repos",
            "type": "organization",
            "organization_id": self.store.org.id,
            "parent": self.team(parent) | {"parent": None} if parent else None,
        }

    def team_full(self, team: Team) -> dict:
        org = self.organization()
        return self.team(team) | {
            "members_count": len(team.member_ids),
            "repos_count": len(self.store.repos),
            "created_at": iso(team.created_at),
            "updated_at": iso(team.updated_at or team.created_at),
            "organization": org,
        }

    # ------------------------------------------------------------------ repositories
    def repo_url(self, repo: Repository) -> str:
        return f"{self.api}/repos/{repo.full_name}"

    def repository(self, repo: Repository) -> dict:
        if repo.id in self._repos:
            return self._repos[repo.id]
        url = self.repo_url(repo)
        html = f"{self.html}/{repo.full_name}"
        host = urlsplit(self.html).netloc
        open_count = sum(i.state == "open" for i in repo.issues.values()) + sum(
            p.state == "open" for p in repo.pulls.values()
        )
        body = {
            "id": repo.id,
            "node_id": repo.node_id,
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.org_account(),
            "html_url": html,
            "description": repo.description,
            "fork": repo.fork,
            "url": url,
            "forks_url": f"{url}/forks",
            "keys_url": f"{url}/keys{{/key_id}}",
            "collaborators_url": f"{url}/collaborators{{/collaborator}}",
            "teams_url": f"{url}/teams",
            "hooks_url": f"{url}/hooks",
            "issue_events_url": f"{url}/issues/events{{/number}}",
            "events_url": f"{url}/events",
            "assignees_url": f"{url}/assignees{{/user}}",
            "branches_url": f"{url}/branches{{/branch}}",
            "tags_url": f"{url}/tags",
            "blobs_url": f"{url}/git/blobs{{/sha}}",
            "git_tags_url": f"{url}/git/tags{{/sha}}",
            "git_refs_url": f"{url}/git/refs{{/sha}}",
            "trees_url": f"{url}/git/trees{{/sha}}",
            "statuses_url": f"{url}/statuses/{{sha}}",
            "languages_url": f"{url}/languages",
            "stargazers_url": f"{url}/stargazers",
            "contributors_url": f"{url}/contributors",
            "subscribers_url": f"{url}/subscribers",
            "subscription_url": f"{url}/subscription",
            "commits_url": f"{url}/commits{{/sha}}",
            "git_commits_url": f"{url}/git/commits{{/sha}}",
            "comments_url": f"{url}/comments{{/number}}",
            "issue_comment_url": f"{url}/issues/comments{{/number}}",
            "contents_url": f"{url}/contents/{{+path}}",
            "compare_url": f"{url}/compare/{{base}}...{{head}}",
            "merges_url": f"{url}/merges",
            "archive_url": f"{url}/{{archive_format}}{{/ref}}",
            "downloads_url": f"{url}/downloads",
            "issues_url": f"{url}/issues{{/number}}",
            "pulls_url": f"{url}/pulls{{/number}}",
            "milestones_url": f"{url}/milestones{{/number}}",
            "notifications_url": f"{url}/notifications{{?since,all,participating}}",
            "labels_url": f"{url}/labels{{/name}}",
            "releases_url": f"{url}/releases{{/id}}",
            "deployments_url": f"{url}/deployments",
            "created_at": iso(repo.created_at),
            "updated_at": iso(repo.updated_at),
            "pushed_at": iso(repo.pushed_at),
            "git_url": f"git://{host}/{repo.full_name}.git",
            "ssh_url": f"git@{urlsplit(self.html).hostname}:{repo.full_name}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "homepage": None,
            "size": 100 + 3 * len(repo.commits),
            "stargazers_count": 0,
            "watchers_count": 0,
            "language": repo.language,
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": False,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": 0,
            "mirror_url": None,
            "archived": repo.archived,
            "disabled": False,
            "open_issues_count": open_count,
            "license": None,
            "allow_forking": False,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": list(repo.topics),
            "visibility": "private" if repo.private else "public",
            "forks": 0,
            "open_issues": open_count,
            "watchers": 0,
            "default_branch": repo.default_branch,
            "permissions": {
                "admin": False,
                "maintain": False,
                "push": True,
                "triage": True,
                "pull": True,
            },
        }
        self._repos[repo.id] = body
        return body

    def full_repository(self, repo: Repository) -> dict:
        return self.repository(repo) | {
            "organization": self.org_account(),
            "network_count": 0,
            "subscribers_count": len(self.store.org.member_ids),
            "temp_clone_token": None,
            "allow_squash_merge": True,
            "allow_merge_commit": True,
            "allow_rebase_merge": True,
            "allow_auto_merge": False,
            "delete_branch_on_merge": True,
        }

    def branch(self, repo: Repository, name: str, sha: str) -> dict:
        return {
            "name": name,
            "commit": {"sha": sha, "url": f"{self.repo_url(repo)}/commits/{sha}"},
            "protected": name == repo.default_branch,
        }

    # ------------------------------------------------------------------ commits
    def _parents(self, repo: Repository, commit: Commit) -> list[dict]:
        url, html = self.repo_url(repo), f"{self.html}/{repo.full_name}"
        return [
            {"sha": p, "url": f"{url}/commits/{p}", "html_url": f"{html}/commit/{p}"}
            for p in commit.parents
        ]

    def git_commit(self, repo: Repository, commit: Commit) -> dict:
        url = self.repo_url(repo)
        return {
            "author": {
                "name": commit.author_name,
                "email": commit.author_email,
                "date": iso(commit.authored_at),
            },
            "committer": {
                "name": commit.committer_name,
                "email": commit.committer_email,
                "date": iso(commit.committed_at),
            },
            "message": commit.message,
            "tree": {
                "sha": fake_sha("tree", commit.sha),
                "url": f"{url}/git/trees/{fake_sha('tree', commit.sha)}",
            },
            "url": f"{url}/git/commits/{commit.sha}",
            "comment_count": 0,
            "verification": dict(UNVERIFIED),
        }

    def commit(self, repo: Repository, commit: Commit) -> dict:
        url = self.repo_url(repo)
        return {
            "sha": commit.sha,
            "node_id": commit.node_id,
            "commit": self.git_commit(repo, commit),
            "url": f"{url}/commits/{commit.sha}",
            "html_url": f"{self.html}/{repo.full_name}/commit/{commit.sha}",
            "comments_url": f"{url}/commits/{commit.sha}/comments",
            "author": self.user(commit.author_id),
            "committer": self.user(commit.committer_id),
            "parents": self._parents(repo, commit),
        }

    def diff_entries(self, repo: Repository, ref: str, entries: list[dict]) -> list[dict]:
        url, html = self.repo_url(repo), f"{self.html}/{repo.full_name}"
        return [
            {
                **entry,
                "blob_url": f"{html}/blob/{ref}/{quote(entry['filename'])}",
                "raw_url": f"{html}/raw/{ref}/{quote(entry['filename'])}",
                "contents_url": f"{url}/contents/{quote(entry['filename'])}?ref={ref}",
                "patch": patch_for(entry),
            }
            for entry in entries
        ]

    def commit_full(self, repo: Repository, commit: Commit) -> dict:
        return self.commit(repo, commit) | {
            "stats": {
                "total": commit.additions + commit.deletions
                if isinstance(commit.additions, int) and isinstance(commit.deletions, int)
                else None,  # a malformed recorded count is served as recorded
                "additions": commit.additions,
                "deletions": commit.deletions,
            },
            "files": self.diff_entries(repo, commit.sha, files_for_commit(commit)),
        }

    def pull_files(self, repo: Repository, pr: PullRequest) -> list[dict]:
        entries = split_files(f"pr:{pr.id}", pr.additions, pr.deletions, pr.changed_files)
        return self.diff_entries(repo, pr.head_sha, entries)

    def timeline_commit(self, repo: Repository, commit: Commit) -> dict:
        git = self.git_commit(repo, commit)
        return {
            "event": "committed",
            "sha": commit.sha,
            "node_id": commit.node_id,
            "url": git["url"],
            "html_url": f"{self.html}/{repo.full_name}/commit/{commit.sha}",
            "author": git["author"],
            "committer": git["committer"],
            "tree": git["tree"],
            "message": commit.message,
            "parents": [
                {"sha": p["sha"], "url": p["url"], "html_url": p["html_url"]}
                for p in self._parents(repo, commit)
            ],
            "verification": git["verification"],
        }

    # ------------------------------------------------------------------ labels, milestones
    def label(self, repo: Repository, name: str) -> dict:
        label = repo.labels.get(name) or Label(id=_stable_id("label", repo.id, name), name=name)
        return {
            "id": label.id,
            "node_id": label.node_id,
            "url": f"{self.repo_url(repo)}/labels/{quote(label.name)}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
            "archived_at": None,
            "archived_by": None,
        }

    def milestone(self, repo: Repository, ms: Milestone, counts: dict | None = None) -> dict:
        url = f"{self.repo_url(repo)}/milestones/{ms.number}"
        if counts is None:
            if repo.id not in self._milestone_counts:
                self._milestone_counts[repo.id] = milestone_counts(repo)
            counts = self._milestone_counts[repo.id]
        open_count, closed_count = counts.get(ms.number, (0, 0))
        return {
            "url": url,
            "html_url": f"{self.html}/{repo.full_name}/milestone/{ms.number}",
            "labels_url": f"{url}/labels",
            "id": ms.id,
            "node_id": ms.node_id,
            "number": ms.number,
            "state": ms.state,
            "title": ms.title,
            "description": ms.description,
            "creator": self.user(ms.creator_id),
            "open_issues": open_count,
            "closed_issues": closed_count,
            "created_at": iso(ms.created_at),
            "updated_at": iso(ms.updated_at or ms.created_at),
            "closed_at": iso(ms.closed_at),
            "due_on": iso(ms.due_on),
        }

    def _milestone_of(self, repo: Repository, number: int | None) -> dict | None:
        ms = repo.milestones.get(number) if number is not None else None
        return self.milestone(repo, ms) if ms else None

    # ------------------------------------------------------------------ pull requests
    def _ref(self, repo: Repository, ref: str, sha: str) -> dict:
        return {
            "label": f"{repo.owner_login}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.org_account(),
            "repo": self.repository(repo),
        }

    def pull_simple(self, repo: Repository, pr: PullRequest) -> dict:
        url = f"{self.repo_url(repo)}/pulls/{pr.number}"
        issue_url = f"{self.repo_url(repo)}/issues/{pr.number}"
        html = f"{self.html}/{repo.full_name}/pull/{pr.number}"
        statuses = f"{self.repo_url(repo)}/statuses/{pr.head_sha}"
        assignees = [self.user(a) for a in pr.assignee_ids]
        return {
            "url": url,
            "id": pr.id,
            "node_id": pr.node_id,
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue_url,
            "number": pr.number,
            "state": pr.state,
            "locked": pr.locked,
            "title": pr.title,
            "user": self.actor(pr.author_id),
            "body": pr.body,
            "created_at": iso(pr.created_at),
            "updated_at": iso(pr.updated_at),
            "closed_at": iso(pr.closed_at),
            "merged_at": iso(pr.merged_at),
            "merge_commit_sha": pr.merge_commit_sha,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "requested_reviewers": [self.user(r) for r in pr.requested_reviewer_ids],
            "requested_teams": [
                self.team(self.store.teams[t])
                for t in pr.requested_team_ids
                if t in self.store.teams
            ],
            "labels": [self.label(repo, name) for name in pr.labels],
            "milestone": self._milestone_of(repo, pr.milestone_number),
            "draft": pr.draft,
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{self.repo_url(repo)}/pulls/comments{{/number}}",
            "comments_url": f"{issue_url}/comments",
            "statuses_url": statuses,
            "head": self._ref(repo, pr.head_ref, pr.head_sha),
            "base": self._ref(repo, pr.base_ref, pr.base_sha),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": issue_url},
                "comments": {"href": f"{issue_url}/comments"},
                "review_comments": {"href": f"{url}/comments"},
                "review_comment": {"href": f"{self.repo_url(repo)}/pulls/comments{{/number}}"},
                "commits": {"href": f"{url}/commits"},
                "statuses": {"href": statuses},
            },
            "author_association": self.author_association(repo, pr.author_id),
            "auto_merge": None,
            "active_lock_reason": None,
        }

    def pull_full(self, repo: Repository, pr: PullRequest) -> dict:
        if pr.merged:
            mergeable, mergeable_state = None, "unknown"
        elif pr.state == "open":
            mergeable, mergeable_state = True, "draft" if pr.draft else "clean"
        else:
            mergeable, mergeable_state = None, "unknown"
        return self.pull_simple(repo, pr) | {
            "merged": pr.merged,
            "mergeable": mergeable,
            "rebaseable": mergeable,
            "mergeable_state": mergeable_state,
            "merged_by": self.user(pr.merged_by_id) if pr.merged else None,
            "comments": len(pr.comments),
            "review_comments": len(pr.review_comments),
            "maintainer_can_modify": False,
            "commits": len(pr.commit_shas),
            "additions": pr.additions,
            "deletions": pr.deletions,
            "changed_files": pr.changed_files,
        }

    def review(self, repo: Repository, pr: PullRequest, review: Review) -> dict:
        pr_url = f"{self.repo_url(repo)}/pulls/{pr.number}"
        html = f"{self.html}/{repo.full_name}/pull/{pr.number}#pullrequestreview-{review.id}"
        body = {
            "id": review.id,
            "node_id": review.node_id,
            "user": self.actor(review.user_id),
            "body": review.body,
            "state": review.state,
            "html_url": html,
            "pull_request_url": pr_url,
            "author_association": self.author_association(repo, review.user_id),
            "_links": {"html": {"href": html}, "pull_request": {"href": pr_url}},
            "commit_id": review.commit_id or pr.head_sha,
        }
        if review.submitted_at is not None:
            body["submitted_at"] = iso(review.submitted_at)
        return body

    def review_comment(self, repo: Repository, pr: PullRequest, c: ReviewComment) -> dict:
        url = f"{self.repo_url(repo)}/pulls/comments/{c.id}"
        pr_url = f"{self.repo_url(repo)}/pulls/{pr.number}"
        html = f"{self.html}/{repo.full_name}/pull/{pr.number}#discussion_r{c.id}"
        line = c.line or 1
        body = {
            "url": url,
            "pull_request_review_id": c.review_id,
            "id": c.id,
            "node_id": c.node_id,
            "diff_hunk": f"@@ -{max(line - 3, 1)},6 +{max(line - 3, 1)},7 @@",
            "path": c.path,
            "position": line,
            "original_position": line,
            "commit_id": c.commit_id or pr.head_sha,
            "original_commit_id": c.commit_id or pr.head_sha,
            "user": self.actor(c.user_id),
            "body": c.body,
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "html_url": html,
            "pull_request_url": pr_url,
            "author_association": self.author_association(repo, c.user_id),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "pull_request": {"href": pr_url},
            },
            "start_line": None,
            "original_start_line": None,
            "start_side": None,
            "line": c.line,
            "original_line": c.line,
            "side": "RIGHT",
            "subject_type": "line",
        }
        if c.in_reply_to_id is not None:
            body["in_reply_to_id"] = c.in_reply_to_id
        return body

    # ------------------------------------------------------------------ issues
    def issue(self, repo: Repository, item: Issue | PullRequest) -> dict:
        """An issue as /issues renders it; pull requests carry a `pull_request` key."""
        is_pr = isinstance(item, PullRequest)
        url = f"{self.repo_url(repo)}/issues/{item.number}"
        kind = "pull" if is_pr else "issues"
        html = f"{self.html}/{repo.full_name}/{kind}/{item.number}"
        assignees = [self.user(a) for a in item.assignee_ids]
        issue_id = item.id + PR_ISSUE_ID_OFFSET if is_pr else item.id
        body: dict[str, Any] = {
            "url": url,
            "repository_url": self.repo_url(repo),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": html,
            "id": issue_id,
            "node_id": item.node_id if not is_pr else _issue_node(issue_id),
            "number": item.number,
            "title": item.title,
            "user": self.actor(item.author_id),
            "labels": [self.label(repo, name) for name in item.labels],
            "state": item.state,
            "locked": item.locked,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": self._milestone_of(repo, item.milestone_number),
            "comments": len(item.comments),
            "created_at": iso(item.created_at),
            "updated_at": iso(item.updated_at),
            "closed_at": iso(item.closed_at),
            "author_association": self.author_association(repo, item.author_id),
            "active_lock_reason": None,
            "body": item.body,
            "closed_by": self.user(_closed_by(item)) if item.state == "closed" else None,
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "state_reason": None if is_pr else item.state_reason,
        }
        if is_pr:
            pr_html = html
            body["draft"] = item.draft
            body["pull_request"] = {
                "url": f"{self.repo_url(repo)}/pulls/{item.number}",
                "html_url": pr_html,
                "diff_url": f"{pr_html}.diff",
                "patch_url": f"{pr_html}.patch",
                "merged_at": iso(item.merged_at),
            }
        return body

    def issue_comment(self, repo: Repository, number: int, c: IssueComment, is_pr: bool) -> dict:
        kind = "pull" if is_pr else "issues"
        return {
            "id": c.id,
            "node_id": c.node_id,
            "url": f"{self.repo_url(repo)}/issues/comments/{c.id}",
            "html_url": f"{self.html}/{repo.full_name}/{kind}/{number}#issuecomment-{c.id}",
            "body": c.body,
            "user": self.actor(c.user_id),
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "issue_url": f"{self.repo_url(repo)}/issues/{number}",
            "author_association": self.author_association(repo, c.user_id),
            "performed_via_github_app": None,
        }

    def event(
        self,
        repo: Repository,
        ev: TimelineEvent,
        item: Issue | PullRequest | None = None,
        timeline: bool = False,
    ) -> dict:
        """An issue event (/issues/{n}/events, /issues/events with `item`, or a timeline entry)."""
        commit_id = ev.commit_id or (ev.after_sha if ev.event == "head_ref_force_pushed" else None)
        body: dict[str, Any] = {
            "id": ev.id,
            "node_id": ev.node_id,
            "url": f"{self.repo_url(repo)}/issues/events/{ev.id}",
            "actor": self.actor(ev.actor_id),
            "event": ev.event,
            "commit_id": commit_id,
            "commit_url": f"{self.repo_url(repo)}/commits/{commit_id}" if commit_id else None,
            "created_at": iso(ev.created_at),
            "performed_via_github_app": None,
        }
        if ev.event in ("review_requested", "review_request_removed"):
            body["review_requester"] = self.actor(ev.actor_id)
            if ev.requested_team_id is not None and ev.requested_team_id in self.store.teams:
                body["requested_team"] = self.team(self.store.teams[ev.requested_team_id])
            else:
                body["requested_reviewer"] = self.actor(ev.requested_reviewer_id)
        elif ev.event in ("labeled", "unlabeled"):
            label = repo.labels.get(ev.label or "")
            body["label"] = {"name": ev.label or "", "color": label.color if label else "ededed"}
        elif ev.event in ("milestoned", "demilestoned"):
            body["milestone"] = {"title": ev.milestone_title or ""}
        elif ev.event in ("assigned", "unassigned"):
            body["assignee"] = self.actor(ev.assignee_id)
            if not timeline:  # the timeline's assignment events carry no assigner
                body["assigner"] = self.actor(ev.actor_id)
        elif ev.event == "closed" and ev.state_reason:
            body["state_reason"] = ev.state_reason
        if item is not None:
            body["issue"] = self.issue(repo, item)
        return body

    # ------------------------------------------------------------------ delivery
    def deployment(self, repo: Repository, d: Deployment) -> dict:
        url = f"{self.repo_url(repo)}/deployments/{d.id}"
        return {
            "url": url,
            "id": d.id,
            "node_id": d.node_id,
            "sha": d.sha,
            "ref": d.ref,
            "task": d.task,
            "payload": {},
            "original_environment": d.environment,
            "environment": d.environment,
            "description": d.description,
            "creator": self.user(d.creator_id),
            "created_at": iso(d.created_at),
            "updated_at": iso(d.updated_at),
            "statuses_url": f"{url}/statuses",
            "repository_url": self.repo_url(repo),
            "transient_environment": d.transient_environment,
            "production_environment": d.production_environment,
            "performed_via_github_app": None,
        }

    def deployment_status(self, repo: Repository, d: Deployment, s: DeploymentStatus) -> dict:
        url = f"{self.repo_url(repo)}/deployments/{d.id}"
        return {
            "url": f"{url}/statuses/{s.id}",
            "id": s.id,
            "node_id": s.node_id,
            "state": s.state,
            "creator": self.user(s.creator_id),
            "description": s.description,
            "environment": s.environment or d.environment,
            "target_url": s.log_url,
            "created_at": iso(s.created_at),
            "updated_at": iso(s.updated_at),
            "deployment_url": url,
            "repository_url": self.repo_url(repo),
            "environment_url": s.environment_url,
            "log_url": s.log_url,
            "performed_via_github_app": None,
        }

    def workflow(self, repo: Repository, w: Workflow) -> dict:
        html = f"{self.html}/{repo.full_name}"
        return {
            "id": w.id,
            "node_id": w.node_id,
            "name": w.name,
            "path": w.path,
            "state": w.state,
            "created_at": iso(w.created_at),
            "updated_at": iso(w.updated_at),
            "url": f"{self.repo_url(repo)}/actions/workflows/{w.id}",
            "html_url": f"{html}/blob/{repo.default_branch}/{w.path}",
            "badge_url": f"{html}/workflows/{w.name}/badge.svg",
        }

    def workflow_run(self, repo: Repository, run: WorkflowRun) -> dict:
        url = f"{self.repo_url(repo)}/actions/runs/{run.id}"
        workflow = next((w for w in repo.workflows if w.id == run.workflow_id), None)
        commit = repo.commits.get(run.head_sha)
        minimal = self.repository(repo)
        head_commit = None
        if commit is not None:
            head_commit = {
                "id": commit.sha,
                "tree_id": fake_sha("tree", commit.sha),
                "message": commit.message,
                "timestamp": iso(commit.committed_at),
                "author": {"name": commit.author_name, "email": commit.author_email},
                "committer": {"name": commit.committer_name, "email": commit.committer_email},
            }
        pulls = []
        for number in run.pull_request_numbers:
            pr = repo.pulls.get(number)
            if pr is None:
                continue
            slim_repo = {"id": repo.id, "url": self.repo_url(repo), "name": repo.name}
            pulls.append(
                {
                    "id": pr.id,
                    "number": pr.number,
                    "url": f"{self.repo_url(repo)}/pulls/{pr.number}",
                    "head": {"ref": pr.head_ref, "sha": pr.head_sha, "repo": slim_repo},
                    "base": {"ref": pr.base_ref, "sha": pr.base_sha, "repo": slim_repo},
                }
            )
        return {
            "id": run.id,
            "name": run.name,
            "node_id": run.node_id,
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
            "path": workflow.path if workflow else f".github/workflows/{run.workflow_id}.yml",
            "display_title": run.display_title or run.name,
            "run_number": run.run_number,
            "event": run.event,
            "status": run.status,
            "conclusion": run.conclusion,
            "workflow_id": run.workflow_id,
            "check_suite_id": run.id + 1,
            "check_suite_node_id": node_id("CS", run.id + 1),
            "url": url,
            "html_url": f"{self.html}/{repo.full_name}/actions/runs/{run.id}",
            "pull_requests": pulls,
            "created_at": iso(run.created_at),
            "updated_at": iso(run.updated_at),
            "actor": self.user(run.actor_id),
            "triggering_actor": self.user(run.actor_id),
            "run_attempt": run.run_attempt,
            "referenced_workflows": [],
            "run_started_at": iso(run.run_started_at),
            "jobs_url": f"{url}/jobs",
            "logs_url": f"{url}/logs",
            "check_suite_url": f"{self.repo_url(repo)}/check-suites/{run.id + 1}",
            "artifacts_url": f"{url}/artifacts",
            "cancel_url": f"{url}/cancel",
            "rerun_url": f"{url}/rerun",
            "previous_attempt_url": f"{url}/attempts/{run.run_attempt - 1}"
            if run.run_attempt > 1
            else None,
            "workflow_url": f"{self.repo_url(repo)}/actions/workflows/{run.workflow_id}",
            "head_commit": head_commit,
            "repository": minimal,
            "head_repository": minimal,
        }

    def release(self, repo: Repository, r: Release) -> dict:
        url = f"{self.repo_url(repo)}/releases/{r.id}"
        html = f"{self.html}/{repo.full_name}"
        return {
            "url": url,
            "assets_url": f"{url}/assets",
            "upload_url": f"{url}/assets{{?name,label}}",
            "html_url": f"{html}/releases/tag/{r.tag_name}",
            "id": r.id,
            "author": self.actor(r.author_id),
            "node_id": r.node_id,
            "tag_name": r.tag_name,
            "target_commitish": r.target_commitish,
            "name": r.name,
            "draft": r.draft,
            "prerelease": r.prerelease,
            "immutable": False,
            "created_at": iso(r.created_at),
            "updated_at": iso(r.published_at or r.created_at),
            "published_at": iso(r.published_at),
            "assets": [],
            "tarball_url": f"{self.repo_url(repo)}/tarball/{r.tag_name}",
            "zipball_url": f"{self.repo_url(repo)}/zipball/{r.tag_name}",
            "body": r.body,
        }


def milestone_counts(repo: Repository) -> dict[int, tuple[int, int]]:
    """Open and closed issue+PR counts per milestone number."""
    counts: dict[int, list[int]] = {}
    for item in [*repo.issues.values(), *repo.pulls.values()]:
        if item.milestone_number is not None:
            pair = counts.setdefault(item.milestone_number, [0, 0])
            pair[item.state != "open"] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _closed_by(item: Issue | PullRequest) -> int | None:
    if isinstance(item, Issue) and item.closed_by_id is not None:
        return item.closed_by_id
    if isinstance(item, PullRequest) and item.merged_by_id is not None:
        return item.merged_by_id
    closes = [e for e in item.timeline if e.event == "closed"]
    return closes[-1].actor_id if closes else None


def _stable_id(*parts: object) -> int:
    return int(fake_sha(*parts)[:8], 16)


def _issue_node(issue_id: int) -> str:
    return node_id("I", issue_id)
