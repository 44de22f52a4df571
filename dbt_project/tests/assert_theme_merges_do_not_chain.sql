-- A merge override must point at a theme that is not itself merged: fct_feedback follows one
-- level only, so A -> B -> C would leave A's feedback on B, a theme nobody sees as a candidate.
{{ config(severity='warn') }}

with

overrides as (

    select * from {{ ref('theme_overrides') }}

)

select
    first_merge.theme_id,
    first_merge.merge_into,
    second_merge.merge_into as then_into
from overrides as first_merge
inner join overrides as second_merge
    on first_merge.merge_into = second_merge.theme_id
where second_merge.merge_into is not null
    and second_merge.merge_into <> second_merge.theme_id
