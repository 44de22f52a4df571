{#- Every Jira issue with the effort RICE divides by, where that effort came from, and whether
    the work is internal. The rules are in _int_roadmap__models.yml. -#}
{%- set pointed_types = var('story_point_issue_types') -%}
{%- set epic_types = var('epic_issue_types') -%}
{%- set guess = var('effort_guess_confidence') -%}

with

issues as (

    select * from {{ ref('stg_jira__issues') }}

),

typed as (

    select
        issues.*,
        case
            when issues.issue_type in ({{ "'" ~ epic_types | join("', '") ~ "'" }}) then 'epic'
            -- An export without issue types: every issue is read as carrying its own estimate.
            when issues.issue_type is null or issues.issue_type in ({{ "'" ~ pointed_types | join("', '") ~ "'" }}) then 'pointed'
            else 'other'
        end as estimate_kind,
        -- Labels hold no spaces in Jira, so a space-padded list matches whole labels only.
        ' ' || replace(coalesce(issues.labels, ''), ',', ' ') || ' ' as padded_labels,
        ',' || replace(coalesce(issues.components, ''), ', ', ',') || ',' as padded_components
    from issues

),

type_medians as (

    -- The team's usual size of each issue type, from the issues it did estimate.
    select
        issue_type,
        percentile_cont(0.5) within group (order by story_points) as median_points
    from typed
    where estimate_kind = 'pointed'
        and story_points > 0
    group by issue_type

),

overall_median as (

    select percentile_cont(0.5) within group (order by story_points) as median_points
    from typed
    where estimate_kind = 'pointed'
        and story_points > 0

),

own_estimates as (

    -- Points count on the types that carry them; any other type (an epic, a sub-task) keeps
    -- none of its own. A pointed issue without an estimate takes its type's median.
    select
        typed.*,
        case
            when typed.estimate_kind = 'pointed' and typed.story_points > 0
                then cast(typed.story_points as {{ type_double() }})
            when typed.estimate_kind <> 'epic'
                then cast(coalesce(type_medians.median_points, overall_median.median_points, {{ var('default_effort_points') }}) as {{ type_double() }})
        end as own_effort,
        case when typed.estimate_kind = 'pointed' and typed.story_points > 0 then 1 else 0 end as is_estimated
    from typed
    left join type_medians
        on typed.issue_type = type_medians.issue_type
    cross join overall_median

),

children as (

    select
        parent_key,
        count(*) as child_issues,
        sum(own_effort) as children_effort,
        sum(is_estimated) as estimated_children
    from own_estimates
    where parent_key is not null
    group by parent_key

),

with_children as (

    select
        own_estimates.*,
        coalesce(children.child_issues, 0) as child_issues,
        children.children_effort,
        coalesce(children.estimated_children, 0) as estimated_children
    from own_estimates
    left join children
        on own_estimates.issue_key = children.parent_key

),

epic_median as (

    -- The team's median epic: over the epics whose stories are in the export.
    select percentile_cont(0.5) within group (order by children_effort) as median_points
    from with_children
    where estimate_kind = 'epic'
        and child_issues > 0

),

estimated as (

    select
        with_children.*,
        case
            when with_children.estimate_kind = 'epic' and with_children.child_issues > 0
                then with_children.children_effort
            when with_children.estimate_kind = 'epic'
                then cast(coalesce(epic_median.median_points, {{ var('default_effort_points') }}) as {{ type_double() }})
            else with_children.own_effort
        end as effort,
        case
            when with_children.estimate_kind = 'epic' and with_children.child_issues > 0 then 'children_sum'
            when with_children.estimate_kind = 'epic' then 'median_epic'
            when with_children.is_estimated = 1 then 'story_points'
            else 'median_missing'
        end as effort_source,
        -- 1 for a real estimate, var effort_guess_confidence for a median; an epic's sum in
        -- between, by the share of its child issues that were estimated.
        case
            when with_children.estimate_kind = 'epic' and with_children.child_issues > 0
                then 1 - (1 - {{ guess }}) * (with_children.child_issues - with_children.estimated_children)
                    / cast(with_children.child_issues as {{ type_double() }})
            when with_children.is_estimated = 1 then 1.0
            else {{ guess }}
        end as effort_confidence
    from with_children
    cross join epic_median

),

audience as (

    select
        estimated.*,
        case
            when estimated.issue_type in ({{ "'" ~ var('internal_issue_types') | join("', '") ~ "'" }}) then 'issue type'
            when false
                {%- for label in var('internal_labels') %}
                    or estimated.padded_labels like '% {{ label }} %'
                {%- endfor %}
                then 'label'
            when false
                {%- for component in var('internal_components') %}
                    or estimated.padded_components like '%,{{ component }},%'
                {%- endfor %}
                then 'component'
        end as internal_reason
    from estimated

),

final as (

    select
        ---------- ids
        issue_key,
        parent_key,

        ---------- attributes
        summary,
        labels,
        components,
        issue_type,
        status as jira_status,
        status_category,
        case status_category
            when 'done' then 'shipped'
            when 'in progress' then 'in progress'
            else 'planned'
        end as roadmap_status,
        internal_reason is not null as is_internal,
        internal_reason,

        ---------- effort
        story_points,
        effort,
        effort_source,
        cast(effort_confidence as {{ type_double() }}) as effort_confidence,
        child_issues,
        estimated_children,

        ---------- timestamps
        created_at,
        resolved_at

    from audience

)

select * from final
