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
        cast(assignments.similarity as {{ type_double() }}) as theme_similarity
    from feedback
    left join assignments
        on feedback.feedback_id = assignments.feedback_id

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

        ---------- measures
        rating,
        sentiment_score,
        votes,
        theme_similarity,

        ---------- timestamps
        created_at

    from merged

)

select * from final
