{#- One row per developer: every GitHub user id seen anywhere (accounts, authors, reviewers,
    commenters, mergers, team members, linked commit emails), the shared `ghost` row, and one row
    per commit email no rule could link (is_linked = false). A developer is a bot when any source
    reports its type as Bot, its login ends in [bot], or the bot_logins seed lists it. -#}
{% set ghost_user_id = 10137 %}

with

users_seen as (

    select
        user_id,
        login,
        user_type,
        user_name,
        cast(null as timestamp) as seen_at,
        1 as login_priority
    from {{ ref('stg_github__users') }}

    union all

    select
        author_user_id as user_id,
        author_login as login,
        author_type as user_type,
        cast(null as varchar) as user_name,
        created_at as seen_at,
        2 as login_priority
    from {{ ref('stg_github__pull_requests') }}

    union all

    select
        merged_by_user_id as user_id,
        merged_by_login as login,
        merged_by_type as user_type,
        cast(null as varchar) as user_name,
        merged_at as seen_at,
        2 as login_priority
    from {{ ref('stg_github__pull_requests') }}

    union all

    select
        author_user_id as user_id,
        author_login as login,
        author_type as user_type,
        cast(null as varchar) as user_name,
        coalesce(submitted_at, created_at) as seen_at,
        2 as login_priority
    from {{ ref('stg_github__pull_request_reviews') }}

    union all

    select
        author_user_id as user_id,
        author_login as login,
        author_type as user_type,
        cast(null as varchar) as user_name,
        created_at as seen_at,
        2 as login_priority
    from {{ ref('stg_github__pull_request_comments') }}

    union all

    select
        author_user_id as user_id,
        author_login as login,
        author_type as user_type,
        cast(null as varchar) as user_name,
        created_at as seen_at,
        2 as login_priority
    from {{ ref('stg_github__issues') }}

    union all

    select
        user_id,
        login,
        cast(null as varchar) as user_type,
        cast(null as varchar) as user_name,
        cast(null as timestamp) as seen_at,
        3 as login_priority
    from {{ ref('stg_github__team_members') }}

    union all

    select
        linked_user_id as user_id,
        cast(null as varchar) as login,
        cast(null as varchar) as user_type,
        author_name as user_name,
        first_authored_at as seen_at,
        4 as login_priority
    from {{ ref('int_commit_authors_linked') }}

    union all

    select
        {{ ghost_user_id }} as user_id,
        'ghost' as login,
        'User' as user_type,
        cast(null as varchar) as user_name,
        cast(null as timestamp) as seen_at,
        5 as login_priority

),

users_ranked as (

    select
        user_id,
        login,
        user_name,
        row_number() over (partition by user_id order by login_priority asc, seen_at desc nulls last) as login_rank
    from users_seen
    where user_id is not null and login is not null

),

users_rolled_up as (

    select
        user_id,
        min(seen_at) as first_seen_at,
        max(case when user_type = 'Bot' then 1 else 0 end) = 1 as is_bot_type
    from users_seen
    where user_id is not null
    group by user_id

),

bot_logins as (

    select distinct lower(login) as login from {{ ref('bot_logins') }}

),

github_users as (

    select
        'user:' || cast(rolled.user_id as varchar) as developer_id,
        rolled.user_id,
        coalesce(ranked.login, 'user-' || cast(rolled.user_id as varchar)) as login,
        coalesce(ranked.user_name, ranked.login) as display_name,
        (
            rolled.is_bot_type
            or coalesce(ranked.login, '') like '%[bot]'
            or bot_logins.login is not null
        ) as is_bot,
        rolled.user_id = {{ ghost_user_id }} as is_ghost,
        true as is_linked,
        rolled.first_seen_at
    from users_rolled_up as rolled
    left join users_ranked as ranked
        on rolled.user_id = ranked.user_id and ranked.login_rank = 1
    left join bot_logins on lower(ranked.login) = bot_logins.login

),

unlinked_emails as (

    select
        developer_id,
        cast(null as bigint) as user_id,
        cast(null as varchar) as login,
        coalesce(author_name, author_email) as display_name,
        author_email like '%[bot]@%' as is_bot,
        false as is_ghost,
        false as is_linked,
        first_authored_at as first_seen_at
    from {{ ref('int_commit_authors_linked') }}
    where not is_linked

)

select * from github_users
union all
select * from unlinked_emails
