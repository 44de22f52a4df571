import warnings

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from insights.themes.cluster import OUTLIER, ThemeClusterer, default_min_theme_size, merge_groups

# Measured on the hand-written corpus with the defaults: ARI 1.0 (4 themes, the 4 off-topic
# texts as outliers). The margin leaves room for a model or library upgrade moving one text.
MIN_ARI = 0.9


def _topic_items(corpus):
    return corpus.truth != "noise"


def test_recovers_the_topics_without_being_told_how_many(corpus):
    clusterer = ThemeClusterer().fit(corpus.embeddings)
    assert clusterer.n_themes_ == 4
    assert adjusted_rand_score(corpus.truth, clusterer.labels_) >= MIN_ARI
    topic = _topic_items(corpus)
    # Each true topic is (almost) all one theme.
    for name in set(corpus.truth[topic]):
        members = clusterer.labels_[corpus.truth == name]
        assert np.bincount(members[members >= 0]).max() >= len(members) - 1


def test_off_topic_texts_are_outliers_not_forced_into_a_theme(corpus):
    labels = ThemeClusterer().fit(corpus.embeddings).labels_
    noise = ~_topic_items(corpus)
    assert (labels[noise] == OUTLIER).sum() >= noise.sum() - 1
    assert (labels[~noise] == OUTLIER).sum() <= 1


def test_same_input_and_seed_give_the_same_labels(corpus):
    first = ThemeClusterer(random_state=3).fit(corpus.embeddings)
    second = ThemeClusterer(random_state=3).fit(corpus.embeddings)
    np.testing.assert_array_equal(first.labels_, second.labels_)
    np.testing.assert_array_equal(first.centroids_, second.centroids_)


def test_learned_state_is_consistent(corpus):
    clusterer = ThemeClusterer().fit(corpus.embeddings)
    labels, centroids = clusterer.labels_, clusterer.centroids_
    assert centroids.shape == (clusterer.n_themes_, corpus.embeddings.shape[1])
    np.testing.assert_allclose(np.linalg.norm(centroids, axis=1), 1.0, atol=1e-5)
    sizes = np.bincount(labels[labels >= 0])
    # Themes are numbered largest first, and none is below the minimum size.
    assert list(sizes) == sorted(sizes, reverse=True)
    assert sizes.min() >= clusterer.min_theme_size_
    inside = labels >= 0
    expected = np.einsum("ij,ij->i", corpus.embeddings[inside], centroids[labels[inside]])
    np.testing.assert_allclose(clusterer.similarities_[inside], expected, atol=1e-5)
    assert np.isnan(clusterer.similarities_[~inside]).all()
    assert clusterer.similarities_[inside].min() >= clusterer.min_similarity


def test_resolution_trades_fewer_broad_themes_for_more_narrow_ones(corpus):
    # After centring, texts of different topics have cosines near or below zero, so even a very
    # low threshold cannot fold distinct topics together here; a high one splits them.
    coarse = ThemeClusterer(resolution=0.05, min_theme_size=2).fit(corpus.embeddings).n_themes_
    default = ThemeClusterer(min_theme_size=2).fit(corpus.embeddings).n_themes_
    fine = ThemeClusterer(resolution=1.0, min_theme_size=2).fit(corpus.embeddings).n_themes_
    assert coarse <= default < fine


def test_predict_puts_new_paraphrases_in_the_right_theme(corpus, model):
    from insights.themes.embed import embed_texts

    clusterer = ThemeClusterer().fit(corpus.embeddings)
    new = embed_texts(["exporting my report to csv times out", "pancakes with maple syrup"], model)
    csv_theme = np.bincount(clusterer.labels_[corpus.truth == "csv_export"] + 1).argmax() - 1
    assert list(clusterer.predict(new)) == [csv_theme, OUTLIER]


def test_no_items_is_an_error_as_scikit_learn_requires():
    # scikit-learn's contract (check_estimators_empty_data); build_themes answers for an
    # empty night itself (tests/themes/test_step.py).
    with pytest.raises(ValueError, match="0 sample"):
        ThemeClusterer().fit(np.zeros((0, 384), dtype=np.float32))


