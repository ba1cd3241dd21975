{#- One row per membership of a developer in a team, with an inclusive validity window.
    GitHub reports memberships as they are now, without history: those rows are valid since always
    (valid_from 1970-01-01, valid_to null). The team_members seed overrides GitHub for a
    (team, login) pair it lists (all of that pair's seed rows replace the GitHub row) and extends
    GitHub with pairs GitHub does not have. -#}

with

teams as (

    select
        team_id,
        team_slug
    from {{ ref('stg_github__teams') }}

),

users as (

    select
        user_id,
        lower(login) as login_key
    from {{ ref('stg_github__users') }}

),

seed as (

    select
        seed.team_slug,
        teams.team_id,
        seed.login,
        users.user_id,
        coalesce(cast(seed.valid_from as date), cast('1970-01-01' as date)) as valid_from,
        cast(seed.valid_to as date) as valid_to
    from {{ ref('team_members') }} as seed
    left join teams on seed.team_slug = teams.team_slug
    left join users on lower(seed.login) = users.login_key

),

github as (

    select
        members.team_slug,
        members.team_id,
        members.login,
        members.user_id,
        cast('1970-01-01' as date) as valid_from,
        cast(null as date) as valid_to
    from {{ ref('stg_github__team_members') }} as members
    where not exists (
        select 1
        from seed
        where seed.team_slug = members.team_slug and lower(seed.login) = lower(members.login)
    )

),

combined as (

    select
        *,
        'github' as source  -- noqa: RF04
    from github
    union all
    select
        *,
        'seed' as source  -- noqa: RF04
    from seed

)

select
    team_id,
    team_slug,
    login,
    valid_from,
    valid_to,
    source,
    team_slug || ':' || lower(login) || ':' || source || ':' || cast(valid_from as varchar) as team_membership_id,
    case when user_id is not null then 'user:' || cast(user_id as varchar) end as developer_id
from combined
