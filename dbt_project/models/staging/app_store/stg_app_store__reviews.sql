with

source as (

    select * from {{ source('raw', 'app_reviews') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(review_id)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(review_id) as review_id,

        ---------- text (redacted copies only; the reviewer's nickname stays in raw)
        {{ clean_text('title_redacted') }} as title,
        {{ clean_text('review_redacted') }} as body,

        ---------- enums
        {{ clean_text('app_version') }} as app_version,
        upper(trim(territory)) as territory,

        ---------- numerics
        rating,

        ---------- timestamps
        reviewed_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
