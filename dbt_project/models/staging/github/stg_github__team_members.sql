with

source as (

    select * from {{ source('github', 'team_members') }}

),

renamed as (

    select
        team_id,
        team_slug,
        user_id,
        login,
        role as team_role
    from source

)

select * from renamed
