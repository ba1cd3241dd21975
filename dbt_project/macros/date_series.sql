{#- One row per `step` ('day', 'week', 'month' or 'quarter') from `start_date` to `end_date`
    inclusive, as a date column named `column_name`. The bounds are SQL expressions that may
    be scalar subqueries. DuckDB: unnest(generate_series(...)) over a list; PostgreSQL:
    the set-returning generate_series(timestamp, timestamp, interval). -#}
{% macro date_series(start_date, end_date, step='day', column_name='date_day') -%}
    {%- set intervals = {'day': '1 day', 'week': '7 days', 'month': '1 month', 'quarter': '3 months'} -%}
    {%- if step not in intervals -%}
        {{ exceptions.raise_compiler_error("date_series: step must be day, week, month or quarter, got " ~ step) }}
    {%- endif -%}
    {{ return(adapter.dispatch('date_series', 'devmetrics')(start_date, end_date, intervals[step], column_name)) }}
{%- endmacro %}

{% macro default__date_series(start_date, end_date, step_interval, column_name) -%}
    select cast(series_value as date) as {{ column_name }}
    from generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval '{{ step_interval }}'
    ) as series (series_value)
{%- endmacro %}

{% macro duckdb__date_series(start_date, end_date, step_interval, column_name) -%}
    select cast(series_value as date) as {{ column_name }}
    from (
        select unnest(generate_series(
            cast({{ start_date }} as timestamp),
            cast({{ end_date }} as timestamp),
            interval '{{ step_interval }}'
        )) as series_value
    ) as series
{%- endmacro %}
