import json

import numpy as np
import pytest

from insights.themes.cluster import ThemeClusterer
from insights.themes.embed import embed_texts
from insights.themes.label import ThemeLabeler

# A word (or its plural) every reader would expect in each topic's label.
TOPIC_WORDS = {
    "csv_export": {"csv", "export"},
    "sso_login": {"sso", "sign-on", "login", "saml"},
    "billing_invoice": {"invoice", "billing", "charge", "charged", "refund"},
    "mobile_crash": {"app", "crash", "crashes", "mobile"},
}


@pytest.fixture(scope="module")
def described(corpus):
    clusterer = ThemeClusterer().fit(corpus.embeddings)
    themes = ThemeLabeler().fit(corpus.texts, corpus.embeddings, clusterer.labels_, clusterer.centroids_).themes_
    return clusterer, themes


def _topic_of(theme, clusterer, corpus):
    members = corpus.truth[clusterer.labels_ == theme]
    values, counts = np.unique(members, return_counts=True)
    return values[counts.argmax()]


def test_labels_and_keywords_name_the_topic(described, corpus):
    clusterer, themes = described
    for row in themes.itertuples():
        expected = TOPIC_WORDS[_topic_of(row.theme, clusterer, corpus)]
        keywords = row.keywords.split(", ")
        assert 5 <= len(keywords) <= 10
        assert expected & set(keywords), (row.label, row.keywords)
        assert expected & set(row.label.lower().split()), row.label


def test_a_label_is_a_short_phrase_not_a_bag_of_words(described):
    _, themes = described
    for label in themes["label"]:
        parts = label.split(" / ")
        assert 1 <= len(parts) <= 2
        assert len(label) <= 60
    # At least one theme in this corpus has a recurring two-word phrase ("csv export").
    assert any(" " in part for label in themes["label"] for part in label.split(" / "))


def test_quote_is_the_member_closest_to_the_centre(described, corpus):
    clusterer, themes = described
    for row in themes.itertuples():
        members = np.flatnonzero(clusterer.labels_ == row.theme)
        closest = members[np.argmax(corpus.embeddings[members] @ clusterer.centroids_[row.theme])]
        assert row.representative_quote == corpus.texts[closest]


def test_size_and_cohesion(described, corpus):
    clusterer, themes = described
    assert list(themes["size"]) == list(np.bincount(clusterer.labels_[clusterer.labels_ >= 0]))
    for row in themes.itertuples():
        members = clusterer.labels_ == row.theme
        expected = float(np.mean(corpus.embeddings[members] @ clusterer.centroids_[row.theme]))
        assert row.cohesion == pytest.approx(expected, abs=1e-5)
        assert 0 < row.cohesion <= 1


def test_a_text_pasted_many_times_counts_once(model):
    # One customer pasted the same complaint (with an odd word) into ten channels; five others
    # describe the theme in their own words. The odd word must not become a keyword.
    pasted = ["Refund the zebra subscription charge now!"] * 5 + ["refund the ZEBRA subscription charge now"] * 5
    others = [
        "We were charged twice for the subscription",
        "Please refund the duplicate charge on our card",
        "Double charge on the invoice this month, need a refund",
        "You charged our card twice, refund please",
        "The subscription was charged two times",
    ]
    texts = pasted + others
    X = embed_texts(texts, model)
    labels = np.zeros(len(texts), dtype=int)
    centroid = X.mean(axis=0, keepdims=True)
    centroid /= np.linalg.norm(centroid)
    themes = ThemeLabeler().fit(texts, X, labels, centroid).themes_
    assert "zebra" not in themes.loc[0, "keywords"]
    assert "zebra" not in themes.loc[0, "label"]
    assert themes.loc[0, "size"] == len(texts)
    assert {"refund", "charge", "charged"} & set(themes.loc[0, "keywords"].split(", "))