def test_bad_parameters_fail_before_fitting_with_the_parameter_named():
    with pytest.raises(ValueError, match="min_similarity"):
        ThemeClusterer(min_similarity=2).fit(np.eye(4))
    with pytest.raises(ValueError, match="min_theme_size"):
        ThemeClusterer(min_theme_size=0).fit(np.eye(4))


def test_predict_before_fit_says_so():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        ThemeClusterer().predict(np.eye(4))


@pytest.mark.parametrize("n", [1, 2])
def test_fewer_items_than_the_minimum_size_are_all_outliers(corpus, n):
    clusterer = ThemeClusterer().fit(corpus.embeddings[:n])
    assert list(clusterer.labels_) == [OUTLIER] * n
    assert clusterer.centroids_.shape == (0, 384)


def test_duplicates_are_one_theme_without_warnings(corpus):
    # Ten copies of one text and nothing else: k-means must not be asked for more clusters
    # than there are distinct points.
    X = np.repeat(corpus.embeddings[:1], 10, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clusterer = ThemeClusterer().fit(X)
    assert list(clusterer.labels_) == [0] * 10
    np.testing.assert_allclose(clusterer.similarities_, 1.0, atol=1e-5)


def test_minimum_theme_size_grows_slowly_with_the_corpus():
    sizes = [default_min_theme_size(n) for n in (0, 10, 500, 5_000, 200_000)]
    assert sizes == sorted(sizes)
    assert sizes[0] == sizes[1] == 3
    assert sizes[-1] < 200_000 * 0.001


def _planted(n, n_themes, dim, noise_share, seed):
    """Unit vectors around `n_themes` random directions plus uniform noise; true labels, -1 noise."""
    rng = np.random.default_rng(seed)
    directions = rng.normal(size=(n_themes, dim))
    truth = rng.integers(0, n_themes, size=n)
    # Spread chosen so that two members of a theme have cosine about 0.6, like paraphrases.
    spread = 0.8 / np.sqrt(dim)
    X = directions[truth] / np.linalg.norm(directions[truth], axis=1, keepdims=True) + rng.normal(
        scale=spread, size=(n, dim)
    )
    noisy = rng.random(n) < noise_share
    X[noisy] = rng.normal(size=(noisy.sum(), dim))
    truth[noisy] = -1
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32), truth


def test_large_input_takes_the_mini_batch_path_and_still_finds_the_themes():
    # Over 20,000 distinct vectors switch k-means to mini-batches (the bounded-memory path).
    X, truth = _planted(n=24_000, n_themes=12, dim=384, noise_share=0.05, seed=1)
    clusterer = ThemeClusterer().fit(X)
    assert clusterer.n_themes_ == 12
    assert adjusted_rand_score(truth, clusterer.labels_) > 0.95
    assert (clusterer.labels_[truth == -1] == OUTLIER).mean() > 0.9


def _unit(rng, n, dim=8):
    X = rng.normal(size=(n, dim))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def test_merging_single_items_is_plain_average_linkage():
    from scipy.cluster.hierarchy import fcluster, linkage

    X = _unit(np.random.default_rng(0), 40)
    ours = merge_groups(X, np.ones(len(X)), resolution=0.2)
    reference = fcluster(linkage(X, method="average", metric="cosine"), t=0.8, criterion="distance")
    assert adjusted_rand_score(reference, ours) == 1.0


def test_a_merged_group_weighs_as_much_as_its_items():
    # Three copies of an item given as one group of size 3 must merge exactly as the three
    # separate items would: the threshold is about texts, not about micro-clusters.
    rng = np.random.default_rng(1)
    X = _unit(rng, 12)
    items = np.vstack([X, np.repeat(X[:1], 2, axis=0)])
    separate = merge_groups(items, np.ones(len(items)), resolution=0.1)
    grouped = merge_groups(np.vstack([X[0] * 3, X[1:]]), np.array([3] + [1] * 11), resolution=0.1)
    assert adjusted_rand_score(separate[:12], grouped) == 1.0
