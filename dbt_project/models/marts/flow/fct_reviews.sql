{#- One row per pull-request review, any state (PENDING included; people metrics keep only
    submitted reviews by non-author humans).

    Incremental (delete+insert on review_id): a run re-computes every review of a pull request whose
    API updated_at is later than the newest pull_request_updated_at previous_build (a new, dismissed or
    submitted review moves the PR's updated_at), plus any review not previous_build yet. -#}
{{ config(materialized='incremental', unique_key='review_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns') }}
{% set ghost_user_id = 10137 %}

with

pull_requests as (

    select
        pull_request_id,
        coalesce(author_user_id, {{ ghost_user_id }}) as author_user_id,
        updated_at
    from {{ ref('stg_github__pull_requests') }}

),

reviews as (

    select reviews.*
    from {{ ref('stg_github__pull_request_reviews') }} as reviews
    {% if is_incremental() %}
        inner join pull_requests on reviews.pull_request_id = pull_requests.pull_request_id
        left join {{ this }} as previous_build on reviews.review_id = previous_build.review_id
        where
            previous_build.review_id is null
            or pull_requests.updated_at > (select max(watermark.pull_request_updated_at) from {{ this }} as watermark)
    {% endif %}

),

comment_counts as (

    select
        review_id,
        count(*) as review_comments_count
    from {{ ref('stg_github__pull_request_comments') }}
    where comment_type = 'review' and review_id is not null
    group by review_id

)

select
    reviews.review_id,
    reviews.pull_request_id,
    reviews.repository_id,
    'user:' || cast(coalesce(reviews.author_user_id, {{ ghost_user_id }}) as varchar) as reviewer_developer_id,
    coalesce(reviews.author_user_id, {{ ghost_user_id }}) as reviewer_user_id,
    coalesce(reviews.author_login, 'ghost') as reviewer_login,
    coalesce(developers.is_bot, reviews.author_type = 'Bot', false) as is_bot_reviewer,
    coalesce(reviews.author_user_id, {{ ghost_user_id }}) = pull_requests.author_user_id as is_author_review,
    reviews.state,
    reviews.submitted_at,
    coalesce(comment_counts.review_comments_count, 0) as review_comments_count,
    pull_requests.updated_at as pull_request_updated_at
from reviews
left join pull_requests on reviews.pull_request_id = pull_requests.pull_request_id
left join {{ ref('int_developers_resolved') }} as developers
    on 'user:' || cast(coalesce(reviews.author_user_id, {{ ghost_user_id }}) as varchar) = developers.developer_id
left join comment_counts on reviews.review_id = comment_counts.review_id
