{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='event_id',
        post_hook="{{ delete_rows_gone_from_raw(source('raw', 'amplitude_events')) }}",
    )
}}

with

source as (

    {{ incremental_raw_rows(source('raw', 'amplitude_events'), 'trim(event_id)', 'event_id') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(event_id)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(event_id) as event_id,
        {{ clean_text('user_id') }} as user_id,
        -- Amplitude's device_id plays the part of Segment's anonymousId.
        {{ clean_text('device_id') }} as anonymous_id,
        {{ clean_text('account_id') }} as account_id,

        ---------- enums
        'track' as event_type,
        {{ clean_text('event_name') }} as event_name,
        {{ clean_enum('feature') }} as feature,

        ---------- timestamps
        occurred_at,
        cast(occurred_at as date) as occurred_on,

        ---------- load (the incremental build's bookkeeping)
        _source_file,
        _loaded_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
