with

source as (

    select * from {{ source('raw', 'support_conversations') }}

),

-- A conversation is re-exported each time it changes: its newest version wins.
deduplicated as (

    {{ latest_per_key(
        'source',
        'trim(conversation_id)',
        'coalesce(updated_at, created_at) desc, ' ~ latest_load_order()
    ) }}

),

renamed as (

    select
        ---------- ids
        trim(conversation_id) as conversation_id,
        {{ clean_text('user_id') }} as user_id,

        ---------- text (redacted copies only)
        {{ clean_text('subject_redacted') }} as subject,
        {{ clean_text('customer_text_redacted') }} as customer_text,
        {{ clean_enum('author_types') }} as author_types,
        {{ clean_enum('tags_redacted') }} as tags,

        ---------- enums
        {{ clean_enum('state') }} as state,
        {{ clean_enum('channel') }} as channel,

        ---------- numerics
        rating,
        part_count,

        ---------- timestamps
        created_at,
        updated_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
