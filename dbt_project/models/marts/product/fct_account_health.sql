{%- set window_days = var('health_window_days') -%}
{%- set nps_window_days = var('health_nps_window_days') -%}
{%- set min_responses = var('health_min_responses') -%}

with

accounts as (

    select * from {{ ref('dim_accounts') }}

),

users as (

    select * from {{ ref('stg_crm__users') }}

),

events as (

    select * from {{ ref('int_product_events__unified') }}

),

feedback as (

    select * from {{ ref('fct_feedback') }}

),

usage_as_of as (

    -- Usage windows end on the day of the newest event, never on today. The prior window
    -- is only comparable when the events reach back to its first day.
    select
        max(occurred_on) as usage_as_of_date,
        case
            when {{ dbt.datediff('min(occurred_on)', 'max(occurred_on)', 'day') }} >= {{ 2 * window_days - 1 }}
                then 1
            else 0
        end as has_prior_window
    from events

),

feedback_as_of as (

    -- Feedback windows end on the newest feedback item, as in roadmap_candidates.
    select max(created_at) as feedback_as_of_at
    from feedback

),

events_aged as (

    select
        events.account_id,
        events.user_id,
        events.occurred_on,
        {{ dbt.datediff('events.occurred_on', 'usage_as_of.usage_as_of_date', 'day') }} as days_ago
    from events
    cross join usage_as_of

),

account_usage as (

    -- Events by the account each event names (groupId), anonymous ones included.
    select
        account_id,
        count(case when days_ago < {{ window_days }} then 1 end) as events_recent_28d,
        count(case
            when days_ago >= {{ window_days }} and days_ago < {{ 2 * window_days }} then 1
        end) as events_prior_28d,
        count(distinct case when days_ago < {{ window_days }} then occurred_on end) as active_days_28d,
        count(*) as events_total
    from events_aged
    where account_id is not null
    group by account_id

),

active_seats as (

    -- Seats are the account's CRM users; a seat is active with an event under its user ID
    -- in the recent window, so utilisation can never pass 1.
    select
        users.account_id,
        count(distinct events_aged.user_id) as active_seats_28d
    from events_aged
    inner join users
        on events_aged.user_id = users.user_id
    where events_aged.days_ago < {{ window_days }}
    group by users.account_id

),

feedback_windowed as (

    select
        feedback.account_id,
        feedback.feedback_type,
        feedback.rating,
        feedback.sentiment_score,
        case
            when feedback.created_at > {{ dbt.dateadd('day', -window_days, 'feedback_as_of.feedback_as_of_at') }}
                then 1
            else 0
        end as is_recent,
        case
            when feedback.created_at > {{ dbt.dateadd('day', -nps_window_days, 'feedback_as_of.feedback_as_of_at') }}
                then 1
            else 0
        end as is_in_nps_window
    from feedback
    cross join feedback_as_of
    where feedback.account_id is not null

),

account_feedback as (

    select
        account_id,
        {{ net_promoter_score(
            "case when feedback_type = 'nps_response' and is_in_nps_window = 1 then rating end"
        ) }} as nps,
        count(case
            when feedback_type = 'nps_response' and is_in_nps_window = 1 then rating
        end) as nps_responses,
        count(case
            when feedback_type in ('support_ticket', 'support_conversation') and is_recent = 1 then 1
        end) as tickets_recent_28d,
        count(case when is_recent = 1 then 1 end) as feedback_items_recent_28d,
        count(case when is_recent = 1 then sentiment_score end) as sentiment_items_recent_28d,
        count(case when is_recent = 1 and sentiment_score < 0 then 1 end) as negative_items_recent_28d
    from feedback_windowed
    group by account_id

),

