{#- Product usage metrics, each defined here once; the product marts only call them, so a
    formula cannot drift between two tables. -#}

{% macro ratio(numerator, denominator) -%}
    {#- A share or rate as a float; null rather than a division by zero when the denominator
        is 0 or null (there is nothing to take a share of). -#}
    case
        when ({{ denominator }}) > 0
            then cast({{ numerator }} as {{ type_double() }}) / ({{ denominator }})
    end
{%- endmacro %}


{% macro growth_rate(recent, prior) -%}
    {#- Relative change of the recent window over the prior one, (recent - prior) / prior:
        -0.5 is half the usage, 0 no change, 1 double. Null when prior is 0: growth from
        nothing has no finite rate. -#}
    case
        when ({{ prior }}) > 0
            then cast(({{ recent }}) - ({{ prior }}) as {{ type_double() }}) / ({{ prior }})
    end
{%- endmacro %}


{% macro nps_category(score) -%}
    {#- The NPS bucket of one 0..10 answer: promoter 9-10, passive 7-8, detractor 0-6; null
        for a missing or out-of-range score. The one definition: staging labels each answer
        with it and net_promoter_score counts with it. -#}
    case
        when ({{ score }}) between 9 and 10 then 'promoter'
        when ({{ score }}) between 7 and 8 then 'passive'
        when ({{ score }}) between 0 and 6 then 'detractor'
    end
{%- endmacro %}


{% macro net_promoter_score(score) -%}
    {#- An aggregate. NPS on the usual -100..100 scale: percent promoters minus percent
        detractors (nps_category) among the non-null scores; passives count only in the
        denominator. Null when there is no score. -#}
    case
        when count({{ score }}) > 0
            then cast(100 as {{ type_double() }})
                * (
                    count(case when {{ nps_category(score) }} = 'promoter' then 1 end)
                    - count(case when {{ nps_category(score) }} = 'detractor' then 1 end)
                )
                / count({{ score }})
    end
{%- endmacro %}


{% macro active_user_counts(activity_days, calendar, group_by=[], groups=none) -%}
    {#- DAU, WAU, MAU, stickiness and active accounts for every day of `calendar` (one column,
        activity_date), per combination of `group_by` columns seen in `activity_days`; 0 on a
        day without activity. `activity_days` holds activity_date, the group_by columns,
        user_id and account_id (either may be null; nulls are not counted). Windows trail and
        include the day itself: WAU over var active_week_days days, MAU over var
        active_month_days days. `groups` (a relation of the group_by columns) names the groups
        when `activity_days` holds only part of the history, as in an incremental build. -#}
    {%- set week_days = var('active_week_days') -%}
    {%- set month_days = var('active_month_days') -%}
    select
        calendar_groups.activity_date,
        {%- for column in group_by %}
        calendar_groups.{{ column }},
        {%- endfor %}
        coalesce(window_counts.dau, 0) as dau,
        coalesce(window_counts.wau, 0) as wau,
        coalesce(window_counts.mau, 0) as mau,
        {{ ratio('coalesce(window_counts.dau, 0)', 'coalesce(window_counts.mau, 0)') }} as stickiness,
        coalesce(window_counts.active_accounts, 0) as active_accounts
    from (
        -- Every day for every group, so a quiet day is a row of zeros rather than a gap.
        select
            calendar.activity_date
            {%- for column in group_by %},
            activity_groups.{{ column }}
            {%- endfor %}
        from {{ calendar }} as calendar
        {%- if group_by %}
        cross join (
            select distinct
                {{ group_by | join(',\n                ') }}
            from {{ groups or activity_days }}
        ) as activity_groups
        {%- endif %}
    ) as calendar_groups
    left join (
        -- Each day paired with every activity row of the trailing month window ending on it;
        -- the day and the week are subsets of that window.
        select
            calendar.activity_date,
            {%- for column in group_by %}
            activity.{{ column }},
            {%- endfor %}
            count(distinct case
                when activity.activity_date = calendar.activity_date then activity.user_id
            end) as dau,
            count(distinct case
                when activity.activity_date
                    > cast({{ dbt.dateadd('day', -week_days, 'calendar.activity_date') }} as date)
                    then activity.user_id
            end) as wau,
            count(distinct activity.user_id) as mau,
            count(distinct case
                when activity.activity_date = calendar.activity_date then activity.account_id
            end) as active_accounts
        from {{ calendar }} as calendar
        inner join {{ activity_days }} as activity
            on activity.activity_date <= calendar.activity_date
            and activity.activity_date
                > cast({{ dbt.dateadd('day', -month_days, 'calendar.activity_date') }} as date)
        group by
            calendar.activity_date
            {%- for column in group_by %},
            activity.{{ column }}
            {%- endfor %}
    ) as window_counts
        on calendar_groups.activity_date = window_counts.activity_date
        {%- for column in group_by %}
        and calendar_groups.{{ column }} = window_counts.{{ column }}
        {%- endfor %}
{%- endmacro %}
