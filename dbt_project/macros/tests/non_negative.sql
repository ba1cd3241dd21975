{#- Durations and counts are never negative (nulls pass: a missing end is allowed). One test per
    model covers all its listed columns in one scan, so a scheduled build runs one query per model
    instead of one per column; each failing row names the first negative column. -#}
{% test non_negative(model, columns) %}

select
    case
        {%- for column in columns %}
        when {{ column }} < 0 then '{{ column }}'
        {%- endfor %}
    end as negative_column,
    {{ columns | join(', ') }}
from {{ model }}
where
    {%- for column in columns %}
    {{ "or " if not loop.first }}{{ column }} < 0
    {%- endfor %}

{% endtest %}
