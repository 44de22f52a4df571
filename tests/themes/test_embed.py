import subprocess
import sys

import numpy as np
import pandas as pd

from insights.themes.embed import embed_texts


def test_rows_are_unit_length_float32_in_input_order(model):
    texts = ["CSV export times out", "We were charged twice", "CSV export times out"]
    vectors = embed_texts(texts, model)
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Row order follows input order: the repeated text lands on rows 0 and 2, not 0 and 1.
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)
    assert vectors[0] @ vectors[1] < 0.9


def test_no_texts_gives_an_empty_matrix_of_the_model_width(model):
    vectors = embed_texts([], model)
    assert vectors.shape == (0, 384)
    assert vectors.dtype == np.float32


def test_missing_text_is_embedded_as_empty_rather_than_failing(model):
    vectors = embed_texts([None, float("nan"), pd.NA, "login fails"], model)
    assert vectors.shape == (4, 384)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(vectors[0], embed_texts([""], model)[0], atol=1e-6)


def test_same_texts_give_the_same_vectors_whatever_the_batch(model):
    # A cache keyed by text hash is only correct if a text's vector does not depend on its
    # neighbours in the batch.
    texts = ["SSO login is broken", "app crashes on launch", "refund the double charge", "export to csv fails"]
    whole = embed_texts(texts, model, batch_size=64)
    one_by_one = embed_texts(texts, model, batch_size=1)
    np.testing.assert_allclose(whole, one_by_one, atol=1e-5)


def test_paraphrases_are_closer_than_other_topics(corpus):
    by_topic = {t: corpus.embeddings[corpus.truth == t] for t in ("csv_export", "billing_invoice")}
    within = by_topic["csv_export"] @ by_topic["csv_export"].T
    across = by_topic["csv_export"] @ by_topic["billing_invoice"].T
    assert within[np.triu_indices_from(within, k=1)].mean() > across.mean() + 0.3


def test_importing_the_themes_package_loads_neither_dagster_nor_torch():
    # The library must stay usable without the orchestrator, and importing it must be cheap:
    # the model's heavy imports wait until a model is actually loaded.
    code = "import sys, insights.themes, insights.themes.embed; print(sorted({'dagster', 'torch'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
