"""The embedding cache, with the real model on a few texts and an in-memory warehouse."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from insights.themes.cache import BUNDLED_MODEL_NAME, cache_size, embed_with_cache, model_key
from insights.themes.embed import embed_texts

TEXTS = [
    "CSV export times out on large reports",
    "We were charged twice this month",
    "SSO login with Okta fails",
    "CSV export times out on large reports",  # repeated: embedded once
    "",
]


class CountingModel:
    """The real model, counting the texts it is asked to encode."""

    def __init__(self, model):
        self.model = model
        self.encoded = 0

    def encode(self, texts, **kwargs):
        self.encoded += len(texts)
        return self.model.encode(texts, **kwargs)

    def get_embedding_dimension(self):
        return self.model.get_embedding_dimension()


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_first_call_embeds_each_distinct_text_once_and_matches_the_uncached_step(con, model):
    counting = CountingModel(model)
    embeddings, n_new, n_cached = embed_with_cache(con, TEXTS, counting, "m")
    assert (n_new, n_cached) == (4, 0)
    assert counting.encoded == 4
    assert embeddings.shape == (5, 384) and embeddings.dtype == np.float32
    # Batches group texts differently with and without the cache, which moves the last bits
    # of a float32; anything beyond that would be a different vector.
    np.testing.assert_allclose(embeddings, embed_texts(TEXTS, model), atol=1e-5)
    np.testing.assert_array_equal(embeddings[0], embeddings[3])


def test_second_call_embeds_nothing_and_returns_the_same_vectors(con, model):
    first = embed_with_cache(con, TEXTS, model, "m")
    counting = CountingModel(model)
    second = embed_with_cache(con, list(reversed(TEXTS)), counting, "m")
    assert (second.n_new, second.n_cached) == (0, 4)
    assert counting.encoded == 0
    np.testing.assert_array_equal(second.embeddings, first.embeddings[::-1])


def test_only_unseen_texts_are_embedded(con, model):
    embed_with_cache(con, TEXTS[:2], model, "m")
    counting = CountingModel(model)
    result = embed_with_cache(con, TEXTS, counting, "m")
    assert (result.n_new, result.n_cached) == (2, 2)
    assert counting.encoded == 2
    assert cache_size(con, "m") == 4


def test_a_different_model_name_does_not_reuse_vectors(con, model):
    embed_with_cache(con, TEXTS, model, "model-a")
    counting = CountingModel(model)
    result = embed_with_cache(con, TEXTS, counting, "model-b")
    assert (result.n_new, result.n_cached) == (4, 0)
    assert counting.encoded == 4
    assert cache_size(con) == 8


def test_no_texts_give_an_empty_matrix_of_the_model_width(con, model):
    embeddings, n_new, n_cached = embed_with_cache(con, [], model, "m")
    assert embeddings.shape == (0, 384) and (n_new, n_cached) == (0, 0)


def test_the_cache_survives_reopening_the_warehouse(tmp_path, model):
    path = str(tmp_path / "warehouse.duckdb")
    with duckdb.connect(path) as first:
        stored = embed_with_cache(first, TEXTS, model, "m").embeddings
    with duckdb.connect(path) as second:
        again = embed_with_cache(second, TEXTS, CountingModel(model), "m")
    assert again.n_new == 0
    np.testing.assert_array_equal(again.embeddings, stored)


def test_model_key_names_the_bundled_model_when_no_setting_is_given():
    assert model_key(None) == BUNDLED_MODEL_NAME
    assert model_key("/models/other") == "/models/other"
