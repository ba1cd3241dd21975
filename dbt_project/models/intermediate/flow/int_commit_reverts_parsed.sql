{#- One row per default-branch commit whose message says `This reverts commit <sha>.`, with the
    (possibly abbreviated) sha it names: a pull request is reverted when this names its merge commit. -#}
{% set revert_pattern %}This reverts commit ([0-9a-fA-F]{7,40}){% endset %}

select
    repository_id,
    commit_sha as reverting_commit_sha,
    committed_at as reverted_at,
    lower({{ regex_extract('message', revert_pattern, 1) }}) as reverted_commit_sha
from {{ ref('stg_github__commits') }}
where message like '%This reverts commit %'
