with

source as (

    select * from {{ source('github', 'pull_request_timeline') }}

),

renamed as (

    select
        id as timeline_event_id,
        pull_request_id,
        repository_id,
        pull_request_number,
        event,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        actor_id as actor_user_id,
        actor_login,
        actor_type,
        requested_reviewer_type,
        requested_reviewer_id as requested_reviewer_user_id,
        requested_reviewer_login,
        requested_team_slug,
        label,
        milestone_title,
        assignee_id as assignee_user_id,
        assignee_login,
        commit_sha,
        before_sha,
        after_sha
    from source

)

select * from renamed
