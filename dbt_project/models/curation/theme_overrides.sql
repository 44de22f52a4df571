{#- Read at every build: the marts select this model, so an edit to the file reaches them in the
    next run. The path is in the compiled SQL and in dbt docs. -#}

with

overrides_file as (

    {{ read_theme_overrides(theme_overrides_path()) }}

),

cleaned as (

    -- A spreadsheet may leave blanks as spaces; a blank cell means "no override" for its column.
    select
        ---------- ids
        trim(theme_id) as theme_id,
        nullif(trim(merge_into), '') as merge_into,
        nullif(trim(roadmap_item_key), '') as roadmap_item_key,
        nullif(trim(feature), '') as feature,

        ---------- attributes
        nullif(trim(label), '') as label,
        hidden,
        nullif(trim(hidden_reason), '') as hidden_reason,
        -- Read by the theme step itself (insights/themes/split.py); no mart uses it.
        split,
        nullif(trim(note), '') as note
    from overrides_file

)

select * from cleaned
