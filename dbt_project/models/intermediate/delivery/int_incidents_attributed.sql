{#- One row per incident (an issue carrying a label in var('incident_labels')), attributed to the
    latest successful production deployment of the same repository that finished before the
    incident was opened (none when no such deployment exists). -#}

with

incidents as (

    select
        issues.issue_id as incident_id,
        issues.repository_id,
        issues.issue_number,
        issues.created_at as opened_at,
        case when issues.state = 'closed' then issues.closed_at end as resolved_at
    from {{ ref('stg_github__issues') }} as issues
    where exists (
        select 1
        from {{ ref('int_labels_parsed') }} as labels
        where
            labels.object_type = 'issue'
            and labels.object_id = issues.issue_id
            and labels.is_incident_label
    )

),

candidates as (

    select
        incidents.incident_id,
        deployments.deployment_id,
        deployments.finished_at,
        row_number() over (
            partition by incidents.incident_id
            order by deployments.finished_at desc, deployments.deployment_id desc
        ) as recency_rank
    from incidents
    inner join {{ ref('int_deployments_finished') }} as deployments
        on
            incidents.repository_id = deployments.repository_id
            and incidents.opened_at > deployments.finished_at
    where deployments.is_production and deployments.is_successful

)

select
    incidents.incident_id,
    incidents.repository_id,
    incidents.issue_number,
    incidents.opened_at,
    incidents.resolved_at,
    candidates.deployment_id as attributed_deployment_id,
    candidates.finished_at as attributed_deployment_finished_at,
    {{ hours_between('candidates.finished_at', 'incidents.resolved_at') }} as recovery_time
from incidents
left join candidates
    on incidents.incident_id = candidates.incident_id and candidates.recency_rank = 1
