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

user_days as (

    select distinct
        events.occurred_on as activity_date,
        coalesce(user_plans.plan, 'unknown') as plan,
        coalesce(user_plans.segment, 'unknown') as segment,
        events.user_id,
        cast(null as {{ dbt.type_string() }}) as account_id
    from events
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
    from events
    left join account_plans
        on events.account_id = account_plans.account_id
    where events.account_id is not null

),

activity_days as (

    select * from user_days
    union all
    select * from account_days

),

daily_counts as (

    -- One definition of DAU, WAU, MAU and stickiness, shared with fct_daily_active_users.
    {{ active_user_counts('activity_days', 'calendar', ['plan', 'segment']) }}

),

final as (

    select
        ---------- ids
        {{ dbt.concat(["cast(activity_date as " ~ dbt.type_string() ~ ")", "'/'", 'plan', "'/'", 'segment']) }} as plan_day_id,
        activity_date,

        ---------- attributes
        plan,
        segment,

        ---------- measures
        dau,
        wau,
        mau,
        stickiness,
        active_accounts

    from daily_counts

)

select * from final
