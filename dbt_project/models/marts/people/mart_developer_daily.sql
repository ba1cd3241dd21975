{#- Developer x day on a calendar spine, zero-filled from the developer's first day with any
    activity to the as_of date. Bots are not people: their rows are left out. Raw activity
    counts, so excluded pull requests are counted too.
    Incremental: every run computes all rows, but writes only the new or changed ones (the
    `except`), replacing them by key; a post-hook removes developers who are now bots (e.g.
    after a bot_logins edit), so the table equals a `--full-refresh` build. -#}
{{ config(
    materialized='incremental',
    unique_key=['developer_id', 'activity_date'],
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="delete from {{ this }} where developer_id in (select developer_id from {{ ref('dim_developers') }} where is_bot)"
) }}
with

developers as (

    select
        developer_id,
        login
    from {{ ref('dim_developers') }}
    where not is_bot

),

events as (

    select
        developer_id,
        {{ local_bucket('authored_at') }} as activity_date,
        1 as commits,
        coalesce(additions, 0) as additions,
        coalesce(deletions, 0) as deletions,
        0 as prs_opened,
        0 as prs_merged,
        0 as reviews_given,
        0 as review_comments_given,
        0 as issues_opened,
        0 as issues_closed
    from {{ ref('fct_commits') }}

    union all

    select
        author_developer_id as developer_id,
        {{ local_bucket('opened_at') }} as activity_date,
        0 as commits,
        0 as additions,
        0 as deletions,
        1 as prs_opened,
        0 as prs_merged,
        0 as reviews_given,
        0 as review_comments_given,
        0 as issues_opened,
        0 as issues_closed
    from {{ ref('fct_pull_requests') }}

    union all

    select
        author_developer_id as developer_id,
        {{ local_bucket('merged_at') }} as activity_date,
        0 as commits,
        0 as additions,
        0 as deletions,
        0 as prs_opened,
        1 as prs_merged,
        0 as reviews_given,
        0 as review_comments_given,
        0 as issues_opened,
        0 as issues_closed
    from {{ ref('fct_pull_requests') }}
    where merged_at is not null

    union all

    select
        reviewer_developer_id as developer_id,
        {{ local_bucket('submitted_at') }} as activity_date,
        0 as commits,
        0 as additions,
        0 as deletions,
        0 as prs_opened,
        0 as prs_merged,
        1 as reviews_given,
        coalesce(review_comments_count, 0) as review_comments_given,
        0 as issues_opened,
        0 as issues_closed
    from {{ ref('fct_reviews') }}
    where not is_author_review and state != 'PENDING' and submitted_at is not null

    union all

    select
        author_developer_id as developer_id,
        {{ local_bucket('created_at') }} as activity_date,
        0 as commits,
        0 as additions,
        0 as deletions,
        0 as prs_opened,
        0 as prs_merged,
        0 as reviews_given,
        0 as review_comments_given,
        1 as issues_opened,
        0 as issues_closed
    from {{ ref('fct_issues') }}

    union all

    select
        author_developer_id as developer_id,
        {{ local_bucket('closed_at') }} as activity_date,
        0 as commits,
        0 as additions,
        0 as deletions,
        0 as prs_opened,
        0 as prs_merged,
        0 as reviews_given,
        0 as review_comments_given,
        0 as issues_opened,
        1 as issues_closed
    from {{ ref('fct_issues') }}
    where closed_at is not null

),

daily as (

    select
        events.developer_id,
        events.activity_date,
        sum(events.commits) as commits,
        sum(events.additions) as additions,
        sum(events.deletions) as deletions,
        sum(events.prs_opened) as prs_opened,
        sum(events.prs_merged) as prs_merged,
        sum(events.reviews_given) as reviews_given,
        sum(events.review_comments_given) as review_comments_given,
        sum(events.issues_opened) as issues_opened,
        sum(events.issues_closed) as issues_closed
    from events
    inner join developers on events.developer_id = developers.developer_id
    group by events.developer_id, events.activity_date

),

spine as (

    {{ date_series(
        '(select min(activity_date) from daily)',
        '(select greatest(max(activity_date), ' ~ local_bucket(as_of()) ~ ') from daily)',
        'day',
        'activity_date'
    ) }}

),

active_developers as (

    select
        developer_id,
        min(activity_date) as first_activity_date
    from daily
    group by developer_id

),

final as (

    select
        developers.developer_id,
        developers.login,
        spine.activity_date,
        coalesce(daily.commits, 0) as commits,
        coalesce(daily.additions, 0) as additions,
        coalesce(daily.deletions, 0) as deletions,
        coalesce(daily.prs_opened, 0) as prs_opened,
        coalesce(daily.prs_merged, 0) as prs_merged,
        coalesce(daily.reviews_given, 0) as reviews_given,
        coalesce(daily.review_comments_given, 0) as review_comments_given,
        coalesce(daily.issues_opened, 0) as issues_opened,
        coalesce(daily.issues_closed, 0) as issues_closed,
        coalesce(
            daily.commits + daily.prs_opened + daily.reviews_given + daily.review_comments_given
            + daily.issues_opened > 0,
            false
        ) as is_active_day
    from active_developers
    inner join developers on active_developers.developer_id = developers.developer_id
    inner join spine on active_developers.first_activity_date <= spine.activity_date
    left join daily
        on
            active_developers.developer_id = daily.developer_id
            and spine.activity_date = daily.activity_date

),

rows_now as (

    select
        cast(developer_id as varchar) as developer_id,
        cast(login as varchar) as login,
        cast(activity_date as date) as activity_date,
        cast(commits as bigint) as commits,
        cast(additions as bigint) as additions,
        cast(deletions as bigint) as deletions,
        cast(prs_opened as bigint) as prs_opened,
        cast(prs_merged as bigint) as prs_merged,
        cast(reviews_given as bigint) as reviews_given,
        cast(review_comments_given as bigint) as review_comments_given,
        cast(issues_opened as bigint) as issues_opened,
        cast(issues_closed as bigint) as issues_closed,
        cast(is_active_day as boolean) as is_active_day
    from final

)

select * from rows_now
{% if is_incremental() %}
    except
    select
        developer_id,
        login,
        activity_date,
        commits,
        additions,
        deletions,
        prs_opened,
        prs_merged,
        reviews_given,
        review_comments_given,
        issues_opened,
        issues_closed,
        is_active_day
    from {{ this }}
{% endif %}
