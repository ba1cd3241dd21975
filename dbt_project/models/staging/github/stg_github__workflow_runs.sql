with

source as (

    select * from {{ source('github', 'workflow_runs') }}

),

renamed as (

    select
        id as workflow_run_id,
        node_id,
        repository_id,
        repository as repository_full_name,
        workflow_id,
        name as workflow_name,
        display_title,
        event as trigger_event,
        status,
        conclusion,
        head_branch,
        head_sha,
        run_number,
        run_attempt,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        cast(run_started_at at time zone 'UTC' as timestamp) as run_started_at,
        actor_id as actor_user_id,
        actor_login,
        actor_type,
        cast(pull_request_numbers as varchar) as pull_request_numbers
    from source

)

select * from renamed
