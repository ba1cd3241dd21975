with

source as (

    select * from {{ source('github', 'pull_request_reviews') }}

),

renamed as (

    select
        id as review_id,
        node_id,
        pull_request_id,
        repository_id,
        pull_request_number,
        state,
        body,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(submitted_at at time zone 'UTC' as timestamp) as submitted_at,
        author_id as author_user_id,
        author_login,
        author_type,
        commit_sha
    from source

)

select * from renamed
