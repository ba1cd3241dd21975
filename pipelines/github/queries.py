"""GraphQL documents the extractor sends. Every one is validated against GitHub's published
schema in tests (tests/pipelines/github/test_queries.py), so they run unchanged on github.com.

Pages ask for `$first` items and their nested lists for `$nested` (both 100, halved together
when GitHub times out); a nested list with more items is followed to its end by `nested_page()`.
Ids come from `fullDatabaseId` (BigInt) where GitHub offers it: `databaseId` is a 32-bit Int
that GitHub is retiring on pull requests and reviews.
"""

from __future__ import annotations

ACTOR = """
fragment ActorFields on Actor {
  __typename
  login
  ... on User { databaseId name }
  ... on Bot { databaseId }
}"""

GIT_ACTOR = """
fragment GitActorFields on GitActor {
  name
  email
  date
  user { databaseId login name }
}"""

COMMIT = """
fragment CommitFields on Commit {
  oid
  message
  authoredDate
  committedDate
  additions
  deletions
  changedFilesIfAvailable
  author { ...GitActorFields }
  committer { ...GitActorFields }
  parents(first: 2) { totalCount nodes { oid } }
}"""

REPOSITORY = """
fragment RepositoryFields on Repository {
  databaseId
  id
  name
  nameWithOwner
  owner { login }
  description
  isPrivate
  isFork
  isArchived
  createdAt
  updatedAt
  pushedAt
  primaryLanguage { name }
  defaultBranchRef { name }
}"""

PAGE_INFO = "pageInfo { hasNextPage endCursor }"

REVIEW_NODE = (
    "id fullDatabaseId state body createdAt submittedAt author { ...ActorFields } commit { oid }"
)
PR_COMMIT_NODE = "commit { ...CommitFields }"
COMMENT_NODE = "id fullDatabaseId body createdAt updatedAt author { ...ActorFields }"
LABEL_NODE = "name"
PR_TIMELINE_TYPES = (
    "READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT, REVIEW_REQUESTED_EVENT, "
    "REVIEW_REQUEST_REMOVED_EVENT, CLOSED_EVENT, REOPENED_EVENT, MERGED_EVENT, "
    "HEAD_REF_FORCE_PUSHED_EVENT, LABELED_EVENT, UNLABELED_EVENT, MILESTONED_EVENT, "
    "DEMILESTONED_EVENT, ASSIGNED_EVENT, UNASSIGNED_EVENT"
)
REQUESTED = "requestedReviewer { __typename ... on User { databaseId login } ... on Team { databaseId slug } }"
PR_TIMELINE_NODE = f"""
  __typename
  ... on ReadyForReviewEvent {{ id createdAt actor {{ ...ActorFields }} }}
  ... on ConvertToDraftEvent {{ id createdAt actor {{ ...ActorFields }} }}
  ... on ReviewRequestedEvent {{ id createdAt actor {{ ...ActorFields }} {REQUESTED} }}
  ... on ReviewRequestRemovedEvent {{ id createdAt actor {{ ...ActorFields }} {REQUESTED} }}
  ... on ClosedEvent {{ id createdAt actor {{ ...ActorFields }} }}
  ... on ReopenedEvent {{ id createdAt actor {{ ...ActorFields }} }}
  ... on MergedEvent {{ id createdAt actor {{ ...ActorFields }} commit {{ oid }} }}
  ... on HeadRefForcePushedEvent {{ id createdAt actor {{ ...ActorFields }} beforeCommit {{ oid }} afterCommit {{ oid }} }}
  ... on LabeledEvent {{ id createdAt actor {{ ...ActorFields }} label {{ name }} }}
  ... on UnlabeledEvent {{ id createdAt actor {{ ...ActorFields }} label {{ name }} }}
  ... on MilestonedEvent {{ id createdAt actor {{ ...ActorFields }} milestoneTitle }}
  ... on DemilestonedEvent {{ id createdAt actor {{ ...ActorFields }} milestoneTitle }}
  ... on AssignedEvent {{ id createdAt actor {{ ...ActorFields }} assignee {{ ... on User {{ databaseId login }} }} }}
  ... on UnassignedEvent {{ id createdAt actor {{ ...ActorFields }} assignee {{ ... on User {{ databaseId login }} }} }}
"""

