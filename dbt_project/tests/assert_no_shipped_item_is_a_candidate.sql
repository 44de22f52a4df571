-- A theme whose roadmap item shipped is followed in roadmap_shipped, never ranked again:
-- returns every candidate whose linked item has shipped.
select
    candidates.theme_id,
    candidates.rank,
    candidates.roadmap_item_key
from {{ ref('roadmap_candidates') }} as candidates
inner join {{ ref('dim_roadmap_items') }} as roadmap_items
    on candidates.roadmap_item_key = roadmap_items.issue_key
where roadmap_items.roadmap_status = 'shipped'
