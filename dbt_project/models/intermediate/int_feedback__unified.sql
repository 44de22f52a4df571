with

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

nps_responses as (

    select * from {{ ref('stg_surveys__nps_responses') }}

),

reviews as (

    select * from {{ ref('stg_app_store__reviews') }}

),

posts as (

    select * from {{ ref('stg_canny__posts') }}

),

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

play_reviews as (

    select * from {{ ref('stg_google_play__reviews') }}

),

users as (

    select * from {{ ref('stg_crm__users') }}

),

users_by_email as (

    -- One user per address; should two CRM users share one, the lowest ID wins so the
    -- match is deterministic.
    select
        email_hash,
        min(user_id) as user_id
    from users
    where email_hash is not null
    group by email_hash

),

matched_users as (

    select
        users_by_email.email_hash,
        users.user_id,
        users.account_id
    from users_by_email
    inner join users
        on users_by_email.user_id = users.user_id

),

ticket_feedback as (

    select
        {{ feedback_id('zendesk', 'ticket_id') }} as feedback_id,
        'zendesk' as source,
        'support_ticket' as feedback_type,
        ticket_id as source_record_id,
        account_id,
        user_id,
        created_at,
        {{ join_texts('subject', 'description') }} as text,
        cast(null as {{ dbt.type_int() }}) as rating,
        {{ csat_to_sentiment('satisfaction') }} as sentiment_score,
        0 as votes
    from tickets

),

nps_feedback as (

    select
        {{ feedback_id('surveys', 'nps_responses.response_id') }} as feedback_id,
        'surveys' as source,
        case when nps_responses.survey_type = 'csat' then 'csat_response' else 'nps_response' end as feedback_type,
        nps_responses.response_id as source_record_id,
        coalesce(nps_responses.account_id, matched_users.account_id) as account_id,
        matched_users.user_id,
        nps_responses.created_at,
        {{ clean_text('nps_responses.comment') }} as text,
        cast(nps_responses.score as {{ dbt.type_int() }}) as rating,
        case
            when nps_responses.survey_type = 'csat' then {{ stars_to_sentiment('nps_responses.score') }}
            else {{ nps_to_sentiment('nps_responses.score') }}
        end as sentiment_score,
        0 as votes
    from nps_responses
    left join matched_users
        on nps_responses.email_hash = matched_users.email_hash

),

review_feedback as (

    {{ app_review_feedback('reviews', 'app_store') }}

),

post_feedback as (

    select
        {{ feedback_id('canny', 'posts.post_id') }} as feedback_id,
        'canny' as source,
        'feature_request' as feedback_type,
        posts.post_id as source_record_id,
        coalesce(posts.account_id, matched_users.account_id) as account_id,
        matched_users.user_id,
        posts.created_at,
        {{ join_texts('posts.title', 'posts.details') }} as text,
        cast(null as {{ dbt.type_int() }}) as rating,
        cast(null as {{ type_double() }}) as sentiment_score,
        posts.votes
    from posts
    left join matched_users
        on posts.email_hash = matched_users.email_hash

),

conversation_feedback as (

    select
        {{ feedback_id('intercom', 'conversations.conversation_id') }} as feedback_id,
        'intercom' as source,
        'support_conversation' as feedback_type,
        conversations.conversation_id as source_record_id,
        users.account_id,
        users.user_id,
        conversations.created_at,
        {{ join_texts('conversations.subject', 'conversations.customer_text') }} as text,
        cast(conversations.rating as {{ dbt.type_int() }}) as rating,
        {{ stars_to_sentiment('conversations.rating') }} as sentiment_score,
        0 as votes
    from conversations
    -- Intercom's external_id is the CRM user ID; a contact without one stays unmatched.
    left join users
        on conversations.user_id = users.user_id

),

play_review_feedback as (

    {{ app_review_feedback('play_reviews', 'google_play') }}

),

unioned as (

    select * from ticket_feedback
    union all
    select * from nps_feedback
    union all
    select * from review_feedback
    union all
    select * from post_feedback
    union all
    select * from conversation_feedback
    union all
    select * from play_review_feedback

),

with_text as (

    -- Only items with something to read can be themed.
    select *
    from unioned
    where text is not null

),

final as (

    select
        ---------- ids
        feedback_id,
        source_record_id,
        account_id,
        user_id,

        ---------- attributes
        source,
        feedback_type,
        text,

        ---------- measures
        rating,
        sentiment_score,
        votes,

        ---------- timestamps
        created_at

    from with_text

)

select * from final
