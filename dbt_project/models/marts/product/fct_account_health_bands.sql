with

health as (

    select * from {{ ref('fct_account_health') }}

),

bands as (

    -- Every band gets a row, so "0 accounts at risk" is a row and not a missing one.
    select
        'healthy' as health_band,
        1 as band_order
    union all
    select
        'watch' as health_band,
        2 as band_order
    union all
    select
        'at_risk' as health_band,
        3 as band_order
    union all
    select
        'unknown' as health_band,
        4 as band_order

),

per_band as (

    select
        health_band,
        count(*) as n_accounts,
        sum(arr) as arr
    from health
    group by health_band

),

final as (

    select
        ---------- ids
        bands.health_band,

        ---------- attributes
        bands.band_order,

        ---------- measures
        coalesce(per_band.n_accounts, 0) as n_accounts,
        cast(coalesce(per_band.arr, 0) as {{ type_double() }}) as arr

    from bands
    left join per_band
        on bands.health_band = per_band.health_band

)

select * from final
