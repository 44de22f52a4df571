"""Areas without a catalog: themes grouped by centroid, named the way themes are."""

import numpy as np
import pandas as pd

from insights.themes.area import AreaGrouper
from insights.themes.embed import embed_texts, normalize_rows
from insights.themes.phrases import reads_as_phrase

THEMES = pd.DataFrame(
    {
        "theme_id": ["t1", "t2", "t3", "t4"],
        "label": [
            "Can't log in with SSO",
            "Password reset email never arrives",
            "Invoice shows the wrong amount",
            "Charged twice this month",
        ],
        "representative_quote": [
            "Hi team, single sign-on through Okta fails for everyone.",
            "The password reset email never arrives in my inbox.",
            "Our invoice shows the wrong amount for seats.",
            "We were charged twice this month on our card.",
        ],
        "size": [40, 30, 25, 20],
    }
)


def _grouped(model, embed):
    centroids = normalize_rows(embed_texts(THEMES["label"].tolist(), model))
    grouper = AreaGrouper(min_areas=2, max_areas=2, embed=embed)
    return grouper.fit(THEMES, centroids).areas_


def test_areas_group_related_themes_and_are_named_by_a_phrase(model):
    areas = _grouped(model, lambda texts: embed_texts(texts, model))
    by_theme = areas.set_index("theme_id")
    assert by_theme.loc["t1", "area_id"] == by_theme.loc["t2", "area_id"]
    assert by_theme.loc["t3", "area_id"] == by_theme.loc["t4", "area_id"]
    assert by_theme.loc["t1", "area_id"] != by_theme.loc["t3", "area_id"]
    names = areas.drop_duplicates("area_id")["area_label"].tolist()
    assert len(set(names)) == 2
    assert all(reads_as_phrase(name) and " / " not in name for name in names), names


def test_without_the_model_an_area_takes_its_most_central_theme_label(model):
    areas = _grouped(model, None)
    names = set(areas["area_label"])
    assert names <= set(THEMES["label"]) and len(names) == 2
    assert np.all(areas["area_label"].str.len() > 0)
