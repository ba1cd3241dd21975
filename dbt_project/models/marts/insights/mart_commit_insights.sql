{#- One row per commit: the fact's headline columns joined to its latest enrichment (by
    enriched_at); enrichment_provider is 'none' where no enrichment row exists. -#}
with

insights as (

    select
        *,
        row_number() over (partition by commit_id order by enriched_at desc, content_hash asc) as recency_rank
    from {{ source('enrichment', 'commit_insights') }}

),

final as (

    select
        commits.commit_id,
        commits.repository_id,
        commits.commit_sha,
        commits.developer_id,
        commits.is_bot,
        commits.authored_at,
        commits.message_headline,
        commits.changed_lines,
        commits.conventional_type,
        commits.is_hotfix,
        commits.is_feature,
        commits.complexity_score,
        commits.impact_score,
        insights.conventional_type as enriched_conventional_type,
        insights.summary,
        insights.tags,
        insights.sentiment,
        insights.confidence,
        insights.entities,
        insights.enrichment_model,
        insights.prompt_version,
        insights.input_tokens,
        insights.output_tokens,
        insights.cost_usd,
        insights.enriched_at,
        coalesce(insights.enrichment_provider, 'none') as enrichment_provider
    from {{ ref('fct_commits') }} as commits
    left join insights
        on commits.commit_id = insights.commit_id and insights.recency_rank = 1

)

select
    cast(commit_id as varchar) as commit_id,
    cast(repository_id as bigint) as repository_id,
    cast(commit_sha as varchar) as commit_sha,
    cast(developer_id as varchar) as developer_id,
    cast(is_bot as boolean) as is_bot,
    cast(authored_at as timestamp) as authored_at,
    cast(message_headline as varchar) as message_headline,
    cast(changed_lines as bigint) as changed_lines,
    cast(conventional_type as varchar) as conventional_type,
    cast(is_hotfix as boolean) as is_hotfix,
    cast(is_feature as boolean) as is_feature,
    cast(complexity_score as double precision) as complexity_score,
    cast(impact_score as double precision) as impact_score,
    cast(enriched_conventional_type as varchar) as enriched_conventional_type,
    cast(summary as varchar) as summary,
    cast(tags as varchar) as tags,
    cast(sentiment as double precision) as sentiment,
    cast(confidence as double precision) as confidence,
    cast(entities as varchar) as entities,
    cast(enrichment_provider as varchar) as enrichment_provider,
    cast(enrichment_model as varchar) as enrichment_model,
    cast(prompt_version as varchar) as prompt_version,
    cast(input_tokens as bigint) as input_tokens,
    cast(output_tokens as bigint) as output_tokens,
    cast(cost_usd as double precision) as cost_usd,
    cast(enriched_at as timestamp) as enriched_at
from final
