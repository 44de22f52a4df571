with

history as (

    select * from {{ source('themes', 'theme_history') }}

),

events as (

    -- A theme that simply continued is no event; a night of those would only repeat the theme list.
    select *
    from history
    where status <> 'continued'

),

final as (

    select
        ---------- ids
        {{ dbt.concat(['run_id', "':'", 'status', "':'", 'theme_id']) }} as lineage_id,
        cast(theme_id as {{ dbt.type_string() }}) as theme_id,
        cast(split_from as {{ dbt.type_string() }}) as split_from_theme_id,
        cast(merged_into as {{ dbt.type_string() }}) as merged_into_theme_id,
        cast(run_id as {{ dbt.type_string() }}) as run_id,

        ---------- attributes
        cast(status as {{ dbt.type_string() }}) as event,  -- noqa: RF04

        ---------- measures
        cast(similarity as {{ type_double() }}) as similarity,

        ---------- timestamps
        run_at

    from events

)

select * from final
