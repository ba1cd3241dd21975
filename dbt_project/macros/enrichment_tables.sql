{#- The enrichment source tables (ARCHITECTURE.md, Enrichment) are written by the enrichment
    step (pipelines/enrichment), which runs after dbt's first build; `quarantine` keeps every
    item whose answer stayed invalid (with the reason) and `llm_batches` the Message Batches
    submitted, so an interrupted run collects a pending batch instead of resubmitting it.
    Called from on-run-start, this creates schema `enrichment` and each table EMPTY when
    absent (never touching existing rows), so the insight marts build without any LLM and
    report provider 'none'. Plain DDL: the same text runs on DuckDB and PostgreSQL. The
    CHECK constraints repeat the ranges of pipelines/enrichment/schemas.py, a last line of
    defence: an out-of-range value fails its insert instead of reaching the marts. -#}
{% macro enrichment_provenance_columns() -%}
    enrichment_provider varchar,
    enrichment_model varchar,
    prompt_version varchar,
    input_tokens bigint,
    output_tokens bigint,
    cost_usd double precision,
    content_hash varchar,
    enriched_at timestamp
{%- endmacro %}

{% macro create_enrichment_tables() -%}
    create schema if not exists enrichment;

    create table if not exists enrichment.pull_request_insights (
        pull_request_id bigint not null,
        repository_id bigint,
        category varchar,
        risk_score integer check (risk_score between 0 and 100),
        complexity varchar check (complexity in ('low', 'medium', 'high')),
        summary varchar,
        potential_bugs varchar,
        security_concerns varchar,
        suggestions varchar,
        estimated_review_minutes integer check (estimated_review_minutes between 1 and 480),
        {{ enrichment_provenance_columns() }}
    );

    create table if not exists enrichment.commit_insights (
        commit_id varchar not null,
        repository_id bigint,
        commit_sha varchar,
        conventional_type varchar,
        summary varchar,
        tags varchar,
        sentiment double precision check (sentiment between -1 and 1),
        confidence double precision check (confidence between 0 and 1),
        entities varchar,
        {{ enrichment_provenance_columns() }}
    );

    create table if not exists enrichment.weekly_digests (
        team_id bigint not null,
        team_slug varchar,
        week_start_date date not null,
        digest_text varchar,
        figures varchar,
        {{ enrichment_provenance_columns() }}
    );

    create table if not exists enrichment.quarantine (
        task varchar not null,
        item_key varchar not null,
        reason varchar not null,
        raw_output varchar,
        enrichment_provider varchar,
        enrichment_model varchar,
        prompt_version varchar,
        input_tokens bigint,
        output_tokens bigint,
        cost_usd double precision,
        content_hash varchar,
        quarantined_at timestamp
    );

    create table if not exists enrichment.llm_batches (
        batch_id varchar not null,
        task varchar not null,
        enrichment_model varchar,
        prompt_version varchar,
        requests varchar,
        status varchar not null,
        submitted_at timestamp,
        collected_at timestamp
    );
{%- endmacro %}
