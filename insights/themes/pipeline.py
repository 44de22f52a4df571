"""From feedback texts and their embeddings to the two `themes.*` tables.

A theme's ID is a hash of its sorted member feedback IDs, so the same input gives the same IDs
whatever the row order. Fewer items than the minimum theme size make no theme: every item is
then an outlier, because one or two texts are no evidence that a complaint recurs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone

from insights.themes.cluster import OUTLIER, ThemeClusterer
from insights.themes.embed import normalize_rows
from insights.themes.label import ThemeLabeler

THEME_COLUMNS = ["theme_id", "label", "keywords", "representative_quote", "quotes", "size", "cohesion"]
ASSIGNMENT_COLUMNS = ["feedback_id", "theme_id", "is_outlier", "similarity"]
_THEME_DTYPES = {
    "theme_id": "str",
    "label": "str",
    "keywords": "str",
    "representative_quote": "str",
    "quotes": "str",
    "size": "int64",
    "cohesion": "float64",
}


@dataclass(frozen=True)
class ThemeResult:
    """`themes`: one row per theme. `assignments`: one row per feedback item, input order.

    `centroids`: unit centroid of each theme, row i for `themes` row i; the next run matches
    its themes to these (`match.py`), so they are stored with the themes.
    """

    themes: pd.DataFrame
    assignments: pd.DataFrame
    centroids: np.ndarray | None = field(default=None, compare=False)


def theme_id(feedback_ids) -> str:
    """`thm_<8 hex>` from the sorted member IDs: same members, same ID, in any input order."""
    digest = hashlib.sha256("\n".join(sorted(map(str, feedback_ids))).encode("utf-8")).hexdigest()
    return f"thm_{digest[:8]}"


def build_themes(
    feedback: pd.DataFrame,
    embeddings: np.ndarray,
    *,
    resolution: float | None = None,
    random_state: int | None = 0,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    clusterer: ThemeClusterer | None = None,
    labeler: ThemeLabeler | None = None,
) -> ThemeResult:
    """Cluster `feedback` (columns feedback_id, text; row i embedded as `embeddings[i]`) into themes.

    `resolution` overrides the clusterer's (higher: more, narrower themes). `embed`, the function
    that made `embeddings` (e.g. `lambda texts: embed_texts(texts, model)`), lets the labeller
    pick label phrases by meaning as well as by frequency; without it labels still work, from
    word statistics alone. A custom `clusterer` or `labeler` replaces the default stage; it
    must follow the same scikit-learn style contract (it is cloned, never modified).
    """
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.ndim != 2 and embeddings.size == 0:
        embeddings = embeddings.reshape(0, 0)
    if embeddings.ndim != 2 or len(feedback) != embeddings.shape[0]:
        raise ValueError(f"{len(feedback)} feedback rows but embeddings of shape {embeddings.shape}")
    if feedback["feedback_id"].duplicated().any():
        raise ValueError("feedback_id must be unique")
    # Unit length here once, so every similarity below is a cosine whatever the caller passed.
    embeddings = normalize_rows(embeddings)

    # Cloned so that a caller's estimator is never fitted or re-configured behind its back.
    clusterer = clone(clusterer) if clusterer is not None else ThemeClusterer(random_state=random_state)
    if resolution is not None:
        clusterer.set_params(resolution=resolution)
    clusterer.fit(embeddings)
    labels = np.asarray(clusterer.labels_)
    centroids = np.asarray(clusterer.centroids_, dtype=np.float32)

    ids = feedback["feedback_id"].astype(str).to_numpy()
    theme_ids = np.array([theme_id(ids[labels == t]) for t in range(centroids.shape[0])], dtype=object)

    labeler = clone(labeler) if labeler is not None else ThemeLabeler(random_state=random_state)
    if embed is not None:
        labeler.set_params(embed=embed)
    described = labeler.fit(feedback["text"].tolist(), embeddings, labels, centroids).themes_
    themes = described.assign(theme_id=theme_ids[described["theme"].to_numpy(dtype=np.int64)])
    themes = themes[THEME_COLUMNS].reset_index(drop=True).astype(_THEME_DTYPES)

    outlier = labels == OUTLIER
    similarity = np.full(len(feedback), np.nan)
    similarity[~outlier] = np.einsum("ij,ij->i", embeddings[~outlier], centroids[labels[~outlier]])
    assignments = pd.DataFrame(
        {
            "feedback_id": feedback["feedback_id"].astype("str").to_numpy(),
            # A string dtype even when every item is an outlier, so the warehouse column is
            # VARCHAR with NULLs rather than a column of type NULL.
            "theme_id": pd.Series([None if o else theme_ids[t] for o, t in zip(outlier, labels)], dtype="str"),
            "is_outlier": outlier.astype(bool),
            "similarity": similarity.astype("float64"),
        },
        columns=ASSIGNMENT_COLUMNS,
    )
    return ThemeResult(themes=themes, assignments=assignments, centroids=centroids[described["theme"].to_numpy(dtype=np.int64)])
