"""A theme split on request: cut on the first night, kept cut on the nights after.

Unit vectors drawn around five centres, two of which (a1, a2) lean on a shared direction so
the clusterer reads them as one theme; a person asks to split it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.themes import PreviousThemes, ThemeSettings, build_nightly_themes
from insights.themes.split import SplitRequests

DIM = 24
_BASIS = np.eye(DIM)
CENTRES = {
    "a1": _BASIS[0] + 0.55 * _BASIS[1],
    "a2": _BASIS[0] + 0.55 * _BASIS[2],
    "b": _BASIS[3],
    "c": _BASIS[4],
    "d": _BASIS[5],
}
WORDS = {
    "a1": "csv export times out",
    "a2": "pdf export comes out blank",
    "b": "sso login loops",
    "c": "dark mode please",
    "d": "slack alerts missing",
}


def _corpus(per_group: int, first: int = 0, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows, vectors = [], []
    for group, centre in CENTRES.items():
        for i in range(first, first + per_group):
            v = centre / np.linalg.norm(centre) + rng.normal(0, 0.12, DIM)
            vectors.append(v / np.linalg.norm(v))
            rows.append({"feedback_id": f"{group}:{i}", "text": f"{WORDS[group]} number {i}", "group": group})
    return pd.DataFrame(rows), np.asarray(vectors, dtype=np.float32)


def _previous(night) -> PreviousThemes:
    return PreviousThemes(night.themes["theme_id"].to_numpy(dtype=object), night.centroids, night.areas)


def _themes_of(night, items: pd.DataFrame) -> pd.Series:
    """The theme holding most of each planted group's items."""
    joined = night.assignments.assign(group=items["group"].to_numpy())
    return joined.groupby("group")["theme_id"].agg(lambda s: s.value_counts().index[0])


@pytest.fixture(scope="module")
def nights():
    items, vectors = _corpus(30)
    first = build_nightly_themes(None, items[["feedback_id", "text"]], vectors)
    whole = _themes_of(first, items)
    requested = frozenset({whole["a1"]})
    second = build_nightly_themes(
        _previous(first), items[["feedback_id", "text"]], vectors, splits=SplitRequests(requested)
    )
    parents = {r.theme_id: r.split_from for r in second.history.itertuples() if r.status == "split"}
    more, more_vectors = _corpus(5, first=100, seed=1)
    later, later_vectors = pd.concat([items, more], ignore_index=True), np.vstack([vectors, more_vectors])
    args = (_previous(second), later[["feedback_id", "text"]], later_vectors)
    third = build_nightly_themes(*args, splits=SplitRequests(requested, parents))
    withdrawn = build_nightly_themes(*args)
    return {
        "items": items,
        "later": later,
        "first": first,
        "second": second,
        "third": third,
        "withdrawn": withdrawn,
        "whole": whole,
    }


def test_the_two_complaints_start_as_one_theme(nights):
    assert nights["whole"]["a1"] == nights["whole"]["a2"]
    assert nights["whole"].nunique() == 4


def test_the_first_night_cuts_it_into_new_ids_recorded_as_split_from_it(nights):
    whole, second = nights["whole"]["a1"], nights["second"]
    parts = _themes_of(second, nights["items"])
    assert parts["a1"] != parts["a2"]
    assert whole not in set(second.themes["theme_id"])
    history = second.history.set_index("theme_id")
    assert history.loc[parts["a1"], "status"] == history.loc[parts["a2"], "status"] == "split"
    assert history.loc[parts["a1"], "split_from"] == history.loc[parts["a2"], "split_from"] == whole
    assert history.loc[whole, "status"] == "retired"
    # The other themes are untouched: same IDs, continued.
    for group in ("b", "c", "d"):
        assert parts[group] == nights["whole"][group]
        assert history.loc[parts[group], "status"] == "continued"
    # Each part is one complaint, and has a label of its own.
    joined = second.assignments.assign(group=nights["items"]["group"].to_numpy())
    for group in ("a1", "a2"):
        assert (joined[joined["theme_id"] == parts[group]]["group"] == group).mean() >= 0.9
    assert second.themes["label"].is_unique


def test_later_nights_keep_it_cut_under_the_parts_ids_while_the_request_stands(nights):
    parts, third = _themes_of(nights["second"], nights["items"]), nights["third"]
    assert (_themes_of(third, nights["later"]) == parts).all()
    history = third.history.set_index("theme_id")
    assert set(history["status"]) == {"continued"}


def test_without_the_request_the_theme_grows_back_whole(nights):
    withdrawn = _themes_of(nights["withdrawn"], nights["later"])
    assert withdrawn["a1"] == withdrawn["a2"]
    assert "merged" in set(nights["withdrawn"].history["status"])


def test_a_theme_too_small_to_cut_keeps_its_id():
    items, vectors = _corpus(30)
    # Three items of each complaint: six cannot make two themes of at least four.
    keep = ~items["group"].isin(["a1", "a2"]) | (items["feedback_id"].str.split(":").str[1].astype(int) < 3)
    items, vectors = items[keep.to_numpy()].reset_index(drop=True), vectors[keep.to_numpy()]
    settings = ThemeSettings(min_theme_size=4)
    first = build_nightly_themes(None, items[["feedback_id", "text"]], vectors, settings)
    whole = _themes_of(first, items)["a1"]
    assert whole == _themes_of(first, items)["a2"]
    again = build_nightly_themes(
        _previous(first), items[["feedback_id", "text"]], vectors, settings, splits=SplitRequests(frozenset({whole}))
    )
    assert again.history.set_index("theme_id").loc[whole, "status"] == "continued"


def test_family_follows_splits_of_splits():
    requests = SplitRequests(frozenset({"a"}), {"b": "a", "c": "a", "d": "b", "x": "y"})
    assert requests.family("a") == {"a", "b", "c", "d"}
