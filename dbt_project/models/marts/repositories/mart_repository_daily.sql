{#- Repository x day on a calendar spine, zero-filled from the repository's first day with any
    activity to the as_of date. Raw activity of everyone (bots included): a repository's
    activity is what happened in it.
    Incremental: every run computes all rows, but writes only the new or changed ones (the
    `except`), replacing them by key, so the table equals a `--full-refresh` build. -#}
{{ config(
    materialized='incremental',
    unique_key=['repository_id', 'activity_date'],
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}
with

events as (

    select
        repository_id,
        {{ local_bucket('authored_at') }} as activity_date,
        1 as commits,
        0 as prs_opened,
        0 as prs_merged,
        0 as prs_closed_unmerged,
        0 as issues_opened,
        0 as issues_closed,
        0 as deployments,
        0 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_commits') }}

    union all

    select
        repository_id,
        {{ local_bucket('opened_at') }} as activity_date,
        0 as commits,
        1 as prs_opened,
        0 as prs_merged,
        0 as prs_closed_unmerged,
        0 as issues_opened,
        0 as issues_closed,
        0 as deployments,
        0 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_pull_requests') }}

    union all

    select
        repository_id,
        {{ local_bucket('merged_at') }} as activity_date,
        0 as commits,
        0 as prs_opened,
        1 as prs_merged,
        0 as prs_closed_unmerged,
        0 as issues_opened,
        0 as issues_closed,
        0 as deployments,
        0 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_pull_requests') }}
    where merged_at is not null

    union all

    select
        repository_id,
        {{ local_bucket('closed_at') }} as activity_date,
        0 as commits,
        0 as prs_opened,
        0 as prs_merged,
        1 as prs_closed_unmerged,
        0 as issues_opened,
        0 as issues_closed,
        0 as deployments,
        0 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_pull_requests') }}
    where closed_at is not null and merged_at is null

    union all

    select
        repository_id,
        {{ local_bucket('created_at') }} as activity_date,
        0 as commits,
        0 as prs_opened,
        0 as prs_merged,
        0 as prs_closed_unmerged,
        1 as issues_opened,
        0 as issues_closed,
        0 as deployments,
        0 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_issues') }}

    union all

    select
        repository_id,
        {{ local_bucket('closed_at') }} as activity_date,
        0 as commits,
        0 as prs_opened,
        0 as prs_merged,
        0 as prs_closed_unmerged,
        0 as issues_opened,
        1 as issues_closed,
        0 as deployments,
        0 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_issues') }}
    where closed_at is not null

    union all

    select
        repository_id,
        {{ local_bucket('created_at') }} as activity_date,
        0 as commits,
        0 as prs_opened,
        0 as prs_merged,
        0 as prs_closed_unmerged,
        0 as issues_opened,
        0 as issues_closed,
        1 as deployments,
        0 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_deployments') }}

    union all

    select
        repository_id,
        {{ local_bucket('finished_at') }} as activity_date,
        0 as commits,
        0 as prs_opened,
        0 as prs_merged,
        0 as prs_closed_unmerged,
        0 as issues_opened,
        0 as issues_closed,
        0 as deployments,
        1 as successful_production_deployments,
        0 as workflow_runs,
        0 as completed_workflow_runs,
        0 as successful_workflow_runs
    from {{ ref('fct_deployments') }}
    where is_production and is_successful and finished_at is not null

    union all

    select
        repository_id,
        {{ local_bucket('created_at') }} as activity_date,
        0 as commits,
        0 as prs_opened,
        0 as prs_merged,
        0 as prs_closed_unmerged,
        0 as issues_opened,
        0 as issues_closed,
        0 as deployments,
        0 as successful_production_deployments,
        1 as workflow_runs,
        case when conclusion is not null then 1 else 0 end as completed_workflow_runs,
        case when conclusion is not null and is_success then 1 else 0 end as successful_workflow_runs
    from {{ ref('fct_workflow_runs') }}

),

daily as (

    select
        repository_id,
        activity_date,
        sum(commits) as commits,
        sum(prs_opened) as prs_opened,
        sum(prs_merged) as prs_merged,
        sum(prs_closed_unmerged) as prs_closed_unmerged,
        sum(issues_opened) as issues_opened,
        sum(issues_closed) as issues_closed,
        sum(deployments) as deployments,
        sum(successful_production_deployments) as successful_production_deployments,
        sum(workflow_runs) as workflow_runs,
        sum(completed_workflow_runs) as completed_workflow_runs,
        sum(successful_workflow_runs) as successful_workflow_runs
    from events
    group by repository_id, activity_date

),

spine as (

    {{ date_series(
        '(select min(activity_date) from daily)',
        '(select greatest(max(activity_date), ' ~ local_bucket(as_of()) ~ ') from daily)',
        'day',
        'activity_date'
    ) }}

),

first_activity as (

    select
        repository_id,
        min(activity_date) as first_activity_date
    from daily
    group by repository_id

),

final as (

    select
        repositories.repository_id,
        repositories.repository_full_name,
        spine.activity_date,
        coalesce(daily.commits, 0) as commits,
        coalesce(daily.prs_opened, 0) as prs_opened,
        coalesce(daily.prs_merged, 0) as prs_merged,
        coalesce(daily.prs_closed_unmerged, 0) as prs_closed_unmerged,
        coalesce(daily.issues_opened, 0) as issues_opened,
        coalesce(daily.issues_closed, 0) as issues_closed,
        coalesce(daily.deployments, 0) as deployments,
        coalesce(daily.successful_production_deployments, 0) as successful_production_deployments,
        coalesce(daily.workflow_runs, 0) as workflow_runs,
        case
            when daily.completed_workflow_runs > 0
                then daily.successful_workflow_runs * 1.0 / daily.completed_workflow_runs
        end as workflow_success_rate
    from {{ ref('dim_repositories') }} as repositories
    inner join first_activity on repositories.repository_id = first_activity.repository_id
    inner join spine on first_activity.first_activity_date <= spine.activity_date
    left join daily
        on repositories.repository_id = daily.repository_id and spine.activity_date = daily.activity_date

),

rows_now as (

    select
        cast(repository_id as bigint) as repository_id,
        cast(repository_full_name as varchar) as repository_full_name,
        cast(activity_date as date) as activity_date,
        cast(commits as bigint) as commits,
        cast(prs_opened as bigint) as prs_opened,
        cast(prs_merged as bigint) as prs_merged,
        cast(prs_closed_unmerged as bigint) as prs_closed_unmerged,
        cast(issues_opened as bigint) as issues_opened,
        cast(issues_closed as bigint) as issues_closed,
        cast(deployments as bigint) as deployments,
        cast(successful_production_deployments as bigint) as successful_production_deployments,
        cast(workflow_runs as bigint) as workflow_runs,
        cast(workflow_success_rate as double precision) as workflow_success_rate
    from final

)

select * from rows_now
{% if is_incremental() %}
    except
    select
        repository_id,
        repository_full_name,
        activity_date,
        commits,
        prs_opened,
        prs_merged,
        prs_closed_unmerged,
        issues_opened,
        issues_closed,
        deployments,
        successful_production_deployments,
        workflow_runs,
        workflow_success_rate
    from {{ this }}
{% endif %}
