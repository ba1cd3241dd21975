with

source as (

    select * from {{ source('github', 'teams') }}

),

renamed as (

    select
        id as team_id,
        node_id,
        slug as team_slug,
        name as team_name,
        description,
        privacy,
        parent_team_id,
        parent_team_slug,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at
    from source

)

select * from renamed
