with

source as (

    select * from {{ source('github', 'milestones') }}

),

renamed as (

    select
        node_id,
        repository_id,
        repository as repository_full_name,
        number as milestone_number,
        title,
        description,
        state,
        cast(due_on at time zone 'UTC' as timestamp) as due_on,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        cast(closed_at at time zone 'UTC' as timestamp) as closed_at,
        creator_id as creator_user_id,
        creator_login,
        creator_type
    from source

)

select * from renamed
