"""The nightly signals step: one row per item, in order; the team's examples extend the seed."""

import pandas as pd
import pytest

from insights.signals.intent import ExamplesError
from insights.signals.nightly import SIGNAL_COLUMNS, build_feedback_signals, team_examples
from insights.themes.embed import embed_texts

ITEMS = pd.DataFrame(
    {
        "feedback_id": ["f3", "f1", "f2", "f4"],
        "text": [
            "The export button crashes the app every time",
            "Please add a dark mode to the dashboard",
            "How do I invite a teammate to my workspace?",
            "Love it, thank you so much!",
        ],
        "sentiment_score": [-1.0, None, None, 1.0],
    }
)


def test_every_item_gets_an_intent_and_a_sentiment_in_its_own_row(model):
    vectors = embed_texts(ITEMS["text"].tolist(), model)
    signals, sentiment, _ = build_feedback_signals(ITEMS, vectors, model)
    assert list(signals.columns) == list(SIGNAL_COLUMNS)
    assert signals["feedback_id"].tolist() == ITEMS["feedback_id"].tolist()
    assert signals["intent"].tolist() == ["bug", "feature_request", "question", "praise"]
    assert signals["intent_confidence"].between(0.2, 1).all()
    assert signals["text_sentiment"].between(-1, 1).all()
    # Two rated items are far too few to train a head on: the lexicon scores them all.
    assert sentiment.method == "vader" and sentiment.n_rated == 2
    assert signals.loc[0, "text_sentiment"] <= 0 < signals.loc[3, "text_sentiment"]


def test_team_examples_from_several_files_later_file_wins(tmp_path):
    (tmp_path / "a.csv").write_text("text,intent\nexport is slow,bug\nadd sso,feature_request\n")
    (tmp_path / "b.csv").write_text("text,intent\nExport is slow,feature_request\n")
    examples = team_examples(tmp_path.glob("*.csv"))
    assert dict(zip(examples["text"].str.lower(), examples["intent"])) == {
        "export is slow": "feature_request",
        "add sso": "feature_request",
    }
    assert team_examples([]) is None


def test_a_bad_examples_file_names_the_file(tmp_path):
    bad = tmp_path / "mine.csv"
    bad.write_text("text,intent\nexport is slow,complaint\n")
    with pytest.raises(ExamplesError, match="mine.csv"):
        team_examples([bad])
