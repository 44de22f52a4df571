"""How well the theme step recovers known themes on any labelled set of texts.

`evaluate_themes` runs exactly what the pipeline runs (`embed_texts` with the same model, then
`build_themes` with its defaults, label phrases included, so the wall time is the real one) and
scores the result against the true labels, beside a baseline that is told the answer's size:
k-means with k = the number of true labels on the same embeddings.

Outliers count as one more group (label -1) in every metric. That is the strict reading: an
item the method declines to place is neither rewarded as correct nor dropped from the score,
so a method cannot look better by calling hard items outliers. A true label such as "noise"
is just another class; the outlier share is reported beside the scores.

Beside the scores, the report says how the labels read: how close each theme's label is in
meaning to the name of the true label most of its items carry (`label_similarity`, only when
the true labels are names made of words), how many labels are distinct (`label_unique_share`)
and how many pass the labeller's grammar check (`label_grammar_share`). It also keeps what
went where (`item_theme_ids`, `item_similarities`, `theme_labels`), for `by_label` and for an
assignments file a reader can open beside the input.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure, normalized_mutual_info_score

from insights.themes import build_themes
from insights.themes.cluster import OUTLIER
from insights.themes.embed import embed_texts

METRIC_KEYS = ["n_themes", "nmi", "ari", "v_measure", "homogeneity", "completeness", "outlier_share", "seconds"]
LABEL_KEYS = ["label_similarity", "label_unique_share", "label_grammar_share"]
BY_LABEL_COLUMNS = ["label", "items", "theme_id", "theme_label", "purity", "n_themes", "outlier_share"]
ASSIGNMENT_FILE_COLUMNS = ["text", "true_label", "theme_id", "theme_label", "similarity"]
OUTLIER_NAME = "(outlier)"


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
    theme_ids = _item_theme_ids(result.assignments["theme_id"])
    theme_labels = dict(zip(result.themes["theme_id"], result.themes["label"]))
    report.update(label_figures(truth, theme_ids, theme_labels, model))
    report["baseline"] = _kmeans_baseline(np.asarray(embeddings), truth, random_state)
    # Plain lists and a dict (None for an outlier or a missing similarity, never NaN), so the
    # report stays valid JSON and a caller can still see which item went where.
    report["item_theme_ids"] = theme_ids
    report["item_similarities"] = [None if np.isnan(v) else float(v) for v in result.assignments["similarity"]]
    report["theme_labels"] = theme_labels
    return report


def _item_theme_ids(theme_ids: pd.Series) -> list[str | None]:
    return [None if pd.isna(t) else str(t) for t in theme_ids]


def label_figures(
    truth: Sequence, theme_ids: Sequence[str | None], theme_labels: Mapping[str, str], model
) -> dict[str, float | None]:
    """How the theme labels read: similarity to the true names, distinctness, grammar.

    Every figure is a mean over themes, so a big theme and a small one weigh the same: a
    reader meets each label once. A figure that cannot be computed is None, not 0.
    """
    labels = list(theme_labels.values())
    return {
        "label_similarity": _label_similarity(truth, theme_ids, theme_labels, model),
        "label_unique_share": len(set(labels)) / len(labels) if labels else None,
        "label_grammar_share": _grammar_share(labels),
    }


def label_name(label: str) -> str:
    """A true label as words: `lost_or_stolen_phone` -> `lost or stolen phone`."""
    return re.sub(r"[_\-]+", " ", str(label)).strip()


def names_are_words(truth: Sequence) -> bool:
    """True when every true label has a letter in it, so its name means something to embed.

    Codes such as "3" or "17" say nothing a label could be compared with; the similarity
    would be noise, so it is not reported for them.
    """
    names = {str(t) for t in truth}
    return bool(names) and all(re.search(r"[^\W\d_]", n) for n in names)


def _label_similarity(
    truth: Sequence, theme_ids: Sequence[str | None], theme_labels: Mapping[str, str], model
) -> float | None:
    if model is None or not theme_labels or not names_are_words(truth):
        return None
    majority = _majority_truth(truth, theme_ids)
    themes = [t for t in theme_labels if t in majority]
    if not themes:
        return None
    # The same model as the pipeline, so "close in meaning" is the closeness the themes used.
    label_vectors = embed_texts([theme_labels[t] for t in themes], model)
    name_vectors = embed_texts([label_name(majority[t]) for t in themes], model)
    # embed_texts returns unit rows, so the row-wise dot product is the cosine.
    return float(np.mean(np.einsum("ij,ij->i", label_vectors, name_vectors)))


def _majority_truth(truth: Sequence, theme_ids: Sequence[str | None]) -> dict[str, str]:
    """Each theme's most common true label; a tie goes to the label first in sort order."""
    frame = pd.DataFrame({"truth": np.asarray(truth).astype(str), "theme_id": _theme_id_series(theme_ids)})
    counts = frame.dropna(subset=["theme_id"]).value_counts(["theme_id", "truth"]).reset_index(name="n")
    counts = counts.sort_values(["theme_id", "n", "truth"], ascending=[True, False, True])
    return dict(counts.drop_duplicates("theme_id")[["theme_id", "truth"]].itertuples(index=False, name=None))


