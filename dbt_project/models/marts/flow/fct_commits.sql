{#- One row per default-branch commit. Incremental: a run inserts commits it has not previous_build yet and
    re-computes previous_build commits whose author resolution (developer, bot flag) changed, e.g. after an
    edit of the identity_overrides or bot_logins seed; `--full-refresh` rebuilds the same rows. -#}
{{ config(materialized='incremental', unique_key='commit_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns') }}
{% set conventional_pattern %}^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\([^)]*\))?!?:{% endset %}
{% set hotfix_pattern %}(?i)\b(hotfix|hotfixes|hot-fix|hot fix|emergency|urgent)\b{% endset %}
{% set feature_pattern %}(?i)\b(feat|feature|features|add|adds|added|adding|implement|implements|implemented|introduce|introduces|introduced)\b{% endset %}
{% set issue_pattern %}#0*([1-9][0-9]*)\b{% endset %}

with

commits as (

    select
        repository_id,
        commit_sha,
        author_user_id,
        author_email,
        authored_at,
        committed_at,
        is_merge_commit,
        message,
        cast(repository_id as varchar) || ':' || commit_sha as commit_id,
        lower(coalesce(author_email, '')) as author_email_key,
        coalesce(additions, 0) as additions,
        coalesce(deletions, 0) as deletions,
        coalesce(changed_files, 0) as changed_files,
        split_part(message, chr(10), 1) as message_headline
    from {{ ref('stg_github__commits') }}

),

resolved as (

    select
        commits.*,
        case
            when commits.author_user_id is not null then 'user:' || cast(commits.author_user_id as varchar)
            else authors.developer_id
        end as developer_id
    from commits
    left join {{ ref('int_commit_authors_linked') }} as authors
        on commits.author_email_key = authors.author_email

),

with_developer as (

    select
        resolved.*,
        coalesce(developers.is_bot, false) as is_bot
    from resolved
    left join {{ ref('int_developers_resolved') }} as developers
        on resolved.developer_id = developers.developer_id
    {% if is_incremental() %}
        left join {{ this }} as previous_build on resolved.commit_id = previous_build.commit_id
        where
            previous_build.commit_id is null
            or previous_build.developer_id <> resolved.developer_id
            or previous_build.is_bot <> coalesce(developers.is_bot, false)
    {% endif %}

),

parsed as (

    select
        *,
        additions + deletions as changed_lines,
        {{ regex_extract('lower(message_headline)', conventional_pattern, 1) }} as conventional_type,
        {{ regex_matches('message_headline', hotfix_pattern) }} as is_hotfix_word,
        {{ regex_matches('message_headline', feature_pattern) }} as is_feature_word
    from with_developer

)

select
    commit_id,
    repository_id,
    commit_sha,
    developer_id,
    author_user_id,
    author_email,
    authored_at,
    committed_at,
    additions,
    deletions,
    changed_lines,
    changed_files,
    is_merge_commit,
    conventional_type,
    {{ regex_extract_all_json('message', issue_pattern) }} as linked_issue_numbers,
    is_hotfix_word as is_hotfix,
    coalesce(conventional_type = 'feat', false) or is_feature_word as is_feature,
    cast((least(changed_files / 10.0, 1.0) + least(changed_lines / 500.0, 1.0)) / 2.0 as float8) as complexity_score,
    cast(least(deletions / 200.0, 1.0) as float8) as impact_score,
    is_bot,
    message_headline
from parsed
