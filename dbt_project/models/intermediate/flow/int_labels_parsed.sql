{#- One row per label on a pull request or an issue, with the story points it carries
    (var story_point_label_regex, group 2) and whether it marks an incident (var incident_labels,
    case-insensitive). -#}

with

labels as (

    select
        'pull_request' as object_type,
        pull_request_id as object_id,
        repository_id,
        {{ json_array_elements_text('labels') }} as label_name
    from {{ ref('stg_github__pull_requests') }}

    union all

    select
        'issue' as object_type,
        issue_id as object_id,
        repository_id,
        {{ json_array_elements_text('labels') }} as label_name
    from {{ ref('stg_github__issues') }}

)

select
    object_type,
    object_id,
    repository_id,
    label_name,
    cast({{ regex_extract('label_name', var('story_point_label_regex'), 2) }} as bigint) as story_points,
    lower(label_name) in (
        {%- for incident_label in var('incident_labels') %}
            '{{ incident_label | lower }}'{{ "," if not loop.last }}
        {%- endfor %}
    ) as is_incident_label
from labels
