{#- True when the membership row `membership` (a relation alias of dim_team_memberships) is valid
    on `on_date`: valid_from and valid_to are inclusive dates, valid_to null = still valid. A
    developer in two teams matches both rows, so team rollups count them in both. -#}
{% macro is_member_on(membership, on_date) -%}
    ({{ membership }}.valid_from <= {{ on_date }}
        and ({{ membership }}.valid_to is null or {{ on_date }} <= {{ membership }}.valid_to))
{%- endmacro %}

{#- The dated team memberships of people (bots never count for a team): team_id, developer_id,
    valid_from, valid_to. Used as a CTE body by every team rollup. -#}
{% macro human_team_memberships() -%}
    select
        memberships.team_id,
        memberships.developer_id,
        memberships.valid_from,
        memberships.valid_to
    from {{ ref('dim_team_memberships') }} as memberships
    inner join {{ ref('dim_developers') }} as developers
        on memberships.developer_id = developers.developer_id
    where not developers.is_bot
{%- endmacro %}
