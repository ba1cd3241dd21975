{#- One row per deployment with its outcome: the first terminal status (success, failure, error
    or inactive, by status time) gives final_state and finished_at; without one the deployment is
    still `pending` and has no finish time. Production means the environment is one of
    var('production_environments'), case-insensitive. -#}

with

terminal_statuses as (

    select
        deployment_id,
        state,
        created_at,
        row_number() over (
            partition by deployment_id order by created_at, deployment_status_id
        ) as terminal_rank
    from {{ ref('stg_github__deployment_statuses') }}
    where state in ('success', 'failure', 'error', 'inactive')

)

select
    deployments.deployment_id,
    deployments.repository_id,
    deployments.environment,
    lower(deployments.environment) in (
        {%- for environment in var('production_environments') %}
            '{{ environment | lower }}'{{ "," if not loop.last }}
        {%- endfor %}
    ) as is_production,
    deployments.commit_sha,
    deployments.created_at,
    terminal_statuses.created_at as finished_at,
    coalesce(terminal_statuses.state, 'pending') as final_state,
    coalesce(terminal_statuses.state = 'success', false) as is_successful
from {{ ref('stg_github__deployments') }} as deployments
left join terminal_statuses
    on deployments.deployment_id = terminal_statuses.deployment_id and terminal_statuses.terminal_rank = 1
