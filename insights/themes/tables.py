"""The shapes the theme step reads and writes: yesterday's state in, tonight's tables out.

Kept apart from the stages so that the step (`step.py`), the carry-over decision
(`lifecycle.py`) and storage (`store.py`) share one definition of each table without
importing one another.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

THEME_COLUMNS = ["theme_id", "label", "keywords", "representative_quote", "quotes", "size", "cohesion"]
THEME_DTYPES = {
    "theme_id": "str",
    "label": "str",
    "keywords": "str",
    "representative_quote": "str",
    "quotes": "str",
    "size": "int64",
    "cohesion": "float64",
}
ASSIGNMENT_COLUMNS = ["feedback_id", "theme_id", "is_outlier", "similarity"]
HISTORY_COLUMNS = ["theme_id", "status", "split_from", "merged_into", "similarity"]
AREA_COLUMNS = ["theme_id", "area_id", "area_label"]
MATCH_COLUMNS = ["theme_id", "target_key", "similarity", "match_rank"]


def theme_id(feedback_ids) -> str:
    """`thm_<8 hex>` from the sorted member IDs: same members, same ID, in any input order."""
    digest = hashlib.sha256("\n".join(sorted(map(str, feedback_ids))).encode("utf-8")).hexdigest()
    return f"thm_{digest[:8]}"


@dataclass(frozen=True)
class ThemeResult:
    """`themes`: one row per theme. `assignments`: one row per feedback item, input order.

    `centroids`: unit centroid of each theme, row i for `themes` row i; the next run matches
    its themes to these (`match.py`), so they are stored with the themes. `min_theme_size`:
    the smallest theme the fit allowed (resolved from the setting). `why_no_themes`: when
    there is no theme, why (`cluster.why_no_themes`); None when themes were found.
    """

    themes: pd.DataFrame
    assignments: pd.DataFrame
    centroids: np.ndarray | None = field(default=None, compare=False)
    min_theme_size: int | None = field(default=None, compare=False)
    why_no_themes: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PreviousThemes:
    """Yesterday's state as the step needs it: theme IDs and unit centroids (row-aligned), and
    the theme-to-area table (None when no earlier run stored one)."""

    theme_ids: np.ndarray
    centroids: np.ndarray
    areas: pd.DataFrame | None = field(default=None, compare=False)

    @classmethod
    def empty(cls, dimension: int = 0) -> PreviousThemes:
        return cls(np.array([], dtype=object), np.zeros((0, dimension), dtype=np.float32))

    def centroid_by_id(self) -> dict[str, np.ndarray]:
        return dict(zip(self.theme_ids, self.centroids, strict=True))


@dataclass(frozen=True)
class NightlyThemes:
    """Tonight's theme tables: the themes under their kept IDs with every item's assignment,
    what became of each theme since yesterday (`history`), and the themes' product areas."""

    result: ThemeResult
    history: pd.DataFrame
    areas: pd.DataFrame

    @property
    def themes(self) -> pd.DataFrame:
        return self.result.themes

    @property
    def assignments(self) -> pd.DataFrame:
        return self.result.assignments

    @property
    def centroids(self) -> np.ndarray:
        return self.result.centroids
