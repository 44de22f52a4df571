with

feedback as (

    select * from {{ ref('int_feedback__unified') }}

),

assignments as (

    select * from {{ source('themes', 'feedback_themes') }}

),

themes as (

    select * from {{ source('themes', 'themes') }}

),

signals as (

    select * from {{ source('signals', 'feedback_signals') }}

),

overrides as (

    select * from {{ ref('theme_overrides') }}

),

theme_merges as (

    {{ followed_theme_merges('overrides', 'themes') }}

),

joined as (

    -- Left join: an item the theme step did not assign stays visible (theme and outlier
    -- flag null) and fails assert_every_feedback_item_has_theme_or_outlier.
    select
        feedback.*,
        cast(assignments.theme_id as {{ dbt.type_string() }}) as original_theme_id,
        assignments.is_outlier,
        cast(assignments.similarity as {{ type_double() }}) as theme_similarity,
        cast(signals.intent as {{ dbt.type_string() }}) as intent,
        cast(signals.intent_confidence as {{ type_double() }}) as intent_confidence,
        cast(signals.text_sentiment as {{ type_double() }}) as text_sentiment,
        cast(signals.sentiment_method as {{ dbt.type_string() }}) as sentiment_method,
        coalesce(signals.text_truncated, false) as is_text_truncated
    from feedback
    left join assignments
        on feedback.feedback_id = assignments.feedback_id
    left join signals
        on feedback.feedback_id = signals.feedback_id

),

merged as (

    select
        joined.*,
        coalesce(theme_merges.merge_into, joined.original_theme_id) as theme_id
    from joined
    left join theme_merges
        on joined.original_theme_id = theme_merges.theme_id

),

final as (

    select
        ---------- ids
        feedback_id,
        source_record_id,
        account_id,
        user_id,
        theme_id,
        original_theme_id,

        ---------- attributes
        source,
        feedback_type,
        text,
        is_outlier,
        intent,
        sentiment_method,
        is_text_truncated,

        ---------- measures
        rating,
        -- The words' sentiment for every item; the rating's, where there is one, stays beside it.
        text_sentiment as sentiment_score,
        sentiment_score as rating_sentiment,
        intent_confidence,
        votes,
        theme_similarity,

        ---------- timestamps
        created_at

    from merged

)

select * from final
