{#- One row per pull request: the fact's headline columns joined to its latest enrichment
    (by enriched_at); enrichment_provider is 'none' where no enrichment row exists. -#}
with

insights as (

    select
        *,
        row_number() over (partition by pull_request_id order by enriched_at desc, content_hash asc) as recency_rank
    from {{ source('enrichment', 'pull_request_insights') }}

),

final as (

    select
        pull_requests.pull_request_id,
        pull_requests.repository_id,
        pull_requests.pull_request_number,
        pull_requests.title,
        pull_requests.author_developer_id,
        pull_requests.author_login,
        pull_requests.is_bot_author,
        pull_requests.is_excluded,
        pull_requests.state,
        pull_requests.opened_at,
        pull_requests.merged_at,
        pull_requests.changed_lines,
        pull_requests.size_bucket,
        pull_requests.cycle_time,
        insights.category,
        insights.risk_score,
        insights.complexity,
        insights.summary,
        insights.potential_bugs,
        insights.security_concerns,
        insights.suggestions,
        insights.estimated_review_minutes,
        insights.enrichment_model,
        insights.prompt_version,
        insights.input_tokens,
        insights.output_tokens,
        insights.cost_usd,
        insights.enriched_at,
        coalesce(insights.enrichment_provider, 'none') as enrichment_provider
    from {{ ref('fct_pull_requests') }} as pull_requests
    left join insights
        on pull_requests.pull_request_id = insights.pull_request_id and insights.recency_rank = 1

)

select
    cast(pull_request_id as bigint) as pull_request_id,
    cast(repository_id as bigint) as repository_id,
    cast(pull_request_number as bigint) as pull_request_number,
    cast(title as varchar) as title,
    cast(author_developer_id as varchar) as author_developer_id,
    cast(author_login as varchar) as author_login,
    cast(is_bot_author as boolean) as is_bot_author,
    cast(is_excluded as boolean) as is_excluded,
    cast(state as varchar) as state,
    cast(opened_at as timestamp) as opened_at,
    cast(merged_at as timestamp) as merged_at,
    cast(changed_lines as bigint) as changed_lines,
    cast(size_bucket as varchar) as size_bucket,
    cast(cycle_time as double precision) as cycle_time,
    cast(category as varchar) as category,
    cast(risk_score as integer) as risk_score,
    cast(complexity as varchar) as complexity,
    cast(summary as varchar) as summary,
    cast(potential_bugs as varchar) as potential_bugs,
    cast(security_concerns as varchar) as security_concerns,
    cast(suggestions as varchar) as suggestions,
    cast(estimated_review_minutes as integer) as estimated_review_minutes,
    cast(enrichment_provider as varchar) as enrichment_provider,
    cast(enrichment_model as varchar) as enrichment_model,
    cast(prompt_version as varchar) as prompt_version,
    cast(input_tokens as bigint) as input_tokens,
    cast(output_tokens as bigint) as output_tokens,
    cast(cost_usd as double precision) as cost_usd,
    cast(enriched_at as timestamp) as enriched_at
from final
