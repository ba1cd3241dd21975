select
    team_id,
    team_slug,
    team_name,
    parent_team_id,
    parent_team_slug
from {{ ref('stg_github__teams') }}
