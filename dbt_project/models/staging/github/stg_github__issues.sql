with

source as (

    select * from {{ source('github', 'issues') }}

),

renamed as (

    select
        id as issue_id,
        node_id,
        repository_id,
        repository as repository_full_name,
        number as issue_number,
        title,
        body,
        state,
        state_reason,
        is_locked,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        cast(closed_at at time zone 'UTC' as timestamp) as closed_at,
        author_id as author_user_id,
        author_login,
        author_type,
        milestone_number,
        cast(labels as varchar) as labels,
        comments_count
    from source

)

select * from renamed
