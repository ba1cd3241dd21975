{#- Repository x quarter: the CHAOSS contributor absence factor, the smallest number of
    developers whose commits cover at least 50% of the quarter's commits. People only (bot
    commits left out) and merge commits left out (they carry no authored change). Developers
    are ranked by commits, ties broken by developer_id so the result is deterministic. -#}
with

commits as (

    select
        commits.repository_id,
        commits.developer_id,
        {{ local_bucket('commits.authored_at', 'quarter') }} as quarter_start_date
    from {{ ref('fct_commits') }} as commits
    inner join {{ ref('dim_developers') }} as developers
        on commits.developer_id = developers.developer_id
    where not developers.is_bot and not commits.is_merge_commit

),

per_developer as (

    select
        repository_id,
        quarter_start_date,
        developer_id,
        count(*) as commits
    from commits
    group by repository_id, quarter_start_date, developer_id

),

ranked as (

    select
        repository_id,
        quarter_start_date,
        developer_id,
        commits,
        row_number() over contribution_order as contributor_rank,
        sum(commits) over (
            partition by repository_id, quarter_start_date
            order by commits desc, developer_id asc
            rows between unbounded preceding and current row
        ) as cumulative_commits,
        sum(commits) over (partition by repository_id, quarter_start_date) as total_commits
    from per_developer
    window contribution_order as (
        partition by repository_id, quarter_start_date
        order by commits desc, developer_id asc
    )

),

final as (

    select
        ranked.repository_id,
        repositories.repository_full_name,
        ranked.quarter_start_date,
        max(ranked.total_commits) as commits,
        count(*) as contributors,
        min(case when ranked.cumulative_commits * 2 >= ranked.total_commits then ranked.contributor_rank end)
            as bus_factor,
        min(
            case
                when ranked.cumulative_commits * 2 >= ranked.total_commits
                    then ranked.cumulative_commits * 1.0 / ranked.total_commits
            end
        ) as bus_factor_commit_share
    from ranked
    left join {{ ref('dim_repositories') }} as repositories on ranked.repository_id = repositories.repository_id
    group by ranked.repository_id, repositories.repository_full_name, ranked.quarter_start_date

)

select
    cast(repository_id as bigint) as repository_id,
    cast(repository_full_name as varchar) as repository_full_name,
    cast(quarter_start_date as date) as quarter_start_date,
    cast(commits as bigint) as commits,
    cast(contributors as bigint) as contributors,
    cast(bus_factor as bigint) as bus_factor,
    cast(bus_factor_commit_share as double precision) as bus_factor_commit_share
from final
