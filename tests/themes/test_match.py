import duckdb
import numpy as np
import pandas as pd
import pytest

from insights.themes import build_themes
from insights.themes.embed import embed_texts
from insights.themes.lifecycle import carry_over
from insights.themes.match import ThemeMatcher, match_themes
from insights.themes.store import read_previous, write_run
from insights.themes.tables import PreviousThemes

# About 10% more feedback, every item about a topic the corpus already has.
MORE_OF_THE_SAME = [
    "CSV export of our quarterly report times out again",
    "Okta SSO login broken this morning, SAML error",
    "We got a double charge on the invoice for March",
    "The Android app crashes when I open a dashboard",
    "Exporting the big sales report to CSV fails every time",
]

# A topic nobody raised in the first run.
DARK_MODE = [
    "Please add a dark mode, the white screen hurts my eyes at night",
    "Dark theme for the dashboard would be great",
    "Any plans for a dark mode? Working late is painful",
    "We would love a night mode / dark colour scheme",
    "Dark mode please, everyone on the team keeps asking for it",
    "Can you support a dark UI theme like other apps do",
]


def _run(texts, model):
    feedback = pd.DataFrame({"feedback_id": [f"surveys:{t}" for t in texts], "text": texts})
    return build_themes(feedback, embed_texts(texts, model))


def _previous(result):
    return PreviousThemes(result.themes["theme_id"].to_numpy(dtype=object), result.centroids)


@pytest.fixture(scope="module")
def first(corpus, model):
    return match_themes(_run(corpus.texts, model), None)[0]


def test_first_run_keeps_member_hash_ids_and_calls_every_theme_new(corpus, model):
    raw = _run(corpus.texts, model)
    matched, history = match_themes(raw, None)
    assert list(matched.themes["theme_id"]) == list(raw.themes["theme_id"])
    assert set(history["status"]) == {"new"}


def test_rerun_on_the_same_data_gives_the_same_ids_and_labels(first, corpus, model):
    again, history = match_themes(_run(corpus.texts, model), _previous(first))
    pd.testing.assert_frame_equal(again.themes, first.themes)
    pd.testing.assert_frame_equal(again.assignments, first.assignments)
    assert set(history["status"]) == {"continued"}


def test_ten_percent_more_feedback_keeps_the_ids(first, corpus, model):
    grown = _run(corpus.texts + MORE_OF_THE_SAME, model)
    # Members changed, so the fresh hash IDs differ: without matching, every ID would change.
    assert not set(grown.themes["theme_id"]) & set(first.themes["theme_id"])
    matched, history = match_themes(grown, _previous(first))
    kept = set(matched.themes["theme_id"]) & set(first.themes["theme_id"])
    assert len(kept) >= 0.9 * len(first.themes)
    assert (history.loc[history["theme_id"].isin(kept), "status"] == "continued").all()
    # Each new text sits in the theme its topic had before.
    by_id = matched.assignments.set_index("feedback_id")["theme_id"]
    before = first.assignments.set_index("feedback_id")["theme_id"]
    assert (by_id.reindex(before.index).fillna("-") == before.fillna("-")).mean() >= 0.95


def test_a_topic_only_in_the_new_data_is_a_new_theme(first, corpus, model):
    matched, history = match_themes(_run(corpus.texts + DARK_MODE, model), _previous(first))
    dark = matched.assignments.loc[
        matched.assignments["feedback_id"].isin([f"surveys:{t}" for t in DARK_MODE]), "theme_id"
    ]
    dark_id = dark.mode().iloc[0]
    assert dark_id not in set(first.themes["theme_id"])
    assert history.set_index("theme_id").loc[dark_id, "status"] == "new"
    assert set(first.themes["theme_id"]) <= set(matched.themes["theme_id"])


def _unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


# Three orthogonal directions plus one that leans towards the first: cos(a, a2) = 0.6.
A, B, C = np.eye(4, dtype=np.float32)[:3]
A2 = _unit(0.6 * A + 0.8 * np.eye(4, dtype=np.float32)[3])


