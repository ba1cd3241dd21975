with

source as (

    select * from {{ source('github', 'deployment_statuses') }}

),

renamed as (

    select
        id as deployment_status_id,
        deployment_id,
        repository_id,
        state,
        description,
        environment,
        log_url,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        creator_id as creator_user_id,
        creator_login,
        creator_type
    from source

)

select * from renamed
