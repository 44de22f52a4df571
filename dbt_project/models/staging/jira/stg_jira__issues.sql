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

        ---------- text (internal Jira text, no customer data)
        {{ clean_text('summary') }} as summary,
        {{ clean_enum('labels') }} as labels,

        ---------- enums
        {{ clean_enum('status') }} as status,

        ---------- numerics
        story_points,

        ---------- timestamps
        created_at,
        resolved_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
