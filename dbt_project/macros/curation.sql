{#- Where the person's theme overrides live: <data root>/curation/theme_overrides.csv, the data
    root being the warehouse's folder (profiles.yml takes the warehouse from the same var and
    environment), so the file goes with the user's data, never with the package. The var
    `theme_overrides_path` points elsewhere, e.g. for a hand-run dbt on a copy. -#}
{% macro theme_overrides_path() -%}
    {%- set warehouse = var('warehouse_path', env_var('INSIGHTS_DATA_DIR', 'data') ~ '/warehouse.duckdb') -%}
    {%- set data_root = warehouse.rsplit('/', 1)[0] if '/' in warehouse else '.' -%}
    {{- return(var('theme_overrides_path', data_root ~ '/curation/theme_overrides.csv')) -}}
{%- endmacro %}

{#- The overrides file as rows of (theme_id, label, merge_into, hidden, roadmap_item_key,
    feature, note, hidden_reason, split). No file, an empty one or a header alone all mean "no
    overrides", so a fresh clone runs without one. -#}
{% macro read_theme_overrides(path) -%}
    {{ return(adapter.dispatch('read_theme_overrides', 'customer_insights')(path)) }}
{%- endmacro %}

{% macro default__read_theme_overrides(path) -%}
    {{ exceptions.raise_compiler_error("read_theme_overrides has no implementation for " ~ target.type) }}
{%- endmacro %}

{#- Columns by position, with their types, so nothing is sniffed from a file of a few rows;
    null_padding reads a file written before hidden_reason and split were added (the seed's 7
    columns).
    The file's existence is asked at run time (glob matches nothing rather than failing):
    read_csv of a missing file is an error. -#}
{% macro duckdb__read_theme_overrides(path) -%}
    {%- set quoted = "'" ~ path | replace("'", "''") ~ "'" -%}
    {%- set found = 0 -%}
    {%- if execute -%}
        {%- set found = run_query("select count(*) from glob(" ~ quoted ~ ")").columns[0].values()[0] -%}
    {%- endif -%}
    {%- if found > 0 %}
    select * from read_csv(
        {{ quoted }},
        header = true,
        auto_detect = false,
        null_padding = true,
        columns = {
            'theme_id': 'varchar',
            'label': 'varchar',
            'merge_into': 'varchar',
            'hidden': 'boolean',
            'roadmap_item_key': 'varchar',
            'feature': 'varchar',
            'note': 'varchar',
            'hidden_reason': 'varchar',
            'split': 'boolean'
        }
    )
    {%- else %}
    select
        cast(null as varchar) as theme_id,
        cast(null as varchar) as label,
        cast(null as varchar) as merge_into,
        cast(null as boolean) as hidden,
        cast(null as varchar) as roadmap_item_key,
        cast(null as varchar) as feature,
        cast(null as varchar) as note,
        cast(null as varchar) as hidden_reason,
        cast(null as boolean) as split
    where false
    {%- endif %}
{%- endmacro %}
