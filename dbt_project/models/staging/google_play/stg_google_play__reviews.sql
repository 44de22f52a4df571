with

source as (

    select * from {{ source('raw', 'google_play_reviews') }}

),

-- Reviewers edit reviews; each monthly export repeats the review in its newest form.
deduplicated as (

    {{ latest_per_key(
        'source',
        'trim(review_id)',
        'coalesce(updated_at, submitted_at) desc, ' ~ latest_load_order()
    ) }}

),

renamed as (

    select
        ---------- ids
        trim(review_id) as review_id,

        ---------- text (redacted copies only)
        {{ clean_text('title_redacted') }} as title,
        {{ clean_text('review_redacted') }} as body,

        ---------- enums
        {{ clean_text('app_version') }} as app_version,
        {{ clean_enum('language') }} as language,
        {{ clean_text('device') }} as device,

        ---------- numerics
        rating,

        ---------- timestamps
        submitted_at as reviewed_at,
        updated_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
