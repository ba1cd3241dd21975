with

source as (

    select * from {{ source('github', 'pull_request_commits') }}

),

renamed as (

    select
        pull_request_id,
        repository_id,
        pull_request_number,
        sha as commit_sha,
        message,
        cast(authored_at at time zone 'UTC' as timestamp) as authored_at,
        cast(committed_at at time zone 'UTC' as timestamp) as committed_at,
        author_name,
        author_email,
        author_user_id,
        author_login,
        committer_name,
        committer_email,
        committer_user_id,
        committer_login,
        additions,
        deletions,
        changed_files,
        parent_count,
        cast(parent_shas as varchar) as parent_shas,
        coalesce(parent_count, 0) > 1 as is_merge_commit
    from source

)

select * from renamed
