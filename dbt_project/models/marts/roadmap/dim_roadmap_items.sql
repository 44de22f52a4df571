with

roadmap_items as (

    select * from {{ ref('int_roadmap_items__estimated') }}

),

themes as (

    select * from {{ ref('dim_themes') }}

),

feedback as (

    select * from {{ ref('fct_feedback') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

candidates as (

    select * from {{ ref('roadmap_candidates') }}

),

linked_themes as (

    -- Hidden themes and themes merged away are not evidence; their feedback, if merged,
    -- counts through the theme it was merged into.
    select
        roadmap_item_key,
        theme_id,
        feature
    from themes
    where roadmap_item_key is not null
        and not is_hidden
        and merged_into_theme_id is null

),

item_themes as (

    -- A theme linked to a child issue is evidence for its epic too.
    select
        roadmap_items.issue_key,
        linked_themes.theme_id,
        linked_themes.feature
    from roadmap_items
    inner join linked_themes
        on roadmap_items.issue_key = linked_themes.roadmap_item_key
    union
    select
        roadmap_items.parent_key as issue_key,
        linked_themes.theme_id,
        linked_themes.feature
    from roadmap_items
    inner join linked_themes
        on roadmap_items.issue_key = linked_themes.roadmap_item_key
    where roadmap_items.parent_key is not null

),

themes_per_item as (

    select
        item_themes.issue_key,
        count(*) as linked_themes,
        count(item_themes.feature) as linked_features,
        min(candidates.rank) as best_candidate_rank
    from item_themes
    left join candidates
        on item_themes.theme_id = candidates.theme_id
    group by item_themes.issue_key

),

evidence_feedback as (

    select
        item_themes.issue_key,
        feedback.feedback_id,
        feedback.account_id
    from item_themes
    inner join feedback
        on item_themes.theme_id = feedback.theme_id

),

evidence_accounts as (

    select distinct
        issue_key,
        account_id
    from evidence_feedback
    where account_id is not null

),

evidence_arr as (

    select
        evidence_accounts.issue_key,
        count(*) as evidence_accounts,
        sum(coalesce(accounts.arr, 0)) as evidence_arr
    from evidence_accounts
    left join accounts
        on evidence_accounts.account_id = accounts.account_id
    group by evidence_accounts.issue_key

),

evidence_items as (

    select
        issue_key,
        count(distinct feedback_id) as evidence_feedback_items
    from evidence_feedback
    group by issue_key

),

joined as (

    select
        roadmap_items.*,
        coalesce(themes_per_item.linked_themes, 0) as linked_themes,
        coalesce(themes_per_item.linked_features, 0) as linked_features,
        coalesce(evidence_items.evidence_feedback_items, 0) as evidence_feedback_items,
        coalesce(evidence_arr.evidence_accounts, 0) as evidence_accounts,
        cast(coalesce(evidence_arr.evidence_arr, 0) as {{ type_double() }}) as evidence_arr,
        themes_per_item.best_candidate_rank
    from roadmap_items
    left join themes_per_item
        on roadmap_items.issue_key = themes_per_item.issue_key
    left join evidence_items
        on roadmap_items.issue_key = evidence_items.issue_key
    left join evidence_arr
        on roadmap_items.issue_key = evidence_arr.issue_key

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
        jira_status,
        roadmap_status,
        -- A theme about a catalog feature links here: customers meet this work, whatever its labels say.
        case
            when linked_features > 0 then 'customer'
            when is_internal then 'internal'
            else 'customer'
        end as audience,
        case
            when linked_features > 0 then 'linked feature'
            when is_internal then internal_reason
            else 'not marked internal'
        end as audience_reason,

        ---------- effort
        story_points,
        effort,
        effort_source,
        effort_confidence,
        child_issues,

        ---------- evidence
        linked_themes,
        evidence_feedback_items,
        evidence_accounts,
        evidence_arr,
        best_candidate_rank,

        ---------- timestamps
        created_at,
        resolved_at

    from joined

)

select * from final