# Nested lists of a pull request: name -> (connection with arguments, node selection, fragments).
PR_NESTED = {
    "reviews": ("reviews(first: $nested{after})", REVIEW_NODE, ACTOR),
    "commits": ("commits(first: $nested{after})", PR_COMMIT_NODE, COMMIT + GIT_ACTOR),
    "timeline": (
        f"timelineItems(first: $nested{{after}}, itemTypes: [{PR_TIMELINE_TYPES}])",
        PR_TIMELINE_NODE,
        ACTOR,
    ),
    "comments": ("comments(first: $nested{after})", COMMENT_NODE, ACTOR),
    "labels": ("labels(first: $nested{after})", LABEL_NODE, ""),
}
ISSUE_NESTED = {"labels": PR_NESTED["labels"]}
DEPLOYMENT_NESTED = {
    "statuses": (
        "statuses(first: $nested{after})",
        "id state description environment logUrl createdAt updatedAt creator { ...ActorFields }",
        ACTOR,
    )
}
TEAM_NESTED = {
    "members": (
        "members(first: $nested{after}, membership: IMMEDIATE)",
        "role node { databaseId login name }",
        "",
    )
}


def _nested_block(nested: dict) -> str:
    blocks = []
    for connection, node, _ in nested.values():
        field = connection.format(after="")
        selection = (
            "edges { " + node + " }" if node.startswith("role") else "nodes { " + node + " }"
        )
        blocks.append(f"{field} {{ totalCount {PAGE_INFO} {selection} }}")
    return "\n    ".join(blocks)


def _fragments(nested: dict, *extra: str) -> str:
    parts = {f for _, _, f in nested.values() if f} | {e for e in extra if e}
    return "\n".join(sorted(parts))


PULL_REQUESTS = f"""
query PullRequests($owner: String!, $name: String!, $first: Int!, $nested: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    pullRequests(first: $first, after: $after, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{
      {PAGE_INFO}
      nodes {{
        id fullDatabaseId number title body state isDraft locked
        createdAt updatedAt closedAt mergedAt
        author {{ ...ActorFields }}
        mergedBy {{ ...ActorFields }}
        additions deletions changedFiles
        headRefName baseRefName headRefOid baseRefOid
        mergeCommit {{ oid parents(first: 2) {{ totalCount }} }}
        milestone {{ number }}
        {_nested_block(PR_NESTED)}
      }}
    }}
  }}
}}
{_fragments(PR_NESTED, ACTOR)}
"""

ISSUES = f"""
query Issues($owner: String!, $name: String!, $first: Int!, $nested: Int!, $after: String,
             $since: DateTime) {{
  repository(owner: $owner, name: $name) {{
    issues(first: $first, after: $after, filterBy: {{since: $since}},
           orderBy: {{field: UPDATED_AT, direction: ASC}}) {{
      {PAGE_INFO}
      nodes {{
        id fullDatabaseId number title body state stateReason locked
        createdAt updatedAt closedAt
        author {{ ...ActorFields }}
        milestone {{ number }}
        comments {{ totalCount }}
        {_nested_block(ISSUE_NESTED)}
      }}
    }}
  }}
}}
{ACTOR}
"""

HISTORY = f"""
query History($owner: String!, $name: String!, $first: Int!, $after: String,
              $since: GitTimestamp, $until: GitTimestamp) {{
  repository(owner: $owner, name: $name) {{
    defaultBranchRef {{
      name
      target {{
        ... on Commit {{
          history(first: $first, after: $after, since: $since, until: $until) {{
            {PAGE_INFO}
            nodes {{ ...CommitFields }}
          }}
        }}
      }}
    }}
  }}
}}
{COMMIT}
{GIT_ACTOR}
"""

DEPLOYMENTS = f"""
query Deployments($owner: String!, $name: String!, $first: Int!, $nested: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    deployments(first: $first, after: $after, orderBy: {{field: CREATED_AT, direction: DESC}}) {{
      {PAGE_INFO}
      nodes {{
        id databaseId environment task description state
        createdAt updatedAt commitOid
        creator {{ ...ActorFields }}
        {_nested_block(DEPLOYMENT_NESTED)}
      }}
    }}
  }}
}}
{ACTOR}
"""

MILESTONES = f"""
query Milestones($owner: String!, $name: String!, $first: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    milestones(first: $first, after: $after) {{
      {PAGE_INFO}
      nodes {{
        id number title description state dueOn createdAt updatedAt closedAt
        creator {{ ...ActorFields }}
      }}
    }}
  }}
}}
{ACTOR}
"""

ORG_REPOSITORIES = f"""
query OrganizationRepositories($org: String!, $first: Int!, $after: String) {{
  organization(login: $org) {{
    repositories(first: $first, after: $after, orderBy: {{field: NAME, direction: ASC}}) {{
      {PAGE_INFO}
      nodes {{ ...RepositoryFields }}
    }}
  }}
}}
{REPOSITORY}
"""

TEAM_FIELDS = f"""
        id databaseId slug name description privacy createdAt updatedAt
        parentTeam {{ databaseId slug }}
        {_nested_block(TEAM_NESTED)}"""
