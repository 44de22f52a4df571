"""The theme step's front door: yesterday's state and tonight's items in, tonight's tables out.

`build_nightly_themes` runs the whole night: cluster tonight's embedded items into themes
(`cluster.py`), describe them (`label.py`), keep yesterday's IDs where a theme continues and
record splits, merges and retirements (`lifecycle.py`), and group the themes into product
areas. `build_themes` is its first half, for callers with no history (evaluation, benchmarks).
Reading and writing the warehouse is the caller's (`store.py`); embedding too, so a cache can
sit in front of the model.

A theme's ID is a hash of its sorted member feedback IDs, so the same input gives the same IDs
whatever the row order. Fewer items than the minimum theme size make no theme: every item is
then an outlier, because one or two texts are no evidence that a complaint recurs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone

from insights.themes.cluster import OUTLIER, ThemeClusterer, default_min_theme_size, why_no_themes
from insights.themes.embed import normalize_rows
from insights.themes.label import ThemeLabeler
from insights.themes.lifecycle import carry_over
from insights.themes.split import SplitRequests, cut_requested
from insights.themes.tables import (
    ASSIGNMENT_COLUMNS,
    THEME_COLUMNS,
    THEME_DTYPES,
    NightlyThemes,
    PreviousThemes,
    ThemeResult,
    theme_id,
)

_CLUSTERER_DEFAULTS = ThemeClusterer().get_params()


@dataclass(frozen=True)
class ThemeSettings:
    """Every knob of the step a deployment may set; the defaults are the clusterer's own.

    resolution : two groups merge while the mean cosine between their texts (mean-centred) is
        at least this fraction of the corpus's own cohesion (higher: more, narrower themes).
    min_theme_size : smallest theme; None means max(3, round(sqrt(n) / 5)) for n items.
    min_similarity : an item less similar than this to the centre of its theme's other members
        is an outlier.
    random_state : seed of every random choice (k-means, samples of texts), so a night is
        reproducible.
    """

    resolution: float = _CLUSTERER_DEFAULTS["resolution"]
    min_theme_size: int | None = _CLUSTERER_DEFAULTS["min_theme_size"]
    min_similarity: float = _CLUSTERER_DEFAULTS["min_similarity"]
    random_state: int = _CLUSTERER_DEFAULTS["random_state"]

    def clusterer(self) -> ThemeClusterer:
        return ThemeClusterer(
            resolution=self.resolution,
            min_theme_size=self.min_theme_size,
            min_similarity=self.min_similarity,
            random_state=self.random_state,
        )

    def labeler(self) -> ThemeLabeler:
        # No `embed` here: build_themes sets it after cloning, since cloning deep-copies params.
        return ThemeLabeler(random_state=self.random_state)


def build_nightly_themes(
    previous: PreviousThemes | None,
    items: pd.DataFrame,
    embeddings: np.ndarray,
    settings: ThemeSettings | None = None,
    *,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    splits: SplitRequests | None = None,
) -> NightlyThemes:
    """Tonight's themes, under yesterday's IDs where they continue.

    `previous` is yesterday's state (`store.read_previous`; None before the first night).
    `items` has columns feedback_id and text, row i embedded as `embeddings[i]`. `embed`, the
    function that made the embeddings, lets the labeller rank label phrases by meaning.
    `splits`: themes a person asked to split (`split.py`), cut again every night.
    """
    settings = settings or ThemeSettings()
    splits = splits or SplitRequests()
    cut: set[str] = set()

    def refine(labels: np.ndarray, centroids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        labels, centroids, done = cut_requested(
            labels,
            centroids,
            vectors,
            previous,
            splits,
            min_theme_size=settings.min_theme_size,
            random_state=settings.random_state,
        )
        cut.update(done)
        return labels, centroids

    fitted = build_themes(
        items,
        embeddings,
        clusterer=settings.clusterer(),
        labeler=settings.labeler(),
        embed=embed,
        refine=refine if splits.themes else None,
    )
    # Only a theme actually cut tonight ends; one too small to cut keeps its ID.
    return carry_over(fitted, previous, embed=embed, ended_ids=frozenset(cut))


def build_themes(
    feedback: pd.DataFrame,
    embeddings: np.ndarray,
    *,
    resolution: float | None = None,
    random_state: int | None = 0,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    clusterer: ThemeClusterer | None = None,
    labeler: ThemeLabeler | None = None,
    refine: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
) -> ThemeResult:
    """Cluster `feedback` (columns feedback_id, text; row i embedded as `embeddings[i]`) into themes.

    `resolution` overrides the clusterer's (higher: more, narrower themes). `embed`, the function
    that made `embeddings` (e.g. `lambda texts: embed_texts(texts, model)`), lets the labeller
    pick label phrases by meaning as well as by frequency; without it labels still work, from
    word statistics alone. A custom `clusterer` or `labeler` replaces the default stage; it
    must follow the same scikit-learn style contract (it is cloned, never modified).
    `refine(labels, centroids, unit embeddings)` may re-cut the clusters before IDs and labels
    are made (the split requests of `build_nightly_themes`).
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
    if embeddings.shape[0]:
        clusterer.fit(embeddings)
        labels = np.asarray(clusterer.labels_)
        centroids = np.asarray(clusterer.centroids_, dtype=np.float32)
    else:
        # A night with no feedback has no themes; the estimator contract has `fit` refuse
        # empty data, so the step answers for it.
        labels = np.zeros(0, dtype=np.int64)
        centroids = np.zeros((0, embeddings.shape[1]), dtype=np.float32)
    if refine is not None and centroids.shape[0]:
        labels, centroids = refine(labels, centroids, embeddings)
    min_size, why = _no_theme_reason(clusterer, len(feedback), centroids.shape[0])

    ids = feedback["feedback_id"].astype(str).to_numpy()
    theme_ids = np.array([theme_id(ids[labels == t]) for t in range(centroids.shape[0])], dtype=object)

    labeler = clone(labeler) if labeler is not None else ThemeLabeler(random_state=random_state)
    if embed is not None:
        labeler.set_params(embed=embed)
    described = labeler.fit(feedback["text"].tolist(), embeddings, labels, centroids).themes_
    themes = described.assign(theme_id=theme_ids[described["theme"].to_numpy(dtype=np.int64)])
    themes = themes[THEME_COLUMNS].reset_index(drop=True).astype(THEME_DTYPES)

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
    return ThemeResult(
        themes=themes,
        assignments=assignments,
        centroids=centroids[described["theme"].to_numpy(dtype=np.int64)],
        min_theme_size=min_size,
        why_no_themes=why,
    )


def _no_theme_reason(clusterer: ThemeClusterer, n_items: int, n_themes: int) -> tuple[int, str | None]:
    """The fit's minimum theme size, and why it found no theme (None when it found some).

    Read from the fitted clusterer where it says (a custom one may not); an unfitted one (no
    items) falls back on its parameters.
    """
    params = clusterer.get_params()
    min_size = getattr(clusterer, "min_theme_size_", None) or params.get("min_theme_size")
    min_size = int(min_size) if min_size is not None else default_min_theme_size(n_items)
    if n_themes:
        return min_size, None
    largest = int(getattr(clusterer, "largest_group_", 0))
    return min_size, why_no_themes(n_items, min_size, float(params.get("min_similarity", 0.0)), largest)
