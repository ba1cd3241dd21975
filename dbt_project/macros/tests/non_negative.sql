{#- Durations and counts are never negative (nulls pass: a missing end is allowed). One test per
    model covers all its listed columns in one scan, so a scheduled build runs one query per model
    instead of one per column. `least` skips nulls on DuckDB and PostgreSQL alike; a failing row
    shows every listed column. -#}
{% test non_negative(model, columns) %}

with

checked as (

    select
        {{ columns | join(', ') }},
        least({{ columns | join(', ') }}) as smallest_value
    from {{ model }}

)

select *
from checked
where smallest_value < 0

{% endtest %}
