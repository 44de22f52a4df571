{#- What raising a theme goes with: NPS, usage and churn of the customers who raised it against
    those who did not. The method, and why each choice, is in the model's description
    (_theme_impact__models.yml) and docs/impact.md. -#}
{%- set window_weeks = var('impact_window_weeks') -%}
{%- set min_weeks = var('impact_min_weeks') -%}
{%- set min_group = var('impact_min_group_size') -%}
{%- set z = z_critical(var('impact_significance')) -%}
{%- set weight = var('impact_effect_weight') -%}
{%- set seat_bands = var('impact_seat_bands') -%}
{#- 'lower-upper' CRM users, e.g. '0-9', '10-49', '50+' for the default edges [10, 50]. -#}
{%- set seat_band -%}
    case {%- for edge in seat_bands %} when accounts.n_users < {{ edge }} then '{{ seat_bands[loop.index0 - 1] if not loop.first else 0 }}-{{ edge - 1 }}' {%- endfor %} else '{{ seat_bands[-1] }}+' end
{%- endset -%}

with

feedback as (

    select * from {{ ref('fct_feedback') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

events as (

    select * from {{ ref('int_product_events__unified') }}

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

---------- usage: the accounts that raised the theme against matched accounts that did not

event_range as (

    select
        min(occurred_on) as first_date,
        max(occurred_on) as last_date
    from events

),

account_user_days as (

    select distinct
        account_id,
        user_id,
        occurred_on
    from events
    where account_id is not null
        and user_id is not null

),

account_last_activity as (

    select
        account_id,
        max(occurred_on) as last_active_on
    from events
    where account_id is not null
    group by account_id

),

matched_accounts as (

    -- The matching cell: plan and seat band (CRM users; band edges from var impact_seat_bands).
    select
        accounts.account_id,
        accounts.created_at,
        coalesce(accounts.plan, 'unknown') as plan,
        {{ seat_band }} as seat_band,
        case
            when {{ dbt.datediff('account_last_activity.last_active_on', 'event_range.last_date', 'day') }}
                >= {{ var('impact_churn_days') }}
                or account_last_activity.last_active_on is null
                then 1
            else 0
        end as is_churned
    from accounts
    cross join event_range
    left join account_last_activity
        on accounts.account_id = account_last_activity.account_id

),

first_mentions as (

    select
        theme_id,
        account_id,
        cast(min(created_at) as date) as first_mentioned_on
    from feedback
    where theme_id is not null
        and account_id is not null
    group by
        theme_id,
        account_id

),

theme_anchors as (

    -- Accounts that did not raise the theme are measured around the median day on which the
    -- raisers first raised it, so both groups share the calendar of the raisers.
    select
        theme_id,
        count(*) as raising_accounts,
        percentile_disc(0.5) within group (order by first_mentioned_on) as anchor_date
    from first_mentions
    group by theme_id

),

theme_accounts as (

    select
        theme_anchors.theme_id,
        matched_accounts.account_id,
        matched_accounts.plan,
        matched_accounts.seat_band,
        matched_accounts.created_at,
        matched_accounts.is_churned,
        case when first_mentions.account_id is not null then 1 else 0 end as is_raiser,
        coalesce(first_mentions.first_mentioned_on, theme_anchors.anchor_date) as anchor_date
    from theme_anchors
    cross join matched_accounts
    left join first_mentions
        on theme_anchors.theme_id = first_mentions.theme_id
            and matched_accounts.account_id = first_mentions.account_id

),

week_numbers as (

    {{ dbt.generate_series(2 * window_weeks) }}

),

theme_account_weeks as (

    -- Week k of an account is days [anchor + 7k, anchor + 7k + 7): k < 0 before, k >= 0 from
    -- the anchor day on. Only weeks wholly inside the event range count.
    select
        theme_accounts.theme_id,
        theme_accounts.account_id,
        week_numbers.generated_number - 1 - {{ window_weeks }} as week_number,
        cast({{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1 - ' ~ window_weeks ~ ')', 'theme_accounts.anchor_date') }} as date)
            as week_start
    from theme_accounts
    cross join week_numbers
    cross join event_range
    where {{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1 - ' ~ window_weeks ~ ')', 'theme_accounts.anchor_date') }}
        >= event_range.first_date
        and {{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1 - ' ~ window_weeks ~ ') + 6', 'theme_accounts.anchor_date') }}
        <= event_range.last_date

),

weekly_activity as (

    select
        theme_account_weeks.theme_id,
        theme_account_weeks.account_id,
        theme_account_weeks.week_number,
        theme_account_weeks.week_start,
        count(distinct account_user_days.user_id) as active_users
    from theme_account_weeks
    left join account_user_days
        on theme_account_weeks.account_id = account_user_days.account_id
            and theme_account_weeks.week_start <= account_user_days.occurred_on
            and cast({{ dbt.dateadd('day', 7, 'theme_account_weeks.week_start') }} as date)
            > account_user_days.occurred_on
    group by
        theme_account_weeks.theme_id,
        theme_account_weeks.account_id,
        theme_account_weeks.week_number,
        theme_account_weeks.week_start

),

account_windows as (

    select
        theme_id,
        account_id,
        count(case when week_number < 0 then 1 end) as weeks_before,
        count(case when week_number >= 0 then 1 end) as weeks_after,
        min(week_start) as first_week_start,
        avg(case when week_number < 0 then cast(active_users as {{ type_double() }}) end) as wau_before,
        avg(case when week_number >= 0 then cast(active_users as {{ type_double() }}) end) as wau_after
    from weekly_activity
    group by
        theme_id,
        account_id

),

eligible as (

    -- Measurable: enough whole weeks on both sides, the account existed through all of them
    -- and was in use before the anchor.
    select
        theme_accounts.theme_id,
        theme_accounts.account_id,
        theme_accounts.plan,
        theme_accounts.seat_band,
        theme_accounts.is_raiser,
        cast(theme_accounts.is_churned as {{ type_double() }}) as churned,
        {{ growth_rate('account_windows.wau_after', 'account_windows.wau_before') }} as usage_change
    from theme_accounts
    inner join account_windows
        on theme_accounts.theme_id = account_windows.theme_id
            and theme_accounts.account_id = account_windows.account_id
    where account_windows.weeks_before >= {{ min_weeks }}
        and account_windows.weeks_after >= {{ min_weeks }}
        and account_windows.wau_before > 0
        and (theme_accounts.created_at is null or cast(theme_accounts.created_at as date) <= account_windows.first_week_start)

),

cells as (

    select
        theme_id,
        plan,
        seat_band,
        sum(is_raiser) as raisers,
        sum(1 - is_raiser) as non_raisers
    from eligible
    group by
        theme_id,
        plan,
        seat_band

),

weighted as (

    -- Coarsened exact matching: raisers in a cell without a comparison account drop out;
    -- a comparison account weighs raisers / non-raisers of its cell, so the comparison group has
    -- the raisers' mix of cells. Raisers weigh 1.
    select
        eligible.*,
        case
            when eligible.is_raiser = 1 then cast(1 as {{ type_double() }})
            else cast(cells.raisers as {{ type_double() }}) / cells.non_raisers
        end as weight
    from eligible
    inner join cells
        on eligible.theme_id = cells.theme_id
            and eligible.plan = cells.plan
            and eligible.seat_band = cells.seat_band
    where cells.raisers > 0
        and cells.non_raisers > 0

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
        coalesce(theme_anchors.raising_accounts, 0) as raising_accounts,
        theme_anchors.anchor_date as usage_anchor_date,
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
    left join theme_anchors
        on themes.theme_id = theme_anchors.theme_id
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
