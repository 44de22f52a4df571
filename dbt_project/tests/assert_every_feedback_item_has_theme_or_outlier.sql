-- Every feedback item leaves the theme step either in a theme or flagged as an outlier, never
-- both and never neither. Rows returned are the items that break this.
select
    feedback_id,
    theme_id,
    is_outlier
from {{ ref('fct_feedback') }}
where
    is_outlier is null
    or (theme_id is null and not is_outlier)
    or (theme_id is not null and is_outlier)
