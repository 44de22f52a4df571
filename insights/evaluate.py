"""How well the theme step recovers known themes on any labelled set of texts.

`evaluate_themes` runs exactly what the pipeline runs (`embed_texts` with the same model, then
`build_themes` with its defaults, label phrases included, so the wall time is the real one) and
scores the result against the true labels, beside a baseline that is told the answer's size:
k-means with k = the number of true labels on the same embeddings.

Outliers count as one more group (label -1) in every metric. That is the strict reading: an
item the method declines to place is neither rewarded as correct nor dropped from the score,
so a method cannot look better by calling hard items outliers. A true label such as "noise"
is just another class; the outlier share is reported beside the scores.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure, normalized_mutual_info_score

from insights.themes import build_themes
from insights.themes.cluster import OUTLIER
from insights.themes.embed import embed_texts

METRIC_KEYS = ["n_themes", "nmi", "ari", "v_measure", "homogeneity", "completeness", "outlier_share", "seconds"]


def score(truth: Sequence, predicted: np.ndarray) -> dict[str, float]:
    """Agreement of `predicted` (ints, -1 outlier) with `truth`; outliers are one group."""
    truth = np.asarray(truth).astype(str)
    predicted = np.asarray(predicted, dtype=np.int64)
    homogeneity, completeness, v_measure = homogeneity_completeness_v_measure(truth, predicted)
    return {
        "n_themes": int(np.unique(predicted[predicted != OUTLIER]).size),
        "nmi": float(normalized_mutual_info_score(truth, predicted)),
        "ari": float(adjusted_rand_score(truth, predicted)),
        "v_measure": float(v_measure),
        "homogeneity": float(homogeneity),
        "completeness": float(completeness),
        "outlier_share": float(np.mean(predicted == OUTLIER)) if predicted.size else 0.0,
    }


def evaluate_themes(
    texts: Sequence[str],
    truth: Sequence,
    model,
    *,
    resolution: float | None = None,
    random_state: int | None = 0,
    embeddings: np.ndarray | None = None,
) -> dict:
    """Scores of the theme step and of the k-means baseline; see the module docstring.

    `embeddings`, when given, are used instead of embedding `texts` (a benchmark that already
    paid for them); `seconds` then covers clustering and labelling only, and `model` may be
    None.
    """
    texts = list(texts)
    truth = np.asarray(truth).astype(str)
    if len(texts) != truth.size:
        raise ValueError(f"{len(texts)} texts but {truth.size} labels")
    feedback = pd.DataFrame({"feedback_id": [f"item:{i}" for i in range(len(texts))], "text": texts})

    started = time.perf_counter()
    if embeddings is None:
        embeddings = embed_texts(texts, model)
    embedded = time.perf_counter()
    # Without a model (embeddings given) labels fall back to word statistics; clustering,
    # and so every score, is unaffected.
    embed = (lambda t: embed_texts(t, model)) if model is not None else None
    result = build_themes(feedback, embeddings, resolution=resolution, random_state=random_state, embed=embed)
    finished = time.perf_counter()
    seconds = finished - started

    report = {
        "n_items": len(texts),
        "n_labels": int(np.unique(truth).size),
        **score(truth, _theme_codes(result.assignments["theme_id"])),
        "seconds": seconds,
        "embed_seconds": embedded - started,
        "cluster_seconds": finished - embedded,
        "items_per_second": len(texts) / seconds if seconds > 0 else float("inf"),
    }
    report["baseline"] = _kmeans_baseline(np.asarray(embeddings), truth, random_state)
    return report


def _theme_codes(theme_ids: pd.Series) -> np.ndarray:
    codes = pd.factorize(theme_ids)[0].astype(np.int64)  # a missing theme_id (outlier) is -1
    return np.where(theme_ids.isna().to_numpy(), OUTLIER, codes)


def _kmeans_baseline(embeddings: np.ndarray, truth: np.ndarray, random_state: int | None) -> dict:
    k = int(min(np.unique(truth).size, len(embeddings)))
    started = time.perf_counter()
    if k < 1:
        predicted = np.zeros(0, dtype=np.int64)
    else:
        predicted = KMeans(n_clusters=k, n_init=4, random_state=random_state).fit_predict(embeddings)
    seconds = time.perf_counter() - started
    # k-means places every item, so its outlier share is 0 by construction.
    return {"method": f"kmeans(k={k})", **score(truth, predicted), "seconds": seconds}


def format_report(report: dict) -> str:
    """The report as a two-column table, theme step beside the baseline."""
    baseline = report["baseline"]
    lines = [
        f"{report['n_items']} items, {report['n_labels']} true labels",
        f"{'':<16}{'themes':>12}{baseline['method']:>16}",
    ]
    for key in METRIC_KEYS:
        ours, theirs = report[key], baseline[key]
        if key == "n_themes":
            lines.append(f"{key:<16}{ours:>12d}{theirs:>16d}")
        elif key == "seconds":
            lines.append(f"{key:<16}{ours:>12.2f}{theirs:>16.2f}")
        else:
            lines.append(f"{key:<16}{ours:>12.3f}{theirs:>16.3f}")
    lines.append(
        f"{'':<16}embedding {report['embed_seconds']:.2f} s + themes {report['cluster_seconds']:.2f} s, "
        f"{report['items_per_second']:.0f} items/s"
    )
    lines.append("(baseline: k-means told the true number of labels, on the same embeddings, clustering time only)")
    return "\n".join(lines)
