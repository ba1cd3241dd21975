{#- Reviewer x author x month (of the review), people only: bots on either side and reviews of
    one's own pull request are left out, as are PENDING reviews. A reviewer's pickup on a pull
    request is the time from ready-for-review to that reviewer's first review; it is a flow
    metric, so excluded pull requests are left out of it, bucketed by the first review's month. -#}
with

reviews as (

    select
        reviews.reviewer_developer_id,
        pull_requests.author_developer_id,
        reviews.pull_request_id,
        reviews.submitted_at,
        pull_requests.ready_for_review_at,
        pull_requests.is_excluded,
        coalesce(reviews.review_comments_count, 0) as review_comments_count
    from {{ ref('fct_reviews') }} as reviews
    inner join {{ ref('fct_pull_requests') }} as pull_requests
        on reviews.pull_request_id = pull_requests.pull_request_id
    where
        not reviews.is_bot_reviewer
        and not reviews.is_author_review
        and not pull_requests.is_bot_author
        and reviews.state != 'PENDING'
        and reviews.submitted_at is not null
        and pull_requests.author_developer_id is not null

),

review_counts as (

    select
        reviewer_developer_id,
        author_developer_id,
        {{ local_bucket('submitted_at', 'month') }} as month_start_date,
        count(*) as reviews,
        sum(review_comments_count) as review_comments
    from reviews
    group by reviewer_developer_id, author_developer_id, {{ local_bucket('submitted_at', 'month') }}

),

first_reviews as (

    select
        reviewer_developer_id,
        author_developer_id,
        pull_request_id,
        min(ready_for_review_at) as ready_for_review_at,
        min(submitted_at) as first_review_at
    from reviews
    where not is_excluded
    group by reviewer_developer_id, author_developer_id, pull_request_id

),

pickups as (

    select
        reviewer_developer_id,
        author_developer_id,
        {{ local_bucket('first_review_at', 'month') }} as month_start_date,
        {{ hours_between('ready_for_review_at', 'first_review_at') }} as pickup_time
    from first_reviews

),

pickup_stats as (

    select
        reviewer_developer_id,
        author_developer_id,
        month_start_date,
        count(pickup_time) as pickup_time_count,
        {{ percentile('pickup_time', 0.5) }} as pickup_time_p50,
        {{ percentile('pickup_time', 0.75) }} as pickup_time_p75,
        {{ percentile('pickup_time', 0.9) }} as pickup_time_p90
    from pickups
    group by reviewer_developer_id, author_developer_id, month_start_date

),

final as (

    select
        review_counts.reviewer_developer_id,
        reviewers.login as reviewer_login,
        review_counts.author_developer_id,
        authors.login as author_login,
        review_counts.month_start_date,
        review_counts.reviews,
        review_counts.review_comments,
        pickup_stats.pickup_time_p50,
        pickup_stats.pickup_time_p75,
        pickup_stats.pickup_time_p90,
        coalesce(pickup_stats.pickup_time_count, 0) as pickup_time_count
    from review_counts
    left join pickup_stats
        on
            review_counts.reviewer_developer_id = pickup_stats.reviewer_developer_id
            and review_counts.author_developer_id = pickup_stats.author_developer_id
            and review_counts.month_start_date = pickup_stats.month_start_date
    left join {{ ref('dim_developers') }} as reviewers
        on review_counts.reviewer_developer_id = reviewers.developer_id
    left join {{ ref('dim_developers') }} as authors
        on review_counts.author_developer_id = authors.developer_id

)

select
    cast(reviewer_developer_id as varchar) as reviewer_developer_id,
    cast(reviewer_login as varchar) as reviewer_login,
    cast(author_developer_id as varchar) as author_developer_id,
    cast(author_login as varchar) as author_login,
    cast(month_start_date as date) as month_start_date,
    cast(reviews as bigint) as reviews,
    cast(review_comments as bigint) as review_comments,
    cast(pickup_time_count as bigint) as pickup_time_count,
    cast(pickup_time_p50 as double precision) as pickup_time_p50,
    cast(pickup_time_p75 as double precision) as pickup_time_p75,
    cast(pickup_time_p90 as double precision) as pickup_time_p90
from final
