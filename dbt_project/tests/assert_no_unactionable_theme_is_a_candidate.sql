-- Thanks, praise and small talk stay in dim_themes, never in the ranked list: returns every
-- candidate whose theme dim_themes marks as not actionable.
select
    candidates.theme_id,
    candidates.rank,
    themes.not_actionable_reason
from {{ ref('roadmap_candidates') }} as candidates
inner join {{ ref('dim_themes') }} as themes
    on candidates.theme_id = themes.theme_id
where not themes.is_actionable
