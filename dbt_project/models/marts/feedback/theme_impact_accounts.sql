{#- Each theme with each account: whether the account raised the theme, its weekly active
    users before and after its anchor, whether it churned, and its weight in theme_impact's
    matched comparison. The method is in the description (_theme_impact__models.yml). -#}
{%- set window_weeks = var('impact_window_weeks') -%}
{%- set min_weeks = var('impact_min_weeks') -%}
{%- set seat_bands = var('impact_seat_bands') -%}
{#- 'lower-upper' CRM users, e.g. '0-9', '10-49', '50+' for the default edges [10, 50]. -#}
{%- set seat_band -%}
    case {%- for edge in seat_bands %} when accounts.n_users < {{ edge }} then '{{ seat_bands[loop.index0 - 1] if not loop.first else 0 }}-{{ edge - 1 }}' {%- endfor %} else '{{ seat_bands[-1] }}+' end
{%- endset -%}

with

feedback as (

    select * from {{ ref('fct_feedback') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

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

account_user_days as (

    select distinct
        account_id,
        user_id,
        occurred_on
    from events
    where account_id is not null
        and user_id is not null

),

account_last_activity as (

    select
        account_id,
        max(occurred_on) as last_active_on
    from events
    where account_id is not null
    group by account_id

),

matched_accounts as (

    -- The matching cell: plan and seat band (CRM users; band edges from var impact_seat_bands).
    select
        accounts.account_id,
        accounts.created_at,
        coalesce(accounts.plan, 'unknown') as plan,
        {{ seat_band }} as seat_band,
        case
            when {{ dbt.datediff('account_last_activity.last_active_on', 'event_range.last_date', 'day') }}
                >= {{ var('impact_churn_days') }}
                or account_last_activity.last_active_on is null
                then 1
            else 0
        end as is_churned
    from accounts
    cross join event_range
    left join account_last_activity
        on accounts.account_id = account_last_activity.account_id

),

first_mentions as (

    select
        theme_id,
        account_id,
        cast(min(created_at) as date) as first_mentioned_on
    from feedback
    where theme_id is not null
        and account_id is not null
    group by
        theme_id,
        account_id

),

theme_anchors as (

    -- Accounts that did not raise the theme are measured around the median day on which the
    -- raisers first raised it, so both groups share the calendar of the raisers.
    select
        theme_id,
        percentile_disc(0.5) within group (order by first_mentioned_on) as anchor_date
    from first_mentions
    group by theme_id

),

theme_accounts as (

    select
        theme_anchors.theme_id,
        matched_accounts.account_id,
        matched_accounts.plan,
        matched_accounts.seat_band,
        matched_accounts.created_at,
        matched_accounts.is_churned,
        case when first_mentions.account_id is not null then 1 else 0 end as is_raiser,
        first_mentions.first_mentioned_on,
        theme_anchors.anchor_date as theme_anchor_date,
        coalesce(first_mentions.first_mentioned_on, theme_anchors.anchor_date) as anchor_date
    from theme_anchors
    cross join matched_accounts
    left join first_mentions
        on theme_anchors.theme_id = first_mentions.theme_id
            and matched_accounts.account_id = first_mentions.account_id

),

week_numbers as (

    {{ dbt.generate_series(2 * window_weeks) }}

),

theme_account_weeks as (

    -- Week k of an account is days [anchor + 7k, anchor + 7k + 7): k < 0 before, k >= 0 from
    -- the anchor day on. Only weeks wholly inside the event range count.
    select
        theme_accounts.theme_id,
        theme_accounts.account_id,
        week_numbers.generated_number - 1 - {{ window_weeks }} as week_number,
        cast({{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1 - ' ~ window_weeks ~ ')', 'theme_accounts.anchor_date') }} as date)
            as week_start
    from theme_accounts
    cross join week_numbers
    cross join event_range
    where {{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1 - ' ~ window_weeks ~ ')', 'theme_accounts.anchor_date') }}
        >= event_range.first_date
        and {{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1 - ' ~ window_weeks ~ ') + 6', 'theme_accounts.anchor_date') }}
        <= event_range.last_date

),

weekly_activity as (

    select
        theme_account_weeks.theme_id,
        theme_account_weeks.account_id,
        theme_account_weeks.week_number,
        theme_account_weeks.week_start,
        count(distinct account_user_days.user_id) as active_users
    from theme_account_weeks
    left join account_user_days
        on theme_account_weeks.account_id = account_user_days.account_id
            and theme_account_weeks.week_start <= account_user_days.occurred_on
            and cast({{ dbt.dateadd('day', 7, 'theme_account_weeks.week_start') }} as date)
            > account_user_days.occurred_on
    group by
        theme_account_weeks.theme_id,
        theme_account_weeks.account_id,
        theme_account_weeks.week_number,
        theme_account_weeks.week_start

),

account_windows as (

    select
        theme_id,
        account_id,
        count(case when week_number < 0 then 1 end) as weeks_before,
        count(case when week_number >= 0 then 1 end) as weeks_after,
        min(week_start) as first_week_start,
        avg(case when week_number < 0 then cast(active_users as {{ type_double() }}) end) as wau_before,
        avg(case when week_number >= 0 then cast(active_users as {{ type_double() }}) end) as wau_after
    from weekly_activity
    group by
        theme_id,
        account_id

),

measured as (

    -- Measured: enough whole weeks on both sides, the account existed through all of them
    -- and was in use before the anchor.
    select
        theme_accounts.*,
        account_windows.weeks_before,
        account_windows.weeks_after,
        account_windows.wau_before,
        account_windows.wau_after,
        {{ growth_rate('account_windows.wau_after', 'account_windows.wau_before') }} as usage_change,
        coalesce(
            account_windows.weeks_before >= {{ min_weeks }}
            and account_windows.weeks_after >= {{ min_weeks }}
            and account_windows.wau_before > 0
            and (theme_accounts.created_at is null or cast(theme_accounts.created_at as date) <= account_windows.first_week_start),
            false
        ) as is_measured
    from theme_accounts
    left join account_windows
        on theme_accounts.theme_id = account_windows.theme_id
            and theme_accounts.account_id = account_windows.account_id

),

cells as (

    select
        theme_id,
        plan,
        seat_band,
        sum(is_raiser) as raisers,
        sum(1 - is_raiser) as non_raisers
    from measured
    where is_measured
    group by
        theme_id,
        plan,
        seat_band

),

weighted as (

    -- Coarsened exact matching: raisers in a cell without a comparison account drop out;
    -- a comparison account weighs raisers / non-raisers of its cell, so the comparison group has
    -- the raisers' mix of cells. Raisers weigh 1; an account left out has no weight.
    select
        measured.*,
        case
            when not measured.is_measured or cells.raisers = 0 or cells.non_raisers = 0 then null
            when measured.is_raiser = 1 then cast(1 as {{ type_double() }})
            else cast(cells.raisers as {{ type_double() }}) / cells.non_raisers
        end as match_weight
    from measured
    left join cells
        on measured.theme_id = cells.theme_id
            and measured.plan = cells.plan
            and measured.seat_band = cells.seat_band

),

final as (

    select
        ---------- ids
        {{ dbt.concat(['theme_id', "':'", 'account_id']) }} as theme_account_id,
        theme_id,
        account_id,

        ---------- attributes
        plan,
        seat_band,
        coalesce(is_raiser = 1, false) as is_raiser,
        coalesce(is_churned = 1, false) as is_churned,
        is_measured,

        ---------- measures
        weeks_before,
        weeks_after,
        wau_before,
        wau_after,
        usage_change,
        match_weight,

        ---------- timestamps
        first_mentioned_on,
        theme_anchor_date,
        anchor_date

    from weighted

)

select * from final
