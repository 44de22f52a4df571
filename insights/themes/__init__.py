"""Feedback themes: embed texts, cluster them, label the clusters.

Each stage is its own module and can be swapped: `embed` (sentence embeddings), `cluster`
(`ThemeClusterer`), `label` (`ThemeLabeler`); `pipeline.build_themes` joins them into the
`themes.*` tables.
"""

from insights.themes.pipeline import ThemeResult, build_themes, theme_id

__all__ = ["ThemeResult", "build_themes", "theme_id"]