def test_placeholders_and_numbers_are_never_keywords(model):
    texts = [
        "Invoice 4411 was wrong, email me at <EMAIL>",
        "Wrong invoice amount again, call <PHONE>",
        "Invoice total 1200 is wrong, reach me at <EMAIL>",
        "The invoice amount is wrong, <EMAIL>",
    ]
    X = embed_texts(texts, model)
    labels = np.zeros(len(texts), dtype=int)
    themes = ThemeLabeler().fit(texts, X, labels, X[:1]).themes_
    keywords = themes.loc[0, "keywords"].split(", ")
    assert "invoice" in keywords
    assert not {"email", "phone", "4411", "1200"} & set(keywords)
    assert "<EMAIL>" in themes.loc[0, "representative_quote"] or "<PHONE>" in themes.loc[0, "representative_quote"]


def test_phrase_is_written_as_customers_wrote_it(model):
    # The vectorizer drops "to"; the label puts it back.
    texts = [
        "export to csv fails",
        "the export to csv button is broken",
        "cannot export to csv anymore",
        "export to csv is slow",
    ]
    X = embed_texts(texts, model)
    themes = ThemeLabeler().fit(texts, X, np.zeros(4, dtype=int), X[:1]).themes_
    assert "export to csv" in themes.loc[0, "label"].lower()


def test_theme_of_stop_words_only_still_gets_a_row(model):
    texts = ["it is what it is", "it is what it is!", "It is what it is."]
    X = embed_texts(texts, model)
    themes = ThemeLabeler().fit(texts, X, np.zeros(3, dtype=int), X[:1]).themes_
    assert len(themes) == 1
    assert themes.loc[0, "keywords"] == ""
    assert themes.loc[0, "label"]


def test_with_the_model_the_label_names_the_topic_not_a_frequent_aside(model):
    # Most csv texts also mention a board meeting. By frequency alone the aside wins; with
    # the model, phrases are also judged by meaning, and the topic wins.
    csv = [
        "CSV export fails for large reports. We have a board meeting on Friday.",
        "The csv export times out on big reports, and we have a board meeting on Friday",
        "Large reports never finish the CSV export. Board meeting on Friday, please hurry.",
        "csv export of large reports is broken; our board meeting is on Friday",
        "We have a board meeting on Friday and the csv export keeps failing",
        "Exporting reports to CSV hangs when they are large",
        "Big report, csv export spinner forever",
    ]
    sso = [
        "SSO login fails with SAML error",
        "Okta single sign-on is broken",
        "Cannot log in with SSO",
        "SAML login error again",
    ]
    texts = csv + sso
    X = embed_texts(texts, model)
    labels = np.array([0] * len(csv) + [1] * len(sso))
    centroids = np.vstack([X[labels == k].mean(axis=0) for k in (0, 1)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)

    plain = ThemeLabeler().fit(texts, X, labels, centroids).themes_
    informed = ThemeLabeler(embed=lambda t: embed_texts(t, model)).fit(texts, X, labels, centroids).themes_
    assert "board meeting" in plain.loc[0, "label"].lower()
    assert "csv export" in informed.loc[0, "label"].lower()
    assert "board" not in informed.loc[0, "label"].lower()


def test_quotes_are_central_distinct_and_start_with_the_representative_quote(described, model):
    _, themes = described
    for row in themes.itertuples():
        quotes = json.loads(row.quotes)
        assert 3 <= len(quotes) <= 5
        assert quotes[0] == row.representative_quote
        vectors = embed_texts(quotes, model)
        # No two quotes are near-paraphrases of each other (the labeller's quote_similarity).
        assert (np.triu(vectors @ vectors.T, k=1) < 0.9 + 1e-4).all(), quotes


def test_a_pasted_complaint_is_quoted_once(corpus, model):
    pasted = "CSV export times out when the report has more than 50k rows"
    texts = [*corpus.texts, pasted, pasted.upper(), pasted + "!!"]
    embeddings = embed_texts(texts, model)
    clusterer = ThemeClusterer().fit(embeddings)
    themes = ThemeLabeler().fit(texts, embeddings, clusterer.labels_, clusterer.centroids_).themes_
    for row in themes.itertuples():
        keys = [q.lower().strip("!") for q in json.loads(row.quotes)]
        assert len(keys) == len(set(keys)), row.quotes
