{#- A sprint is a repository milestone. It starts on the milestone's creation date and ends on
    its due date (else the date it was closed, else the as_of date), both in var('timezone');
    it is finished once that end date is before the as_of date or the milestone is closed. -#}
with

milestones as (

    select
        repository_id,
        repository_full_name,
        milestone_number,
        title,
        state,
        {{ local_bucket('created_at') }} as sprint_start_date,
        coalesce(cast(due_on as date), {{ local_bucket('closed_at') }}, {{ local_bucket(as_of()) }})
            as sprint_end_date
    from {{ ref('stg_github__milestones') }}

)

select
    repository_id,
    repository_full_name,
    milestone_number,
    title as sprint_title,
    state as milestone_state,
    sprint_start_date,
    sprint_end_date,
    (state = 'closed' or sprint_end_date < {{ local_bucket(as_of()) }}) as is_finished
from milestones
