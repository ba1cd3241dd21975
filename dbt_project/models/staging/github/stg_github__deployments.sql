with

source as (

    select * from {{ source('github', 'deployments') }}

),

renamed as (

    select
        id as deployment_id,
        node_id,
        repository_id,
        repository as repository_full_name,
        environment,
        task,
        description,
        state,
        sha as commit_sha,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        creator_id as creator_user_id,
        creator_login,
        creator_type
    from source

)

select * from renamed
