{#- Schemas are exactly `staging`, `intermediate`, `marts`, `seeds` (not `<target>_staging`),
    so BI tools and notebooks find the marts at one stable name on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
