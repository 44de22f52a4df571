{#- One event stream whichever analytics tool sent it. An event ID is unique within its
    tool; the source column keeps two tools' IDs from colliding downstream. -#}

with

segment_events as (

    select * from {{ ref('stg_segment__events') }}

),

amplitude_events as (

    select * from {{ ref('stg_amplitude__events') }}

),

unioned as (

    select
        'segment' as source,
        event_id,
        user_id,
        anonymous_id,
        account_id,
        event_type,
        event_name,
        feature,
        occurred_at,
        occurred_on,
        _loaded_at
    from segment_events
    union all
    select
        'amplitude' as source,
        event_id,
        user_id,
        anonymous_id,
        account_id,
        event_type,
        event_name,
        feature,
        occurred_at,
        occurred_on,
        _loaded_at
    from amplitude_events

),

final as (

    select * from unioned

)

select * from final
