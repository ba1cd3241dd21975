{#- One row per commit author email (lower-cased), linked to a GitHub user by METRICS.md's rules,
    in order: (1) the GitHub user the API attaches to the email's commits, (2) a noreply address
    `<id>+<login>@users.noreply.github.com` (or the older `<login>@users.noreply.github.com`),
    (3) the identity_overrides seed. Unlinked emails keep their own developer id `email:<email>`. -#}
{% set noreply_id_pattern %}^([0-9]+)\+[^@]+@users\.noreply\.github\.com${% endset %}
{% set noreply_login_pattern %}^([^@+]+)@users\.noreply\.github\.com${% endset %}

with

commit_authors as (

    select
        lower(coalesce(author_email, '')) as author_email,
        author_user_id,
        author_name,
        authored_at
    from {{ ref('stg_github__commits') }}

    union all

    select
        lower(coalesce(author_email, '')) as author_email,
        author_user_id,
        author_name,
        authored_at
    from {{ ref('stg_github__pull_request_commits') }}

),

emails as (

    select
        author_email,
        max(author_name) as author_name,
        min(authored_at) as first_authored_at
    from commit_authors
    group by author_email

),

attached_users as (

    -- rule 1: the user GitHub attaches most often to this email's commits
    select
        author_email,
        author_user_id,
        row_number() over (
            partition by author_email order by count(*) desc, author_user_id
        ) as attachment_rank
    from commit_authors
    where author_user_id is not null
    group by author_email, author_user_id

),

users as (

    select
        user_id,
        lower(login) as login
    from {{ ref('stg_github__users') }}

),

overrides as (

    select
        lower(overrides.email) as author_email,
        coalesce(overrides.user_id, users.user_id) as user_id
    from {{ ref('identity_overrides') }} as overrides
    left join users on lower(overrides.login) = users.login

),

linked as (

    select
        emails.author_email,
        emails.author_name,
        emails.first_authored_at,
        attached_users.author_user_id as attached_user_id,
        cast({{ regex_extract('emails.author_email', noreply_id_pattern, 1) }} as bigint) as noreply_user_id,
        noreply_users.user_id as noreply_login_user_id,
        overrides.user_id as override_user_id
    from emails
    left join attached_users
        on
            emails.author_email = attached_users.author_email
            and attached_users.attachment_rank = 1
    left join users as noreply_users
        on {{ regex_extract('emails.author_email', noreply_login_pattern, 1) }} = noreply_users.login
    left join overrides on emails.author_email = overrides.author_email

),

resolved as (

    select
        author_email,
        author_name,
        first_authored_at,
        coalesce(attached_user_id, noreply_user_id, noreply_login_user_id, override_user_id) as linked_user_id,
        case
            when attached_user_id is not null then 'github_user'
            when coalesce(noreply_user_id, noreply_login_user_id) is not null then 'noreply'
            when override_user_id is not null then 'identity_override'
        end as link_method
    from linked

)

select
    author_email,
    author_name,
    first_authored_at,
    linked_user_id,
    link_method,
    linked_user_id is not null as is_linked,
    case
        when linked_user_id is not null then 'user:' || cast(linked_user_id as varchar)
        else 'email:' || author_email
    end as developer_id
from resolved
