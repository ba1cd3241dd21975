{#- Hours (double) from `start_at` to `end_at`: null when either end is missing, and null when the
    span is negative (METRICS.md: "null when an end is missing; negative spans become null").
    The cast keeps the result a double on PostgreSQL too, whose extract returns numeric. -#}
{% macro hours_between(start_at, end_at) -%}
    case
        when {{ end_at }} >= {{ start_at }}
            then cast(extract(epoch from ({{ end_at }} - {{ start_at }})) as double precision) / 3600.0
    end
{%- endmacro %}
