import io

import duckdb
import numpy as np
import pandas as pd
import pytest

from insights.sample.bank.features import catalog_csv
from insights.themes.embed import embed_texts, normalize_rows
from insights.themes.links import feature_texts, roadmap_texts, top_matches
from insights.themes.store import write_matches

CATALOG = pd.read_csv(io.StringIO(catalog_csv()))


def test_top_matches_keeps_the_closest_targets_in_order_and_breaks_ties_by_position():
    centroids = normalize_rows(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    targets = normalize_rows(np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-1.0, 0.0]], dtype=np.float32))
    matches = top_matches(["thm_x", "thm_y"], centroids, ["t0", "t1", "t2", "t3"], targets, top_k=3)
    x = matches[matches["theme_id"] == "thm_x"]
    assert x["target_key"].tolist() == ["t1", "t0", "t2"]
    assert x["match_rank"].tolist() == [1, 2, 3]
    assert x["similarity"].iloc[0] == pytest.approx(1.0)
    # t0 and t2 are the same vector: the earlier one ranks first, on every run.
    y = matches[matches["theme_id"] == "thm_y"]
    assert y["target_key"].tolist() == ["t0", "t2", "t1"]


def test_top_matches_of_nothing_is_an_empty_table_with_the_columns():
    empty = top_matches([], np.zeros((0, 2), dtype=np.float32), ["t0"], np.ones((1, 2), dtype=np.float32))
    assert empty.empty and list(empty.columns) == ["theme_id", "target_key", "similarity", "match_rank"]


def test_texts_read_like_the_catalog_and_the_roadmap():
    assert feature_texts(CATALOG.head(1))[0].startswith(f"{CATALOG['name'][0]}: ")
    items = pd.DataFrame({"summary": ["Dark theme", "Audit log"], "labels": ["ui design", None]})
    assert roadmap_texts(items) == ["Dark theme (ui design)", "Audit log"]


@pytest.mark.parametrize(
    ("complaints", "feature", "linked"),
    [
        (
            ["Exporting a large report to CSV fails every time.", "The CSV download times out on big tables."],
            "csv_export",
            True,
        ),
        (
            ["SAML single sign-on through Okta keeps failing.", "Our SSO login loops back to the sign-in page."],
            "sso_login",
            True,
        ),
        # Crash reports say little of what the app is for: the right feature comes first, but
        # below the link threshold, so a person confirms it with an override.
        (["The iPhone app crashes as soon as I open it.", "Android app closes on launch."], "mobile_app", False),
    ],
)
def test_a_theme_links_to_the_feature_its_customers_write_about(model, complaints, feature, linked):
    # The real model and the shipped catalog: the theme's centroid is the mean of its texts.
    centroid = normalize_rows(embed_texts(complaints, model).mean(axis=0, keepdims=True))
    catalog = embed_texts(feature_texts(CATALOG), model)
    best = top_matches(["thm_t"], centroid, CATALOG["feature"].tolist(), catalog).iloc[0]
    assert best["target_key"] == feature
    assert bool(best["similarity"] >= 0.5) is linked  # var feature_link_min_similarity


def test_write_matches_replaces_the_table_under_the_given_key_column():
    con = duckdb.connect()
    first = pd.DataFrame({"theme_id": ["thm_a"], "target_key": ["ROAD-1"], "similarity": [0.7], "match_rank": [1]})
    write_matches(con, "theme_roadmap_matches", first, "issue_key")
    write_matches(con, "theme_roadmap_matches", first.assign(target_key="ROAD-2"), "issue_key")
    assert con.execute(
        "select theme_id, issue_key, similarity, match_rank from themes.theme_roadmap_matches"
    ).fetchall() == [("thm_a", "ROAD-2", 0.7, 1)]
