{#- Team x week: the digest text and the figures it quotes. The figures are this mart's
    columns from mart_team_weekly (the numbers the digest is written from); `quoted_figures`
    is what the digest writer recorded it quoted. Every team-week has a row; digest columns
    are null and enrichment_provider 'none' until a digest exists. -#}
with

digests as (

    select
        *,
        row_number() over (
            partition by team_id, week_start_date order by enriched_at desc, content_hash asc
        ) as recency_rank
    from {{ source('enrichment', 'weekly_digests') }}

),

final as (

    select
        weekly.team_id,
        weekly.team_slug,
        weekly.week_start_date,
        weekly.active_developers,
        weekly.prs_merged,
        weekly.cycle_time_p50,
        weekly.cycle_time_p90,
        weekly.pickup_time_p50,
        weekly.review_coverage,
        weekly.merged_without_approval_rate,
        weekly.open_prs_at_week_end,
        weekly.story_points_completed,
        digests.digest_text,
        digests.figures as quoted_figures,
        digests.enrichment_model,
        digests.prompt_version,
        digests.input_tokens,
        digests.output_tokens,
        digests.cost_usd,
        digests.enriched_at,
        coalesce(digests.enrichment_provider, 'none') as enrichment_provider
    from {{ ref('mart_team_weekly') }} as weekly
    left join digests
        on
            weekly.team_id = digests.team_id
            and weekly.week_start_date = digests.week_start_date
            and digests.recency_rank = 1

)

select
    cast(team_id as bigint) as team_id,
    cast(team_slug as varchar) as team_slug,
    cast(week_start_date as date) as week_start_date,
    cast(active_developers as bigint) as active_developers,
    cast(prs_merged as bigint) as prs_merged,
    cast(cycle_time_p50 as double precision) as cycle_time_p50,
    cast(cycle_time_p90 as double precision) as cycle_time_p90,
    cast(pickup_time_p50 as double precision) as pickup_time_p50,
    cast(review_coverage as double precision) as review_coverage,
    cast(merged_without_approval_rate as double precision) as merged_without_approval_rate,
    cast(open_prs_at_week_end as bigint) as open_prs_at_week_end,
    cast(story_points_completed as bigint) as story_points_completed,
    cast(digest_text as varchar) as digest_text,
    cast(quoted_figures as varchar) as quoted_figures,
    cast(enrichment_provider as varchar) as enrichment_provider,
    cast(enrichment_model as varchar) as enrichment_model,
    cast(prompt_version as varchar) as prompt_version,
    cast(input_tokens as bigint) as input_tokens,
    cast(output_tokens as bigint) as output_tokens,
    cast(cost_usd as double precision) as cost_usd,
    cast(enriched_at as timestamp) as enriched_at
from final
