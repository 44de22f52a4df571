"""Split a theme because a person asked to (`insights themes split ID`), on every night.

Clustering starts afresh each night, so a theme cut in two once would grow back whole the next
night. The request therefore stays in the overrides file and the theme step carries it out on
every run, between clustering and labelling (`build_themes(refine=...)`): the cluster that is
the requested theme tonight is cut by clustering its own members, and the parts go on to be
labelled, matched and recorded like any theme.

Which cluster is the requested theme tonight is found by centroid, as the ID matching does:

- on the first night after the request, the cluster nearest to the theme's last centroid;
- on later nights the theme itself has ended and its parts (the themes recorded in
  `theme_history` as split from it, and theirs) stand for it: a cluster that is the nearest
  of two or more of them has grown back whole and is cut again, so its parts keep their IDs.

The cut is `ThemeClusterer` on the members alone (their own mean removed, so what they share
no longer holds them together); if it finds one part, k-means cuts two. A part smaller than
the night's minimum theme size means the theme is not cut tonight: too few items to tell two
complaints apart, and its ID carries on. Once cut, the matcher treats the requested ID as
ended (`ended_ids`), so every part is recorded as split from it and the ID retires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans

from insights.themes.cluster import OUTLIER, ThemeClusterer, default_min_theme_size
from insights.themes.embed import normalize_rows
from insights.themes.tables import PreviousThemes


@dataclass(frozen=True)
class SplitRequests:
    """themes: IDs a person asked to split. parents: theme ID -> the theme it split from, per
    `theme_history`, so the parts of a split theme can stand for it on later nights."""

    themes: frozenset[str] = frozenset()
    parents: Mapping[str, str] = field(default_factory=dict)

    def family(self, theme: str) -> set[str]:
        """`theme` and every theme descended from it by splits."""
        found, grew = {theme}, True
        while grew:
            children = {child for child, parent in self.parents.items() if parent in found}
            grew = not children <= found
            found |= children
        return found


def cut_requested(
    labels: np.ndarray,
    centroids: np.ndarray,
    embeddings: np.ndarray,
    previous: PreviousThemes | None,
    requests: SplitRequests,
    *,
    lineage_threshold: float = 0.7,
    min_theme_size: int | None = None,
    random_state: int | None = 0,
) -> tuple[np.ndarray, np.ndarray, set[str]]:
    """Tonight's `labels` and unit `centroids` with each requested theme's cluster cut in parts,
    and the requested IDs that were cut tonight (the ones the matcher must then end).

    `embeddings` are unit rows, row i labelled `labels[i]` (-1 an outlier). `lineage_threshold`
    is the matcher's: a cluster less similar than this to the requested theme is not it.
    """
    if previous is None or not requests.themes or not len(centroids) or not len(previous.theme_ids):
        return labels, centroids, set()
    previous_ids = [str(t) for t in previous.theme_ids]
    similarity = normalize_rows(np.asarray(centroids, dtype=np.float32)) @ normalize_rows(previous.centroids).T
    min_size = min_theme_size or default_min_theme_size(len(labels))
    to_cut: dict[int, str] = {}
    for theme in sorted(requests.themes):
        for cluster in _clusters_of(theme, requests, previous_ids, similarity, lineage_threshold):
            to_cut.setdefault(cluster, theme)
    labels, centroids = labels.copy(), [np.asarray(c, dtype=np.float32) for c in centroids]
    cut: set[str] = set()
    for cluster, theme in sorted(to_cut.items()):
        members = np.flatnonzero(labels == cluster)
        parts = _cut(embeddings[members], min_size, random_state)
        if parts is None:
            continue
        cut.add(theme)
        for part in range(parts.max() + 1):
            rows = members[parts == part]
            if part == 0:
                index = cluster
            else:
                index = len(centroids)
                centroids.append(None)
            labels[rows] = index
            centroids[index] = normalize_rows(embeddings[rows].mean(axis=0, keepdims=True))[0]
    return labels, np.vstack(centroids).astype(np.float32), cut


def _clusters_of(
    theme: str, requests: SplitRequests, previous_ids: list[str], similarity: np.ndarray, threshold: float
) -> set[int]:
    family = [j for j, t in enumerate(previous_ids) if t in requests.family(theme)]
    if not family:
        return set()  # nothing left of it to find: retired, or never a theme
    nearest_previous = similarity.argmax(axis=1)
    nearest_cluster = {j: int(similarity[:, j].argmax()) for j in family}
    close = {j: c for j, c in nearest_cluster.items() if similarity[c, j] >= threshold}
    if theme in previous_ids:
        j = previous_ids.index(theme)
        return {close[j]} if j in close and nearest_previous[close[j]] in family else set()
    counts: dict[int, int] = {}
    for c in close.values():
        counts[c] = counts.get(c, 0) + 1
    return {c for c, n in counts.items() if n >= 2 and nearest_previous[c] in family}


def _cut(vectors: np.ndarray, min_size: int, random_state: int | None) -> np.ndarray | None:
    """Part of each member (0, 1, ...), or None when the members make no two parts of min_size."""
    if len(vectors) < 2 * min_size:
        return None
    clusterer = ThemeClusterer(min_theme_size=min_size, min_similarity=-1.0, random_state=random_state)
    parts = clusterer.fit(vectors).labels_.copy()
    if clusterer.n_themes_ >= 2:
        # Every member belonged to the theme: one the cut leaves over goes to its nearest part.
        stray = parts == OUTLIER
        parts[stray] = (vectors[stray] @ clusterer.centroids_.T).argmax(axis=1)
    else:
        parts = KMeans(n_clusters=2, n_init=10, random_state=random_state).fit(vectors - vectors.mean(axis=0)).labels_
    sizes = np.bincount(parts)
    if len(sizes) < 2 or sizes.min() < min_size:
        return None
    # Largest part first, so the cut is the same whatever order the parts came in.
    order = np.argsort(-sizes, kind="stable")
    return np.argsort(order)[parts]
