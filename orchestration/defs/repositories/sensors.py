"""`github_repository_partitions`: registers each repository of the organisation (or of
DEVMETRICS_GITHUB_REPOS) as a partition of `github_repository_extract`. Off by default; one
listing costs one request per 100 repositories."""

import dagster as dg

from orchestration.defs.partitions import repositories
from orchestration.defs.resources import GitHubSettings
from pipelines.repository_extract import list_repositories


@dg.sensor(
    name="github_repository_partitions",
    minimum_interval_seconds=3600,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Adds a partition per repository of the organisation to github_repository_extract.",
)
def github_repository_partitions(context: dg.SensorEvaluationContext, github: GitHubSettings):
    if github.org:
        names = list_repositories(
            github.org, github.tokens, github.api_url or None, github.graphql_url or None
        )
    else:
        names = github.repository_names()
    if not names:
        return dg.SkipReason(
            "No repositories: set DEVMETRICS_GITHUB_ORG or DEVMETRICS_GITHUB_REPOS in .env."
        )
    known = set(context.instance.get_dynamic_partitions(repositories.name))
    new = sorted(set(names) - known)
    if not new:
        return dg.SkipReason(f"All {len(names)} repositories are registered.")
    context.log.info(f"Registering {len(new)} repositories: {', '.join(new[:20])}")
    return dg.SensorResult(dynamic_partitions_requests=[repositories.build_add_request(new)])
