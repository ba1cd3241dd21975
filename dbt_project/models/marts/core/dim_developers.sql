select
    developer_id,
    user_id,
    login,
    display_name,
    is_bot,
    is_ghost,
    is_linked,
    first_seen_at
from {{ ref('int_developers_resolved') }}
