{#- One row per element of a JSON array of strings held as text (set-returning: use it in a
    select list). Rows whose array is empty or null produce no rows. -#}
{% macro json_array_elements_text(expression) -%}
    {{ return(adapter.dispatch('json_array_elements_text', 'devmetrics')(expression)) }}
{%- endmacro %}

{% macro default__json_array_elements_text(expression) -%}
    jsonb_array_elements_text(cast({{ expression }} as jsonb))
{%- endmacro %}

{% macro duckdb__json_array_elements_text(expression) -%}
    unnest(cast(json_extract_string({{ expression }}, '$[*]') as varchar []))
{%- endmacro %}
