{#- Team x sprint x work item: the sprint's issues and pull requests whose author is a member
    of the team on the sprint's end date (a developer in two teams counts for both). An item is
    completed in the sprint when it was completed no later than the sprint's end date. -#}
with

memberships as (

    {{ human_team_memberships() }}

),

work_items as (

    select
        *,
        {{ local_bucket('completed_at') }} as completed_date
    from {{ ref('int_work_items_unioned') }}
    where milestone_number is not null

)

select
    memberships.team_id,
    sprints.repository_id,
    sprints.milestone_number,
    work_items.work_item_type,
    work_items.work_item_id,
    work_items.author_developer_id,
    work_items.story_points,
    work_items.completed_at,
    work_items.completed_date,
    coalesce(work_items.completed_date <= sprints.sprint_end_date, false) as is_completed_in_sprint
from {{ ref('int_sprints_scheduled') }} as sprints
inner join work_items
    on
        sprints.repository_id = work_items.repository_id
        and sprints.milestone_number = work_items.milestone_number
inner join memberships
    on
        work_items.author_developer_id = memberships.developer_id
        and {{ is_member_on('memberships', 'sprints.sprint_end_date') }}