joined as (

    select
        accounts.account_id,
        accounts.account_name,
        accounts.plan,
        accounts.segment,
        accounts.region,
        accounts.arr,
        accounts.n_users as seats,
        -- No event names the account, ever: its usage is unknown (not tracked, or not yet), not nil.
        coalesce(account_usage.events_total, 0) > 0 as has_usage_data,
        coalesce(active_seats.active_seats_28d, 0) as active_seats_28d,
        case
            when account_usage.events_total > 0
                then {{ ratio('coalesce(active_seats.active_seats_28d, 0)', 'accounts.n_users') }}
        end as seat_utilisation,
        coalesce(account_usage.events_recent_28d, 0) as events_recent_28d,
        coalesce(account_usage.events_prior_28d, 0) as events_prior_28d,
        case
            when usage_as_of.has_prior_window = 1
                then {{ growth_rate('coalesce(account_usage.events_recent_28d, 0)', 'coalesce(account_usage.events_prior_28d, 0)') }}
        end as usage_trend,
        coalesce(account_usage.active_days_28d, 0) as active_days_28d,
        account_feedback.nps,
        coalesce(account_feedback.nps_responses, 0) as nps_responses,
        coalesce(account_feedback.tickets_recent_28d, 0) as tickets_recent_28d,
        coalesce(account_feedback.feedback_items_recent_28d, 0) as feedback_items_recent_28d,
        coalesce(account_feedback.sentiment_items_recent_28d, 0) as sentiment_items_recent_28d,
        {{ ratio('account_feedback.negative_items_recent_28d', 'account_feedback.sentiment_items_recent_28d') }} as negative_share,
        accounts.last_active_at,
        usage_as_of.usage_as_of_date,
        feedback_as_of.feedback_as_of_at
    from accounts
    left join account_usage
        on accounts.account_id = account_usage.account_id
    left join active_seats
        on accounts.account_id = active_seats.account_id
    left join account_feedback
        on accounts.account_id = account_feedback.account_id
    cross join usage_as_of
    cross join feedback_as_of

),

warning_signs as (

    -- The milder signs. NPS and negative share count only when enough customers spoke
    -- (var health_min_responses); a null metric is no sign either way.
    select
        joined.*,
        case
            when joined.usage_trend < -{{ var('health_usage_drop_watch') }} then 1 else 0
        end as has_usage_drop,
        case
            when joined.nps_responses >= {{ min_responses }}
                and joined.nps < {{ var('health_nps_watch') }}
                then 1
            else 0
        end as has_low_nps,
        case
            when joined.sentiment_items_recent_28d >= {{ min_responses }}
                and joined.negative_share > {{ var('health_negative_share_watch') }}
                then 1
            else 0
        end as has_negative_feedback,
        case
            when joined.seat_utilisation < {{ var('health_seat_utilisation_watch') }} then 1 else 0
        end as has_low_seat_utilisation
    from joined

),

health_reasons as (

    -- The first rule that holds, most severe first; the band follows from it. Usage decides
    -- alone; the other signs put an account at risk only together with a usage drop.
    select
        warning_signs.*,
        case
            when not warning_signs.has_usage_data
                and warning_signs.has_low_nps + warning_signs.has_negative_feedback = 0
                then 'no_usage_data'
            when not warning_signs.has_usage_data and warning_signs.has_low_nps = 1
                then 'low_nps'
            when not warning_signs.has_usage_data
                then 'negative_feedback'
            when warning_signs.events_recent_28d = 0
                then 'no_recent_usage'
            when warning_signs.usage_trend < -{{ var('health_usage_drop_at_risk') }}
                then 'steep_usage_drop'
            when warning_signs.has_usage_drop = 1
                and warning_signs.has_low_nps + warning_signs.has_negative_feedback + warning_signs.has_low_seat_utilisation > 0
                then 'usage_drop_and_warning'
            when warning_signs.has_usage_drop = 1
                then 'usage_drop'
            when warning_signs.has_low_nps = 1
                then 'low_nps'
            when warning_signs.has_negative_feedback = 1
                then 'negative_feedback'
            when warning_signs.has_low_seat_utilisation = 1
                then 'low_seat_utilisation'
            else 'none'
        end as health_reason
    from warning_signs

),

banded as (

    select
        health_reasons.*,
        case
            when health_reasons.health_reason in ('no_recent_usage', 'steep_usage_drop', 'usage_drop_and_warning') then 'at_risk'
            when health_reasons.health_reason in ('usage_drop', 'low_nps', 'negative_feedback', 'low_seat_utilisation') then 'watch'
            when health_reasons.health_reason = 'no_usage_data' then 'unknown'
            else 'healthy'
        end as health_band
    from health_reasons

),

final as (

    select
        ---------- ids
        account_id,

        ---------- attributes
        account_name,
        plan,
        segment,
        region,
        health_band,
        health_reason,
        coalesce(health_band = 'at_risk', false) as is_at_risk,
        has_usage_data,

        ---------- measures
        arr,
        seats,
        active_seats_28d,
        seat_utilisation,
        events_recent_28d,
        events_prior_28d,
        usage_trend,
        active_days_28d,
        nps,
        nps_responses,
        tickets_recent_28d,
        feedback_items_recent_28d,
        sentiment_items_recent_28d,
        negative_share,

        ---------- timestamps
        last_active_at,
        usage_as_of_date,
        feedback_as_of_at

    from banded

)

select * from final
