-- Ranks run 1..n with no gap and no tie: the highest rank equals the number of candidates
-- and equals the number of distinct ranks. Returns a row when that does not hold.
with

ranks as (

    select
        count(*) as n_candidates,
        count(distinct rank) as n_ranks,
        min(rank) as lowest_rank,
        max(rank) as highest_rank
    from {{ ref('roadmap_candidates') }}

)

select *
from ranks
where n_candidates > 0
    and (
        lowest_rank <> 1
        or highest_rank <> n_candidates
        or n_ranks <> n_candidates
    )
