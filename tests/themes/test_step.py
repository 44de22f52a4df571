import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from insights.themes import build_themes, theme_id
from insights.themes.tables import ASSIGNMENT_COLUMNS, THEME_COLUMNS


def _feedback(corpus, order=None):
    order = np.arange(len(corpus.texts)) if order is None else order
    frame = pd.DataFrame({"feedback_id": [f"surveys:{i}" for i in order], "text": [corpus.texts[i] for i in order]})
    return frame, corpus.embeddings[order]


@pytest.fixture(scope="module")
def result(corpus):
    feedback, embeddings = _feedback(corpus)
    return build_themes(feedback, embeddings)


def test_tables_have_the_warehouse_shapes(result, corpus):
    assert list(result.themes.columns) == THEME_COLUMNS
    assert list(result.assignments.columns) == ASSIGNMENT_COLUMNS
    # One assignment per feedback item, in input order.
    assert list(result.assignments["feedback_id"]) == [f"surveys:{i}" for i in range(len(corpus.texts))]
    assert result.themes["theme_id"].str.fullmatch(r"thm_[0-9a-f]{8}").all()
    assert result.themes["theme_id"].is_unique
    assert result.themes["keywords"].map(type).eq(str).all()
    assert result.assignments["is_outlier"].dtype == bool


def test_assignments_agree_with_themes(result):
    a, themes = result.assignments, result.themes
    outliers = a[a["is_outlier"]]
    members = a[~a["is_outlier"]]
    assert outliers["theme_id"].isna().all() and outliers["similarity"].isna().all()
    assert members["theme_id"].isin(themes["theme_id"]).all()
    assert members["similarity"].between(-1, 1).all()
    sizes = members["theme_id"].value_counts()
    assert (themes.set_index("theme_id")["size"] == sizes.reindex(themes["theme_id"])).all()
    # Cohesion is the members' mean similarity to their centre.
    cohesion = members.groupby("theme_id")["similarity"].mean()
    np.testing.assert_allclose(
        themes.set_index("theme_id")["cohesion"], cohesion.reindex(themes["theme_id"]), atol=1e-6
    )


def test_recovers_the_topics_and_leaves_off_topic_out(result, corpus):
    found = result.assignments["theme_id"].fillna("outlier")
    assert adjusted_rand_score(corpus.truth, found) >= 0.9
    assert result.assignments["is_outlier"].to_numpy()[corpus.truth == "noise"].sum() >= 3


def test_quotes_are_members_of_their_theme(result, corpus):
    text_of = dict(zip(*_feedback(corpus)[0].to_dict("list").values()))
    a = result.assignments
    for row in result.themes.itertuples():
        member_texts = {text_of[f] for f in a.loc[a["theme_id"] == row.theme_id, "feedback_id"]}
        assert row.representative_quote in member_texts


def test_same_input_gives_the_same_tables(result, corpus):
    feedback, embeddings = _feedback(corpus)
    again = build_themes(feedback, embeddings)
    pd.testing.assert_frame_equal(again.themes, result.themes)
    pd.testing.assert_frame_equal(again.assignments, result.assignments)


def test_theme_ids_follow_members_not_row_order(result, corpus):
    # The warehouse query orders rows; a different order must not rename the same themes.
    order = np.random.default_rng(5).permutation(len(corpus.texts))
    feedback, embeddings = _feedback(corpus, order)
    shuffled = build_themes(feedback, embeddings)
    assert set(shuffled.themes["theme_id"]) == set(result.themes["theme_id"])
    by_id = shuffled.assignments.set_index("feedback_id")["theme_id"]
    expected = result.assignments.set_index("feedback_id")["theme_id"]
    pd.testing.assert_series_equal(by_id.reindex(expected.index), expected)


def test_embeddings_of_any_length_give_cosine_similarities(result, corpus):
    feedback, embeddings = _feedback(corpus)
    scaled = build_themes(feedback, embeddings * 3.0)
    pd.testing.assert_frame_equal(scaled.assignments, result.assignments, atol=1e-5)


def test_theme_id_is_a_hash_of_the_sorted_members():
    assert theme_id(["b", "a"]) == theme_id(["a", "b"])
    assert theme_id(["a", "b"]) != theme_id(["a", "c"])


def test_resolution_is_passed_to_the_clusterer(corpus):
    feedback, embeddings = _feedback(corpus)
    fine = build_themes(feedback, embeddings, resolution=1.0)
    assert len(fine.themes) > len(build_themes(feedback, embeddings).themes)


def test_no_feedback_gives_empty_tables_with_the_right_columns():
    result = build_themes(pd.DataFrame({"feedback_id": [], "text": []}), np.zeros((0, 384), dtype=np.float32))
    assert list(result.themes.columns) == THEME_COLUMNS and result.themes.empty
    assert list(result.assignments.columns) == ASSIGNMENT_COLUMNS and result.assignments.empty


def test_one_item_is_an_outlier_and_its_table_column_is_still_text(corpus):
    feedback, embeddings = _feedback(corpus)
    result = build_themes(feedback.head(1), embeddings[:1])
    assert result.themes.empty
    assert result.assignments["is_outlier"].tolist() == [True]
    # All-missing, yet a string column: DuckDB then types it VARCHAR, not NULL.
    assert pd.api.types.is_string_dtype(result.assignments["theme_id"])


def test_duplicate_texts_form_one_theme(model):
    from insights.themes.embed import embed_texts

    texts = ["CSV export times out on big reports"] * 6 + ["Okta SSO login fails"] * 2
    feedback = pd.DataFrame({"feedback_id": [f"canny:{i}" for i in range(8)], "text": texts})
    result = build_themes(feedback, embed_texts(texts, model))
    assert len(result.themes) == 1
    assert result.themes.loc[0, "size"] == 6
    assert result.themes.loc[0, "representative_quote"] == texts[0]
    assert result.assignments["is_outlier"].tolist() == [False] * 6 + [True] * 2


def test_inputs_that_do_not_line_up_are_refused(corpus):
    feedback, embeddings = _feedback(corpus)
    with pytest.raises(ValueError, match="embeddings"):
        build_themes(feedback, embeddings[:-1])
    with pytest.raises(ValueError, match="unique"):
        build_themes(pd.concat([feedback, feedback.head(1)]), np.vstack([embeddings, embeddings[:1]]))


def test_labels_chosen_with_the_model_still_name_the_topics(corpus, model):
    from insights.themes.embed import embed_texts

    feedback, embeddings = _feedback(corpus)
    result = build_themes(feedback, embeddings, embed=lambda texts: embed_texts(texts, model))
    labels = " ".join(result.themes["label"]).lower()
    for word in ("csv", "sso", "invoice", "crash"):
        assert word in labels, labels
