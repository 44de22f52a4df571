-- An override names a theme (or merge target) the theme step no longer has: it then does
-- nothing. Theme IDs survive while a theme's centroid matches; when the theme step itself
-- merges, splits or retires a curated theme, a person decides again what the override
-- means for the themes that took its feedback (`insights themes list` shows what became of
-- it). A warning, so a curation left behind never stops the nightly run.
-- Attached to theme_overrides, so Dagster shows it as that asset's check (it reads two nodes).
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'theme_overrides'}}}) }}

with

overrides as (

    select * from {{ ref('theme_overrides') }}

),

themes as (

    select cast(theme_id as {{ dbt.type_string() }}) as theme_id
    from {{ source('themes', 'themes') }}

)

select
    overrides.theme_id,
    overrides.merge_into,
    case
        when current_theme.theme_id is null then 'theme_id is not a theme of this run'
        else 'merge_into is not a theme of this run'
    end as problem
from overrides
left join themes as current_theme
    on overrides.theme_id = current_theme.theme_id
left join themes as current_target
    on overrides.merge_into = current_target.theme_id
-- A theme split on request retires its ID by design; the request stays so the cut holds.
where (current_theme.theme_id is null and not coalesce(overrides.split, false))
    or (overrides.merge_into is not null and current_target.theme_id is null)
