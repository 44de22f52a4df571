with

source as (

    select * from {{ source('raw', 'nps_responses') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(response_id)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(response_id) as response_id,
        {{ clean_text('account_id') }} as account_id,

        ---------- personal data, hashed (the address stays in raw)
        {{ email_hash('email') }} as email_hash,

        ---------- text (redacted copy only)
        {{ clean_text('comment_redacted') }} as comment,

        ---------- enums
        {{ clean_text('survey') }} as survey,
        -- Rows loaded before CSAT support have no type; they were all NPS.
        coalesce({{ clean_enum('survey_type') }}, 'nps') as survey_type,

        ---------- numerics
        score,
        -- A CSAT answer has no NPS bucket.
        case
            when coalesce({{ clean_enum('survey_type') }}, 'nps') = 'nps' then {{ nps_category('score') }}
        end as nps_category,

        ---------- timestamps
        created_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
