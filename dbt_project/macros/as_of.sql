{#- "Now" for metrics that depend on it (stale pull requests, open work, the end of every
    calendar spine): var('as_of') when set, else the start of this dbt run (UTC), so a
    build is reproducible and no model calls current_timestamp. -#}
{% macro as_of() -%}
    {%- if var('as_of', none) -%}
        cast('{{ var("as_of") }}' as timestamp)
    {%- else -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
    {%- endif -%}
{%- endmacro %}
