"""The sample company's planted intents: one per feedback item, every intent present."""

from __future__ import annotations

import csv

from insights.sample.generator import generate
from insights.signals.intent import INTENTS


def _rows(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_feedback_item_has_a_planted_intent_and_sentiment(tmp_path):
    generate(tmp_path, seed=7, scale=0.1)
    themes = _rows(tmp_path / "answers/feedback_themes.csv")
    intents = _rows(tmp_path / "answers/feedback_intents.csv")
    key = lambda r: (r["source"], r["source_record_id"])  # noqa: E731
    assert [key(r) for r in intents] == [key(r) for r in themes]
    assert {r["intent"] for r in intents} == set(INTENTS)
    assert all(-1 <= float(r["planted_sentiment"]) <= 1 for r in intents)
    by_key = {key(r): r for r in intents}
    # Feature-board posts carry an ask; a bug-mood theme's tickets report a fault.
    assert all(
        by_key[key(r)]["intent"] in ("feature_request", "other", "praise", "question")
        for r in themes
        if r["source"] == "canny"
    )
    assert any(by_key[key(r)]["intent"] == "bug" for r in themes if r["theme"] == "mobile_crash_on_launch")
