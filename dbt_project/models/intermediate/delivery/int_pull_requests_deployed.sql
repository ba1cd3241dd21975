{#- One row per merged pull request whose merge commit is on the default branch, with deployed_at:
    the finish time of the first successful production deployment of the same repository whose
    deployed commit contains the merge commit. "Contains" uses the default-branch order by
    committed_at (the column fct_commits exposes): the deployed commit's committed_at is at or after
    the merge commit's. Deployed commits that are not on the default branch are not considered.

    Computed in one ordered pass per repository (no inequality join): merged_pull_requests and deployments are
    sorted by commit time, newest first, deployments before merged_pull_requests at the same time, and each merge
    takes the earliest finish among the deployments seen so far. -#}

with

default_branch as (

    select
        repository_id,
        commit_sha,
        committed_at
    from {{ ref('stg_github__commits') }}

),

deployments as (

    select
        deployments.repository_id,
        default_branch.committed_at as branch_position_at,
        deployments.finished_at
    from {{ ref('int_deployments_finished') }} as deployments
    inner join default_branch
        on
            deployments.repository_id = default_branch.repository_id
            and deployments.commit_sha = default_branch.commit_sha
    where deployments.is_production and deployments.is_successful

),

merged_pull_requests as (

    select
        pull_requests.pull_request_id,
        pull_requests.repository_id,
        default_branch.committed_at as branch_position_at
    from {{ ref('stg_github__pull_requests') }} as pull_requests
    inner join default_branch
        on
            pull_requests.repository_id = default_branch.repository_id
            and pull_requests.merge_commit_sha = default_branch.commit_sha
    where pull_requests.merged_at is not null

),

events as (

    select
        repository_id,
        branch_position_at,
        0 as is_merge,
        finished_at,
        cast(null as bigint) as pull_request_id
    from deployments

    union all

    select
        repository_id,
        branch_position_at,
        1 as is_merge,
        cast(null as timestamp) as finished_at,
        pull_request_id
    from merged_pull_requests

),

scanned as (

    select
        pull_request_id,
        is_merge,
        min(finished_at) over (
            partition by repository_id
            order by branch_position_at desc, is_merge asc
            rows between unbounded preceding and current row
        ) as deployed_at
    from events

)

select
    pull_request_id,
    deployed_at
from scanned
where is_merge = 1
