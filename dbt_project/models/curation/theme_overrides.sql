{#- Read at every build: the marts select this model, so an edit to the file reaches them in the
    next run. The path is in the compiled SQL and in dbt docs. -#}

with

overrides_file as (

    {{ read_theme_overrides(theme_overrides_path()) }}

),

cleaned as (

    -- A spreadsheet may leave blanks as spaces; a blank cell means "no override" for its column.
    select
        file_row,

        ---------- ids
        nullif(trim(theme_id), '') as theme_id,
        nullif(trim(merge_into), '') as merge_into,
        nullif(trim(roadmap_item_key), '') as roadmap_item_key,
        nullif(trim(feature), '') as feature,

        ---------- attributes
        nullif(trim(label), '') as label,
        {{ override_flag('hidden') }} as hidden,
        nullif(trim(hidden_reason), '') as hidden_reason,
        -- Read by the theme step itself (insights/themes/split.py); no mart uses it.
        {{ override_flag('split') }} as split,
        nullif(trim(note), '') as note
    from overrides_file

),

one_row_per_theme as (

    -- A hand edit may leave a theme twice (the CLI refuses such a file): the last row in the
    -- file wins, as a later line is the later thought, so the night goes on.
    select * exclude (file_row)
    from cleaned
    where theme_id is not null
    qualify row_number() over (partition by theme_id order by file_row desc) = 1

)

select * from one_row_per_theme
