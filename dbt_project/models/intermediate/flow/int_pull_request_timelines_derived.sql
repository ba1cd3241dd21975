{#- One row per pull request: the review timeline of METRICS.md and the review-shape counts.
    "Human" means a non-bot developer (int_developers_resolved.is_bot); "non-author" compares user
    ids (a missing actor is the shared ghost account, user id 10137). -#}
{% set ghost_user_id = 10137 %}

with

pull_requests as (

    select
        pull_request_id,
        coalesce(author_user_id, {{ ghost_user_id }}) as author_user_id,
        created_at as opened_at,
        is_draft
    from {{ ref('stg_github__pull_requests') }}

),

developers as (

    select
        user_id,
        is_bot
    from {{ ref('int_developers_resolved') }}
    where user_id is not null

),

commits as (

    select
        pull_request_id,
        min(authored_at) as first_commit_at
    from {{ ref('stg_github__pull_request_commits') }}
    group by pull_request_id

),

ready_events as (

    select
        pull_request_id,
        min(created_at) as first_ready_for_review_at
    from {{ ref('stg_github__pull_request_timeline') }}
    where event = 'ready_for_review'
    group by pull_request_id

),

review_requests as (

    -- a request counts unless the next event for the same requested reviewer (user or team) removes it
    select
        pull_request_id,
        event,
        created_at,
        lead(event) over (
            partition by
                pull_request_id,
                requested_reviewer_type,
                coalesce(cast(requested_reviewer_user_id as varchar), requested_team_slug)
            order by created_at, timeline_event_id
        ) as next_event
    from {{ ref('stg_github__pull_request_timeline') }}
    where event in ('review_requested', 'review_request_removed')

),

first_requests as (

    select
        pull_request_id,
        min(created_at) as first_review_requested_at
    from review_requests
    where event = 'review_requested' and coalesce(next_event, '') <> 'review_request_removed'
    group by pull_request_id

),

human_reviews as (

    select
        reviews.pull_request_id,
        reviews.author_user_id as reviewer_user_id,
        reviews.state,
        reviews.submitted_at
    from {{ ref('stg_github__pull_request_reviews') }} as reviews
    inner join pull_requests on reviews.pull_request_id = pull_requests.pull_request_id
    left join developers
        on coalesce(reviews.author_user_id, {{ ghost_user_id }}) = developers.user_id
    where
        reviews.state <> 'PENDING'
        and reviews.submitted_at is not null
        and coalesce(reviews.author_user_id, {{ ghost_user_id }}) <> pull_requests.author_user_id
        and not coalesce(developers.is_bot, reviews.author_type = 'Bot', false)

),

review_rollup as (

    select
        pull_request_id,
        min(submitted_at) as first_review_at,
        min(case when state = 'APPROVED' then submitted_at end) as first_approval_at,
        count(*) as reviews_count,
        count(distinct reviewer_user_id) as distinct_human_reviewers,
        count(case when state = 'APPROVED' then 1 end) as approvals_count,
        count(case when state = 'CHANGES_REQUESTED' then 1 end) as changes_requested_count
    from human_reviews
    group by pull_request_id

),

human_comments as (

    select
        pr_comments.pull_request_id,
        pr_comments.comment_type,
        pr_comments.created_at
    from {{ ref('stg_github__pull_request_comments') }} as pr_comments
    inner join pull_requests on pr_comments.pull_request_id = pull_requests.pull_request_id
    left join developers
        on coalesce(pr_comments.author_user_id, {{ ghost_user_id }}) = developers.user_id
    where
        coalesce(pr_comments.author_user_id, {{ ghost_user_id }}) <> pull_requests.author_user_id
        and not coalesce(developers.is_bot, pr_comments.author_type = 'Bot', false)

),

comment_rollup as (

    select
        pull_request_id,
        min(created_at) as first_comment_at,
        count(case when comment_type = 'review' then 1 end) as review_comments_count
    from human_comments
    group by pull_request_id

)

select
    pull_requests.pull_request_id,
    commits.first_commit_at,
    pull_requests.opened_at,
    first_requests.first_review_requested_at,
    review_rollup.first_review_at,
    review_rollup.first_approval_at,
    case
        when ready_events.first_ready_for_review_at is not null then ready_events.first_ready_for_review_at
        when not pull_requests.is_draft then pull_requests.opened_at
    end as ready_for_review_at,
    case
        when review_rollup.first_review_at is null then comment_rollup.first_comment_at
        when comment_rollup.first_comment_at is null then review_rollup.first_review_at
        when review_rollup.first_review_at <= comment_rollup.first_comment_at then review_rollup.first_review_at
        else comment_rollup.first_comment_at
    end as first_response_at,
    coalesce(review_rollup.reviews_count, 0) as reviews_count,
    coalesce(comment_rollup.review_comments_count, 0) as review_comments_count,
    coalesce(review_rollup.distinct_human_reviewers, 0) as distinct_human_reviewers,
    coalesce(review_rollup.approvals_count, 0) as approvals_count,
    coalesce(review_rollup.changes_requested_count, 0) as changes_requested_count
from pull_requests
left join commits on pull_requests.pull_request_id = commits.pull_request_id
left join ready_events on pull_requests.pull_request_id = ready_events.pull_request_id
left join first_requests on pull_requests.pull_request_id = first_requests.pull_request_id
left join review_rollup on pull_requests.pull_request_id = review_rollup.pull_request_id
left join comment_rollup on pull_requests.pull_request_id = comment_rollup.pull_request_id
