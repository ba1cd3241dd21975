{#- Team x sprint (a sprint is a repository milestone). Every sprint of a repository the team
    has ever had sprint work in gets a row, zero-filled. Velocity and trend look back over the
    team's finished sprints in the same repository, ordered by end date. -#}
with

team_repositories as (

    select distinct
        team_id,
        repository_id
    from {{ ref('int_sprint_items_attributed') }}

),

team_sprints as (

    select
        sprints.*,
        team_repositories.team_id
    from team_repositories
    inner join {{ ref('int_sprints_scheduled') }} as sprints
        on team_repositories.repository_id = sprints.repository_id

),

sprint_points as (

    select
        team_id,
        repository_id,
        milestone_number,
        count(*) as items_committed,
        sum(case when is_completed_in_sprint then 1 else 0 end) as items_completed,
        coalesce(sum(story_points), 0) as points_committed,
        coalesce(sum(case when is_completed_in_sprint then story_points end), 0) as points_completed
    from {{ ref('int_sprint_items_attributed') }}
    group by team_id, repository_id, milestone_number

),

sprint_rows as (

    select
        team_sprints.team_id,
        team_sprints.repository_id,
        team_sprints.repository_full_name,
        team_sprints.milestone_number,
        team_sprints.sprint_title,
        team_sprints.sprint_start_date,
        team_sprints.sprint_end_date,
        team_sprints.is_finished,
        coalesce(sprint_points.items_committed, 0) as items_committed,
        coalesce(sprint_points.items_completed, 0) as items_completed,
        coalesce(sprint_points.points_committed, 0) as points_committed,
        coalesce(sprint_points.points_completed, 0) as points_completed
    from team_sprints
    left join sprint_points
        on
            team_sprints.team_id = sprint_points.team_id
            and team_sprints.repository_id = sprint_points.repository_id
            and team_sprints.milestone_number = sprint_points.milestone_number

),

finished_history as (

    select
        team_id,
        repository_id,
        milestone_number,
        points_completed as points_0,
        row_number() over sprint_order as finished_sprint_sequence,
        lag(points_completed, 1) over sprint_order as points_1,
        lag(points_completed, 2) over sprint_order as points_2,
        lag(points_completed, 3) over sprint_order as points_3
    from sprint_rows
    where is_finished
    window sprint_order as (
        partition by team_id, repository_id
        order by sprint_end_date, milestone_number
    )

),

velocity as (

    select
        team_id,
        repository_id,
        milestone_number,
        finished_sprint_sequence,
        case
            when finished_sprint_sequence >= 4
                then 0.4 * points_0 + 0.3 * points_1 + 0.2 * points_2 + 0.1 * points_3
        end as weighted_velocity,
        case when finished_sprint_sequence >= 4 then (points_0 + points_1) / 2.0 end as recent_mean_points,
        case when finished_sprint_sequence >= 4 then (points_2 + points_3) / 2.0 end as previous_mean_points
    from finished_history

),

final as (

    select
        sprint_rows.*,
        teams.team_slug,
        velocity.finished_sprint_sequence,
        velocity.weighted_velocity,
        velocity.recent_mean_points,
        velocity.previous_mean_points,
        case
            when velocity.recent_mean_points is null then null
            when velocity.recent_mean_points > velocity.previous_mean_points * 1.05 then 'up'
            when velocity.recent_mean_points < velocity.previous_mean_points * 0.95 then 'down'
            else 'stable'
        end as velocity_trend
    from sprint_rows
    inner join {{ ref('dim_teams') }} as teams on sprint_rows.team_id = teams.team_id
    left join velocity
        on
            sprint_rows.team_id = velocity.team_id
            and sprint_rows.repository_id = velocity.repository_id
            and sprint_rows.milestone_number = velocity.milestone_number

)

select
    cast(team_id as bigint) as team_id,
    cast(team_slug as varchar) as team_slug,
    cast(repository_id as bigint) as repository_id,
    cast(repository_full_name as varchar) as repository_full_name,
    cast(milestone_number as bigint) as milestone_number,
    cast(sprint_title as varchar) as sprint_title,
    cast(sprint_start_date as date) as sprint_start_date,
    cast(sprint_end_date as date) as sprint_end_date,
    cast(is_finished as boolean) as is_finished,
    cast(items_committed as bigint) as items_committed,
    cast(items_completed as bigint) as items_completed,
    cast(points_committed as bigint) as points_committed,
    cast(points_completed as bigint) as points_completed,
    cast(finished_sprint_sequence as bigint) as finished_sprint_sequence,
    cast(weighted_velocity as double precision) as weighted_velocity,
    cast(recent_mean_points as double precision) as recent_mean_points,
    cast(previous_mean_points as double precision) as previous_mean_points,
    cast(velocity_trend as varchar) as velocity_trend
from final
