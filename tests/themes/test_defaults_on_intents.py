"""The default theme step on a 12-intent corpus, with the real model (issue 11's pins)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from insights.themes import PreviousThemes, build_nightly_themes, build_themes
from insights.themes.cluster import OUTLIER, ThemeClusterer
from insights.themes.embed import embed_texts
from insights.themes.phrases import reads_as_phrase
from tests.themes.intents import INTENTS, labelled_requests

# Intents with the most varied wording first, so even the 3-intent subset is a corpus of many
# distinct texts (a handful of texts repeated would measure nothing about paraphrases).
ALL = sorted(INTENTS, key=lambda name: (-sum(t.count("{") for t in INTENTS[name]), name))
# The step may leave at most this share of items unplaced (issue 11).
MAX_OUTLIER_SHARE = 0.10


@pytest.fixture(scope="module")
def requests(model):
    texts, truth = labelled_requests(ALL, per_intent=50)
    return texts, np.array(truth), embed_texts(texts, model)


def _feedback(texts, prefix="tickets"):
    return pd.DataFrame({"feedback_id": [f"{prefix}:{i}" for i in range(len(texts))], "text": texts})


def test_the_theme_count_grows_with_the_number_of_intents(requests):
    texts, truth, embeddings = requests
    counts = []
    for n in (3, 6, 12):
        keep = np.isin(truth, ALL[:n])
        clusterer = ThemeClusterer().fit(embeddings[keep])
        counts.append(clusterer.n_themes_)
        assert np.mean(clusterer.labels_ == OUTLIER) <= MAX_OUTLIER_SHARE
    assert counts[0] < counts[1] < counts[2], counts
    # Measured 12 themes, ARI 0.96 on all 12 intents; the bounds leave room for a library upgrade.
    assert 9 <= counts[2] <= 16, counts


def test_the_intents_are_recovered_with_few_outliers(requests):
    _, truth, embeddings = requests
    labels = ThemeClusterer().fit(embeddings).labels_
    assert adjusted_rand_score(truth, labels) >= 0.8
    assert np.mean(labels == OUTLIER) <= MAX_OUTLIER_SHARE


def test_labels_are_unique_phrases(requests, model):
    texts, _, embeddings = requests
    result = build_themes(_feedback(texts), embeddings, embed=lambda t: embed_texts(t, model))
    labels = result.themes["label"].tolist()
    assert all(reads_as_phrase(label) for label in labels), labels
    assert all(" / " not in label for label in labels)
    assert len(set(label.lower() for label in labels)) == len(labels)


def test_two_nights_with_one_percent_new_items_keep_the_ids(requests, model):
    texts, truth, embeddings = requests
    first = build_nightly_themes(None, _feedback(texts), embeddings)
    previous = PreviousThemes(first.result.themes["theme_id"].to_numpy(dtype=object), first.result.centroids)

    new_texts, _ = labelled_requests(ALL, per_intent=1, seed=1)
    new_texts = new_texts[: max(1, len(texts) // 100)]
    items = pd.concat([_feedback(texts), _feedback(new_texts, prefix="surveys")], ignore_index=True)
    second = build_nightly_themes(previous, items, np.vstack([embeddings, embed_texts(new_texts, model)]))

    before = set(first.result.themes["theme_id"])
    after = set(second.result.themes["theme_id"])
    # One night of 1 % new items of known intents: the same themes under the same IDs, bar
    # at most a small theme at the edge of a split (measured: 13 of 14 kept).
    kept = before & after
    assert len(kept) >= 0.85 * len(before), (len(kept), len(before))
    assert len(after - before) <= 0.15 * len(before)
    statuses = second.history.set_index("theme_id")["status"]
    assert (statuses.reindex(sorted(before & after)) == "continued").all()
