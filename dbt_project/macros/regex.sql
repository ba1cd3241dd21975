{#- Regular expressions that behave the same on DuckDB (RE2) and PostgreSQL (ARE). Write word
    boundaries as `\b` and case-insensitivity as a leading `(?i)`: the PostgreSQL variants
    translate `\b` to ARE's `\y`. -#}

{#- True when `pattern` matches anywhere in `expression`. -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'devmetrics')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern | replace("\\b", "\\y") }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- The text of capture group `group` of the first match of `pattern`; null when it does not match. -#}
{% macro regex_extract(expression, pattern, group) -%}
    {{ return(adapter.dispatch('regex_extract', 'devmetrics')(expression, pattern, group)) }}
{%- endmacro %}

{% macro default__regex_extract(expression, pattern, group) -%}
    (regexp_match({{ expression }}, '{{ pattern | replace("\\b", "\\y") }}'))[{{ group }}]
{%- endmacro %}

{% macro duckdb__regex_extract(expression, pattern, group) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{#- Capture group 1 of every match of `pattern`, as a JSON array text of numbers in match order
    (`[12,345]`; `[]` when none): the pattern must capture digits without leading zeros. -#}
{% macro regex_extract_all_json(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_extract_all_json', 'devmetrics')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract_all_json(expression, pattern) -%}
    coalesce(
        '[' || (
            select string_agg(found.captured[1], ',')
            from regexp_matches({{ expression }}, '{{ pattern | replace("\\b", "\\y") }}', 'g') as found (captured)
        ) || ']',
        '[]'
    )
{%- endmacro %}

{% macro duckdb__regex_extract_all_json(expression, pattern) -%}
    '[' || array_to_string(regexp_extract_all(coalesce({{ expression }}, ''), '{{ pattern }}', 1), ',') || ']'
{%- endmacro %}
