select
    deployment_id,
    repository_id,
    environment,
    is_production,
    commit_sha,
    created_at,
    finished_at,
    final_state,
    is_successful
from {{ ref('int_deployments_finished') }}
