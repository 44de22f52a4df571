{#- What raising a theme goes with: NPS, usage and churn of the customers who raised it against
    those who did not. The method, and why each choice, is in the model's description
    (_theme_impact__models.yml) and docs/impact.md. -#}
{%- set min_group = var('impact_min_group_size') -%}
{%- set z = z_critical(var('impact_significance')) -%}
{%- set weight = var('impact_effect_weight') -%}

with

feedback as (

    select * from {{ ref('fct_feedback') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

theme_accounts as (

    select * from {{ ref('theme_impact_accounts') }}

),

---------- NPS: responses whose comment is on the theme against all other responses

nps_responses as (

    select
        theme_id,
        case when {{ nps_category('rating') }} = 'promoter' then 1 else 0 end as is_promoter,
        case when {{ nps_category('rating') }} = 'detractor' then 1 else 0 end as is_detractor
    from feedback
    where feedback_type = 'nps_response'
        and {{ nps_category('rating') }} is not null

),

company_nps as (

    select
        count(*) as responses,
        sum(is_promoter) as promoters,
        sum(is_detractor) as detractors
    from nps_responses

),

theme_nps_counts as (

    select
        theme_id,
        count(*) as responses,
        sum(is_promoter) as promoters,
        sum(is_detractor) as detractors
    from nps_responses
    where theme_id is not null
    group by theme_id

),

theme_nps_groups as (

    -- The other group is every other response, outliers and other themes alike.
    select
        themes.theme_id,
        coalesce(theme_nps_counts.responses, 0) as n_on,
        coalesce(theme_nps_counts.promoters, 0) as promoters_on,
        coalesce(theme_nps_counts.detractors, 0) as detractors_on,
        company_nps.responses - coalesce(theme_nps_counts.responses, 0) as n_off,
        company_nps.promoters - coalesce(theme_nps_counts.promoters, 0) as promoters_off,
        company_nps.detractors - coalesce(theme_nps_counts.detractors, 0) as detractors_off,
        company_nps.responses as n_all,
        company_nps.promoters as promoters_all,
        company_nps.detractors as detractors_all
    from themes
    cross join company_nps
    left join theme_nps_counts
        on themes.theme_id = theme_nps_counts.theme_id

),

theme_nps_shares as (

    select
        theme_id,
        n_on,
        n_off,
        detractors_on,
        n_all,
        promoters_all,
        detractors_all,
        {{ ratio('promoters_on', 'n_on') }} as promoter_share_on,
        {{ ratio('detractors_on', 'n_on') }} as detractor_share_on,
        {{ ratio('promoters_off', 'n_off') }} as promoter_share_off,
        {{ ratio('detractors_off', 'n_off') }} as detractor_share_off
    from theme_nps_groups

),

theme_nps as (

    -- Variance of an NPS share difference p+ - p- from n answers:
    -- (p+ + p- - (p+ - p-)^2) / n (multinomial); the two groups are independent.
    select
        theme_id,
        n_on,
        n_off,
        100 * (promoter_share_on - detractor_share_on) as nps_on,
        100 * (promoter_share_off - detractor_share_off) as nps_off,
        100 * sqrt(
            (promoter_share_on + detractor_share_on - power(promoter_share_on - detractor_share_on, 2)) / n_on
            + (promoter_share_off + detractor_share_off - power(promoter_share_off - detractor_share_off, 2)) / n_off
        ) as nps_difference_se,
        {{ ratio('100 * (promoters_all - detractors_all)', 'n_all') }} as company_nps,
        {{ ratio('100 * (promoters_all - detractors_all + detractors_on)', 'n_all') }} as nps_if_removed
    from theme_nps_shares

),

---------- usage and churn: the raisers against their matched comparison accounts

theme_raisers as (

    select
        theme_id,
        max(theme_anchor_date) as anchor_date,
        count(case when is_raiser then 1 end) as raising_accounts
    from theme_accounts
    group by theme_id

),

weighted as (

    select
        theme_id,
        account_id,
        case when is_raiser then 1 else 0 end as is_raiser,
        cast(case when is_churned then 1 else 0 end as {{ type_double() }}) as churned,
        usage_change,
        match_weight as weight
    from theme_accounts
    where match_weight is not null

),

group_means as (

    select
        theme_id,
        is_raiser,
        count(*) as n_accounts,
        sum(weight) as total_weight,
        -- Kish's effective size: the number of equal weights that would be as precise.
        power(sum(weight), 2) / sum(power(weight, 2)) as effective_accounts,
        sum(weight * churned) as churned_weight,
        sum(weight * usage_change) / sum(weight) as usage_change,
        sum(weight * churned) / sum(weight) as churn_share
    from weighted
    group by
        theme_id,
        is_raiser

),

group_variances as (

    -- Variance of each group's (weighted) mean: sum(w^2 (x - mean)^2) / (sum w)^2, which is
    -- the usual s^2 / n (with n - 1 taken as n) when every weight is 1.
    select
        weighted.theme_id,
        weighted.is_raiser,
        sum(power(weighted.weight * (weighted.usage_change - group_means.usage_change), 2))
        / power(group_means.total_weight, 2) as usage_change_var,
        sum(power(weighted.weight * (weighted.churned - group_means.churn_share), 2))
        / power(group_means.total_weight, 2) as churn_share_var
    from weighted
    inner join group_means
        on weighted.theme_id = group_means.theme_id
            and weighted.is_raiser = group_means.is_raiser
    group by
        weighted.theme_id,
        weighted.is_raiser,
        group_means.total_weight

),

theme_usage as (

    select
        group_means.theme_id,
        max(case when group_means.is_raiser = 1 then group_means.n_accounts end) as usage_accounts_raised,
        max(case when group_means.is_raiser = 0 then group_means.n_accounts end) as usage_accounts_comparison,
        max(case when group_means.is_raiser = 1 then group_means.usage_change end) as usage_change_raised,
        max(case when group_means.is_raiser = 0 then group_means.usage_change end) as usage_change_comparison,
        sqrt(sum(group_variances.usage_change_var)) as usage_change_se,
        max(case when group_means.is_raiser = 1 then group_means.churn_share end) as churn_share_raised,
        max(case when group_means.is_raiser = 0 then group_means.churn_share end) as churn_share_comparison,
        sqrt(sum(group_variances.churn_share_var)) as churn_share_se,
        -- Two-proportion z test: the share of both groups together, and its standard error
        -- for a difference under no difference (each group at its effective size).
        sum(group_means.churned_weight) / sum(group_means.total_weight) as churn_share_pooled,
        sum(1 / group_means.effective_accounts) as churn_inverse_sizes
    from group_means
    inner join group_variances
        on group_means.theme_id = group_variances.theme_id
            and group_means.is_raiser = group_variances.is_raiser
    group by group_means.theme_id

),

joined as (

    select
        themes.theme_id,
        themes.label,
        theme_nps.n_on as nps_responses_on_theme,
        theme_nps.n_off as nps_responses_off_theme,
        theme_nps.nps_on as nps_on_theme,
        theme_nps.nps_off as nps_off_theme,
        theme_nps.nps_on - theme_nps.nps_off as nps_difference,
        theme_nps.nps_difference_se,
        theme_nps.n_on >= {{ min_group }} and theme_nps.n_off >= {{ min_group }} as nps_is_testable,
        theme_nps.company_nps,
        theme_nps.nps_if_removed,
        coalesce(theme_raisers.raising_accounts, 0) as raising_accounts,
        theme_raisers.anchor_date as usage_anchor_date,
        coalesce(theme_usage.usage_accounts_raised, 0) as usage_accounts_raised,
        coalesce(theme_usage.usage_accounts_comparison, 0) as usage_accounts_comparison,
        theme_usage.usage_change_raised,
        theme_usage.usage_change_comparison,
        theme_usage.usage_change_raised - theme_usage.usage_change_comparison as usage_change_difference,
        theme_usage.usage_change_se,
        theme_usage.churn_share_raised,
        theme_usage.churn_share_comparison,
        theme_usage.churn_share_raised - theme_usage.churn_share_comparison as churn_share_difference,
        theme_usage.churn_share_se,
        sqrt(
            theme_usage.churn_share_pooled * (1 - theme_usage.churn_share_pooled) * theme_usage.churn_inverse_sizes
        ) as churn_share_pooled_se,
        coalesce(theme_usage.usage_accounts_raised, 0) >= {{ min_group }}
        and coalesce(theme_usage.usage_accounts_comparison, 0) >= {{ min_group }} as usage_is_testable
    from themes
    left join theme_nps
        on themes.theme_id = theme_nps.theme_id
    left join theme_raisers
        on themes.theme_id = theme_raisers.theme_id
    left join theme_usage
        on themes.theme_id = theme_usage.theme_id

),

tested as (

    -- Significant: both groups at least var impact_min_group_size and |difference| > z * se
    -- at var impact_significance: for NPS and usage the interval excludes 0; for churn the
    -- pooled two-proportion test decides, because a group without a churned account has a
    -- Wald standard error of 0 and would make any difference look certain.
    select
        joined.*,
        coalesce(joined.nps_is_testable and abs(joined.nps_difference) > {{ z }} * joined.nps_difference_se, false)
            as nps_is_significant,
        coalesce(joined.usage_is_testable and abs(joined.usage_change_difference) > {{ z }} * joined.usage_change_se, false)
            as usage_is_significant,
        coalesce(
            joined.usage_is_testable and abs(joined.churn_share_difference) > {{ z }} * joined.churn_share_pooled_se, false
        ) as churn_is_significant
    from joined

),

multiplied as (

    -- Only significant harm raises the multiplier, each effect capped at 1: a lower NPS (per
    -- 100 points), a usage fall (per 100 %), a higher churn share (per 100 points).
    select
        tested.*,
        1 + {{ weight }} * (
            case when tested.nps_is_significant then least(1, greatest(0, -tested.nps_difference / 100)) else 0 end
            + case when tested.usage_is_significant then least(1, greatest(0, -tested.usage_change_difference)) else 0 end
            + case when tested.churn_is_significant then least(1, greatest(0, tested.churn_share_difference)) else 0 end
        ) as impact_multiplier
    from tested

),

final as (

    select
        ---------- ids
        theme_id,

        ---------- attributes
        label,
        usage_anchor_date,

        ---------- NPS
        nps_responses_on_theme,
        nps_responses_off_theme,
        nps_on_theme,
        nps_off_theme,
        nps_difference,
        nps_difference - {{ z }} * nps_difference_se as nps_difference_low,
        nps_difference + {{ z }} * nps_difference_se as nps_difference_high,
        nps_is_significant,
        company_nps,
        nps_if_removed,

        ---------- usage
        raising_accounts,
        usage_accounts_raised,
        usage_accounts_comparison,
        usage_change_raised,
        usage_change_comparison,
        usage_change_difference,
        usage_change_difference - {{ z }} * usage_change_se as usage_change_difference_low,
        usage_change_difference + {{ z }} * usage_change_se as usage_change_difference_high,
        usage_is_significant,

        ---------- churn
        churn_share_raised,
        churn_share_comparison,
        churn_share_difference,
        churn_share_difference - {{ z }} * churn_share_se as churn_share_difference_low,
        churn_share_difference + {{ z }} * churn_share_se as churn_share_difference_high,
        churn_is_significant,

        ---------- for roadmap_candidates
        impact_multiplier

    from multiplied

)

select * from final
