{%- set week_days = var('active_week_days') -%}
{%- set month_days = var('active_month_days') -%}
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

activity_in_window as (

    -- Each day paired with every user-day of the trailing month window ending on it; the
    -- shorter windows are subsets of it.
    select
        calendar.activity_date,
        user_days.user_id,
        user_days.account_id,
        {{ dbt.datediff('user_days.activity_date', 'calendar.activity_date', 'day') }} as days_ago
    from calendar
    inner join user_days
        on user_days.activity_date <= calendar.activity_date
        and user_days.activity_date
            > cast({{ dbt.dateadd('day', -month_days, 'calendar.activity_date') }} as date)

),

daily_counts as (

    select
        activity_date,
        count(distinct case when days_ago = 0 then user_id end) as dau,
        count(distinct case when days_ago < {{ week_days }} then user_id end) as wau,
        count(distinct user_id) as mau,
        count(distinct case when days_ago = 0 then account_id end) as active_accounts
    from activity_in_window
    group by activity_date

),

filled as (

    -- Days without any activity stay in the table with zeros.
    select
        calendar.activity_date,
        coalesce(daily_counts.dau, 0) as dau,
        coalesce(daily_counts.wau, 0) as wau,
        coalesce(daily_counts.mau, 0) as mau,
        coalesce(daily_counts.active_accounts, 0) as active_accounts
    from calendar
    left join daily_counts
        on calendar.activity_date = daily_counts.activity_date

),

final as (

    select
        ---------- ids
        activity_date,

        ---------- measures
        dau,
        wau,
        mau,
        case
            when mau > 0 then cast(dau as {{ type_double() }}) / mau
        end as stickiness,
        active_accounts

    from filled

)

select * from final
