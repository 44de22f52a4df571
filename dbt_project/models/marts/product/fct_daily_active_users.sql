{#- Enough days for any event history this project will see (44 years); the spine is cut to
    the real range below. A fixed bound keeps the model free of compile-time queries. -#}
{%- set max_days = 16384 -%}

with

events as (

    select * from {{ ref('int_product_events__unified') }}

),

user_days as (

    -- A user is active on a day (UTC) with at least one event under their user ID; an
    -- account is active with at least one event under its ID (groupId), anonymous or not.
    select distinct
        occurred_on as activity_date,
        user_id,
        account_id
    from events
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

daily_counts as (

    -- One definition of DAU, WAU, MAU and stickiness, shared with fct_daily_active_users_by_plan.
    {{ active_user_counts('user_days', 'calendar') }}

),

final as (

    select
        ---------- ids
        activity_date,

        ---------- measures
        dau,
        wau,
        mau,
        stickiness,
        active_accounts

    from daily_counts

)

select * from final
