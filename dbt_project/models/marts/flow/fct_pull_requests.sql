{#- One row per pull request: the METRICS.md timeline, its derived durations (hours) and review shape.

    Incremental (delete+insert on pull_request_id). A run re-computes, from the full upstream data:
    pull requests whose API updated_at is later than the newest updated_at previous_build (GitHub moves
    updated_at on every review, comment, commit, label or state change, so late changes to a PR and
    to its child rows are caught); pull requests not previous_build yet; merged pull requests still without
    deployed_at (a deployment may have finished since); and merged pull requests not yet flagged
    reverted whose merge commit a revert now names. Seed or var changes need `--full-refresh`,
    which gives the same rows. -#}
{{ config(materialized='incremental', unique_key='pull_request_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns') }}
{% set ghost_user_id = 10137 %}

with

reverts as (

    select
        repository_id,
        reverted_commit_sha
    from {{ ref('int_commit_reverts_parsed') }}
    where reverted_commit_sha is not null

),

{% if is_incremental() %}
    to_process as (

        select staged.pull_request_id
        from {{ ref('stg_github__pull_requests') }} as staged
        where staged.updated_at > (select max(previous_build.updated_at) from {{ this }} as previous_build)

        union

        select staged.pull_request_id
        from {{ ref('stg_github__pull_requests') }} as staged
        left join {{ this }} as previous_build on staged.pull_request_id = previous_build.pull_request_id
        where previous_build.pull_request_id is null

        union

        select pull_request_id
        from {{ this }}
        where is_merged and deployed_at is null

        union

        select previous_build.pull_request_id
        from {{ this }} as previous_build
        inner join reverts
            on
                previous_build.repository_id = reverts.repository_id
                and previous_build.merge_commit_sha like reverts.reverted_commit_sha || '%'
        where not previous_build.is_reverted

    ),
{% endif %}

pull_requests as (

    select staged.*
    from {{ ref('stg_github__pull_requests') }} as staged
    {% if is_incremental() %}
        where staged.pull_request_id in (select to_process.pull_request_id from to_process)
    {% endif %}

),

developers as (

    select
        developer_id,
        is_bot
    from {{ ref('int_developers_resolved') }}

),

story_points as (

    select
        object_id as pull_request_id,
        max(story_points) as story_points
    from {{ ref('int_labels_parsed') }}
    where object_type = 'pull_request'
    group by object_id

),

reverted as (

    select distinct pull_requests.pull_request_id
    from pull_requests
    inner join reverts
        on
            pull_requests.repository_id = reverts.repository_id
            and pull_requests.merge_commit_sha like reverts.reverted_commit_sha || '%'

),

joined as (

    select
        pull_requests.pull_request_id,
        pull_requests.repository_id,
        pull_requests.pull_request_number,
        pull_requests.title,
        'user:' || cast(coalesce(pull_requests.author_user_id, {{ ghost_user_id }}) as varchar) as author_developer_id,
        coalesce(pull_requests.author_user_id, {{ ghost_user_id }}) as author_user_id,
        coalesce(pull_requests.author_login, 'ghost') as author_login,
        coalesce(developers.is_bot, false) as is_bot_author,
        coalesce({{ regex_matches('pull_requests.title', var('exclude_pr_title_regex')) }}, false) as is_excluded,
        coalesce(pull_requests.is_draft, false) as is_draft,
        case
            when pull_requests.merged_at is not null then 'merged'
            when pull_requests.state = 'closed' then 'closed'
            else 'open'
        end as state,
        timelines.first_commit_at,
        timelines.opened_at,
        timelines.ready_for_review_at,
        timelines.first_review_requested_at,
        timelines.first_response_at,
        timelines.first_review_at,
        timelines.first_approval_at,
        pull_requests.merged_at,
        pull_requests.closed_at,
        deployed.deployed_at,
        coalesce(pull_requests.additions, 0) as additions,
        coalesce(pull_requests.deletions, 0) as deletions,
        coalesce(pull_requests.additions, 0) + coalesce(pull_requests.deletions, 0) as changed_lines,
        coalesce(pull_requests.changed_files, 0) as changed_files,
        coalesce(pull_requests.commits_count, 0) as commits_count,
        timelines.reviews_count,
        timelines.review_comments_count,
        timelines.distinct_human_reviewers,
        timelines.approvals_count,
        timelines.changes_requested_count,
        pull_requests.merged_at is not null as is_merged,
        pull_requests.merged_by_user_id,
        reverted.pull_request_id is not null as is_reverted,
        pull_requests.merge_commit_sha,
        pull_requests.milestone_number,
        story_points.story_points,
        pull_requests.labels,
        pull_requests.updated_at
    from pull_requests
    left join developers
        on
            'user:' || cast(coalesce(pull_requests.author_user_id, {{ ghost_user_id }}) as varchar)
            = developers.developer_id
    left join {{ ref('int_pull_request_timelines_derived') }} as timelines
        on pull_requests.pull_request_id = timelines.pull_request_id
    left join {{ ref('int_pull_requests_deployed') }} as deployed
        on pull_requests.pull_request_id = deployed.pull_request_id
    left join story_points on pull_requests.pull_request_id = story_points.pull_request_id
    left join reverted on pull_requests.pull_request_id = reverted.pull_request_id

)

select
    pull_request_id,
    repository_id,
    pull_request_number,
    title,
    author_developer_id,
    author_user_id,
    author_login,
    is_bot_author,
    is_excluded,
    is_draft,
    state,
    first_commit_at,
    opened_at,
    ready_for_review_at,
    first_review_requested_at,
    first_response_at,
    first_review_at,
    first_approval_at,
    merged_at,
    closed_at,
    deployed_at,
    {{ hours_between('first_commit_at', 'ready_for_review_at') }} as coding_time,
    {{ hours_between('ready_for_review_at', 'first_response_at') }} as pickup_time,
    {{ hours_between('first_response_at', 'merged_at') }} as review_time,
    {{ hours_between('ready_for_review_at', 'merged_at') }} as time_to_merge,
    {{ hours_between('merged_at', 'deployed_at') }} as deploy_time,
    {{ hours_between('coalesce(first_commit_at, opened_at)', 'merged_at') }} as cycle_time,
    {{ hours_between('first_commit_at', 'deployed_at') }} as lead_time_for_changes,
    additions,
    deletions,
    changed_lines,
    changed_files,
    commits_count,
    case
        when changed_lines <= 10 then 'XS'
        when changed_lines <= 100 then 'S'
        when changed_lines <= 400 then 'M'
        when changed_lines <= 1000 then 'L'
        else 'XL'
    end as size_bucket,
    reviews_count,
    review_comments_count,
    distinct_human_reviewers,
    approvals_count,
    changes_requested_count,
    is_merged,
    is_merged and (first_approval_at is null or first_approval_at > merged_at) as is_merged_without_approval,
    is_merged and coalesce(merged_by_user_id = author_user_id, false) as is_self_merged,
    is_reverted,
    merge_commit_sha,
    milestone_number,
    story_points,
    labels,
    updated_at
from joined
