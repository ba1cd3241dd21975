{#- Team x sprint x day, from the sprint's start date to its end date (no later than the as_of
    date): the story points still open at the end of each day. Scope is the milestone's
    content as loaded (GitHub does not record when an item joined a milestone). -#}
with

sprints as (

    select
        velocity.team_id,
        velocity.team_slug,
        velocity.repository_id,
        velocity.milestone_number,
        velocity.sprint_title,
        velocity.sprint_start_date,
        velocity.sprint_end_date,
        velocity.points_committed,
        case
            when velocity.sprint_end_date < {{ local_bucket(as_of()) }} then velocity.sprint_end_date
            else {{ local_bucket(as_of()) }}
        end as last_burndown_date
    from {{ ref('mart_sprint_velocity') }} as velocity

),

days as (

    {{ date_series(
        '(select min(sprint_start_date) from sprints)',
        '(select max(last_burndown_date) from sprints)',
        'day',
        'burndown_date'
    ) }}

),

sprint_days as (

    select
        sprints.*,
        days.burndown_date
    from sprints
    inner join days
        on sprints.sprint_start_date <= days.burndown_date and sprints.last_burndown_date >= days.burndown_date

),

completed_by_day as (

    select
        sprint_days.team_id,
        sprint_days.repository_id,
        sprint_days.milestone_number,
        sprint_days.burndown_date,
        coalesce(sum(items.story_points), 0) as points_completed_to_date
    from sprint_days
    left join {{ ref('int_sprint_items_attributed') }} as items
        on
            sprint_days.team_id = items.team_id
            and sprint_days.repository_id = items.repository_id
            and sprint_days.milestone_number = items.milestone_number
            and sprint_days.burndown_date >= items.completed_date
    group by sprint_days.team_id, sprint_days.repository_id, sprint_days.milestone_number, sprint_days.burndown_date

),

final as (

    select
        sprint_days.team_id,
        sprint_days.team_slug,
        sprint_days.repository_id,
        sprint_days.milestone_number,
        sprint_days.sprint_title,
        sprint_days.burndown_date,
        sprint_days.points_committed,
        completed_by_day.points_completed_to_date,
        sprint_days.points_committed - completed_by_day.points_completed_to_date as remaining_points,
        case
            when sprint_days.sprint_end_date > sprint_days.sprint_start_date
                then sprint_days.points_committed * (
                    1.0 - (sprint_days.burndown_date - sprint_days.sprint_start_date) * 1.0
                    / (sprint_days.sprint_end_date - sprint_days.sprint_start_date)
                )
        end as ideal_remaining_points
    from sprint_days
    inner join completed_by_day
        on
            sprint_days.team_id = completed_by_day.team_id
            and sprint_days.repository_id = completed_by_day.repository_id
            and sprint_days.milestone_number = completed_by_day.milestone_number
            and sprint_days.burndown_date = completed_by_day.burndown_date

)

select
    cast(team_id as bigint) as team_id,
    cast(team_slug as varchar) as team_slug,
    cast(repository_id as bigint) as repository_id,
    cast(milestone_number as bigint) as milestone_number,
    cast(sprint_title as varchar) as sprint_title,
    cast(burndown_date as date) as burndown_date,
    cast(points_committed as bigint) as points_committed,
    cast(points_completed_to_date as bigint) as points_completed_to_date,
    cast(remaining_points as bigint) as remaining_points,
    cast(ideal_remaining_points as double precision) as ideal_remaining_points
from final
