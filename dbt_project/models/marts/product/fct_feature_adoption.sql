{%- set week_days = var('active_week_days') -%}
{%- set month_days = var('active_month_days') -%}

with

events as (

    select * from {{ ref('int_product_events__unified') }}

),

catalog as (

    select * from {{ ref('stg_catalog__features') }}

),

as_of as (

    -- Windows end on the newest event, not on today, so a rerun on the same data gives
    -- the same table. The prior window is only comparable when the events reach back to
    -- its first day.
    select
        max(occurred_on) as as_of_date,
        case
            when {{ dbt.datediff('min(occurred_on)', 'max(occurred_on)', 'day') }} >= {{ 2 * month_days - 1 }}
                then 1
            else 0
        end as has_prior_window
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
        count(distinct case
            when days_ago >= {{ month_days }} and days_ago < {{ 2 * month_days }} then user_id
        end) as users_prior_28d,
        count(distinct case when days_ago < {{ week_days }} then account_id end) as accounts_7d,
        count(distinct case when days_ago < {{ month_days }} then account_id end) as accounts_28d,
        count(distinct case
            when days_ago >= {{ month_days }} and days_ago < {{ 2 * month_days }} then account_id
        end) as accounts_prior_28d
    from events_aged
    where feature is not null
    group by feature

),

active_accounts as (

    -- Denominator: accounts with any event (in any feature or none) in the window.
    select
        count(distinct case when days_ago < {{ week_days }} then account_id end) as active_accounts_7d,
        count(distinct case when days_ago < {{ month_days }} then account_id end) as active_accounts_28d,
        count(distinct case
            when days_ago >= {{ month_days }} and days_ago < {{ 2 * month_days }} then account_id
        end) as active_accounts_prior_28d
    from events_aged

),

all_features as (

    -- Every catalog feature, used or not, and any feature the events carry that the
    -- catalog lacks (so nothing used goes unseen).
    select feature from catalog
    union all
    select feature from feature_usage

),

features as (

    select distinct feature
    from all_features

),

joined as (

    select
        features.feature,
        catalog.name as feature_name,
        catalog.area,
        coalesce(catalog.feature is not null, false) as is_in_catalog,
        coalesce(feature_usage.users_7d, 0) as users_7d,
        coalesce(feature_usage.users_28d, 0) as users_28d,
        coalesce(feature_usage.users_prior_28d, 0) as users_prior_28d,
        coalesce(feature_usage.accounts_7d, 0) as accounts_7d,
        coalesce(feature_usage.accounts_28d, 0) as accounts_28d,
        coalesce(feature_usage.accounts_prior_28d, 0) as accounts_prior_28d,
        coalesce(
            {{ ratio('feature_usage.accounts_7d', 'active_accounts.active_accounts_7d') }}, 0
        ) as account_share_7d,
        coalesce(
            {{ ratio('feature_usage.accounts_28d', 'active_accounts.active_accounts_28d') }}, 0
        ) as account_share_28d,
        coalesce(
            {{ ratio('feature_usage.accounts_prior_28d', 'active_accounts.active_accounts_prior_28d') }}, 0
        ) as account_share_prior_28d,
        case
            when as_of.has_prior_window = 1
                then {{ growth_rate('coalesce(feature_usage.accounts_28d, 0)', 'coalesce(feature_usage.accounts_prior_28d, 0)') }}
        end as adoption_trend,
        feature_usage.first_used_at,
        feature_usage.last_used_at,
        as_of.as_of_date
    from features
    left join catalog
        on features.feature = catalog.feature
    left join feature_usage
        on features.feature = feature_usage.feature
    cross join active_accounts
    cross join as_of

),

final as (

    select
        ---------- ids
        feature,

        ---------- attributes
        feature_name,
        area,
        is_in_catalog,

        ---------- measures
        users_7d,
        users_28d,
        users_prior_28d,
        accounts_7d,
        accounts_28d,
        accounts_prior_28d,
        account_share_7d,
        account_share_28d,
        account_share_prior_28d,
        adoption_trend,

        ---------- timestamps
        first_used_at,
        last_used_at,
        as_of_date

    from joined

)

select * from final
