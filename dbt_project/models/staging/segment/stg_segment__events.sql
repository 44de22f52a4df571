{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='event_id',
        post_hook="{{ delete_rows_gone_from_raw(source('raw', 'product_events')) }}",
    )
}}

with

source as (

    {{ incremental_raw_rows(source('raw', 'product_events'), 'trim(message_id)', 'event_id') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(message_id)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(message_id) as event_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('account_id') }} as account_id,

        ---------- enums
        {{ clean_enum('event_type') }} as event_type,
        {{ clean_text('event_name') }} as event_name,
        {{ clean_enum('feature') }} as feature,

        ---------- timestamps
        occurred_at,
        cast(occurred_at as date) as occurred_on,

        ---------- load (the incremental build's bookkeeping)
        _source_file,
        _loaded_at

        -- properties (free-form JSON that may carry anything a client sent) stays in raw;
        -- the one property the marts need, feature, is already a column.

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
