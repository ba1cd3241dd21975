{% set ghost_user_id = 10137 %}

with

labels as (

    select
        object_id as issue_id,
        max(story_points) as story_points,
        max(case when is_incident_label then 1 else 0 end) = 1 as is_incident
    from {{ ref('int_labels_parsed') }}
    where object_type = 'issue'
    group by object_id

)

select
    issues.issue_id,
    issues.repository_id,
    issues.issue_number,
    'user:' || cast(coalesce(issues.author_user_id, {{ ghost_user_id }}) as varchar) as author_developer_id,
    issues.created_at,
    issues.closed_at,
    issues.state,
    issues.state_reason,
    coalesce(labels.is_incident, false) as is_incident,
    labels.story_points,
    issues.milestone_number,
    issues.labels
from {{ ref('stg_github__issues') }} as issues
left join labels on issues.issue_id = labels.issue_id
