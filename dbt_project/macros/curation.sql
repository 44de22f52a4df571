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
    feature, note, hidden_reason, split), every one text as written; the model trims and reads
    the flags. No file, an empty one or a header alone all mean "no overrides", so a fresh clone
    runs without one. -#}
{% macro read_theme_overrides(path) -%}
    {{ return(adapter.dispatch('read_theme_overrides', 'customer_insights')(path)) }}
{%- endmacro %}

{% macro default__read_theme_overrides(path) -%}
    {{ exceptions.raise_compiler_error("read_theme_overrides has no implementation for " ~ target.type) }}
{%- endmacro %}

{% macro theme_overrides_columns() -%}
    {{ return(['theme_id', 'label', 'merge_into', 'hidden', 'roadmap_item_key', 'feature', 'note',
               'hidden_reason', 'split']) }}
{%- endmacro %}

{#- Columns by header name, all as text, so a hand-edited file reads whatever its column order
    and whatever a cell holds (" true", a space): a file is edited by hand in a spreadsheet,
    and no cell may stop the night. The empty stub gives every column, so a file without the
    later ones (the old seed's seven) reads them as null; a column the file adds is ignored.
    file_row keeps the file's order (insertion order is preserved), for the model's
    "last row wins".
    The file's existence is asked at run time (glob matches nothing rather than failing):
    read_csv of a missing file is an error. -#}
{% macro duckdb__read_theme_overrides(path) -%}
    {%- set quoted = "'" ~ path | replace("'", "''") ~ "'" -%}
    {%- set found = 0 -%}
    {%- if execute -%}
        {%- set found = run_query("select count(*) from glob(" ~ quoted ~ ")").columns[0].values()[0] -%}
    {%- endif %}
    select
        {%- for column in theme_overrides_columns() %}
        {{ column }},
        {%- endfor %}
        row_number() over () as file_row
    from (
        select
            {%- for column in theme_overrides_columns() %}
            cast(null as varchar) as {{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
        where false
        {%- if found > 0 %}
        union all by name
        select *
        from read_csv(
            {{ quoted }},
            header = true,
            all_varchar = true,
            delim = ',',
            quote = '"',
            escape = '"',
            null_padding = true
        )
        {%- endif %}
    ) as overrides_file
{%- endmacro %}

{#- An override flag as written by hand: true, t, 1, yes or y in any case, spaces around
    allowed; anything else, blank included, is false, since no cell may stop the night. -#}
{% macro override_flag(column) -%}
    coalesce(lower(trim({{ column }})) in ('true', 't', '1', 'yes', 'y'), false)
{%- endmacro %}
