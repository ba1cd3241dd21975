{#- Issues and pull requests as one list of work items, the unit story points are counted on.
    An issue is completed when closed as completed (state_reason 'completed', or no reason);
    a pull request when merged. Excluded pull requests (dependency bumps) are not work items. -#}
with

issues as (

    select
        'issue' as work_item_type,
        issue_id as work_item_id,
        repository_id,
        issue_number as work_item_number,
        author_developer_id,
        milestone_number,
        story_points,
        created_at,
        case
            when state = 'closed' and coalesce(state_reason, 'completed') = 'completed' then closed_at
        end as completed_at
    from {{ ref('fct_issues') }}

),

pull_requests as (

    select
        'pull_request' as work_item_type,
        pull_request_id as work_item_id,
        repository_id,
        pull_request_number as work_item_number,
        author_developer_id,
        milestone_number,
        story_points,
        opened_at as created_at,
        merged_at as completed_at
    from {{ ref('fct_pull_requests') }}
    where not is_excluded

),

unioned as (

    select * from issues
    union all
    select * from pull_requests

)

select
    work_item_type,
    work_item_id,
    repository_id,
    work_item_number,
    author_developer_id,
    milestone_number,
    story_points,
    created_at,
    completed_at,
    completed_at is not null as is_completed
from unioned