def _grammar_share(labels: list[str]) -> float | None:
    # The grammar check lives with the labeller that it judges; an installation without it
    # still evaluates, it just cannot say how the labels parse.
    try:
        from insights.themes.phrases import reads_as_phrase
    except ImportError:
        return None
    if not labels:
        return None
    return float(np.mean([bool(reads_as_phrase(label)) for label in labels]))


def _theme_id_series(theme_ids: Sequence[str | None]) -> pd.Series:
    """Theme IDs as strings with NA for an outlier, whether it came as None, NaN or ""."""
    ids = pd.Series(list(theme_ids), dtype=object)
    return ids.where(ids.notna() & (ids.astype(str) != ""), None)


def by_label(truth: Sequence, theme_ids: Sequence[str | None], theme_labels: Mapping[str, str]) -> pd.DataFrame:
    """One row per true label: where its items went, worst-kept label first.

    `theme_ids[i]` is item i's theme (None, NaN or "" for an outlier). A label's theme is the
    theme holding most of its items; outliers are not a theme here, so they always count
    against `purity` (the share of the label's items in that theme) and a label is shown as
    "(outlier)" only when none of its items is in any theme. `n_themes` counts the themes its
    items split into, outliers not counted; `outlier_share` is the rest of the story.
    """
    truth = np.asarray(truth).astype(str)
    ids = _theme_id_series(theme_ids)
    if len(ids) != truth.size:
        raise ValueError(f"{truth.size} labels but {len(ids)} theme ids")
    frame = pd.DataFrame({"label": truth, "theme_id": ids})
    rows = [_label_row(label, group["theme_id"], theme_labels) for label, group in frame.groupby("label", sort=True)]
    table = pd.DataFrame(rows, columns=BY_LABEL_COLUMNS)
    # Stable, so labels with the same purity keep their alphabetical order run after run.
    return table.sort_values("purity", kind="stable").reset_index(drop=True)


def _label_row(label: str, theme_ids: pd.Series, theme_labels: Mapping[str, str]) -> dict:
    placed = theme_ids.dropna()
    counts = placed.value_counts()
    if counts.empty:
        main_id, main_label, purity = None, OUTLIER_NAME, 0.0
    else:
        # The most items first, then the smaller ID, so a tie is settled the same way each run.
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
        main_id, main_label, purity = top[0], theme_labels.get(top[0], ""), top[1] / len(theme_ids)
    return {
        "label": label,
        "items": len(theme_ids),
        "theme_id": main_id,
        "theme_label": main_label,
        "purity": float(purity),
        "n_themes": int(counts.size),
        "outlier_share": float(1 - len(placed) / len(theme_ids)),
    }


def format_by_label(table: pd.DataFrame) -> str:
    """`by_label`'s table for a terminal: shares to three places, no index."""
    shown = table.assign(theme_id=table["theme_id"].fillna(""))
    return shown.to_string(index=False, float_format=lambda v: f"{v:.3f}")


def assignments_frame(texts: Sequence[str], truth: Sequence, report: dict) -> pd.DataFrame:
    """One row per evaluated item, input order: what it says, its true label, where it went."""
    theme_ids = _theme_id_series(report["item_theme_ids"])
    labels = report["theme_labels"]
    return pd.DataFrame(
        {
            "text": list(texts),
            "true_label": np.asarray(truth).astype(str),
            "theme_id": theme_ids,
            "theme_label": [labels.get(t, "") if pd.notna(t) else None for t in theme_ids],
            "similarity": pd.Series(report["item_similarities"], dtype="float64"),
        },
        columns=ASSIGNMENT_FILE_COLUMNS,
    )


def write_csv_atomic(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write `frame` to `path` so a reader sees the old file or the whole new one, never half.

    The temporary file sits in the target's folder, so `os.replace` is a rename on one file
    system; an outlier's theme and similarity are empty cells.
    """
    path = Path(path)
    handle, staged = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            frame.to_csv(out, index=False)
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise


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
    lines.extend(_format_label_figures(report))
    return "\n".join(lines)


def _format_label_figures(report: dict) -> list[str]:
    # .get: a report saved before these figures existed still prints.
    notes = {
        "label_similarity": "cosine of each label to its majority true label's name",
        "label_unique_share": "distinct labels / themes",
        "label_grammar_share": "labels that read as a phrase",
    }
    lines = []
    for key in LABEL_KEYS:
        value = report.get(key)
        shown = "-" if value is None else f"{value:.3f}"
        lines.append(f"{key:<20}{shown:>8}  ({notes[key]})")
    return lines
