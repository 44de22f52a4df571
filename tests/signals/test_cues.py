"""The word cues beside the embedding: each fires on the speech act it names, and only there."""

from __future__ import annotations

import numpy as np

from insights.signals.cues import CUE_NAMES, text_cues


def _fired(text: str) -> set[str]:
    row = text_cues([text], weight=1.0)[0]
    return {name for name, value in zip(CUE_NAMES[:-1], row[:-1]) if value > 0}


def test_each_cue_fires_on_its_own_kind_of_text():
    assert _fired("How do I reset my password?") == {"question_mark", "asks_how"}
    assert _fired("please add an export to excel") == {"requests"}
    assert _fired("The app crashes when I log in") == {"reports_fault"}
    assert _fired("Love it, great work") == {"praises"}
    assert _fired("We are a team of five in Porto") == set()


def test_negated_praise_is_not_praise():
    assert "praises" not in _fired("Not happy with the latest release")
    assert "praises" not in _fired("I wouldn't recommend it")


def test_length_grows_with_words_and_is_capped():
    lengths = text_cues(["ok", "a b c d e f g h", " ".join(["word"] * 10_000), ""], weight=1.0)[:, -1]
    assert lengths[0] < lengths[1] <= lengths[2] == 1.5 and lengths[3] == 0
    assert np.all(text_cues(["ok"], weight=0.5) == 0.5 * text_cues(["ok"], weight=1.0))