def test_two_themes_the_data_merges_are_recorded_as_merged():
    matcher = ThemeMatcher().fit(
        centroids=_unit([A + 0.8 * A2, C]),
        candidate_ids=["thm_ab", "thm_c2"],
        previous_centroids=np.stack([A, A2, C]),
        previous_ids=["thm_a", "thm_a2", "thm_c"],
    )
    history = matcher.history_.set_index("theme_id")
    # The merged theme keeps the ID of the part it is closer to; the other is merged into it.
    assert list(matcher.theme_ids_) == ["thm_a", "thm_c"]
    assert history.loc["thm_a", "status"] == "continued"
    assert history.loc["thm_a2", "status"] == "merged"
    assert history.loc["thm_a2", "merged_into"] == "thm_a"
    assert history.loc["thm_c", "status"] == "continued"


def test_a_split_theme_keeps_its_id_on_one_part_and_the_other_records_where_it_came_from():
    matcher = ThemeMatcher().fit(
        centroids=np.stack([A, A2, B]),
        candidate_ids=["thm_x", "thm_y", "thm_z"],
        previous_centroids=_unit([A + 0.4 * A2, C]),
        previous_ids=["thm_a", "thm_c"],
    )
    history = matcher.history_.set_index("theme_id")
    assert list(matcher.theme_ids_) == ["thm_a", "thm_y", "thm_z"]
    assert history.loc["thm_y", "status"] == "split" and history.loc["thm_y", "split_from"] == "thm_a"
    assert history.loc["thm_z", "status"] == "new"
    assert history.loc["thm_c", "status"] == "retired"


def test_assignment_is_one_to_one_even_when_two_themes_resemble_one():
    # Both new themes are close to thm_a; only the closer may inherit it.
    near, nearer = _unit(A + 0.3 * B), _unit(A + 0.1 * B)
    matcher = ThemeMatcher(lineage_threshold=0.99).fit(
        np.stack([near, nearer]), ["thm_1", "thm_2"], A[None, :], ["thm_a"]
    )
    assert list(matcher.theme_ids_) == ["thm_1", "thm_a"]


def test_a_fresh_id_equal_to_an_inherited_one_is_made_unique():
    matcher = ThemeMatcher().fit(np.stack([A, B]), ["thm_q", "thm_a"], A[None, :], ["thm_a"])
    assert matcher.theme_ids_[0] == "thm_a"
    assert matcher.theme_ids_[1] != "thm_a"


def test_warehouse_round_trip_keeps_ids_and_appends_history(first, corpus, model, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert read_previous(con) is None
    for run in ("run-1", "run-2", "run-2"):
        tonight = carry_over(_run(corpus.texts, model), read_previous(con, "model-a"))
        write_run(con, tonight, model_name="model-a", run_id=run, run_at=pd.Timestamp("2024-07-01"))
    ids = {t for (t,) in con.execute("select theme_id from themes.themes").fetchall()}
    assert ids == set(first.themes["theme_id"])
    log = con.execute("select run_id, status, count(*) from themes.theme_history group by all order by all").fetchall()
    # run-2 was written twice and still has one row per theme.
    assert log == [("run-1", "new", len(ids)), ("run-2", "continued", len(ids))]
    assert con.execute("select count(*) from themes.theme_centroids where len(centroid) = 384").fetchone()[0] == len(
        ids
    )
    assert con.execute("select count(distinct theme_id) from themes.theme_areas").fetchone()[0] == len(ids)


def test_centroids_of_another_model_are_not_matched(first, corpus, model, tmp_path):
    # Same dimension, different model: the vectors are not comparable, so nothing may continue.
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    write_run(
        con,
        carry_over(_run(corpus.texts, model), None),
        model_name="model-a",
        run_id="r1",
        run_at=pd.Timestamp("2024-07-01"),
    )
    assert len(read_previous(con, "model-a").theme_ids) == len(first.themes)
    other = read_previous(con, "model-b")
    assert len(other.theme_ids) == 0 and other.areas is not None
    assert set(carry_over(_run(corpus.texts, model), other).history["status"]) == {"new"}
