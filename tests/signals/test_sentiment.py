"""Sentiment: VADER below the rated-item threshold, a ridge head when the ratings teach it more."""

from __future__ import annotations

import numpy as np
import pytest

from insights.signals.sentiment import MIN_RATED, fit_sentiment, rating_to_unit, vader_scores

POSITIVE = ["I love it, great work", "excellent and wonderful", "really happy with this, thanks"]
NEGATIVE = ["terrible, I hate it", "awful experience, very bad", "worst update ever, so disappointed"]


def test_rating_scales_map_onto_minus_one_to_one():
    assert rating_to_unit([1, 3, 5], 1, 5).tolist() == [-1.0, 0.0, 1.0]
    assert rating_to_unit([0, 5, 10], 0, 10).tolist() == [-1.0, 0.0, 1.0]
    assert np.isnan(rating_to_unit([np.nan], 1, 5)[0])


def test_vader_reads_plain_positive_and_negative_words():
    scores = vader_scores(POSITIVE + NEGATIVE + [""])
    assert np.all(scores[:3] > 0.3) and np.all(scores[3:6] < -0.3) and scores[6] == 0


def _texts(n: int, rng: np.random.Generator) -> list[str]:
    return [(POSITIVE + NEGATIVE)[i] for i in rng.integers(0, 6, size=n)]


def test_too_few_rated_items_keep_vader():
    rng = np.random.default_rng(0)
    n = MIN_RATED - 1
    texts = _texts(n, rng)
    vectors = rng.normal(size=(n, 16)).astype(np.float32)
    model = fit_sentiment(vectors, texts, rng.uniform(-1, 1, size=n))
    assert model.method == "vader" and model.n_rated == n
    assert model.cv_spearman["embedding_ridge"] is None
    assert np.allclose(model.predict(vectors, texts), vader_scores(texts))


def test_unrated_items_do_not_count_towards_the_threshold():
    rng = np.random.default_rng(1)
    texts = _texts(200, rng)
    ratings = np.full(200, np.nan)
    ratings[:10] = 1.0
    model = fit_sentiment(rng.normal(size=(200, 8)), texts, ratings)
    assert model.method == "vader" and model.n_rated == 10


def test_a_rating_the_embedding_explains_and_the_words_do_not_picks_a_ridge_head():
    # The words say nothing (VADER sees the same neutral text), the vectors carry the rating.
    rng = np.random.default_rng(2)
    n = 300
    vectors = rng.normal(size=(n, 24)).astype(np.float32)
    ratings = np.tanh(vectors[:, 0] - vectors[:, 1])
    texts = ["the report arrived on tuesday"] * n
    model = fit_sentiment(vectors, texts, ratings)
    assert model.method in ("embedding_ridge", "blend")
    assert model.cv_spearman[model.method] > 0.8
    assert model.cv_spearman["vader"] == 0.0
    predicted = model.predict(vectors, texts)
    assert np.all(np.abs(predicted) <= 1)


def test_a_rating_the_words_explain_and_the_embedding_does_not_keeps_the_lexicon():
    rng = np.random.default_rng(3)
    n = 300
    texts = _texts(n, rng)
    vectors = rng.normal(size=(n, 64)).astype(np.float32)  # noise: nothing to learn from
    model = fit_sentiment(vectors, texts, vader_scores(texts))
    assert model.method in ("vader", "blend")
    assert model.cv_spearman["vader"] == pytest.approx(1.0)
    assert model.cv_spearman["embedding_ridge"] < 0.3


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="vectors"):
        fit_sentiment(np.zeros((3, 4)), ["a", "b"], [0.0, 0.0, 0.0])
