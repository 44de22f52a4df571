{#- The one definition of a feedback item's ID: its source and the source's own record ID,
    `zendesk:48213`. Unique across sources without a lookup table, stable across reruns, and
    readable in a BI tool; the theme step, its cache and the answer key all key on it. -#}
{% macro feedback_id(source, record_id) -%}
    {{ dbt.concat(["'" ~ source ~ ":'", record_id]) }}
{%- endmacro %}


{#- Anonymous store reviews (App Store, Google Play) in the unified feedback shape: the stores
    share no account or user with the CRM, so both columns stay null. -#}
{% macro app_review_feedback(reviews_cte, source) -%}
    select
        {{ feedback_id(source, 'review_id') }} as feedback_id,
        '{{ source }}' as source,
        'app_review' as feedback_type,
        review_id as source_record_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        reviewed_at as created_at,
        {{ join_texts('title', 'body') }} as text,
        cast(rating as {{ dbt.type_int() }}) as rating,
        {{ stars_to_sentiment('rating') }} as sentiment_score,
        0 as votes
    from {{ reviews_cte }}
{%- endmacro %}
