{#- What happened to the demand once the work shipped: each shipped item's themes, N weeks
    before its release against N weeks after. -#}
{%- set window_days = 7 * var('shipped_window_weeks') -%}
{%- set seconds_per_week = 7 * 24 * 60 * 60 -%}

with

roadmap_items as (

    select * from {{ ref('dim_roadmap_items') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

feedback as (

    select * from {{ ref('fct_feedback') }}

),

feedback_range as (

    -- The feedback the warehouse holds: a window reaching past either end is only partly seen.
    select
        min(created_at) as feedback_from,
        max(created_at) as feedback_as_of
    from feedback

),

linked_themes as (

    select
        roadmap_item_key,
        theme_id,
        label
    from themes
    where roadmap_item_key is not null
        and not is_hidden
        and merged_into_theme_id is null

),

shipped_items as (

    select *
    from roadmap_items
    where roadmap_status = 'shipped'

),

item_themes as (

    -- As in dim_roadmap_items: a theme linked to a child issue counts for its epic too.
    select
        shipped_items.issue_key,
        linked_themes.theme_id,
        linked_themes.label
    from shipped_items
    inner join linked_themes
        on shipped_items.issue_key = linked_themes.roadmap_item_key
    union
    select
        shipped_items.issue_key,
        linked_themes.theme_id,
        linked_themes.label
    from shipped_items
    inner join roadmap_items as children
        on shipped_items.issue_key = children.parent_key
    inner join linked_themes
        on children.issue_key = linked_themes.roadmap_item_key

),

themes_per_item as (

    select
        issue_key,
        count(*) as linked_themes,
        {{ dbt.listagg('theme_id', "', '", 'order by theme_id') }} as theme_ids,
        {{ dbt.listagg('label', "' | '", 'order by theme_id') }} as theme_labels
    from item_themes
    group by issue_key

),

windows as (

    select
        shipped_items.issue_key,
        shipped_items.resolved_at as released_at,
        {{ dbt.dateadd('day', -window_days, 'shipped_items.resolved_at') }} as window_start,
        {{ dbt.dateadd('day', window_days, 'shipped_items.resolved_at') }} as window_end,
        feedback_range.feedback_from,
        feedback_range.feedback_as_of
    from shipped_items
    inner join themes_per_item
        on shipped_items.issue_key = themes_per_item.issue_key
    cross join feedback_range

),

windowed_feedback as (

    select
        windows.issue_key,
        feedback.account_id,
        feedback.sentiment_score,
        case when feedback.created_at < windows.released_at then 'before' else 'after' end as side
    from windows
    inner join item_themes
        on windows.issue_key = item_themes.issue_key
    inner join feedback
        on item_themes.theme_id = feedback.theme_id
    where feedback.created_at >= windows.window_start
        and feedback.created_at < windows.window_end

),

sides as (

    select
        issue_key,
        count(case when side = 'before' then 1 end) as feedback_items_before,
        count(case when side = 'after' then 1 end) as feedback_items_after,
        count(distinct case when side = 'before' then account_id end) as accounts_before,
        count(distinct case when side = 'after' then account_id end) as accounts_after,
        count(case when side = 'before' then sentiment_score end) as sentiment_items_before,
        count(case when side = 'after' then sentiment_score end) as sentiment_items_after,
        avg(case when side = 'before' then sentiment_score end) as avg_sentiment_before,
        avg(case when side = 'after' then sentiment_score end) as avg_sentiment_after
    from windowed_feedback
    group by issue_key

),

observed as (

    -- Weeks of each window inside the feedback the warehouse holds (0 when none is).
    select
        windows.*,
        greatest(
            0,
            {{ dbt.datediff('greatest(windows.window_start, windows.feedback_from)', 'windows.released_at', 'second') }}
        ) / {{ seconds_per_week }}.0 as weeks_before,
        greatest(
            0,
            {{ dbt.datediff('windows.released_at', 'least(windows.window_end, windows.feedback_as_of)', 'second') }}
        ) / {{ seconds_per_week }}.0 as weeks_after
    from windows

),

joined as (

    select
        shipped_items.issue_key,
        shipped_items.summary,
        shipped_items.issue_type,
        shipped_items.jira_status,
        themes_per_item.linked_themes,
        themes_per_item.theme_ids,
        themes_per_item.theme_labels,
        observed.released_at,
        cast(observed.weeks_before as {{ type_double() }}) as weeks_before,
        cast(observed.weeks_after as {{ type_double() }}) as weeks_after,
        coalesce(sides.feedback_items_before, 0) as feedback_items_before,
        coalesce(sides.feedback_items_after, 0) as feedback_items_after,
        coalesce(sides.accounts_before, 0) as accounts_before,
        coalesce(sides.accounts_after, 0) as accounts_after,
        coalesce(sides.sentiment_items_before, 0) as sentiment_items_before,
        coalesce(sides.sentiment_items_after, 0) as sentiment_items_after,
        sides.avg_sentiment_before,
        sides.avg_sentiment_after
    from shipped_items
    inner join themes_per_item
        on shipped_items.issue_key = themes_per_item.issue_key
    left join observed
        on shipped_items.issue_key = observed.issue_key
    left join sides
        on shipped_items.issue_key = sides.issue_key

),

rates as (

    select
        joined.*,
        {{ ratio('joined.feedback_items_before', 'joined.weeks_before') }} as weekly_items_before,
        {{ ratio('joined.feedback_items_after', 'joined.weeks_after') }} as weekly_items_after
    from joined

),

final as (

    select
        ---------- ids
        issue_key,

        ---------- attributes
        summary,
        issue_type,
        jira_status,
        theme_ids,
        theme_labels,
        linked_themes,
        coalesce(weeks_before >= {{ var('shipped_window_weeks') }} and weeks_after >= {{ var('shipped_window_weeks') }}, false)
            as is_window_complete,

        ---------- windows
        weeks_before,
        weeks_after,

        ---------- volume
        feedback_items_before,
        feedback_items_after,
        accounts_before,
        accounts_after,
        weekly_items_before,
        weekly_items_after,
        {{ growth_rate('weekly_items_after', 'weekly_items_before') }} as volume_change,

        ---------- sentiment
        sentiment_items_before,
        sentiment_items_after,
        avg_sentiment_before,
        avg_sentiment_after,
        avg_sentiment_after - avg_sentiment_before as sentiment_change,

        ---------- timestamps
        released_at

    from rates

)

select * from final
