"""Split a theme because a person asked to (`insights themes split ID`), on every night.

Clustering starts afresh each night, so a theme cut in two once would grow back whole the next
night. The request therefore stays in the overrides file and the theme step carries it out on
every run, between clustering and labelling (`build_themes(refine=...)`), and the parts go on
to be labelled, matched and recorded like any theme.

Which cluster is the requested theme tonight is found by centroid, as the ID matching does:

- on the first night after the request, the cluster nearest to the theme's last centroid is
  cut by clustering its own members (`ThemeClusterer` on them alone, their shared mean
  removed; k-means into two if it finds one group). A theme with fewer items than two themes
  of the night's minimum size is not cut and keeps its ID. Once cut, the matcher treats the
  requested ID as ended (`ended_ids`): every part is recorded as split from it, and it retires.
- on later nights the parts (the themes `theme_history` records as split from it, and theirs)
  stand for it. In each cluster that is the nearest of one of them (two parts in one cluster:
  the theme grew back; a part and a neighbour: the part was taken in), each member goes back
  to the part whose centroid is its nearest previous theme, so the parts, and their IDs
  through the matching, hold while their members do. Members nearest to no part stay
  together as the cluster they were.
"""

from __future__ import annotations

import math
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
    previous_centroids = normalize_rows(np.asarray(previous.centroids, dtype=np.float32))
    similarity = normalize_rows(np.asarray(centroids, dtype=np.float32)) @ previous_centroids.T
    min_size = min_theme_size or default_min_theme_size(len(labels))
    labels, centroids = labels.copy(), [np.asarray(c, dtype=np.float32) for c in centroids]
    cut: set[str] = set()
    done: set[int] = set()
    for theme in sorted(requests.themes):
        family = [j for j, t in enumerate(previous_ids) if t in requests.family(theme)]
        if theme in previous_ids:
            cluster = _first_cluster(previous_ids.index(theme), similarity, lineage_threshold)
            if cluster is None or cluster in done:
                continue
            members = np.flatnonzero(labels == cluster)
            # Parts of at least a sixth of the theme: a person asked for a few sub-themes, not crumbs.
            parts = _cut(embeddings[members], max(min_size, math.ceil(len(members) / 6)), random_state)
            if parts is not None:
                _assign(labels, centroids, embeddings, members, parts, cluster)
                cut.add(theme)
                done.add(cluster)
            continue
        for cluster in _regrown_clusters(family, similarity, lineage_threshold) - done:
            members = np.flatnonzero(labels == cluster)
            parts = _parts_by_centroid(embeddings[members], previous_centroids, family, min_size)
            if parts is not None:
                _assign(labels, centroids, embeddings, members, parts, cluster)
                done.add(cluster)
    return labels, np.vstack(centroids).astype(np.float32), cut


def _first_cluster(theme: int, similarity: np.ndarray, threshold: float) -> int | None:
    """Tonight's cluster that is the requested theme: the nearest to its centroid, if it is
    close enough and the theme is that cluster's own nearest previous theme."""
    cluster = int(similarity[:, theme].argmax())
    if similarity[cluster, theme] < threshold or int(similarity[cluster].argmax()) != theme:
        return None
    return cluster


def _regrown_clusters(family: list[int], similarity: np.ndarray, threshold: float) -> set[int]:
    """Clusters that are the nearest of a part of a split theme: where its members went tonight
    (a cluster holding two parts means the theme grew back; one holding a part and a neighbour
    means the part was taken in)."""
    return {cluster for j in family if similarity[cluster := int(similarity[:, j].argmax()), j] >= threshold}


def _parts_by_centroid(
    vectors: np.ndarray, previous_centroids: np.ndarray, family: list[int], min_size: int
) -> np.ndarray | None:
    """The cluster's members back into last night's parts: each member goes to the part whose
    centroid is its nearest previous theme, so the parts (and their IDs) hold while their
    members do. Members nearest to no part (a neighbour the cluster took in) stay together as
    part 0, unless they are too few for a theme: then each joins its nearest part. A part under
    min_size stays with the rest. None: nothing to cut (the cluster is one part, or none)."""
    nearest = (vectors @ previous_centroids.T).argmax(axis=1)
    parts = np.zeros(len(vectors), dtype=np.int64)
    index = 1
    for j in family:
        mine = nearest == j
        if mine.sum() >= min_size:
            parts[mine] = index
            index += 1
    if index == 1:
        return None
    rest = parts == 0
    if 0 < rest.sum() < min_size:
        means = normalize_rows(np.vstack([vectors[parts == p].mean(axis=0) for p in range(1, index)]))
        parts[rest] = 1 + (vectors[rest] @ means.T).argmax(axis=1)
    if not (parts == 0).any():
        parts -= 1  # no rest: the first part takes the cluster's own index
    return parts if len(np.unique(parts)) >= 2 else None


def _assign(labels, centroids: list, embeddings: np.ndarray, members: np.ndarray, parts: np.ndarray, cluster: int):
    """Relabel `members` by `parts` (0 keeps `cluster`, the others get new cluster indices)."""
    for part in range(parts.max() + 1):
        rows = members[parts == part]
        if not len(rows):
            continue
        if part == 0:
            index = cluster
        else:
            index = len(centroids)
            centroids.append(None)
        labels[rows] = index
        centroids[index] = normalize_rows(embeddings[rows].mean(axis=0, keepdims=True))[0]


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
