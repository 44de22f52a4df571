{#- A merge a person asked for in theme_overrides, as the marts follow it: only into a theme
    that exists this run and is not the theme itself, since a merge into a retired theme
    would leave its feedback pointing at nothing. fct_feedback moves the items with it and
    dim_themes shows it as merged_into_theme_id; both select from this one definition. -#}
{% macro followed_theme_merges(overrides, themes) -%}
    select
        {{ overrides }}.theme_id,
        {{ overrides }}.merge_into
    from {{ overrides }}
    inner join {{ themes }}
        on {{ overrides }}.merge_into = cast({{ themes }}.theme_id as {{ dbt.type_string() }})
    where {{ overrides }}.merge_into <> {{ overrides }}.theme_id
{%- endmacro %}
