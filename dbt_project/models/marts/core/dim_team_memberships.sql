select
    team_membership_id,
    team_id,
    team_slug,
    developer_id,
    login,
    valid_from,
    valid_to,
    source
from {{ ref('int_team_memberships_dated') }}
