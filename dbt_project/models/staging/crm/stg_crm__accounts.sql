with

source as (

    select * from {{ source('raw', 'accounts') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(account_id)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(account_id) as account_id,

        ---------- text
        {{ clean_text('account_name') }} as account_name,

        ---------- enums
        {{ clean_enum('plan') }} as plan,
        {{ clean_enum('segment') }} as segment,
        {{ clean_enum('region') }} as region,

        ---------- numerics
        arr,

        ---------- timestamps
        created_at,

        -- owner (an employee's name) stays in raw: nothing downstream needs it.

        ---------- load (fct_daily_active_users_by_plan rebuilds every day after a CRM load)
        _loaded_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
