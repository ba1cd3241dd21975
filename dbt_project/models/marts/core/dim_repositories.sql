select
    repository_id,
    repository_full_name,
    repository_name,
    owner,
    default_branch,
    is_private,
    is_fork,
    is_archived,
    primary_language,
    created_at,
    pushed_at
from {{ ref('stg_github__repositories') }}
