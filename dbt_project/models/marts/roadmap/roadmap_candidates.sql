{%- set window_days = var('trend_window_days') -%}

with

feedback as (

    select * from {{ ref('fct_feedback') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

candidate_themes as (

    -- A hidden theme was judged not actionable; a merged one lives on in the theme it was
    -- merged into (which got its feedback in fct_feedback).
    select *
    from themes
    where not is_hidden
        and merged_into_theme_id is null

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

as_of as (

    -- Trend windows end on the newest feedback item, not on today: same data, same ranks.
    select max(created_at) as as_of_at
    from feedback

),

themed_feedback as (

    select
        feedback.theme_id,
        feedback.account_id,
        feedback.user_id,
        feedback.sentiment_score,
        feedback.votes,
        case
            when feedback.created_at > {{ dbt.dateadd('day', -window_days, 'as_of.as_of_at') }}
                then 1 else 0
        end as is_recent,
        case
            when feedback.created_at <= {{ dbt.dateadd('day', -window_days, 'as_of.as_of_at') }}
                and feedback.created_at > {{ dbt.dateadd('day', -2 * window_days, 'as_of.as_of_at') }}
                then 1 else 0
        end as is_prior
    from feedback
    cross join as_of
    where feedback.theme_id is not null

),

theme_feedback_summary as (

    select
        theme_id,
        count(*) as feedback_items,
        count(distinct account_id) as reach_accounts,
        count(distinct user_id) as reach_users,
        cast(sum(votes) as {{ dbt.type_bigint() }}) as votes,
        avg(sentiment_score) as avg_sentiment,
        cast(sum(is_recent) as {{ dbt.type_bigint() }}) as volume_recent_28d,
        cast(sum(is_prior) as {{ dbt.type_bigint() }}) as volume_prior_28d
    from themed_feedback
    group by theme_id

),

theme_accounts as (

    select distinct
        theme_id,
        account_id
    from themed_feedback
    where account_id is not null

),

theme_arr as (

    select
        theme_accounts.theme_id,
        sum(coalesce(accounts.arr, 0)) as arr_affected
    from theme_accounts
    inner join accounts
        on theme_accounts.account_id = accounts.account_id
    group by theme_accounts.theme_id

),

total_arr as (

    select sum(coalesce(arr, 0)) as total_arr
    from accounts

),

components as (

    select
        themes.theme_id,
        themes.label,
        themes.status,
        themes.area_id,
        themes.area_label,
        themes.roadmap_item_key,
        coalesce(theme_feedback_summary.feedback_items, 0) as feedback_items,
        coalesce(theme_feedback_summary.reach_accounts, 0) as reach_accounts,
        coalesce(theme_feedback_summary.reach_users, 0) as reach_users,
        coalesce(theme_feedback_summary.votes, 0) as votes,
        cast(coalesce(theme_arr.arr_affected, 0) as {{ type_double() }}) as arr_affected,
        theme_feedback_summary.avg_sentiment,
        coalesce(theme_feedback_summary.volume_recent_28d, 0) as volume_recent_28d,
        coalesce(theme_feedback_summary.volume_prior_28d, 0) as volume_prior_28d,
        case
            when total_arr.total_arr > 0
                then cast(coalesce(theme_arr.arr_affected, 0) as {{ type_double() }}) / total_arr.total_arr
            else 0
        end as arr_share,
        greatest(
            cast(0 as {{ type_double() }}),
            -coalesce(theme_feedback_summary.avg_sentiment, 0)
        ) as negativity,
        cast(coalesce(theme_feedback_summary.volume_recent_28d, 0) + 1 as {{ type_double() }})
            / (coalesce(theme_feedback_summary.volume_prior_28d, 0) + 1) as trend_ratio
    from candidate_themes as themes
    left join theme_feedback_summary
        on themes.theme_id = theme_feedback_summary.theme_id
    left join theme_arr
        on themes.theme_id = theme_arr.theme_id
    cross join total_arr

),

scored as (

    select
        *,
        reach_accounts * (1 + arr_share) * (1 + negativity) * sqrt(least(trend_ratio, {{ var('max_trend_ratio') }})) as score
    from components

),

ranked as (

    select
        *,
        row_number() over (order by score desc, theme_id) as rank
    from scored

),

final as (

    select
        ---------- ids
        theme_id,
        rank,

        ---------- attributes
        label,
        status,
        area_id,
        area_label,
        roadmap_item_key,

        ---------- reach
        feedback_items,
        reach_accounts,
        reach_users,
        votes,
        arr_affected,

        ---------- sentiment and trend
        avg_sentiment,
        volume_recent_28d,
        volume_prior_28d,
        trend_ratio,

        ---------- score
        arr_share,
        negativity,
        score

    from ranked

)

select * from final
