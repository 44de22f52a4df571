with

source as (

    select * from {{ source('raw', 'support_tickets') }}

),

-- A ticket is re-exported each time it changes: its newest version wins.
deduplicated as (

    {{ latest_per_key(
        'source',
        'trim(ticket_id)',
        'coalesce(updated_at, created_at) desc, ' ~ latest_load_order()
    ) }}

),

renamed as (

    select
        ---------- ids
        trim(ticket_id) as ticket_id,
        -- Zendesk external IDs carry the CRM IDs.
        {{ clean_text('organization_id') }} as account_id,
        {{ clean_text('requester_id') }} as user_id,

        ---------- text (redacted copies only)
        {{ clean_text('subject_redacted') }} as subject,
        {{ clean_text('description_redacted') }} as description,
        {{ clean_enum('tags_redacted') }} as tags,

        ---------- enums
        {{ clean_enum('status') }} as status,
        {{ clean_enum('priority') }} as priority,
        {{ clean_enum('channel') }} as channel,
        {{ clean_enum('satisfaction_score') }} as satisfaction,

        ---------- timestamps
        created_at,
        updated_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
