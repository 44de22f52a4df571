with

theme_runs as (

    select * from {{ source('themes', 'theme_runs') }}

),

ranked as (

    select
        ---------- ids
        run_id,

        ---------- timestamps
        run_at,

        ---------- figures
        feedback_items,
        themes,
        themes_before,
        outliers,
        outlier_share,
        min_theme_size,
        new as new_themes,
        continued as continued_themes,
        split as split_themes,
        merged as merged_themes,
        retired as retired_themes,
        why_no_themes,

        ---------- flags
        row_number() over (order by run_at desc, run_id desc) = 1 as is_latest

    from theme_runs

)

select * from ranked
