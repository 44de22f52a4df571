"""What became of yesterday's themes tonight: which IDs carry over, split, merge or retire.

Matching (`match.py`) pairs tonight's themes with yesterday's by centroid; this module turns
that into tonight's final tables: the themes under their kept IDs, one history row per theme
(continued, new, split, merged, retired), and the product areas, whose IDs are carried over
the same way. Nothing here reads or writes the warehouse (`store.py` does).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from insights.themes.area import AreaGrouper
from insights.themes.match import match_themes
from insights.themes.tables import NightlyThemes, PreviousThemes, ThemeResult


def carry_over(
    result: ThemeResult,
    previous: PreviousThemes | None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    ended_ids=(),
) -> NightlyThemes:
    """Tonight's `result` under yesterday's IDs where themes continue, with history and areas.

    `previous` None means there was no earlier night: every theme is new and keeps its
    member-hash ID, and areas are grouped afresh. `embed` (the model's) lets areas be named
    by meaning. `ended_ids`: yesterday's themes that may not continue (split on request).
    """
    matched, history = match_themes(result, previous, ended_ids=ended_ids)
    old_centroids = previous.centroid_by_id() if previous is not None else None
    old_areas = previous.areas if previous is not None else None
    areas = AreaGrouper(embed=embed).fit(matched.themes, matched.centroids, old_areas, old_centroids).areas_
    return NightlyThemes(result=matched, history=history, areas=areas)
