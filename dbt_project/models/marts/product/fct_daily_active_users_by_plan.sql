{%- set month_days = var('active_month_days') -%}
{%- set lookback_days = var('incremental_lookback_days') -%}
{%- set incremental = is_incremental_with('_loaded_at') -%}

{#- Incremental on the days of fct_daily_active_users: a night rebuilds the days from the first
    day with an event loaded since the last build, and at least the newest
    incremental_lookback_days. Every day is rebuilt after a CRM load (a user's plan is the one
    they have now, so a CRM change rewrites history) and when new events bring a plan x
    segment group the table lacks (every group has a row for every day). The delete key is
    the day, so a rebuilt day loses the rows of a group that no longer exists. -#}
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

users as (

    select * from {{ ref('stg_crm__users') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

crm_loads as (

    select _loaded_at from users
    union all
    select _loaded_at from crm_accounts

),

crm as (

    select max(_loaded_at) as loaded_at
    from crm_loads

),

daily_active_users as (

    select * from {{ ref('fct_daily_active_users') }}

),

calendar as (

    -- The same days as fct_daily_active_users, so the two tables line up day by day.
    select activity_date
    from daily_active_users

),

account_plans as (

    select
        account_id,
        coalesce(plan, 'unknown') as plan,
        coalesce(segment, 'unknown') as segment
    from accounts

),

user_plans as (

    -- A user counts for the plan their CRM account has now, whichever account an event
    -- names, so each user is in exactly one group and the groups add up to the total.
    select
        users.user_id,
        account_plans.plan,
        account_plans.segment
    from users
    inner join account_plans
        on users.account_id = account_plans.account_id

),

{%- if incremental %}

built as (

    select
        max(activity_date) as last_built_date,
        max(_loaded_at) as last_loaded_at,
        max(_crm_loaded_at) as last_crm_loaded_at
    from {{ this }}

),

built_groups as (

    select distinct
        plan,
        segment
    from {{ this }}

),

new_events as (

    select events.*
    from events
    cross join built
    where events._loaded_at > built.last_loaded_at

),

new_groups as (

    select
        coalesce(user_plans.plan, 'unknown') as plan,
        coalesce(user_plans.segment, 'unknown') as segment
    from new_events
    left join user_plans
        on new_events.user_id = user_plans.user_id
    where new_events.user_id is not null
    union all
    select
        coalesce(account_plans.plan, 'unknown') as plan,
        coalesce(account_plans.segment, 'unknown') as segment
    from new_events
    left join account_plans
        on new_events.account_id = account_plans.account_id
    where new_events.account_id is not null

),

missing_groups as (

    select count(*) as missing_count
    from new_groups
    left join built_groups
        on new_groups.plan = built_groups.plan
        and new_groups.segment = built_groups.segment
    where built_groups.plan is null

),

changed as (

    select min(occurred_on) as first_changed_date
    from new_events

),

rebuild as (

    -- first_date null: every day.
    select
        case
            when
                coalesce(crm.loaded_at > built.last_crm_loaded_at, true)
                or missing_groups.missing_count > 0
                then cast(null as date)
            else least(
                coalesce(changed.first_changed_date, built.last_built_date),
                cast({{ dbt.dateadd('day', 1 - lookback_days, 'built.last_built_date') }} as date)
            )
        end as first_date
    from built
    cross join crm
    cross join missing_groups
    cross join changed

),

{%- endif %}

window_events as (

    select events.*
    from events
    {%- if incremental %}
    cross join rebuild
    where rebuild.first_date is null
        or events.occurred_on
        > cast({{ dbt.dateadd('day', -month_days, 'rebuild.first_date') }} as date)
    {%- endif %}

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

user_days as (

    select distinct
        events.occurred_on as activity_date,
        coalesce(user_plans.plan, 'unknown') as plan,
        coalesce(user_plans.segment, 'unknown') as segment,
        events.user_id,
        cast(null as {{ dbt.type_string() }}) as account_id
    from window_events as events
    left join user_plans
        on events.user_id = user_plans.user_id
    where events.user_id is not null

),

account_days as (

    -- Accounts by the account each event names (groupId), anonymous events included, as
    -- in fct_daily_active_users.
    select distinct
        events.occurred_on as activity_date,
        coalesce(account_plans.plan, 'unknown') as plan,
        coalesce(account_plans.segment, 'unknown') as segment,
        cast(null as {{ dbt.type_string() }}) as user_id,
        events.account_id
    from window_events as events
    left join account_plans
        on events.account_id = account_plans.account_id
    where events.account_id is not null

),

activity_days as (

    select * from user_days
    union all
    select * from account_days

),

all_groups as (

    -- Every group of the whole history. An incremental night's activity holds only the rebuilt
    -- window, so the groups already built join it, unless every day is rebuilt (then a
    -- group that no longer exists must go).
    select
        plan,
        segment
    from activity_days
    {%- if incremental %}
    union all
    select
        built_groups.plan,
        built_groups.segment
    from built_groups
    cross join rebuild
    where rebuild.first_date is not null
    {%- endif %}

),

daily_counts as (

    -- One definition of DAU, WAU, MAU and stickiness, shared with fct_daily_active_users.
    {{ active_user_counts('activity_days', 'calendar_to_build', ['plan', 'segment'], groups='all_groups') }}

),

final as (

    select
        ---------- ids
        {{ dbt.concat(["cast(daily_counts.activity_date as " ~ dbt.type_string() ~ ")", "'/'", 'daily_counts.plan', "'/'", 'daily_counts.segment']) }} as plan_day_id,
        daily_counts.activity_date,

        ---------- attributes
        daily_counts.plan,
        daily_counts.segment,

        ---------- measures
        daily_counts.dau,
        daily_counts.wau,
        daily_counts.mau,
        daily_counts.stickiness,
        daily_counts.active_accounts,

        ---------- load (the incremental build's watermarks)
        day_loads.loaded_at as _loaded_at,
        crm.loaded_at as _crm_loaded_at

    from daily_counts
    left join day_loads
        on daily_counts.activity_date = day_loads.activity_date
    cross join crm

)

select * from final
