{#- Two questions for the roadmap review, one table so a dashboard lists them together. -#}

with

candidates as (

    select * from {{ ref('roadmap_candidates') }}

),

roadmap_items as (

    select * from {{ ref('dim_roadmap_items') }}

),

unplanned_demand as (

    -- Customers ask loudly, nothing on the roadmap answers.
    select
        'unplanned demand' as gap_type,
        theme_id,
        cast(null as {{ dbt.type_string() }}) as roadmap_item_key,
        label as title,
        rank as candidate_rank,
        rice_score,
        reach_accounts as evidence_accounts,
        arr_affected as evidence_arr,
        roadmap_status
    from candidates
    where rank <= {{ var('gaps_top_n') }}
        and roadmap_status = 'not on roadmap'

),

thin_evidence as (

    -- Planned or started customer-facing work that few customers asked for (maybe right,
    -- but worth a reason). Internal work needs no demand; a child issue's evidence is its epic's.
    select
        'thin evidence' as gap_type,
        cast(null as {{ dbt.type_string() }}) as theme_id,
        issue_key as roadmap_item_key,
        summary as title,
        best_candidate_rank as candidate_rank,
        cast(null as {{ type_double() }}) as rice_score,
        evidence_accounts,
        evidence_arr,
        roadmap_status
    from roadmap_items
    where roadmap_status in ('planned', 'in progress')
        and audience = 'customer'
        and parent_key is null
        and evidence_accounts < {{ var('gaps_min_accounts') }}

),

unioned as (

    select * from unplanned_demand
    union all
    select * from thin_evidence

),

final as (

    select
        ---------- ids
        {{ dbt.concat(['gap_type', "':'", 'coalesce(theme_id, roadmap_item_key)']) }} as gap_id,
        theme_id,
        roadmap_item_key,

        ---------- attributes
        gap_type,
        title,
        roadmap_status,

        ---------- measures
        candidate_rank,
        rice_score,
        evidence_accounts,
        evidence_arr

    from unioned

)

select * from final
