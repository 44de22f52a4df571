with

themes as (

    select * from {{ source('themes', 'themes') }}

),

feedback as (

    select * from {{ ref('fct_feedback') }}

),

feedback_per_theme as (

    select
        theme_id,
        min(created_at) as first_seen_at,
        max(created_at) as last_seen_at,
        count(*) as n_items,
        count(distinct account_id) as n_accounts,
        avg(sentiment_score) as avg_sentiment
    from feedback
    where theme_id is not null
    group by theme_id

),

joined as (

    select
        cast(themes.theme_id as {{ dbt.type_string() }}) as theme_id,
        themes.label,
        themes.keywords,
        themes.representative_quote,
        themes.size,
        cast(themes.cohesion as {{ type_double() }}) as cohesion,
        coalesce(feedback_per_theme.n_items, 0) as n_items,
        coalesce(feedback_per_theme.n_accounts, 0) as n_accounts,
        feedback_per_theme.avg_sentiment,
        feedback_per_theme.first_seen_at,
        feedback_per_theme.last_seen_at
    from themes
    left join feedback_per_theme
        on cast(themes.theme_id as {{ dbt.type_string() }}) = feedback_per_theme.theme_id

),

final as (

    select
        ---------- ids
        theme_id,

        ---------- attributes
        label,
        keywords,
        representative_quote,

        ---------- measures
        size,
        cohesion,
        n_items,
        n_accounts,
        avg_sentiment,

        ---------- timestamps
        first_seen_at,
        last_seen_at

    from joined

)

select * from final
