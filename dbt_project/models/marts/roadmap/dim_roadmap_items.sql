with

roadmap_items as (

    select * from {{ ref('stg_jira__issues') }}

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
        theme_id
    from themes
    where roadmap_item_key is not null
        and not is_hidden
        and merged_into_theme_id is null

),

evidence_accounts as (

    select distinct
        linked_themes.roadmap_item_key,
        feedback.account_id
    from linked_themes
    inner join feedback
        on linked_themes.theme_id = feedback.theme_id
    where feedback.account_id is not null

),

evidence_per_item as (

    select
        evidence_accounts.roadmap_item_key,
        count(*) as evidence_accounts,
        sum(coalesce(accounts.arr, 0)) as evidence_arr
    from evidence_accounts
    left join accounts
        on evidence_accounts.account_id = accounts.account_id
    group by evidence_accounts.roadmap_item_key

),

candidates_per_item as (

    select
        linked_themes.roadmap_item_key,
        count(*) as linked_themes,
        sum(candidates.feedback_items) as evidence_feedback_items,
        min(candidates.rank) as best_candidate_rank
    from linked_themes
    inner join candidates
        on linked_themes.theme_id = candidates.theme_id
    group by linked_themes.roadmap_item_key

),

joined as (

    select
        roadmap_items.issue_key,
        roadmap_items.summary,
        roadmap_items.labels,
        roadmap_items.status as jira_status,
        {{ roadmap_status('roadmap_items.status') }} as roadmap_status,
        roadmap_items.story_points,
        coalesce(candidates_per_item.linked_themes, 0) as linked_themes,
        coalesce(candidates_per_item.evidence_feedback_items, 0) as evidence_feedback_items,
        coalesce(evidence_per_item.evidence_accounts, 0) as evidence_accounts,
        cast(coalesce(evidence_per_item.evidence_arr, 0) as {{ type_double() }}) as evidence_arr,
        candidates_per_item.best_candidate_rank,
        roadmap_items.created_at,
        roadmap_items.resolved_at
    from roadmap_items
    left join candidates_per_item
        on roadmap_items.issue_key = candidates_per_item.roadmap_item_key
    left join evidence_per_item
        on roadmap_items.issue_key = evidence_per_item.roadmap_item_key

),

final as (

    select
        ---------- ids
        issue_key,

        ---------- attributes
        summary,
        labels,
        jira_status,
        roadmap_status,

        ---------- measures
        story_points,
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
