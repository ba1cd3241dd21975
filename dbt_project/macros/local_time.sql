{#- Day/week/month/quarter bucketing in var('timezone') (default UTC). Facts hold naive UTC
    timestamps; `to_local` turns one into naive wall-clock time in the configured zone
    (the same `at time zone` pair on DuckDB and PostgreSQL), `local_bucket` truncates it
    to a date. date_trunc('week') starts weeks on Monday on both databases (ISO weeks). -#}
{% macro to_local(timestamp_expression) -%}
    {%- set zone = var('timezone', 'UTC') -%}
    {%- if zone in ('UTC', 'Etc/UTC', 'utc') -%}
        {{ timestamp_expression }}
    {%- else -%}
        cast(({{ timestamp_expression }} at time zone 'UTC') at time zone '{{ zone }}' as timestamp)
    {%- endif -%}
{%- endmacro %}

{% macro local_bucket(timestamp_expression, grain='day') -%}
    {%- if grain not in ('day', 'week', 'month', 'quarter', 'year') -%}
        {{ exceptions.raise_compiler_error(
            "local_bucket: grain must be day, week, month, quarter or year, got " ~ grain
        ) }}
    {%- endif -%}
    cast(date_trunc('{{ grain }}', {{ to_local(timestamp_expression) }}) as date)
{%- endmacro %}
