"""Feedback themes: embed texts, cluster them, label the clusters, keep their IDs night to night.

The front door is `build_nightly_themes` (`step.py`): yesterday's state and tonight's embedded
items in, tonight's tables out. Each stage is its own module and can be swapped: `embed` and
`cache` (sentence embeddings), `cluster` (`ThemeClusterer`), `label` (`ThemeLabeler`), `match`
and `lifecycle` (stable IDs), `area` (product areas), `links` (themes to features and roadmap
items); `store` reads and writes the `themes.*` tables.
"""

from insights.themes.step import ThemeSettings, build_nightly_themes, build_themes
from insights.themes.tables import NightlyThemes, PreviousThemes, ThemeResult, theme_id

__all__ = [
    "NightlyThemes",
    "PreviousThemes",
    "ThemeResult",
    "ThemeSettings",
    "build_nightly_themes",
    "build_themes",
    "theme_id",
]
