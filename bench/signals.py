"""Intent and sentiment per feedback item (insights/signals), measured against planted and public labels.

    .venv/bin/python bench/signals.py [--scale 0.2] [--seed 7] [--markdown]

Intent: the classifier trained on the bundled seed set only, scored on
- the sample company (planted intents from `answers/feedback_intents.csv`; written by the
  generator into a temporary folder), all five intents;
- the Tizard et al. forum set in ../shared/data/dev, its 33 labels mapped as its README
  suggests (bug, feature_request, praise, everything else other; our `question` counts as other).
Sentiment: on the sample's rated items (NPS comments and app reviews), Spearman of VADER and the
cross-validated ridge heads with the rating; then the chosen model, fitted on those items, against
the planted sentiment of the items it never saw (tickets and board posts).

Texts are read from the landing files (title and body joined as the pipeline does), not through
dbt, so the bench runs without a warehouse. Embeddings are cached beside peers.py's.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from peers import DEV_DIR, cached_embeddings
from scipy.stats import spearmanr
from sklearn.metrics import f1_score

from insights.sample.generator import generate
from insights.signals.intent import INTENTS, IntentClassifier, seed_examples
from insights.signals.sentiment import fit_sentiment, rating_to_unit, vader_scores

TIZARD = "tizard2019_forum_feedback.csv"
# The README's suggested mapping onto the team's 4-way scheme (a judgement call, not the paper's).
TIZARD_BUG = {"apparent bug", "bug confirmation", "unsatisfactory behaviour", "agreeing with the problem"}
TIZARD_FEATURE = {"feature request", "motivation FR", "agreeing with the request"}
TIZARD_PRAISE = {"praise application"}
FOUR_WAY = ("bug", "feature_request", "praise", "other")


def _join(*parts: str) -> str:
    return ". ".join(" ".join(str(p).split()) for p in parts if str(p).strip())


def sample_items(root: Path) -> pd.DataFrame:
    """One row per sample feedback item with a text: source, id, text, rating in [-1, 1] (NaN if none)."""
    landing = root / "landing"
    rows = []
    for t in json.loads((landing / "zendesk/tickets.json").read_text())["tickets"]:
        rows.append(("zendesk", str(t["id"]), _join(t["subject"], t["description"]), np.nan))
    surveys = pd.read_csv(landing / "surveys/nps_responses.csv", dtype=str, keep_default_na=False)
    for r in surveys.itertuples():
        rows.append(("surveys", r[1], _join(r.Comment), float(rating_to_unit(float(r.Score), 0, 10))))
    reviews = pd.read_csv(landing / "app_store/reviews.csv", dtype=str, keep_default_na=False)
    for r in reviews.itertuples():
        rows.append(("app_store", r[1], _join(r.Title, r.Review), float(rating_to_unit(float(r.Rating), 1, 5))))
    posts = pd.read_csv(landing / "canny/posts.csv", dtype=str, keep_default_na=False)
    for r in posts.itertuples():
        rows.append(("canny", r.ID, _join(r.Title, r.Details), np.nan))
    items = pd.DataFrame(rows, columns=["source", "source_record_id", "text", "rating"])
    answers = pd.read_csv(root / "answers/feedback_intents.csv", dtype=str)
    answers["planted_sentiment"] = answers["planted_sentiment"].astype(float)
    items = items.merge(answers, on=["source", "source_record_id"], how="inner")
    return items[items["text"] != ""].reset_index(drop=True)


def tizard_items() -> pd.DataFrame:
    frame = pd.read_csv(DEV_DIR / TIZARD, dtype=str, keep_default_na=False)

    def four_way(label: str) -> str:
        if label in TIZARD_BUG:
            return "bug"
        if label in TIZARD_FEATURE:
            return "feature_request"
        return "praise" if label in TIZARD_PRAISE else "other"

    return pd.DataFrame({"text": frame["text"], "intent": frame["label"].map(four_way)})


def intent_rows(name: str, truth, predicted, labels) -> list[dict]:
    f1 = f1_score(truth, predicted, labels=list(labels), average=None, zero_division=0)
    support = pd.Series(truth).value_counts()
    rows = [{"set": name, "class": c, "items": int(support.get(c, 0)), "f1": f} for c, f in zip(labels, f1)]
    rows.append({"set": name, "class": "macro", "items": len(truth), "f1": float(np.mean(f1))})
    by_class = dict(zip(labels, f1))
    mean_bug_feature = float(np.mean([by_class["bug"], by_class["feature_request"]]))
    rows.append({"set": name, "class": "mean(bug, feature_request)", "items": len(truth), "f1": mean_bug_feature})
    return rows


def _rho(a, b) -> float:
    return float(spearmanr(a, b).statistic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2, help="sample company scale (0.2 is ~1,000 items)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir()) / "insights_bench_peers"))
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    cache_dir = Path(args.cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    holder: dict = {}
    started = time.perf_counter()

    seed = seed_examples()
    seed_texts = seed["text"].tolist()
    classifier = IntentClassifier().fit(
        cached_embeddings("intent_seed", seed_texts, cache_dir, holder), seed_texts, seed["intent"].tolist()
    )
    with tempfile.TemporaryDirectory() as scratch:
        generate(Path(scratch), seed=args.seed, scale=args.scale)
        sample = sample_items(Path(scratch))
    texts = sample["text"].tolist()
    vectors = cached_embeddings(f"signals_sample_{args.scale}_{args.seed}", texts, cache_dir, holder)
    predicted, _ = classifier.predict(vectors, texts)
    rows = intent_rows(f"sample {args.scale}", sample["intent"], predicted, INTENTS)

    tizard = tizard_items()
    tizard_texts = tizard["text"].tolist()
    tizard_vectors = cached_embeddings("tizard2019", tizard_texts, cache_dir, holder)
    tizard_predicted, _ = classifier.predict(tizard_vectors, tizard_texts)
    tizard_predicted = np.where(tizard_predicted == "question", "other", tizard_predicted)
    rows += intent_rows("tizard2019 (4-way)", tizard["intent"], tizard_predicted, FOUR_WAY)
    intents = pd.DataFrame(rows)

    rated = sample["rating"].notna().to_numpy()
    sentiment = fit_sentiment(vectors, texts, sample["rating"].to_numpy())
    unseen = ~rated
    unseen_texts = [t for t, u in zip(texts, unseen) if u]
    chosen = sentiment.predict(vectors[unseen], unseen_texts)
    planted = sample.loc[unseen, "planted_sentiment"].to_numpy()
    sentiments = pd.DataFrame(
        [
            {"measured on": f"rated items ({sentiment.n_rated}), vs rating", "method": m, "spearman": rho}
            for m, rho in sentiment.cv_spearman.items()
        ]
        + [
            {
                "measured on": f"unrated items ({int(unseen.sum())}), vs planted sentiment",
                "method": "vader",
                "spearman": _rho(vader_scores(unseen_texts), planted),
            },
            {
                "measured on": f"unrated items ({int(unseen.sum())}), vs planted sentiment",
                "method": f"chosen: {sentiment.method}",
                "spearman": _rho(chosen, planted),
            },
        ]
    )
    seconds = time.perf_counter() - started

    if args.markdown:
        print(intents.to_markdown(index=False, floatfmt=".3f"))
        print()
        print(sentiments.to_markdown(index=False, floatfmt=".3f"))
    else:
        print(intents.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print()
        print(sentiments.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"\nchosen sentiment method: {sentiment.method}; {seconds:.0f} s (embeddings cached in {cache_dir})")


if __name__ == "__main__":
    main()
