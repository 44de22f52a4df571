with

source as (

    select * from {{ source('raw', 'roadmap_items') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(issue_key)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(issue_key) as issue_key,
        nullif(trim(parent_key), '') as parent_key,

        ---------- text (internal Jira text, no customer data)
        {{ clean_text('summary') }} as summary,
        {{ clean_enum('labels') }} as labels,
        {{ clean_enum('components') }} as components,

        ---------- enums
        {{ clean_enum('issue_type') }} as issue_type,
        {{ clean_enum('status') }} as status,
        {{ clean_enum('status_category') }} as exported_status_category,

        ---------- numerics
        story_points,

        ---------- timestamps
        created_at,
        resolved_at

    from deduplicated

),

categorised as (

    -- Jira's status category (to do, in progress, done) says what a workflow's own status
    -- names mean; an export without it falls back on the common names.
    select
        renamed.*,
        case
            when renamed.exported_status_category in ('to do', 'in progress', 'done') then renamed.exported_status_category
            when renamed.exported_status_category = 'new' then 'to do'
            when renamed.exported_status_category = 'indeterminate' then 'in progress'
            when renamed.status in ('done', 'closed', 'resolved', 'released', 'shipped') then 'done'
            when renamed.status in ('in progress', 'in review', 'in development', 'in qa', 'testing') then 'in progress'
            when renamed.status is not null then 'to do'
        end as status_category
    from renamed

),

final as (

    select
        ---------- ids
        issue_key,
        parent_key,

        ---------- text
        summary,
        labels,
        components,

        ---------- enums
        issue_type,
        status,
        status_category,

        ---------- numerics
        story_points,

        ---------- timestamps
        created_at,
        resolved_at

    from categorised

)

select * from final
