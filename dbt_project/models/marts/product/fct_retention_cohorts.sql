{#- Enough weeks for any event history this project will see (45 years); the series is cut to
    the observed weeks below. A fixed bound keeps the model free of compile-time queries. -#}
{%- set max_weeks = 2400 -%}
{#- Days from a cohort's first day to the day after the last day of week 0 of its latest
    member (signed up on the cohort's 7th day, so their week 0 ends 6 + 6 days in). -#}
{%- set days_to_close_week_0 = 13 -%}

with

users as (

    select * from {{ ref('stg_crm__users') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

events as (

    select * from {{ ref('int_product_events__unified') }}

),

event_range as (

    select
        min(occurred_on) as first_date,
        max(occurred_on) as last_date
    from events

),

signups as (

    -- Users and accounts side by side: a member is either, with its own signup day (UTC)
    -- and its cohort, the week holding that day.
    select
        'user' as member_type,
        user_id as member_id,
        cast(created_at as date) as signup_date,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as cohort_week
    from users
    where created_at is not null

    union all

    select
        'account' as member_type,
        account_id as member_id,
        cast(created_at as date) as signup_date,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as cohort_week
    from accounts
    where created_at is not null

),

observed_signups as (

    -- Only cohorts whose whole first week lies inside the events, so nobody's early weeks
    -- fall before the first event we have.
    select signups.*
    from signups
    cross join event_range
    where signups.cohort_week >= event_range.first_date

),

member_events as (

    -- A user is active with an event under their user ID; an account with an event under its
    -- ID (groupId).
    select
        observed_signups.member_type,
        observed_signups.member_id,
        observed_signups.cohort_week,
        observed_signups.signup_date,
        events.occurred_on
    from observed_signups
    inner join events
        on observed_signups.member_id = events.user_id
    where observed_signups.member_type = 'user'

    union all

    select
        observed_signups.member_type,
        observed_signups.member_id,
        observed_signups.cohort_week,
        observed_signups.signup_date,
        events.occurred_on
    from observed_signups
    inner join events
        on observed_signups.member_id = events.account_id
    where observed_signups.member_type = 'account'

),

member_activity as (

    -- Week N of a member is days [7N, 7N + 7) after the member's own signup day, not after
    -- the cohort's first day; events before the signup day are ignored.
    select distinct
        member_type,
        member_id,
        cohort_week,
        cast(
            floor({{ dbt.datediff('signup_date', 'occurred_on', 'day') }} / 7.0)
            as {{ dbt.type_int() }}
        ) as weeks_since_signup
    from member_events
    where occurred_on >= signup_date

),

cohorts as (

    select
        cohort_week,
        count(distinct case when member_type = 'user' then member_id end) as cohort_users,
        count(distinct case when member_type = 'account' then member_id end) as cohort_accounts
    from observed_signups
    group by cohort_week

),

week_numbers as (

    {{ dbt.generate_series(max_weeks) }}

),

cohort_weeks as (

    -- Week N of a cohort is shown once it is over for every member: the newest event falls
    -- on a later day than the last day of week N of the cohort's latest signup.
    select
        cohorts.cohort_week,
        week_numbers.generated_number - 1 as weeks_since_signup,
        cohorts.cohort_users,
        cohorts.cohort_accounts
    from cohorts
    cross join week_numbers
    cross join event_range
    where 7 * (week_numbers.generated_number - 1) + {{ days_to_close_week_0 }}
        <= {{ dbt.datediff('cohorts.cohort_week', 'event_range.last_date', 'day') }}

),

retained as (

    select
        cohort_week,
        weeks_since_signup,
        count(distinct case when member_type = 'user' then member_id end) as retained_users,
        count(distinct case when member_type = 'account' then member_id end) as retained_accounts
    from member_activity
    group by
        cohort_week,
        weeks_since_signup

),

joined as (

    select
        cohort_weeks.cohort_week,
        cohort_weeks.weeks_since_signup,
        cohort_weeks.cohort_users,
        coalesce(retained.retained_users, 0) as retained_users,
        {{ ratio('coalesce(retained.retained_users, 0)', 'cohort_weeks.cohort_users') }} as user_retention,
        cohort_weeks.cohort_accounts,
        coalesce(retained.retained_accounts, 0) as retained_accounts,
        {{ ratio('coalesce(retained.retained_accounts, 0)', 'cohort_weeks.cohort_accounts') }} as account_retention
    from cohort_weeks
    left join retained
        on cohort_weeks.cohort_week = retained.cohort_week
            and cohort_weeks.weeks_since_signup = retained.weeks_since_signup

),

final as (

    select
        ---------- ids
        {{ dbt.concat(["cast(cohort_week as " ~ dbt.type_string() ~ ")", "'+'", "cast(weeks_since_signup as " ~ dbt.type_string() ~ ")"]) }} as cohort_period_id,
        cohort_week,
        weeks_since_signup,

        ---------- measures
        cohort_users,
        retained_users,
        user_retention,
        cohort_accounts,
        retained_accounts,
        account_retention

    from joined

)

select * from final
