with

source as (

    select * from {{ source('raw', 'feature_catalog') }}

),

deduplicated as (

    {{ latest_per_key('source', 'lower(trim(feature))', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        -- Lower-cased as fct_feature_adoption lower-cases the events' feature property.
        lower(trim(feature)) as feature,

        ---------- text
        {{ clean_text('name') }} as name,  -- noqa: RF04
        coalesce({{ clean_text('area') }}, {{ clean_text('name') }}) as area,
        coalesce({{ clean_text('description') }}, '') as description

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
