with

source as (

    select * from {{ source('raw', 'users') }}

),

deduplicated as (

    {{ latest_per_key('source', 'trim(user_id)', latest_load_order()) }}

),

renamed as (

    select
        ---------- ids
        trim(user_id) as user_id,
        trim(account_id) as account_id,

        ---------- personal data, hashed (e-mail and name stay in raw)
        {{ email_hash('email') }} as email_hash,

        ---------- enums
        {{ clean_enum('role') }} as role,

        ---------- timestamps
        created_at,

        ---------- load (fct_daily_active_users_by_plan rebuilds every day after a CRM load)
        _loaded_at

    from deduplicated

),

final as (

    select * from renamed

)

select * from final
