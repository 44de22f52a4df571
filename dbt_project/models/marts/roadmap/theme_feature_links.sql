{%- set min_similarity = var('feature_link_min_similarity') -%}
{%- set high_similarity = var('feature_link_high_similarity') -%}
{%- set min_margin = var('feature_link_min_margin') -%}

with

themes as (

    select * from {{ source('themes', 'themes') }}

),

matches as (

    select * from {{ source('themes', 'theme_feature_matches') }}

),

catalog as (

    select * from {{ ref('stg_catalog__features') }}

),

overrides as (

    select * from {{ ref('theme_overrides') }}
    where feature is not null

),

candidates as (

    -- The theme step's closest features, for the themes of this run.
    select
        matches.theme_id,
        matches.feature,
        matches.similarity,
        matches.match_rank,
        matches.similarity - runner_up.similarity as margin
    from matches
    inner join themes
        on matches.theme_id = cast(themes.theme_id as {{ dbt.type_string() }})
    left join matches as runner_up
        on matches.theme_id = runner_up.theme_id
            and runner_up.match_rank = matches.match_rank + 1

),

overridden_pairs as (

    -- A person may name a feature outside the closest three: it still needs its row.
    select
        overrides.theme_id,
        overrides.feature,
        candidates.similarity,
        candidates.match_rank,
        candidates.margin
    from overrides
    inner join themes
        on overrides.theme_id = cast(themes.theme_id as {{ dbt.type_string() }})
    left join candidates
        on overrides.theme_id = candidates.theme_id
            and overrides.feature = candidates.feature
    where lower(overrides.feature) <> 'none'

),

pairs as (

    -- union (not union all): an override of a feature among the candidates is one row.
    select
        theme_id,
        feature,
        similarity,
        match_rank,
        margin
    from candidates
    union
    select
        theme_id,
        feature,
        similarity,
        match_rank,
        margin
    from overridden_pairs

),

decided as (

    select
        pairs.theme_id,
        pairs.feature,
        pairs.similarity,
        pairs.match_rank,
        pairs.margin,
        overrides.theme_id is not null as is_overridden,
        case
            -- An override decides alone; `none` leaves the theme with no feature.
            when overrides.theme_id is not null then pairs.feature = overrides.feature
            -- Close enough, and clearly closer than the next feature: a theme halfway
            -- between two features is left unassigned rather than given a coin toss.
            else pairs.match_rank = 1
                and pairs.similarity >= {{ min_similarity }}
                and coalesce(pairs.margin, 1) >= {{ min_margin }}
        end as is_linked
    from pairs
    left join overrides
        on pairs.theme_id = overrides.theme_id

),

final as (

    select
        ---------- ids
        {{ dbt.concat(['decided.theme_id', "':'", 'decided.feature']) }} as link_id,
        decided.theme_id,
        decided.feature,

        ---------- attributes
        catalog.name as feature_name,
        catalog.area as feature_area,
        decided.is_linked,
        case
            when decided.is_linked and decided.is_overridden then 'override'
            when decided.is_linked then 'similarity'
        end as link_source,
        case
            when decided.is_linked and decided.is_overridden then 'override'
            when decided.similarity >= {{ high_similarity }} then 'high'
            when decided.similarity >= {{ min_similarity }} then 'medium'
            else 'low'
        end as confidence,

        ---------- measures
        cast(decided.similarity as {{ type_double() }}) as similarity,
        cast(decided.margin as {{ type_double() }}) as margin,
        decided.match_rank

    from decided
    left join catalog
        on decided.feature = catalog.feature

)

select * from final
