with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

users as (

    select * from {{ ref('stg_crm__users') }}

),

events as (

    select * from {{ ref('int_product_events__unified') }}

),

feedback as (

    select * from {{ ref('int_feedback__unified') }}

),

users_per_account as (

    select
        account_id,
        count(*) as n_users
    from users
    group by account_id

),

feedback_per_account as (

    select
        account_id,
        count(*) as feedback_items
    from feedback
    where account_id is not null
    group by account_id

),

activity_per_account as (

    select
        account_id,
        max(occurred_at) as last_active_at
    from events
    where account_id is not null
    group by account_id

),

joined as (

    select
        accounts.account_id,
        accounts.account_name,
        accounts.plan,
        accounts.segment,
        accounts.region,
        accounts.arr,
        coalesce(users_per_account.n_users, 0) as n_users,
        coalesce(feedback_per_account.feedback_items, 0) as feedback_items,
        accounts.created_at,
        activity_per_account.last_active_at
    from accounts
    left join users_per_account
        on accounts.account_id = users_per_account.account_id
    left join feedback_per_account
        on accounts.account_id = feedback_per_account.account_id
    left join activity_per_account
        on accounts.account_id = activity_per_account.account_id

),

final as (

    select
        ---------- ids
        account_id,

        ---------- attributes
        account_name,
        plan,
        segment,
        region,

        ---------- measures
        arr,
        n_users,
        feedback_items,

        ---------- timestamps
        created_at,
        last_active_at

    from joined

)

select * from final
