{#- Pull requests waiting for a first human response, as of var('as_of'): open at as_of,
    non-draft (ready for review by as_of and not a draft now), not excluded, and with no human
    response by as_of for longer than var('stale_review_hours') since ready-for-review. -#}
with

pull_requests as (

    select
        *,
        {{ as_of() }} as as_of_at
    from {{ ref('fct_pull_requests') }}

),

waiting as (

    select
        pull_requests.*,
        {{ hours_between('pull_requests.ready_for_review_at', 'pull_requests.as_of_at') }} as waiting_hours
    from pull_requests
    where
        not pull_requests.is_excluded
        and not pull_requests.is_draft
        and pull_requests.ready_for_review_at <= pull_requests.as_of_at
        and (pull_requests.closed_at is null or pull_requests.closed_at > pull_requests.as_of_at)
        and (pull_requests.first_response_at is null or pull_requests.first_response_at > pull_requests.as_of_at)

),

final as (

    select
        waiting.pull_request_id,
        waiting.repository_id,
        repositories.repository_full_name,
        waiting.pull_request_number,
        waiting.title,
        waiting.author_developer_id,
        waiting.author_login,
        waiting.is_bot_author,
        waiting.opened_at,
        waiting.ready_for_review_at,
        waiting.first_review_requested_at,
        waiting.as_of_at,
        waiting.waiting_hours,
        {{ var('stale_review_hours') }} as stale_review_hours
    from waiting
    left join {{ ref('dim_repositories') }} as repositories on waiting.repository_id = repositories.repository_id
    where waiting.waiting_hours > {{ var('stale_review_hours') }}

)

select
    cast(pull_request_id as bigint) as pull_request_id,
    cast(repository_id as bigint) as repository_id,
    cast(repository_full_name as varchar) as repository_full_name,
    cast(pull_request_number as bigint) as pull_request_number,
    cast(title as varchar) as title,
    cast(author_developer_id as varchar) as author_developer_id,
    cast(author_login as varchar) as author_login,
    cast(is_bot_author as boolean) as is_bot_author,
    cast(opened_at as timestamp) as opened_at,
    cast(ready_for_review_at as timestamp) as ready_for_review_at,
    cast(first_review_requested_at as timestamp) as first_review_requested_at,
    cast(as_of_at as timestamp) as as_of_at,
    cast(waiting_hours as double precision) as waiting_hours,
    cast(stale_review_hours as double precision) as stale_review_hours
from final
