with

source as (

    select * from {{ source('github', 'users') }}

),

renamed as (

    select
        id as user_id,
        login,
        type as user_type,
        name as user_name,
        type = 'Bot' or login like '%[bot]' as is_bot_account
    from source

)

select * from renamed