MEMBER_FIELDS = "databaseId login name"

ORG_PEOPLE = f"""
query OrganizationPeople($org: String!, $first: Int!, $nested: Int!) {{
  organization(login: $org) {{
    teams(first: $first) {{ {PAGE_INFO} nodes {{ {TEAM_FIELDS} }} }}
    membersWithRole(first: $first) {{ {PAGE_INFO} nodes {{ {MEMBER_FIELDS} }} }}
  }}
}}
"""

# One cheap request that changes whenever membership is likely to have changed.
ORG_PEOPLE_SIGNATURE = """
query OrganizationPeopleSignature($org: String!, $first: Int!) {
  organization(login: $org) {
    membersWithRole { totalCount }
    teams(first: $first) {
      totalCount
      nodes { slug updatedAt members(membership: IMMEDIATE) { totalCount } }
    }
  }
}
"""

ORG_TEAMS_PAGE = f"""
query OrganizationTeams($org: String!, $first: Int!, $nested: Int!, $after: String) {{
  organization(login: $org) {{
    teams(first: $first, after: $after) {{ {PAGE_INFO} nodes {{ {TEAM_FIELDS} }} }}
  }}
}}
"""

ORG_MEMBERS_PAGE = f"""
query OrganizationMembers($org: String!, $first: Int!, $after: String) {{
  organization(login: $org) {{
    membersWithRole(first: $first, after: $after) {{ {PAGE_INFO} nodes {{ {MEMBER_FIELDS} }} }}
  }}
}}
"""


def repositories_by_name(count: int) -> str:
    """One request for up to 100 named repositories, as aliases r0, r1, …"""
    fields = "\n".join(
        f"  r{i}: repository(owner: $owner{i}, name: $name{i}) {{ ...RepositoryFields }}"
        for i in range(count)
    )
    params = ", ".join(f"$owner{i}: String!, $name{i}: String!" for i in range(count))
    return f"query Repositories({params}) {{\n{fields}\n}}\n{REPOSITORY}"


def nested_page(parent: str, name: str) -> str:
    """The document that fetches one more page of a nested list of one parent record."""
    nested = {
        "pull_request": PR_NESTED,
        "issue": ISSUE_NESTED,
        "deployment": DEPLOYMENT_NESTED,
        "team": TEAM_NESTED,
    }[parent]
    connection, node, fragment = nested[name]
    field = connection.format(after=", after: $after")
    selection = "edges { " + node + " }" if node.startswith("role") else "nodes { " + node + " }"
    body = f"{field} {{ {PAGE_INFO} {selection} }}"
    if parent in {"pull_request", "issue"}:
        root = "pullRequest" if parent == "pull_request" else "issue"
        outer = (
            f"query NestedPage($owner: String!, $name: String!, $number: Int!, $nested: Int!, $after: String) {{\n"
            f"  repository(owner: $owner, name: $name) {{ {root}(number: $number) {{ {body} }} }}\n}}"
        )
    elif parent == "team":
        outer = (
            f"query NestedPage($org: String!, $slug: String!, $nested: Int!, $after: String) {{\n"
            f"  organization(login: $org) {{ team(slug: $slug) {{ {body} }} }}\n}}"
        )
    else:
        outer = (
            f"query NestedPage($id: ID!, $nested: Int!, $after: String) {{\n"
            f"  node(id: $id) {{ ... on Deployment {{ {body} }} }}\n}}"
        )
    return "\n".join(p for p in (outer, fragment) if p)


ALL_DOCUMENTS = {
    "PULL_REQUESTS": PULL_REQUESTS,
    "ISSUES": ISSUES,
    "HISTORY": HISTORY,
    "DEPLOYMENTS": DEPLOYMENTS,
    "MILESTONES": MILESTONES,
    "ORG_REPOSITORIES": ORG_REPOSITORIES,
    "ORG_PEOPLE": ORG_PEOPLE,
    "ORG_PEOPLE_SIGNATURE": ORG_PEOPLE_SIGNATURE,
    "ORG_TEAMS_PAGE": ORG_TEAMS_PAGE,
    "ORG_MEMBERS_PAGE": ORG_MEMBERS_PAGE,
    "REPOSITORIES_BY_NAME(3)": repositories_by_name(3),
    **{
        f"NESTED_PAGE({parent}.{name})": nested_page(parent, name)
        for parent, nested in (
            ("pull_request", PR_NESTED),
            ("issue", ISSUE_NESTED),
            ("deployment", DEPLOYMENT_NESTED),
            ("team", TEAM_NESTED),
        )
        for name in nested
    },
}
