with

source as (

    select * from {{ source('github', 'repositories') }}

),

renamed as (

    select
        id as repository_id,
        node_id,
        name as repository_name,
        full_name as repository_full_name,
        owner,
        description,
        is_private,
        is_fork,
        is_archived,
        default_branch,
        primary_language,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        cast(pushed_at at time zone 'UTC' as timestamp) as pushed_at
    from source

)

select * from renamed
