{#- DORA (2023) per scope x month, scopes being each repository, each team and the whole
    organisation (which counts each deployment and pull request once). A team's deployments are
    the successful production deployments that delivered a non-excluded pull request authored
    by a member (on the deployment date); a team's lead times are its members' pull requests;
    its incidents are those attributed to its deployments. -#}
with

memberships as (

    {{ human_team_memberships() }}

),

deployments as (

    select
        deployment_id,
        repository_id,
        finished_at,
        {{ local_bucket('finished_at') }} as deployed_date
    from {{ ref('fct_deployments') }}
    where is_production and is_successful and finished_at is not null

),

flow_pull_requests as (

    select
        pull_request_id,
        repository_id,
        author_developer_id,
        deployed_at,
        lead_time_for_changes,
        {{ local_bucket('merged_at') }} as merged_date
    from {{ ref('fct_pull_requests') }}
    where merged_at is not null and not is_excluded

),

scopes as (

    select
        'repository' as scope_type,
        cast(repository_id as varchar) as scope_id,
        repository_full_name as scope_name
    from {{ ref('dim_repositories') }}

    union all

    select
        'team' as scope_type,
        cast(team_id as varchar) as scope_id,
        team_slug as scope_name
    from {{ ref('dim_teams') }}

    union all

    select
        'organization' as scope_type,
        'organization' as scope_id,
        'organization' as scope_name

),

delivered as materialized (

    {#- Which authors each deployment delivered. Materialized so the planner joins deployments to
        their pull requests before memberships: with the membership range condition first, DuckDB
        chose a deployments x memberships nested-loop join (170M rows and 48 s at scale 100). -#}
    select distinct
        deployments.deployment_id,
        deployments.deployed_date,
        flow_pull_requests.author_developer_id
    from deployments
    inner join flow_pull_requests
        on
            deployments.repository_id = flow_pull_requests.repository_id
            and deployments.finished_at = flow_pull_requests.deployed_at

),

scoped_deployments as (

    select
        'repository' as scope_type,
        cast(repository_id as varchar) as scope_id,
        deployment_id,
        deployed_date
    from deployments

    union all

    select distinct
        'team' as scope_type,
        cast(memberships.team_id as varchar) as scope_id,
        delivered.deployment_id,
        delivered.deployed_date
    from delivered
    inner join memberships
        on
            delivered.author_developer_id = memberships.developer_id
            and {{ is_member_on('memberships', 'delivered.deployed_date') }}

    union all

    select
        'organization' as scope_type,
        'organization' as scope_id,
        deployment_id,
        deployed_date
    from deployments

),

scoped_pull_requests as (

    select
        'repository' as scope_type,
        cast(repository_id as varchar) as scope_id,
        merged_date,
        lead_time_for_changes
    from flow_pull_requests

    union all

    select
        'team' as scope_type,
        cast(memberships.team_id as varchar) as scope_id,
        flow_pull_requests.merged_date,
        flow_pull_requests.lead_time_for_changes
    from flow_pull_requests
    inner join memberships
        on
            flow_pull_requests.author_developer_id = memberships.developer_id
            and {{ is_member_on('memberships', 'flow_pull_requests.merged_date') }}

    union all

    select
        'organization' as scope_type,
        'organization' as scope_id,
        merged_date,
        lead_time_for_changes
    from flow_pull_requests

),

incidents as (

    select
        attributed_deployment_id,
        recovery_time
    from {{ ref('fct_incidents') }}
    where attributed_deployment_id is not null

),

failed_deployments as (

    select distinct attributed_deployment_id as deployment_id
    from incidents

),

bounds as (

    select
        least(
            (select min(cast(date_trunc('week', deployed_date) as date)) from deployments),
            (select min(cast(date_trunc('week', merged_date) as date)) from flow_pull_requests)
        ) as first_week_start_date

),

weeks as (

    {{ date_series(
        '(select first_week_start_date from bounds)',
        local_bucket(as_of(), 'week'),
        'week',
        'week_start_date'
    ) }}

),

months as (

    {#- Months end with the month of the last week's Monday (a week belongs to the month of
        its Monday), so an as_of on a month's first day adds no empty month. -#}
    {{ date_series(
        "(select cast(date_trunc('month', first_week_start_date) as date) from bounds)",
        "cast(date_trunc('month', " ~ local_bucket(as_of(), 'week') ~ ") as date)",
        'month',
        'month_start_date'
    ) }}

),

weekly_deployment_days as (

    select
        scopes.scope_type,
        scopes.scope_id,
        weeks.week_start_date,
        cast(date_trunc('month', weeks.week_start_date) as date) as month_start_date,
        count(distinct scoped_deployments.deployed_date) as deployment_days
    from scopes
    cross join weeks
    left join scoped_deployments
        on
            scopes.scope_type = scoped_deployments.scope_type
            and scopes.scope_id = scoped_deployments.scope_id
            and cast(date_trunc('week', scoped_deployments.deployed_date) as date) = weeks.week_start_date
    group by scopes.scope_type, scopes.scope_id, weeks.week_start_date

),

frequency as (

    select
        scope_type,
        scope_id,
        month_start_date,
        count(*) as weeks_in_month,
        {{ percentile('cast(deployment_days as double precision)', 0.5) }} as deployment_frequency
    from weekly_deployment_days
    group by scope_type, scope_id, month_start_date

),

scope_months as (

    select
        scopes.scope_type,
        scopes.scope_id,
        scopes.scope_name,
        months.month_start_date
    from scopes
    cross join months

),

monthly_deployments as (

    select
        scoped_deployments.scope_type,
        scoped_deployments.scope_id,
        cast(date_trunc('month', scoped_deployments.deployed_date) as date) as month_start_date,
        count(*) as deployments,
        count(distinct scoped_deployments.deployed_date) as deployment_days,
        count(failed_deployments.deployment_id) as failed_deployments
    from scoped_deployments
    left join failed_deployments on scoped_deployments.deployment_id = failed_deployments.deployment_id
    group by
        scoped_deployments.scope_type,
        scoped_deployments.scope_id,
        cast(date_trunc('month', scoped_deployments.deployed_date) as date)

),

monthly_recovery as (

    select
        scoped_deployments.scope_type,
        scoped_deployments.scope_id,
        cast(date_trunc('month', scoped_deployments.deployed_date) as date) as month_start_date,
        count(incidents.recovery_time) as recovery_time_count,
        {{ percentile('incidents.recovery_time', 0.5) }} as recovery_time_p50,
        {{ percentile('incidents.recovery_time', 0.75) }} as recovery_time_p75,
        {{ percentile('incidents.recovery_time', 0.9) }} as recovery_time_p90
    from scoped_deployments
    inner join incidents on scoped_deployments.deployment_id = incidents.attributed_deployment_id
    group by
        scoped_deployments.scope_type,
        scoped_deployments.scope_id,
        cast(date_trunc('month', scoped_deployments.deployed_date) as date)

),

monthly_lead_time as (

    select
        scope_type,
        scope_id,
        cast(date_trunc('month', merged_date) as date) as month_start_date,
        count(lead_time_for_changes) as lead_time_for_changes_count,
        {{ percentile('lead_time_for_changes', 0.5) }} as lead_time_for_changes_p50,
        {{ percentile('lead_time_for_changes', 0.75) }} as lead_time_for_changes_p75,
        {{ percentile('lead_time_for_changes', 0.9) }} as lead_time_for_changes_p90
    from scoped_pull_requests
    group by scope_type, scope_id, cast(date_trunc('month', merged_date) as date)

),

final as (

    select
        scope_months.scope_type,
        scope_months.scope_id,
        scope_months.scope_name,
        scope_months.month_start_date,
        monthly_lead_time.lead_time_for_changes_p50,
        monthly_lead_time.lead_time_for_changes_p75,
        monthly_lead_time.lead_time_for_changes_p90,
        monthly_recovery.recovery_time_p50 as failed_deployment_recovery_time_p50,
        monthly_recovery.recovery_time_p75 as failed_deployment_recovery_time_p75,
        monthly_recovery.recovery_time_p90 as failed_deployment_recovery_time_p90,
        coalesce(frequency.weeks_in_month, 0) as weeks_in_month,
        coalesce(frequency.deployment_frequency, 0) as deployment_frequency,
        coalesce(monthly_deployments.deployments, 0) as deployments,
        coalesce(monthly_deployments.deployment_days, 0) as deployment_days,
        case
            when coalesce(frequency.deployment_frequency, 0) >= 5 then 'elite'
            when coalesce(frequency.deployment_frequency, 0) >= 1 then 'high'
            when monthly_deployments.deployment_days >= 1 then 'medium'
            else 'low'
        end as deployment_frequency_band,
        coalesce(monthly_lead_time.lead_time_for_changes_count, 0) as lead_time_for_changes_count,
        coalesce(monthly_deployments.failed_deployments, 0) as failed_deployments,
        case
            when monthly_deployments.deployments > 0
                then monthly_deployments.failed_deployments * 1.0 / monthly_deployments.deployments
        end as change_failure_rate,
        coalesce(monthly_recovery.recovery_time_count, 0) as failed_deployment_recovery_time_count
    from scope_months
    left join frequency
        on
            scope_months.scope_type = frequency.scope_type
            and scope_months.scope_id = frequency.scope_id
            and scope_months.month_start_date = frequency.month_start_date
    left join monthly_deployments
        on
            scope_months.scope_type = monthly_deployments.scope_type
            and scope_months.scope_id = monthly_deployments.scope_id
            and scope_months.month_start_date = monthly_deployments.month_start_date
    left join monthly_lead_time
        on
            scope_months.scope_type = monthly_lead_time.scope_type
            and scope_months.scope_id = monthly_lead_time.scope_id
            and scope_months.month_start_date = monthly_lead_time.month_start_date
    left join monthly_recovery
        on
            scope_months.scope_type = monthly_recovery.scope_type
            and scope_months.scope_id = monthly_recovery.scope_id
            and scope_months.month_start_date = monthly_recovery.month_start_date

)

select
    cast(scope_type as varchar) as scope_type,
    cast(scope_id as varchar) as scope_id,
    cast(scope_name as varchar) as scope_name,
    cast(month_start_date as date) as month_start_date,
    cast(weeks_in_month as bigint) as weeks_in_month,
    cast(deployments as bigint) as deployments,
    cast(deployment_days as bigint) as deployment_days,
    cast(deployment_frequency as double precision) as deployment_frequency,
    cast(deployment_frequency_band as varchar) as deployment_frequency_band,
    cast(lead_time_for_changes_count as bigint) as lead_time_for_changes_count,
    cast(lead_time_for_changes_p50 as double precision) as lead_time_for_changes_p50,
    cast(lead_time_for_changes_p75 as double precision) as lead_time_for_changes_p75,
    cast(lead_time_for_changes_p90 as double precision) as lead_time_for_changes_p90,
    cast(failed_deployments as bigint) as failed_deployments,
    cast(change_failure_rate as double precision) as change_failure_rate,
    cast(failed_deployment_recovery_time_count as bigint) as failed_deployment_recovery_time_count,
    cast(failed_deployment_recovery_time_p50 as double precision) as failed_deployment_recovery_time_p50,
    cast(failed_deployment_recovery_time_p75 as double precision) as failed_deployment_recovery_time_p75,
    cast(failed_deployment_recovery_time_p90 as double precision) as failed_deployment_recovery_time_p90
from final
