-- Reconciliation: every raw pull request reaches fct_pull_requests, per repository, and nothing
-- else does. Returns the repositories whose counts differ. Dagster shows it as a check on
-- fct_pull_requests (meta.dagster.ref).
{{ config(meta={'dagster': {'ref': {'name': 'fct_pull_requests'}}}) }}

with

raw_counts as (

    select
        repository_id,
        count(*) as raw_pull_requests
    from {{ source('github', 'pull_requests') }}
    group by repository_id

),

fact_counts as (

    select
        repository_id,
        count(*) as fact_pull_requests
    from {{ ref('fct_pull_requests') }}
    group by repository_id

)

select
    coalesce(raw_counts.repository_id, fact_counts.repository_id) as repository_id,
    coalesce(raw_counts.raw_pull_requests, 0) as raw_pull_requests,
    coalesce(fact_counts.fact_pull_requests, 0) as fact_pull_requests
from raw_counts
full outer join fact_counts on raw_counts.repository_id = fact_counts.repository_id
where coalesce(raw_counts.raw_pull_requests, 0) <> coalesce(fact_counts.fact_pull_requests, 0)
