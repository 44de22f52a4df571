{#- Enough days for any event history this project will see (44 years); the spine is cut to
    the real range below. A fixed bound keeps the model free of compile-time queries. -#}
{%- set max_days = 16384 -%}
{%- set month_days = var('active_month_days') -%}
{%- set lookback_days = var('incremental_lookback_days') -%}
{%- set incremental = is_incremental_with('_loaded_at') -%}

{#- Incremental: a night rebuilds the days from the first day with an event loaded since the
    last build (a late event reaches back as far as it is dated), and at least the last
    incremental_lookback_days days, which heals counts a shorter re-export lowered; each of
    those days reads the active_month_days before it, so WAU and MAU see their whole window. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='activity_date',
        on_schema_change='append_new_columns',
    )
}}

with

events as (

    select * from {{ ref('int_product_events__unified') }}

),
{%- if incremental %}

built as (

    select
        max(activity_date) as last_built_date,
        max(_loaded_at) as last_loaded_at
    from {{ this }}

),

changed as (

    select min(events.occurred_on) as first_changed_date
    from events
    cross join built
    where events._loaded_at > built.last_loaded_at

),

rebuild as (

    select
        least(
            coalesce(changed.first_changed_date, built.last_built_date),
            cast({{ dbt.dateadd('day', 1 - lookback_days, 'built.last_built_date') }} as date)
        ) as first_date
    from built
    cross join changed

),

{%- endif %}

window_events as (

    select events.*
    from events
    {%- if incremental %}
    cross join rebuild
    -- first_date null: the table is empty (built before any event loaded): every day.
    where rebuild.first_date is null
        or events.occurred_on
        > cast({{ dbt.dateadd('day', -month_days, 'rebuild.first_date') }} as date)
    {%- endif %}

),

user_days as (

    -- A user is active on a day (UTC) with at least one event under their user ID; an
    -- account is active with at least one event under its ID (groupId), anonymous or not.
    select distinct
        occurred_on as activity_date,
        user_id,
        account_id
    from window_events
    where user_id is not null
        or account_id is not null

),

event_range as (

    select
        min(occurred_on) as first_date,
        max(occurred_on) as last_date
    from events

),

day_numbers as (

    {{ dbt.generate_series(max_days) }}

),

calendar as (

    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'event_range.first_date') }} as date) as activity_date
    from day_numbers
    cross join event_range
    where day_numbers.generated_number - 1
        <= {{ dbt.datediff('event_range.first_date', 'event_range.last_date', 'day') }}

),

calendar_to_build as (

    select calendar.activity_date
    from calendar
    {%- if incremental %}
    cross join rebuild
    where rebuild.first_date is null
        or calendar.activity_date >= rebuild.first_date
    {%- endif %}

),

day_loads as (

    select
        occurred_on as activity_date,
        max(_loaded_at) as loaded_at
    from window_events
    group by occurred_on

),

daily_counts as (

    -- One definition of DAU, WAU, MAU and stickiness, shared with fct_daily_active_users_by_plan.
    {{ active_user_counts('user_days', 'calendar_to_build') }}

),

final as (

    select
        ---------- ids
        daily_counts.activity_date,

        ---------- measures
        daily_counts.dau,
        daily_counts.wau,
        daily_counts.mau,
        daily_counts.stickiness,
        daily_counts.active_accounts,

        ---------- load (the incremental build's watermark)
        day_loads.loaded_at as _loaded_at

    from daily_counts
    left join day_loads
        on daily_counts.activity_date = day_loads.activity_date

)

select * from final
