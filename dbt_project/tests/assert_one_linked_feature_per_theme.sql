-- A theme is about at most one catalog feature: the roadmap candidate shows that feature's
-- adoption. Returns the themes with more than one link.
select
    theme_id,
    count(*) as linked_features
from {{ ref('theme_feature_links') }}
where is_linked
group by theme_id
having count(*) > 1
