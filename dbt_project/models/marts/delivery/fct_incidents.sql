select
    incident_id,
    repository_id,
    issue_number,
    opened_at,
    resolved_at,
    attributed_deployment_id,
    recovery_time
from {{ ref('int_incidents_attributed') }}
