"""Keep a theme's ID from one run to the next while it is the same theme.

Clustering starts afresh every night, so a theme's member-hash ID changes as soon as one item
joins it, and every human override keyed on that ID would be lost. `ThemeMatcher` pairs this
run's themes with the previous run's by the cosine between their centroids:

1. One-to-one assignment (Hungarian, `linear_sum_assignment`) maximising total similarity;
   a pair at or above `match_threshold` is the same theme and keeps the previous ID
   (`continued`). One-to-one matters: two new themes can never both inherit one ID.
2. A new theme left unmatched but at or above `lineage_threshold` to a previous theme broke
   off from it (`split`, with `split_from`); otherwise it is `new`. Either way it keeps its
   fresh member-hash ID, which is deterministic.
3. A previous theme left unmatched but at or above `lineage_threshold` to a new theme was
   absorbed by it (`merged`, with `merged_into`); otherwise it is `retired`. A previous
   theme that new themes split from is `retired` too: its split rows carry the lineage.

Why these thresholds: a theme that merges with another has a centroid at cosine
sqrt((1 + c) / 2) to each part, where c is the parts' own cosine; for parts that are not
opposed (c >= 0) that is at least 0.71, hence `lineage_threshold` 0.7. The same theme a night
later, with a few percent more members, sits at 0.95 or more with all-MiniLM-L6-v2, while
distinct neighbouring themes sit below 0.8, hence `match_threshold` 0.8.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator

from insights.themes.embed import normalize_rows
from insights.themes.tables import HISTORY_COLUMNS, PreviousThemes, ThemeResult


class ThemeMatcher(BaseEstimator):
    """Give this run's themes the previous run's IDs where they are the same theme.

    Parameters
    ----------
    match_threshold : centroid cosine at or above which a one-to-one pair is the same theme.
    lineage_threshold : centroid cosine at or above which an unmatched theme is recorded as
        split from / merged into its nearest counterpart rather than new / retired.
    """

    def __init__(self, match_threshold: float = 0.8, lineage_threshold: float = 0.7):
        self.match_threshold = match_threshold
        self.lineage_threshold = lineage_threshold

    def fit(self, centroids, candidate_ids, previous_centroids, previous_ids, ended_ids=()) -> ThemeMatcher:
        """Sets `theme_ids_` (final ID per current theme, input order) and `history_`.

        `ended_ids`: previous themes that may not continue (a person asked to split them,
        `split.py`); their parts are still recorded as split from them.
        """
        current = _unit(centroids)
        previous = _unit(previous_centroids, current.shape[1] if current.size else None)
        candidate_ids = np.asarray(candidate_ids, dtype=object)
        previous_ids = np.asarray(previous_ids, dtype=object)
        if current.shape[0] != candidate_ids.size or previous.shape[0] != previous_ids.size:
            raise ValueError("centroids and IDs must line up")
        if current.shape[0] and previous.shape[0] and current.shape[1] != previous.shape[1]:
            # A different embedding model: no centroid is comparable, so nothing continues.
            previous = np.zeros((0, current.shape[1]), dtype=current.dtype)
            previous_ids = previous_ids[:0]

        similarity = (
            current @ previous.T
            if previous.shape[0] and current.shape[0]
            else np.zeros((current.shape[0], previous.shape[0]))
        )
        match_of_current = np.full(current.shape[0], -1)
        match_of_previous = np.full(previous.shape[0], -1)
        if similarity.size:
            # Below any cosine, so an ended theme is never paired; lineage still reads `similarity`.
            assignable = np.where(np.isin(previous_ids, list(ended_ids))[None, :], -2.0, similarity)
            rows, cols = linear_sum_assignment(assignable, maximize=True)
            for r, c in zip(rows, cols):
                if assignable[r, c] >= self.match_threshold:
                    match_of_current[r], match_of_previous[c] = c, r

        ids = candidate_ids.copy()
        ids[match_of_current >= 0] = previous_ids[match_of_current[match_of_current >= 0]]
        ids = _unclash(ids, match_of_current >= 0)
        rows: list[dict] = []
        split_sources: set[int] = set()
        for i in range(current.shape[0]):
            if match_of_current[i] >= 0:
                rows.append(_row(ids[i], "continued", similarity=similarity[i, match_of_current[i]]))
                continue
            nearest = int(np.argmax(similarity[i])) if similarity.shape[1] else -1
            if nearest >= 0 and similarity[i, nearest] >= self.lineage_threshold:
                split_sources.add(nearest)
                rows.append(_row(ids[i], "split", split_from=previous_ids[nearest], similarity=similarity[i, nearest]))
            else:
                rows.append(_row(ids[i], "new"))
        for j in range(previous.shape[0]):
            if match_of_previous[j] >= 0:
                continue
            nearest = int(np.argmax(similarity[:, j])) if similarity.shape[0] else -1
            if j not in split_sources and nearest >= 0 and similarity[nearest, j] >= self.lineage_threshold:
                rows.append(
                    _row(previous_ids[j], "merged", merged_into=ids[nearest], similarity=similarity[nearest, j])
                )
            else:
                rows.append(_row(previous_ids[j], "retired"))

        self.theme_ids_ = ids
        self.similarity_ = similarity
        self.history_ = pd.DataFrame(rows, columns=HISTORY_COLUMNS).astype(
            {"theme_id": "str", "status": "str", "split_from": "str", "merged_into": "str", "similarity": "float64"}
        )
        return self


def match_themes(
    result: ThemeResult, previous: PreviousThemes | None, matcher: ThemeMatcher | None = None, ended_ids=()
) -> tuple[ThemeResult, pd.DataFrame]:
    """`result` with its themes renamed to the previous run's IDs where matched, and the history rows.

    With no previous run every theme is `new` and keeps its member-hash ID.
    """
    if result.centroids is None:
        raise ValueError("the theme result carries no centroids to match on")
    previous = previous if previous is not None else PreviousThemes.empty(result.centroids.shape[1])
    matcher = (matcher or ThemeMatcher()).fit(
        result.centroids,
        result.themes["theme_id"].to_numpy(dtype=object),
        previous.centroids,
        previous.theme_ids,
        ended_ids,
    )
    rename = dict(zip(result.themes["theme_id"], matcher.theme_ids_))
    themes = result.themes.assign(theme_id=result.themes["theme_id"].map(rename).astype("str"))
    assignments = result.assignments.assign(
        theme_id=result.assignments["theme_id"].map(rename, na_action="ignore").astype("str")
    )
    return replace(result, themes=themes, assignments=assignments), matcher.history_


def _unit(vectors, dimension: int | None = None) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.size == 0:
        return np.zeros((0, dimension or 0), dtype=np.float32)
    return normalize_rows(array.reshape(array.shape[0], -1))


def _unclash(ids: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """A fresh member-hash ID could equal an inherited one; suffix it so IDs stay unique."""
    taken = set(ids[kept])
    out = ids.copy()
    for i in np.flatnonzero(~kept):
        candidate, n = out[i], 1
        while candidate in taken:
            candidate, n = f"{ids[i]}_{n}", n + 1
        out[i] = candidate
        taken.add(candidate)
    return out


def _row(theme_id, status, split_from=None, merged_into=None, similarity=None) -> dict:
    return {
        "theme_id": theme_id,
        "status": status,
        "split_from": split_from,
        "merged_into": merged_into,
        "similarity": np.nan if similarity is None else float(similarity),
    }
