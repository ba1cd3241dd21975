with

source as (

    select * from {{ source('github', 'pull_request_comments') }}

),

renamed as (

    select
        comment_type,
        id as comment_id,
        node_id,
        pull_request_id,
        repository_id,
        pull_request_number,
        review_id,
        path,
        body,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        author_id as author_user_id,
        author_login,
        author_type
    from source

)

select * from renamed
