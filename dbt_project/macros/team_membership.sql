{#- True when the membership row `membership` (a relation alias of dim_team_memberships) is valid
    on `on_date`: valid_from and valid_to are inclusive dates, valid_to null = still valid. A
    developer in two teams matches both rows, so team rollups count them in both. -#}
{% macro is_member_on(membership, on_date) -%}
    ({{ membership }}.valid_from <= {{ on_date }}
        and ({{ membership }}.valid_to is null or {{ on_date }} <= {{ membership }}.valid_to))
{%- endmacro %}
