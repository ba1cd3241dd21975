with

source as (

    select * from {{ source('github', 'quarantine') }}

),

renamed as (

    select
        id as quarantine_id,
        entity,
        repository as repository_full_name,
        record_key,
        reason,
        payload
    from source

)

select * from renamed
