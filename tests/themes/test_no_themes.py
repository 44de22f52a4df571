"""A night with no theme says why: too few items, or no texts alike enough (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insights.themes import build_nightly_themes, build_themes
from insights.themes.cluster import ThemeClusterer, why_no_themes
from insights.themes.embed import embed_texts
from insights.themes.runs import summarise_run
from insights.themes.tables import PreviousThemes

# Twenty customers, twenty different things: no two are about the same part of the product.
UNRELATED = [
    "The invoice PDF shows the wrong VAT number",
    "Dark mode would be easier on the eyes at night",
    "Your onboarding video is really well made",
    "Can we get a Zapier integration",
    "The calendar widget starts weeks on Sunday, we need Monday",
    "Password reset emails take an hour to arrive",
    "Please add Portuguese to the languages",
    "Search does not find documents by their author",
    "I was charged twice for the annual plan",
    "The API rate limit of 10 requests per minute is too low",
    "Drag and drop of images into comments would help",
    "Keyboard shortcuts for archiving would save me time",
    "The map view loads a blank grey tile",
    "Great support from Maria last week, thank you",
    "Audit log should record who deleted a project",
    "Printing a board cuts off the last column",
    "Two-factor codes by SMS do not reach Brazil",
    "The font on the pricing page is hard to read",
    "Let me pin a favourite dashboard to the top",
    "Emoji reactions on tasks would be fun",
]


def _items(texts):
    return pd.DataFrame({"feedback_id": [f"canny:{i}" for i in range(len(texts))], "text": texts})


def test_two_items_are_too_few_for_a_theme(model):
    texts = UNRELATED[:1] + ["The invoice PDF has the wrong VAT number on it"]
    result = build_themes(_items(texts), embed_texts(texts, model))
    assert result.themes.empty and result.assignments["is_outlier"].all()
    assert result.min_theme_size == 3
    assert result.why_no_themes.startswith("only 2 feedback items: a theme needs at least 3")


def test_twenty_unrelated_items_make_no_theme_and_say_so(model):
    tonight = build_nightly_themes(None, _items(UNRELATED), embed_texts(UNRELATED, model))
    assert tonight.themes.empty
    run = summarise_run(tonight, None)
    assert (run.feedback_items, run.themes, run.outliers, run.outlier_share) == (20, 0, 20, 1.0)
    assert run.why_no_themes.startswith("20 feedback items, but no 3 of them (min_theme_size) are alike enough")


def test_no_items_no_themes():
    result = build_themes(_items([]), np.zeros((0, 8), dtype=np.float32))
    assert result.why_no_themes == "no feedback items to group into themes"


def test_themes_found_carry_no_reason(corpus):
    feedback = pd.DataFrame({"feedback_id": [f"s:{i}" for i in range(len(corpus.texts))], "text": corpus.texts})
    tonight = build_nightly_themes(None, feedback, corpus.embeddings)
    run = summarise_run(tonight, None)
    assert run.themes > 0 and run.why_no_themes is None
    assert run.new == run.themes and run.continued == run.split == run.merged == run.retired == 0
    # Tomorrow, on the same items: every theme continues and was compared with as many.
    again = build_nightly_themes(_previous(tonight), feedback, corpus.embeddings)
    tomorrow = summarise_run(again, _previous(tonight))
    assert (tomorrow.themes_before, tomorrow.continued, tomorrow.new) == (run.themes, run.themes, 0)


def test_groups_that_shrink_below_the_bar_are_told_apart_from_texts_never_alike():
    # Fitted on points: two tight pairs and a loose trio far apart, with a bar of 3.
    rng = np.random.default_rng(0)
    base = np.eye(6)[[0, 0, 1, 1, 2, 2]] + rng.normal(0, 0.01, (6, 6))
    fitted = ThemeClusterer(min_theme_size=3).fit(base)
    assert fitted.n_themes_ == 0 and fitted.largest_group_ < 3
    assert "the largest such group had 2" in why_no_themes(6, 3, 0.3, fitted.largest_group_)
    assert "were dissolved" in why_no_themes(30, 5, 0.3, 6)


def _previous(tonight):
    return PreviousThemes(tonight.themes["theme_id"].to_numpy(dtype=object), tonight.centroids, tonight.areas)
