"""Product areas: a parent level above themes, found by grouping theme centroids.

A product manager owns an area ("reporting", "billing"), not thirty themes, so themes are
grouped into a handful of areas by average-linkage agglomeration of their centroids (cosine).
The number of areas grows slowly with the number of themes, about sqrt(2k), kept within
[min_areas, max_areas]; with fewer themes than `min_areas` each theme is its own area.

Area IDs are kept across runs the same way theme IDs are (`ThemeMatcher` on area centroids),
so a dashboard filtered on an area keeps working; a new area gets `area_<hash of its themes>`.
An area is named the way a theme is: a phrase from its themes' own labels and quotes, chosen
by cosine to the area's centre minus half the cosine to the nearest other area, unique across
areas. Without the model, it takes the label of its theme nearest the area's centre.
These groups are the areas only when the team has no feature catalog (see dim_themes).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.cluster import AgglomerativeClustering

from insights.themes.embed import normalize_rows
from insights.themes.match import ThemeMatcher
from insights.themes.phrases import as_label, candidate_phrases, reads_as_phrase, strip_pleasantries
from insights.themes.tables import AREA_COLUMNS


def area_id(theme_ids) -> str:
    """`area_<8 hex>` of the sorted member theme IDs."""
    digest = hashlib.sha256("\n".join(sorted(map(str, theme_ids))).encode("utf-8")).hexdigest()
    return f"area_{digest[:8]}"


class AreaGrouper(BaseEstimator):
    """Group themes into product areas.

    Parameters
    ----------
    min_areas, max_areas : bounds on the number of areas (when there are enough themes).
    matcher : how area IDs are carried over from the previous run.
    embed : the function that made the centroids; with it, names are chosen by meaning.
    sibling_penalty : weight of the cosine to the nearest other area in a name's score.
    """

    def __init__(
        self,
        min_areas: int = 6,
        max_areas: int = 10,
        matcher: ThemeMatcher | None = None,
        embed: Callable[[list[str]], np.ndarray] | None = None,
        sibling_penalty: float = 0.5,
    ):
        self.min_areas = min_areas
        self.max_areas = max_areas
        self.matcher = matcher
        self.embed = embed
        self.sibling_penalty = sibling_penalty

    def n_areas(self, n_themes: int) -> int:
        wanted = min(max(round(math.sqrt(2 * n_themes)), self.min_areas), self.max_areas)
        return min(wanted, n_themes)

    def fit(
        self,
        themes: pd.DataFrame,
        centroids: np.ndarray,
        previous: pd.DataFrame | None = None,
        previous_centroids: dict | None = None,
    ):
        """`themes` (theme_id, label, representative_quote, size) row-aligned with `centroids`; sets `areas_`.

        `previous` is the last run's theme-to-area table and `previous_centroids` its theme
        centroids by ID; together they give last run's area centroids, to keep area IDs.
        """
        k = len(themes)
        if k == 0:
            self.areas_ = pd.DataFrame(columns=AREA_COLUMNS).astype("str")
            return self
        centroids = normalize_rows(np.asarray(centroids, dtype=np.float32))
        n = self.n_areas(k)
        if n == k:
            labels = np.arange(k)
        else:
            labels = AgglomerativeClustering(n_clusters=n, metric="cosine", linkage="average").fit_predict(centroids)
        theme_ids = themes["theme_id"].astype(str).to_numpy()
        candidates = np.array([area_id(theme_ids[labels == a]) for a in range(n)], dtype=object)
        area_centroids = normalize_rows(np.stack([centroids[labels == a].mean(axis=0) for a in range(n)]))
        old_ids, old_centroids = _previous_areas(previous, previous_centroids, centroids.shape[1])
        matcher = self.matcher if self.matcher is not None else ThemeMatcher()
        ids = matcher.fit(area_centroids, candidates, old_centroids, old_ids).theme_ids_
        names = self._names(themes, centroids, labels, area_centroids)
        self.areas_ = pd.DataFrame(
            {"theme_id": theme_ids, "area_id": ids[labels], "area_label": np.asarray(names, dtype=object)[labels]},
            columns=AREA_COLUMNS,
        ).astype("str")
        return self

    def _names(
        self, themes: pd.DataFrame, centroids: np.ndarray, labels: np.ndarray, area_centroids: np.ndarray
    ) -> list[str]:
        n = len(area_centroids)
        candidates: list[list[str]] = []
        for a in range(n):
            members = themes[labels == a]
            phrases = [str(label) for label in members["label"] if reads_as_phrase(str(label))]
            for quote in members.get("representative_quote", pd.Series(dtype=str)).fillna(""):
                phrases.extend(as_label(p) for p in candidate_phrases(strip_pleasantries(str(quote))))
            candidates.append(list(dict.fromkeys(phrases)))
        if self.embed is not None and any(candidates):
            flat = [p for group in candidates for p in group]
            vectors = normalize_rows(np.asarray(self.embed(flat), dtype=np.float32))
            similarity = vectors @ area_centroids.T
            scores, start = [], 0
            for a, group in enumerate(candidates):
                own = similarity[start : start + len(group)]
                others = np.delete(own, a, axis=1)
                nearest_other = others.max(axis=1) if others.shape[1] else np.zeros(len(group))
                scores.append(own[:, a] - self.sibling_penalty * nearest_other)
                start += len(group)
        else:
            # No model: each member label scores by its theme's closeness to the area centre.
            scores = []
            for a, group in enumerate(candidates):
                closeness = {
                    str(label): float(centroids[i] @ area_centroids[a])
                    for i, label in zip(np.flatnonzero(labels == a), themes["label"].to_numpy()[labels == a])
                }
                scores.append(np.array([closeness.get(p, -1.0) for p in group]))
        names: list[str | None] = [None] * n
        taken: set[str] = set()
        # Larger areas choose first, as larger themes do.
        sizes = [int(themes["size"].to_numpy()[labels == a].sum()) for a in range(n)]
        for a in sorted(range(n), key=lambda a: (-sizes[a], a)):
            for i in np.argsort(-np.asarray(scores[a]), kind="stable"):
                phrase = candidates[a][i]
                if phrase.lower() not in taken:
                    names[a] = phrase
                    taken.add(phrase.lower())
                    break
            if names[a] is None:
                names[a] = f"Area {a + 1}"
        return [str(name) for name in names]


def _previous_areas(
    previous: pd.DataFrame | None, centroids: dict | None, dimension: int
) -> tuple[np.ndarray, np.ndarray]:
    if previous is None or previous.empty or not centroids:
        return np.array([], dtype=object), np.zeros((0, dimension), dtype=np.float32)
    ids, vectors = [], []
    for area, group in previous.groupby("area_id", sort=True):
        members = [centroids[t] for t in group["theme_id"] if t in centroids]
        if members:
            ids.append(area)
            vectors.append(np.mean(members, axis=0))
    if not ids:
        return np.array([], dtype=object), np.zeros((0, dimension), dtype=np.float32)
    return np.asarray(ids, dtype=object), normalize_rows(np.asarray(vectors, dtype=np.float32))
