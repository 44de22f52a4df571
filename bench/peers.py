"""Our theme clustering beside BERTopic and k-means, on the same embeddings of labelled sets.

    .venv/bin/python bench/peers.py [--datasets hwu64 bitext tizard2019 sample] [--cache-dir DIR]
                                    [--sample-scale 1.0] [--markdown]

Needs the `bench` extra (`pip install -e '.[bench]'`, BERTopic 0.17). Datasets are the dev sets
in /work/shared/data/dev (see its README.md) and the sample company's planted themes. Each set
is embedded once with the pipeline's model and the vectors are cached in DIR (default a folder
under the system temp dir), keyed by dataset and a hash of its texts, so reruns skip embedding.

All three methods get the same vectors. Seconds are each method's own fit on them: clustering
and labelling for ours, UMAP + HDBSCAN + c-TF-IDF topics for BERTopic, clustering for k-means,
which is told the true number of labels. Outliers count as one group (-1), as in `insights
evaluate`. BERTopic's UMAP is seeded, yet on the sample (about 300 repeated texts) its topic
count still moves by a few from run to run; the dev sets, de-duplicated, repeat exactly.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sample_feedback import sample_feedback
from sklearn.cluster import KMeans

from insights.evaluate import evaluate_themes, score
from insights.themes.embed import embed_texts, load_model

# The shared dev sets sit beside the checkout (../shared/data/dev); INSIGHTS_DEV_DATA overrides.
DEV_DIR = Path(os.environ.get("INSIGHTS_DEV_DATA", Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"))
# name -> (file, label column); the sample company is built by dbt instead of read from a file.
DEV_SETS = {
    "hwu64": ("hwu64.csv", "intent"),
    "bitext": ("bitext_customer_support.csv", "label"),
    "tizard2019": ("tizard2019_forum_feedback.csv", "label"),
}
DATASETS = [*DEV_SETS, "sample"]
COLUMNS = ["dataset", "items", "labels", "method", "themes", "nmi", "ari", "outliers", "seconds"]
# Label figures of `insights evaluate` (ours only): cosine of each theme's label to the name of
# its majority true label, share passing the grammar check, share of distinct labels.
LABEL_KEYS = {"label~truth": "label_similarity", "grammar": "label_grammar_share", "unique": "label_unique_share"}
# table column -> key in a `score` / `evaluate_themes` report
SCORE_KEYS = {"themes": "n_themes", "nmi": "nmi", "ari": "ari", "outliers": "outlier_share"}


def load_dataset(name: str, sample_scale: float) -> tuple[list[str], np.ndarray]:
    """Texts and true labels of one dataset."""
    if name == "sample":
        frame = sample_feedback(sample_scale)
        return frame["text"].tolist(), frame["theme"].to_numpy(str)
    file, label = DEV_SETS[name]
    # No NA parsing: a text or label that reads "None" or "NA" is a word here, not missing.
    frame = pd.read_csv(DEV_DIR / file, dtype=str, keep_default_na=False)
    return frame["text"].tolist(), frame[label].to_numpy(str)


def cached_embeddings(name: str, texts: list[str], cache_dir: Path, model_holder: dict) -> np.ndarray:
    """Vectors of `texts`, from `cache_dir` when this exact list was embedded before."""
    digest = hashlib.sha256("\0".join(texts).encode()).hexdigest()[:16]
    path = cache_dir / f"{name}_{digest}.npy"
    if path.exists():
        return np.load(path)
    # Loaded on first need only, so a fully cached rerun never pays for the model.
    if "model" not in model_holder:
        model_holder["model"] = load_model()
    vectors = embed_texts(texts, model_holder["model"])
    np.save(path, vectors)
    return vectors


def bertopic_model():
    """BERTopic 0.17's defaults, with a seed on UMAP so reruns give the same topics."""
    from bertopic import BERTopic
    from umap import UMAP

    # These are the UMAP settings BERTopic builds when given none (bertopic/_bertopic.py); only
    # random_state is added. Left at embedding_model=None: with embeddings passed to
    # fit_transform BERTopic then never loads or downloads an embedding model.
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=0)
    return BERTopic(umap_model=umap)


def warm_up_bertopic() -> None:
    """Fit once on throwaway data: numba compiles UMAP's kernels on first use (~20 s here)."""
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 384)).astype(np.float32)
    words = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"])
    bertopic_model().fit_transform([" ".join(rng.choice(words, 5)) for _ in range(300)], embeddings=vectors)


def run_ours(texts: list[str], truth: np.ndarray, vectors: np.ndarray, model) -> dict:
    # With the model, as the pipeline runs: labels are ranked by embedding their phrases, and
    # that time is in `seconds` (as BERTopic's c-TF-IDF topic words are in its own).
    report = evaluate_themes(texts, truth, model, embeddings=vectors)
    labels = {column: report.get(key) for column, key in LABEL_KEYS.items()}
    return {"method": "themes (ours)", **pick_scores(report), "seconds": report["cluster_seconds"], **labels}


def run_bertopic(texts: list[str], truth: np.ndarray, vectors: np.ndarray) -> dict:
    model = bertopic_model()
    started = time.perf_counter()
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    seconds = time.perf_counter() - started
    return {"method": "BERTopic 0.17", **pick_scores(score(truth, np.asarray(topics))), "seconds": seconds}


def run_kmeans(truth: np.ndarray, vectors: np.ndarray) -> dict:
    k = int(np.unique(truth).size)
    started = time.perf_counter()
    predicted = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(vectors)
    seconds = time.perf_counter() - started
    return {"method": f"kmeans(k={k})", **pick_scores(score(truth, predicted)), "seconds": seconds}


def pick_scores(report: dict) -> dict:
    return {column: report[key] for column, key in SCORE_KEYS.items()}


def markdown(table: pd.DataFrame) -> str:
    # tabulate (behind to_markdown) is installed with dagster, a runtime dependency.
    return table.to_markdown(
        index=False, floatfmt=["", "", "", "", "", ".3f", ".3f", ".3f", ".1f", ".3f", ".3f", ".3f"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=DATASETS)
    parser.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir()) / "insights_bench_peers"))
    parser.add_argument("--sample-scale", type=float, default=1.0)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    started = time.perf_counter()
    cache_dir = Path(args.cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # UMAP warns that a seed forces it onto one thread; that is the price of repeatable topics.
    warnings.filterwarnings("ignore", message="n_jobs value .* overridden to 1 by setting random_state")
    warm_up_bertopic()

    model_holder: dict = {}
    rows = []
    for name in args.datasets:
        texts, truth = load_dataset(name, args.sample_scale)
        vectors = cached_embeddings(name, texts, cache_dir, model_holder)
        common = {"dataset": name, "items": len(texts), "labels": int(np.unique(truth).size)}
        if "model" not in model_holder:
            model_holder["model"] = load_model()
        ours = run_ours(texts, truth, vectors, model_holder["model"])
        results = [ours, run_bertopic(texts, truth, vectors), run_kmeans(truth, vectors)]
        rows.extend({**common, **result} for result in results)
        print(f"{name}: {len(texts)} items done", flush=True)

    table = pd.DataFrame(rows, columns=COLUMNS + list(LABEL_KEYS))
    if args.markdown:
        print(markdown(table))
    else:
        pd.set_option("display.width", 250)
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}", formatters={"seconds": "{:.1f}".format}))
    print(
        f"same embeddings for all methods (cache {cache_dir}); seconds are each method's fit only; "
        f"outliers are one group (-1); k-means is told the true number of labels; "
        f"BERTopic's UMAP is seeded, so single-threaded. Wall time {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
