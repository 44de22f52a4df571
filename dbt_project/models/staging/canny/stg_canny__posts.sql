with

source as (

    select * from {{ source('raw', 'feature_requests') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(post_id)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(post_id) as post_id,
        {{ clean_text('company_id') }} as account_id,

        ---------- personal data, hashed (author name and address stay in raw)
        {{ email_hash('author_email') }} as email_hash,

        ---------- text (redacted copies only)
        {{ clean_text('title_redacted') }} as title,
        {{ clean_text('details_redacted') }} as details,

        ---------- enums
        {{ clean_enum('status') }} as status,
        {{ clean_enum('board') }} as board,

        ---------- numerics
        coalesce(votes, 0) as votes,

        ---------- timestamps
        created_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
