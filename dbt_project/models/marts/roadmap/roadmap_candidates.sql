-- Float columns are rounded to this many decimals so reruns on the same inputs are byte-stable.
{% set float_digits = 9 %}

with

feedback as (

    select * from {{ ref('fct_feedback') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

account_health as (

    -- One row per account of dim_accounts, with its ARR and name: the only account input.
    select * from {{ ref('fct_account_health') }}

),

feature_adoption as (

    select * from {{ ref('fct_feature_adoption') }}

),

roadmap_items as (

    select * from {{ ref('int_roadmap_items__estimated') }}

),

theme_impact as (

    select * from {{ ref('theme_impact') }}

),

candidate_themes as (

    -- A hidden theme was judged not actionable; a merged one lives on in the theme it was
    -- merged into (which got its feedback in fct_feedback). A theme whose roadmap item has
    -- shipped is no longer a candidate: roadmap_shipped follows it after the release.
    select themes.*
    from themes
    left join roadmap_items
        on themes.roadmap_item_key = roadmap_items.issue_key
    where not themes.is_hidden
        -- Thanks, praise, small talk: nothing to build (dim_themes.not_actionable_reason).
        and themes.is_actionable
        and themes.merged_into_theme_id is null
        and coalesce(roadmap_items.roadmap_status, 'not on roadmap') <> 'shipped'

),

themed_feedback as (

    select
        theme_id,
        account_id,
        user_id,
        source,
        sentiment_score,
        votes
    from feedback
    where theme_id is not null

),

theme_feedback_summary as (

    select
        theme_id,
        count(*) as feedback_items,
        count(distinct account_id) as reach_accounts,
        count(distinct user_id) as reach_users,
        count(distinct source) as distinct_sources,
        cast(sum(votes) as {{ dbt.type_bigint() }}) as votes,
        avg(sentiment_score) as avg_sentiment
    from themed_feedback
    group by theme_id

),

account_items as (

    -- Everything each account wrote, themed or not: the denominator of its share.
    select
        account_id,
        count(*) as account_feedback_items
    from feedback
    where account_id is not null
    group by account_id

),

theme_accounts as (

    -- Each raising account once per theme, with how much of what it wrote is about the theme.
    select
        themed_feedback.theme_id,
        themed_feedback.account_id,
        count(*) as theme_items,
        max(account_items.account_feedback_items) as account_feedback_items
    from themed_feedback
    inner join account_items
        on themed_feedback.account_id = account_items.account_id
    group by themed_feedback.theme_id, themed_feedback.account_id

),

theme_account_affected as (

    -- How hard the theme hits the account: its share of the account's feedback, weighted by ARR.
    select
        theme_accounts.*,
        account_health.account_name,
        account_health.arr,
        account_health.is_at_risk,
        account_health.usage_trend,
        cast(theme_accounts.theme_items as {{ type_double() }}) / theme_accounts.account_feedback_items
        * coalesce(account_health.arr, 0) as affected_arr
    from theme_accounts
    inner join account_health
        on theme_accounts.account_id = account_health.account_id

),

theme_account_evidence as (

    -- Each raising account once per theme: its ARR, whether its health is at risk, its usage trend.
    select
        theme_id,
        sum(coalesce(arr, 0)) as arr_affected,
        sum(case when is_at_risk then coalesce(arr, 0) else 0 end) as at_risk_arr,
        count(distinct case when is_at_risk then account_id end) as at_risk_accounts,
        sum(coalesce(usage_trend, 0)) as raisers_usage_trend_sum,
        count(usage_trend) as raisers_with_usage_trend,
        {{ dbt.listagg('account_name', "', '", 'order by affected_arr desc, account_name', 3) }} as top_accounts
    from theme_account_affected
    group by theme_id

),

portfolio as (

    -- Denominators: all ARR, ARR at risk, and the usage trend summed over every account.
    select
        sum(coalesce(arr, 0)) as total_arr,
        sum(case when is_at_risk then coalesce(arr, 0) else 0 end) as total_at_risk_arr,
        sum(coalesce(usage_trend, 0)) as usage_trend_sum,
        count(usage_trend) as accounts_with_usage_trend
    from account_health

),

joined as (

    select
        themes.theme_id,
        themes.label,
        themes.status as trend,
        themes.area_label,
        themes.feature,
        themes.feature_name,
        themes.roadmap_item_key,
        themes.cohesion,
        {{ json_list_item('themes.quotes', 0) }} as quote_1,
        {{ json_list_item('themes.quotes', 1) }} as quote_2,
        {{ json_list_item('themes.quotes', 2) }} as quote_3,
        roadmap_items.summary as roadmap_item_summary,
        coalesce(roadmap_items.roadmap_status, 'not on roadmap') as roadmap_status,
        roadmap_items.effort as roadmap_item_effort,
        roadmap_items.effort_source as roadmap_item_effort_source,
        roadmap_items.effort_confidence as roadmap_item_effort_confidence,
        coalesce(theme_feedback_summary.feedback_items, 0) as feedback_items,
        coalesce(theme_feedback_summary.reach_accounts, 0) as reach_accounts,
        coalesce(theme_feedback_summary.reach_users, 0) as reach_users,
        coalesce(theme_feedback_summary.votes, 0) as votes,
        coalesce(theme_feedback_summary.distinct_sources, 0) as distinct_sources,
        theme_feedback_summary.avg_sentiment,
        -- The trend is dim_themes' (one definition): its windows, ratio and status.
        themes.volume_recent,
        themes.volume_baseline,
        themes.trend_ratio,
        cast(coalesce(theme_account_evidence.arr_affected, 0) as {{ type_double() }}) as arr_affected,
        cast(coalesce(theme_account_evidence.at_risk_arr, 0) as {{ type_double() }}) as at_risk_arr,
        coalesce(theme_account_evidence.at_risk_accounts, 0) as at_risk_accounts,
        theme_account_evidence.top_accounts,
        feature_adoption.account_share_28d as feature_adoption_28d,
        {{ ratio('theme_account_evidence.raisers_usage_trend_sum', 'theme_account_evidence.raisers_with_usage_trend') }}
            as raisers_usage_trend,
        {{ ratio(
            'portfolio.usage_trend_sum - coalesce(theme_account_evidence.raisers_usage_trend_sum, 0)',
            'portfolio.accounts_with_usage_trend - coalesce(theme_account_evidence.raisers_with_usage_trend, 0)'
        ) }} as others_usage_trend,
        portfolio.total_arr,
        portfolio.total_at_risk_arr,
        -- Measured harm (NPS, usage, churn of the raisers), significant effects only; 1 otherwise.
        coalesce(theme_impact.impact_multiplier, 1) as impact_multiplier
    from candidate_themes as themes
    left join theme_feedback_summary
        on themes.theme_id = theme_feedback_summary.theme_id
    left join theme_account_evidence
        on themes.theme_id = theme_account_evidence.theme_id
    left join roadmap_items
        on themes.roadmap_item_key = roadmap_items.issue_key
    left join feature_adoption
        on themes.feature = feature_adoption.feature
    left join theme_impact
        on themes.theme_id = theme_impact.theme_id
    cross join portfolio

),

components as (

    select
        joined.*,
        coalesce({{ ratio('arr_affected', 'total_arr') }}, 0) as arr_share,
        coalesce({{ ratio('at_risk_arr', 'total_at_risk_arr') }}, 0) as at_risk_arr_share,
        greatest(cast(0 as {{ type_double() }}), -coalesce(joined.avg_sentiment, 0)) as negativity,
        -- The linked item's effort (int_roadmap_items__estimated), else the default: a guess.
        cast(coalesce(joined.roadmap_item_effort, {{ var('default_effort_points') }}) as {{ type_double() }}) as effort,
        coalesce(joined.roadmap_item_effort_source, 'default') as effort_source,
        cast(coalesce(joined.roadmap_item_effort_confidence, {{ var('effort_guess_confidence') }}) as {{ type_double() }}) as effort_confidence
    from joined

),

rice as (

    select
        components.*,
        components.reach_accounts + {{ var('reach_vote_weight') }} * components.votes as reach,
        -- trend_lift = ln(ratio) / ln(cap): 0 for a flat or fading theme, 1 at the growth cap.
        1 + (
            {{ var('impact_arr_weight') }} * components.arr_share
            + {{ var('impact_negative_weight') }} * components.negativity
            + {{ var('impact_at_risk_weight') }} * components.at_risk_arr_share
            + {{ var('impact_trend_weight') }} * (
                greatest(0, ln(least(components.trend_ratio, {{ var('max_trend_ratio') }}))) / ln({{ var('max_trend_ratio') }})
            )
        ) * components.impact_multiplier as impact,
        (
            {{ var('confidence_volume_weight') }} * least(1, cast(components.feedback_items as {{ type_double() }}) / {{ var('confidence_full_volume') }})
            + {{ var('confidence_sources_weight') }} * least(1, cast(components.distinct_sources as {{ type_double() }}) / {{ var('confidence_full_sources') }})
            + {{ var('confidence_cohesion_weight') }} * greatest(0, least(1, coalesce(components.cohesion, 0)))
        ) as evidence_confidence
    from components

),

confident as (

    -- RICE's confidence covers every estimate: the evidence, and the effort when it is a guess.
    select
        rice.*,
        rice.evidence_confidence * rice.effort_confidence as confidence
    from rice

),

scored as (

    select
        confident.*,
        -- Rounded (as every float column below): sums over rows in no fixed order differ in the
        -- last bits from run to run, and a rerun on the same inputs must give the same bytes.
        round(confident.reach * confident.impact * confident.confidence / confident.effort, {{ float_digits }}) as rice_score
    from confident

),

ranked as (

    select
        scored.*,
        row_number() over (order by scored.rice_score desc, scored.theme_id asc) as rank
    from scored

),

final as (

    select
        ---------- ids
        theme_id,
        rank,
        roadmap_item_key,
        feature,

        ---------- attributes
        label,
        roadmap_status,
        roadmap_item_summary,
        trend,
        area_label,
        feature_name,
        quote_1,
        quote_2,
        quote_3,
        top_accounts,

        ---------- score
        rice_score,
        round(reach, {{ float_digits }}) as reach,
        round(impact, {{ float_digits }}) as impact,
        round(impact_multiplier, {{ float_digits }}) as impact_multiplier,
        round(confidence, {{ float_digits }}) as confidence,
        effort,
        effort_source,
        round(evidence_confidence, {{ float_digits }}) as evidence_confidence,
        round(effort_confidence, {{ float_digits }}) as effort_confidence,

        ---------- reach
        reach_accounts,
        reach_users,
        votes,

        ---------- impact
        round(arr_affected, {{ float_digits }}) as arr_affected,
        round(arr_share, {{ float_digits }}) as arr_share,
        round(avg_sentiment, {{ float_digits }}) as avg_sentiment,
        round(negativity, {{ float_digits }}) as negativity,
        round(at_risk_arr, {{ float_digits }}) as at_risk_arr,
        at_risk_accounts,
        round(at_risk_arr_share, {{ float_digits }}) as at_risk_arr_share,
        volume_recent,
        volume_baseline,
        round(trend_ratio, {{ float_digits }}) as trend_ratio,

        ---------- confidence
        feedback_items,
        distinct_sources,
        round(cohesion, {{ float_digits }}) as cohesion,

        ---------- usage
        round(feature_adoption_28d, {{ float_digits }}) as feature_adoption_28d,
        round(raisers_usage_trend, {{ float_digits }}) as raisers_usage_trend,
        round(others_usage_trend, {{ float_digits }}) as others_usage_trend,
        round(raisers_usage_trend - others_usage_trend, {{ float_digits }}) as usage_trend_gap

    from ranked

)

select * from final
order by rank
