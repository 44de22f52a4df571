{%- set week_days = var('active_week_days') -%}
{%- set month_days = var('active_month_days') -%}

with

events as (

    select * from {{ ref('int_product_events__unified') }}

),

as_of as (

    -- Windows end on the newest event, not on today, so a rerun on the same data gives
    -- the same table.
    select max(occurred_on) as as_of_date
    from events

),

events_aged as (

    select
        events.feature,
        events.user_id,
        events.account_id,
        events.occurred_at,
        {{ dbt.datediff('events.occurred_on', 'as_of.as_of_date', 'day') }} as days_ago
    from events
    cross join as_of

),

feature_usage as (

    select
        feature,
        min(occurred_at) as first_used_at,
        max(occurred_at) as last_used_at,
        count(distinct case when days_ago < {{ week_days }} then user_id end) as users_7d,
        count(distinct case when days_ago < {{ month_days }} then user_id end) as users_28d,
        count(distinct case when days_ago < {{ week_days }} then account_id end) as accounts_7d,
        count(distinct case when days_ago < {{ month_days }} then account_id end) as accounts_28d
    from events_aged
    where feature is not null
    group by feature

),

active_accounts as (

    -- Denominator: accounts with any event (in any feature or none) in the window.
    select
        count(distinct case when days_ago < {{ week_days }} then account_id end) as active_accounts_7d,
        count(distinct case when days_ago < {{ month_days }} then account_id end) as active_accounts_28d
    from events_aged

),

joined as (

    select
        feature_usage.feature,
        feature_usage.users_7d,
        feature_usage.users_28d,
        feature_usage.accounts_7d,
        feature_usage.accounts_28d,
        case
            when active_accounts.active_accounts_7d > 0
                then cast(feature_usage.accounts_7d as {{ type_double() }}) / active_accounts.active_accounts_7d
            else 0
        end as account_share_7d,
        case
            when active_accounts.active_accounts_28d > 0
                then cast(feature_usage.accounts_28d as {{ type_double() }}) / active_accounts.active_accounts_28d
            else 0
        end as account_share_28d,
        feature_usage.first_used_at,
        feature_usage.last_used_at,
        as_of.as_of_date
    from feature_usage
    cross join active_accounts
    cross join as_of

),

final as (

    select
        ---------- ids
        feature,

        ---------- measures
        users_7d,
        users_28d,
        accounts_7d,
        accounts_28d,
        account_share_7d,
        account_share_28d,

        ---------- timestamps
        first_used_at,
        last_used_at,
        as_of_date

    from joined

)

select * from final
