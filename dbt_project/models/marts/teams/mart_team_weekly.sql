{#- Team x week (weeks start Monday in var('timezone')), zero-filled. A pull request counts for
    every team its author belongs to on the bucket date (merged date for flow metrics, opened
    date for opened counts). Flow metrics leave out excluded pull requests; raw counts keep them. -#}
with

memberships as (

    {{ human_team_memberships() }}

),

pull_requests as (

    select
        pull_request_id,
        author_developer_id,
        is_excluded,
        is_merged_without_approval,
        changed_lines,
        cycle_time,
        coding_time,
        pickup_time,
        review_time,
        deploy_time,
        merged_at,
        {{ to_local('opened_at') }} as opened_at_local,
        {{ to_local('ready_for_review_at') }} as ready_for_review_at_local,
        {{ to_local('closed_at') }} as closed_at_local,
        {{ local_bucket('opened_at') }} as opened_date,
        {{ local_bucket('merged_at') }} as merged_date
    from {{ ref('fct_pull_requests') }}

),

human_reviewed as (

    select distinct pull_request_id
    from {{ ref('fct_reviews') }}
    where not is_bot_reviewer and not is_author_review and state != 'PENDING'

),

opened as (

    select
        memberships.team_id,
        cast(date_trunc('week', pull_requests.opened_date) as date) as week_start_date,
        count(*) as prs_opened
    from pull_requests
    inner join memberships
        on
            pull_requests.author_developer_id = memberships.developer_id
            and {{ is_member_on('memberships', 'pull_requests.opened_date') }}
    group by memberships.team_id, cast(date_trunc('week', pull_requests.opened_date) as date)

),

merged as (

    select
        pull_requests.*,
        memberships.team_id,
        cast(date_trunc('week', pull_requests.merged_date) as date) as week_start_date,
        human_reviewed.pull_request_id is not null as has_human_review
    from pull_requests
    inner join memberships
        on
            pull_requests.author_developer_id = memberships.developer_id
            and {{ is_member_on('memberships', 'pull_requests.merged_date') }}
    left join human_reviewed on pull_requests.pull_request_id = human_reviewed.pull_request_id
    where pull_requests.merged_at is not null

),

merged_weekly as (

    select
        team_id,
        week_start_date,
        count(*) as prs_merged,
        sum(case when not is_excluded then 1 else 0 end) as flow_prs_merged,
        count(case when not is_excluded then cycle_time end) as cycle_time_count,
        {{ percentile('case when not is_excluded then cycle_time end', 0.5) }} as cycle_time_p50,
        {{ percentile('case when not is_excluded then cycle_time end', 0.75) }} as cycle_time_p75,
        {{ percentile('case when not is_excluded then cycle_time end', 0.9) }} as cycle_time_p90,
        count(case when not is_excluded then coding_time end) as coding_time_count,
        {{ percentile('case when not is_excluded then coding_time end', 0.5) }} as coding_time_p50,
        {{ percentile('case when not is_excluded then coding_time end', 0.75) }} as coding_time_p75,
        {{ percentile('case when not is_excluded then coding_time end', 0.9) }} as coding_time_p90,
        count(case when not is_excluded then pickup_time end) as pickup_time_count,
        {{ percentile('case when not is_excluded then pickup_time end', 0.5) }} as pickup_time_p50,
        {{ percentile('case when not is_excluded then pickup_time end', 0.75) }} as pickup_time_p75,
        {{ percentile('case when not is_excluded then pickup_time end', 0.9) }} as pickup_time_p90,
        count(case when not is_excluded then review_time end) as review_time_count,
        {{ percentile('case when not is_excluded then review_time end', 0.5) }} as review_time_p50,
        {{ percentile('case when not is_excluded then review_time end', 0.75) }} as review_time_p75,
        {{ percentile('case when not is_excluded then review_time end', 0.9) }} as review_time_p90,
        count(case when not is_excluded then deploy_time end) as deploy_time_count,
        {{ percentile('case when not is_excluded then deploy_time end', 0.5) }} as deploy_time_p50,
        {{ percentile('case when not is_excluded then deploy_time end', 0.75) }} as deploy_time_p75,
        {{ percentile('case when not is_excluded then deploy_time end', 0.9) }} as deploy_time_p90,
        {{ percentile('case when not is_excluded then cast(changed_lines as double precision) end', 0.5) }}
            as median_pr_size,
        avg(case when not is_excluded then case when has_human_review then 1.0 else 0.0 end end)
            as review_coverage,
        avg(case when not is_excluded then case when is_merged_without_approval then 1.0 else 0.0 end end)
            as merged_without_approval_rate
    from merged
    group by team_id, week_start_date

),

people_weekly as (

    select
        memberships.team_id,
        cast(date_trunc('week', developer_daily.activity_date) as date) as week_start_date,
        count(distinct case when developer_daily.is_active_day then developer_daily.developer_id end)
            as active_developers,
        sum(developer_daily.reviews_given) as reviews_given,
        sum(developer_daily.issues_opened) as issues_opened,
        sum(developer_daily.issues_closed) as issues_closed
    from {{ ref('mart_developer_daily') }} as developer_daily
    inner join memberships
        on
            developer_daily.developer_id = memberships.developer_id
            and {{ is_member_on('memberships', 'developer_daily.activity_date') }}
    group by memberships.team_id, cast(date_trunc('week', developer_daily.activity_date) as date)

),

points_weekly as (

    select
        memberships.team_id,
        {{ local_bucket('work_items.completed_at', 'week') }} as week_start_date,
        sum(work_items.story_points) as story_points_completed
    from {{ ref('int_work_items_unioned') }} as work_items
    inner join memberships
        on
            work_items.author_developer_id = memberships.developer_id
            and {{ is_member_on('memberships', local_bucket('work_items.completed_at')) }}
    where work_items.is_completed and work_items.story_points is not null
    group by memberships.team_id, {{ local_bucket('work_items.completed_at', 'week') }}

),

weeks as (

    {{ date_series(
        '(select min(week_start_date) from people_weekly)',
        '(select greatest(max(week_start_date), ' ~ local_bucket(as_of(), 'week') ~ ') from people_weekly)',
        'week',
        'week_start_date'
    ) }}

),

team_weeks as (

    select
        teams.team_id,
        teams.team_slug,
        weeks.week_start_date,
        cast(weeks.week_start_date + 6 as date) as week_last_date,
        cast(weeks.week_start_date + 7 as timestamp) as week_end_at
    from {{ ref('dim_teams') }} as teams
    cross join weeks

),

open_at_week_end as (

    select
        team_weeks.team_id,
        team_weeks.week_start_date,
        count(*) as open_prs_at_week_end
    from team_weeks
    inner join memberships
        on
            team_weeks.team_id = memberships.team_id
            and {{ is_member_on('memberships', 'team_weeks.week_last_date') }}
    inner join pull_requests
        on
            memberships.developer_id = pull_requests.author_developer_id
            and pull_requests.ready_for_review_at_local < team_weeks.week_end_at
            and (pull_requests.closed_at_local is null or pull_requests.closed_at_local >= team_weeks.week_end_at)
    where not pull_requests.is_excluded
    group by team_weeks.team_id, team_weeks.week_start_date

),

final as (

    select
        team_weeks.team_id,
        team_weeks.team_slug,
        team_weeks.week_start_date,
        merged_weekly.cycle_time_p50,
        merged_weekly.cycle_time_p75,
        merged_weekly.cycle_time_p90,
        merged_weekly.coding_time_p50,
        merged_weekly.coding_time_p75,
        merged_weekly.coding_time_p90,
        merged_weekly.pickup_time_p50,
        merged_weekly.pickup_time_p75,
        merged_weekly.pickup_time_p90,
        merged_weekly.review_time_p50,
        merged_weekly.review_time_p75,
        merged_weekly.review_time_p90,
        merged_weekly.deploy_time_p50,
        merged_weekly.deploy_time_p75,
        merged_weekly.deploy_time_p90,
        merged_weekly.median_pr_size,
        merged_weekly.review_coverage,
        merged_weekly.merged_without_approval_rate,
        coalesce(people_weekly.active_developers, 0) as active_developers,
        coalesce(opened.prs_opened, 0) as prs_opened,
        coalesce(merged_weekly.prs_merged, 0) as prs_merged,
        case
            when people_weekly.active_developers > 0
                then coalesce(merged_weekly.flow_prs_merged, 0) * 1.0 / people_weekly.active_developers
        end as merged_per_active_developer,
        coalesce(merged_weekly.cycle_time_count, 0) as cycle_time_count,
        coalesce(merged_weekly.coding_time_count, 0) as coding_time_count,
        coalesce(merged_weekly.pickup_time_count, 0) as pickup_time_count,
        coalesce(merged_weekly.review_time_count, 0) as review_time_count,
        coalesce(merged_weekly.deploy_time_count, 0) as deploy_time_count,
        case
            when people_weekly.active_developers > 0
                then people_weekly.reviews_given * 1.0 / people_weekly.active_developers
        end as reviews_given_per_active_developer,
        coalesce(open_at_week_end.open_prs_at_week_end, 0) as open_prs_at_week_end,
        coalesce(points_weekly.story_points_completed, 0) as story_points_completed,
        coalesce(people_weekly.issues_opened, 0) as issues_opened,
        coalesce(people_weekly.issues_closed, 0) as issues_closed
    from team_weeks
    left join people_weekly
        on team_weeks.team_id = people_weekly.team_id and team_weeks.week_start_date = people_weekly.week_start_date
    left join opened
        on team_weeks.team_id = opened.team_id and team_weeks.week_start_date = opened.week_start_date
    left join merged_weekly
        on team_weeks.team_id = merged_weekly.team_id and team_weeks.week_start_date = merged_weekly.week_start_date
    left join open_at_week_end
        on
            team_weeks.team_id = open_at_week_end.team_id
            and team_weeks.week_start_date = open_at_week_end.week_start_date
    left join points_weekly
        on team_weeks.team_id = points_weekly.team_id and team_weeks.week_start_date = points_weekly.week_start_date

)

select
    cast(team_id as bigint) as team_id,
    cast(team_slug as varchar) as team_slug,
    cast(week_start_date as date) as week_start_date,
    cast(active_developers as bigint) as active_developers,
    cast(prs_opened as bigint) as prs_opened,
    cast(prs_merged as bigint) as prs_merged,
    cast(merged_per_active_developer as double precision) as merged_per_active_developer,
    cast(cycle_time_count as bigint) as cycle_time_count,
    cast(cycle_time_p50 as double precision) as cycle_time_p50,
    cast(cycle_time_p75 as double precision) as cycle_time_p75,
    cast(cycle_time_p90 as double precision) as cycle_time_p90,
    cast(coding_time_count as bigint) as coding_time_count,
    cast(coding_time_p50 as double precision) as coding_time_p50,
    cast(coding_time_p75 as double precision) as coding_time_p75,
    cast(coding_time_p90 as double precision) as coding_time_p90,
    cast(pickup_time_count as bigint) as pickup_time_count,
    cast(pickup_time_p50 as double precision) as pickup_time_p50,
    cast(pickup_time_p75 as double precision) as pickup_time_p75,
    cast(pickup_time_p90 as double precision) as pickup_time_p90,
    cast(review_time_count as bigint) as review_time_count,
    cast(review_time_p50 as double precision) as review_time_p50,
    cast(review_time_p75 as double precision) as review_time_p75,
    cast(review_time_p90 as double precision) as review_time_p90,
    cast(deploy_time_count as bigint) as deploy_time_count,
    cast(deploy_time_p50 as double precision) as deploy_time_p50,
    cast(deploy_time_p75 as double precision) as deploy_time_p75,
    cast(deploy_time_p90 as double precision) as deploy_time_p90,
    cast(median_pr_size as double precision) as median_pr_size,
    cast(review_coverage as double precision) as review_coverage,
    cast(merged_without_approval_rate as double precision) as merged_without_approval_rate,
    cast(reviews_given_per_active_developer as double precision) as reviews_given_per_active_developer,
    cast(open_prs_at_week_end as bigint) as open_prs_at_week_end,
    cast(story_points_completed as bigint) as story_points_completed,
    cast(issues_opened as bigint) as issues_opened,
    cast(issues_closed as bigint) as issues_closed
from final
