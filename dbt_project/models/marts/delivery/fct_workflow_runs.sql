select
    workflow_run_id,
    repository_id,
    workflow_name,
    trigger_event,
    status,
    conclusion,
    coalesce(conclusion = 'success', false) as is_success,
    created_at,
    run_started_at,
    updated_at,
    case when status = 'completed' then {{ hours_between('run_started_at', 'updated_at') }} end as duration
from {{ ref('stg_github__workflow_runs') }}
