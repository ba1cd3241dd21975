with

source as (

    select * from {{ source('github', 'pull_requests') }}

),

renamed as (

    select
        id as pull_request_id,
        node_id,
        repository_id,
        repository as repository_full_name,
        number as pull_request_number,
        title,
        body,
        state,
        is_draft,
        is_locked,
        cast(created_at at time zone 'UTC' as timestamp) as created_at,
        cast(updated_at at time zone 'UTC' as timestamp) as updated_at,
        cast(closed_at at time zone 'UTC' as timestamp) as closed_at,
        cast(merged_at at time zone 'UTC' as timestamp) as merged_at,
        author_id as author_user_id,
        author_login,
        author_type,
        merged_by_id as merged_by_user_id,
        merged_by_login,
        merged_by_type,
        additions,
        deletions,
        changed_files,
        commits_count,
        head_ref,
        base_ref,
        head_sha,
        base_sha,
        merge_commit_sha,
        merge_commit_parent_count,
        milestone_number,
        cast(labels as varchar) as labels
    from source

)

select * from renamed
