{%- set recent_days = 7 * var('trend_recent_weeks') -%}
{%- set window_days = 7 * (var('trend_recent_weeks') + var('trend_baseline_weeks')) -%}
{#- Under a constant rate, an item of the whole window falls in the recent part with this probability. -#}
{%- set recent_share = var('trend_recent_weeks') / (var('trend_recent_weeks') + var('trend_baseline_weeks')) -%}

with

themes as (

    select * from {{ source('themes', 'themes') }}

),

areas as (

    select * from {{ source('themes', 'theme_areas') }}

),

feedback as (

    select * from {{ ref('fct_feedback') }}

),

overrides as (

    select * from {{ ref('theme_overrides') }}

),

best_roadmap_matches as (

    select * from {{ source('themes', 'theme_roadmap_matches') }}
    where match_rank = 1

),

theme_merges as (

    {{ followed_theme_merges('overrides', 'themes') }}

),

feature_links as (

    select * from {{ ref('theme_feature_links') }}
    where is_linked

),

catalog_size as (

    -- With the team's own feature catalog, areas are its areas; with none, the theme groups.
    select count(*) as n_features
    from {{ ref('stg_catalog__features') }}

),

as_of as (

    -- Windows end on the newest feedback item, not on today: same data, same statuses.
    select max(created_at) as as_of_at
    from feedback

),

feedback_per_theme as (

    select
        feedback.theme_id,
        min(feedback.created_at) as first_seen_at,
        max(feedback.created_at) as last_seen_at,
        count(*) as n_items,
        count(distinct feedback.account_id) as n_accounts,
        avg(feedback.sentiment_score) as avg_sentiment,
        {%- for intent in ['bug', 'feature_request', 'question', 'praise', 'other'] %}
            avg(case when feedback.intent = '{{ intent }}' then 1.0 else 0.0 end) as share_{{ intent }},
        {%- endfor %}
        sum(case
            when feedback.created_at > {{ dbt.dateadd('day', -recent_days, 'as_of.as_of_at') }}
                then 1
            else 0
        end) as volume_recent,
        sum(case
            when feedback.created_at <= {{ dbt.dateadd('day', -recent_days, 'as_of.as_of_at') }}
                and feedback.created_at > {{ dbt.dateadd('day', -window_days, 'as_of.as_of_at') }}
                then 1
            else 0
        end) as volume_baseline
    from feedback
    cross join as_of
    where feedback.theme_id is not null
    group by feedback.theme_id

),

curated as (

    select
        cast(themes.theme_id as {{ dbt.type_string() }}) as theme_id,
        coalesce(overrides.label, themes.label) as label,
        themes.label as generated_label,
        themes.keywords,
        themes.representative_quote,
        themes.quotes,
        themes.size,
        cast(themes.cohesion as {{ type_double() }}) as cohesion,
        coalesce(overrides.hidden, false) as is_hidden,
        case when coalesce(overrides.hidden, false) then overrides.hidden_reason end as hidden_reason,
        theme_merges.merge_into as merged_into_theme_id,
        -- A person's link wins; `none` removes a link the similarity found.
        case
            when lower(overrides.roadmap_item_key) = 'none' then null
            when overrides.roadmap_item_key is not null then overrides.roadmap_item_key
            when best_roadmap_matches.similarity >= {{ var('roadmap_link_min_similarity') }}
                then best_roadmap_matches.issue_key
        end as roadmap_item_key,
        case
            when lower(overrides.roadmap_item_key) = 'none' then null
            when overrides.roadmap_item_key is not null then 'override'
            when best_roadmap_matches.similarity >= {{ var('roadmap_link_min_similarity') }}
                then 'similarity'
        end as roadmap_link_source,
        cast(best_roadmap_matches.similarity as {{ type_double() }}) as roadmap_match_similarity,
        feature_links.feature,
        feature_links.feature_name,
        overrides.note as override_note,
        overrides.theme_id is not null as has_override,
        case
            when catalog_size.n_features = 0 then areas.area_id
            when feature_links.feature is null then 'unassigned'
            else {{ dbt.concat(["'catalog:'", 'lower(feature_links.feature_area)']) }}
        end as area_id,
        case
            when catalog_size.n_features = 0 then areas.area_label
            when feature_links.feature is null then 'Unassigned'
            else feature_links.feature_area
        end as area_label,
        case
            when catalog_size.n_features = 0 then 'theme_groups'
            when feature_links.feature is null then 'unassigned'
            else 'catalog'
        end as area_source
    from themes
    left join overrides
        on cast(themes.theme_id as {{ dbt.type_string() }}) = overrides.theme_id
    left join theme_merges
        on cast(themes.theme_id as {{ dbt.type_string() }}) = theme_merges.theme_id
    left join areas
        on cast(themes.theme_id as {{ dbt.type_string() }}) = areas.theme_id
    left join best_roadmap_matches
        on cast(themes.theme_id as {{ dbt.type_string() }}) = best_roadmap_matches.theme_id
    left join feature_links
        on cast(themes.theme_id as {{ dbt.type_string() }}) = feature_links.theme_id
    cross join catalog_size

),

tested as (

    -- Binomial test with continuity correction, normal approximation: given n items in the
    -- whole window, a steady theme puts n * recent_share of them in the recent weeks.
    select
        curated.*,
        coalesce(feedback_per_theme.n_items, 0) as n_items,
        coalesce(feedback_per_theme.n_accounts, 0) as n_accounts,
        feedback_per_theme.avg_sentiment,
        feedback_per_theme.share_bug,
        feedback_per_theme.share_feature_request,
        feedback_per_theme.share_question,
        feedback_per_theme.share_praise,
        feedback_per_theme.share_other,
        feedback_per_theme.first_seen_at,
        feedback_per_theme.last_seen_at,
        coalesce(feedback_per_theme.volume_recent, 0) as volume_recent,
        coalesce(feedback_per_theme.volume_baseline, 0) as volume_baseline,
        case
            when coalesce(feedback_per_theme.volume_recent, 0) + coalesce(feedback_per_theme.volume_baseline, 0) > 0
                then (
                    case when feedback_per_theme.volume_recent >= {{ recent_share }} * (feedback_per_theme.volume_recent + feedback_per_theme.volume_baseline) then 1 else -1 end
                    * greatest(
                        abs(feedback_per_theme.volume_recent - {{ recent_share }} * (feedback_per_theme.volume_recent + feedback_per_theme.volume_baseline)) - 0.5,
                        0
                    )
                    / sqrt((feedback_per_theme.volume_recent + feedback_per_theme.volume_baseline) * {{ recent_share }} * (1 - {{ recent_share }}))
                )
        end as trend_z,
        -- The same comparison as a size for scoring: recent volume over what a steady theme
        -- would have had in the recent weeks (baseline rate x recent weeks), each plus one so
        -- that a new theme gets a finite ratio. 1 is steady, 2 twice the usual volume.
        (
            cast(coalesce(feedback_per_theme.volume_recent, 0) + 1 as {{ type_double() }})
            / (coalesce(feedback_per_theme.volume_baseline, 0) * {{ var('trend_recent_weeks') }} / {{ var('trend_baseline_weeks') }} + 1)
        ) as trend_ratio
    from curated
    left join feedback_per_theme
        on curated.theme_id = feedback_per_theme.theme_id

),

with_status as (

    select
        tested.*,
        case
            when tested.first_seen_at > {{ dbt.dateadd('day', -recent_days, 'as_of.as_of_at') }} then 'new'
            when tested.trend_z is null then 'fading'
            when tested.trend_z >= {{ z_critical(var('trend_significance')) }} then 'growing'
            when tested.trend_z <= -{{ z_critical(var('trend_significance')) }} then 'fading'
            else 'stable'
        end as status,
        -- Something to fix, build or explain: a theme made mostly of thanks, praise, small
        -- talk or empty answers ("ok good", "n/a") gives a product manager nothing to act on.
        coalesce(
            tested.share_bug + tested.share_feature_request + tested.share_question, 0
        ) >= {{ var('actionable_min_share') }} as is_actionable
    from tested
    cross join as_of

),

with_reason as (

    select
        with_status.*,
        case
            when with_status.is_actionable then null
            when with_status.n_items = 0 then 'no feedback items'
            when with_status.share_praise >= with_status.share_other
                then {{ dbt.concat(["'praise or thanks: '", dbt.cast('round(100 * with_status.share_praise)', dbt.type_int()), "'% of items'"]) }}
            else {{ dbt.concat(["'small talk or empty answers: '", dbt.cast('round(100 * with_status.share_other)', dbt.type_int()), "'% of items'"]) }}
        end as not_actionable_reason
    from with_status

),

final as (

    select
        ---------- ids
        theme_id,
        area_id,
        merged_into_theme_id,
        roadmap_item_key,
        feature,

        ---------- attributes
        label,
        feature_name,
        roadmap_link_source,
        generated_label,
        keywords,
        representative_quote,
        quotes,
        area_label,
        area_source,
        status,
        is_actionable,
        not_actionable_reason,
        is_hidden,
        hidden_reason,
        has_override,
        override_note,

        ---------- measures
        size,
        cohesion,
        n_items,
        n_accounts,
        avg_sentiment,
        share_bug,
        share_feature_request,
        share_question,
        share_praise,
        share_other,
        volume_recent,
        volume_baseline,
        cast(trend_z as {{ type_double() }}) as trend_z,
        trend_ratio,
        roadmap_match_similarity,

        ---------- timestamps
        first_seen_at,
        last_seen_at

    from with_reason

)

select * from final
