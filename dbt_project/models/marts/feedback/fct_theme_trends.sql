with

feedback as (

    select * from {{ ref('fct_feedback') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

weekly_feedback as (

    select
        theme_id,
        account_id,
        sentiment_score,
        {{ dbt.date_trunc('week', 'created_at') }} as week_start
    from feedback

),

weeks as (

    -- Weeks in which any feedback arrived, whatever its theme: a theme's quiet week is then
    -- a row with 0 items instead of a gap a chart would draw straight across.
    select distinct week_start
    from weekly_feedback

),

theme_weeks as (

    select
        themes.theme_id,
        weeks.week_start
    from themes
    inner join weeks
        on weeks.week_start >= {{ dbt.date_trunc('week', 'themes.first_seen_at') }}

),

theme_week_summary as (

    select
        theme_id,
        week_start,
        count(*) as feedback_items,
        count(distinct account_id) as n_accounts,
        count(sentiment_score) as sentiment_items,
        avg(sentiment_score) as avg_sentiment
    from weekly_feedback
    where theme_id is not null
    group by theme_id, week_start

),

joined as (

    select
        theme_weeks.theme_id,
        theme_weeks.week_start,
        coalesce(theme_week_summary.feedback_items, 0) as feedback_items,
        coalesce(theme_week_summary.n_accounts, 0) as n_accounts,
        coalesce(theme_week_summary.sentiment_items, 0) as sentiment_items,
        theme_week_summary.avg_sentiment
    from theme_weeks
    left join theme_week_summary
        on theme_weeks.theme_id = theme_week_summary.theme_id
            and theme_weeks.week_start = theme_week_summary.week_start

),

final as (

    select
        ---------- ids
        {{ dbt.concat(['theme_id', "'@'", dbt.cast('week_start', dbt.type_string())]) }} as theme_week_id,
        theme_id,

        ---------- measures
        feedback_items,
        n_accounts,
        sentiment_items,
        cast(avg_sentiment as {{ type_double() }}) as avg_sentiment,

        ---------- timestamps
        week_start

    from joined

)

select * from final
