"""Intent per item: the seed classifier on clear texts it never saw, a team's examples, bad files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.signals.intent import (
    INTENTS,
    ExamplesError,
    IntentClassifier,
    combine_examples,
    load_examples,
    seed_examples,
)
from insights.themes.embed import embed_texts

# Written for this test, not taken from the seed: each says plainly what it is for.
CLEAR = {
    "bug": [
        "The app closes by itself whenever I try to upload a receipt.",
        "since the update my reports show zero for every day",
        "Clicking save gives me an error and nothing is stored.",
    ],
    "feature_request": [
        "Please add a way to export my reports to Google Sheets.",
        "It would be great to have a calendar view for tasks.",
        "would love support for multiple languages in the editor",
    ],
    "question": [
        "How do I change which email address the invoices go to?",
        "Is there a way to see who edited a document last?",
        "where can i download my data",
    ],
    "praise": [
        "Fantastic app, it has made our team so much more organised!",
        "Thank you, the support team was wonderful.",
        "love this so much, best tool we use",
    ],
    "other": [
        "We are a team of eight accountants in Leeds.",
        "Out of the office until the 14th.",
        "n/a",
    ],
}


def _predict(classifier, model, texts):
    return classifier.predict(embed_texts(texts, model), texts)


def test_seed_has_every_intent_in_numbers():
    counts = seed_examples()["intent"].value_counts()
    assert set(counts.index) == set(INTENTS)
    # `other` is the catch-all that real feedback streams are mostly made of (usage notes, advice,
    # context), so it may hold more than the rest; no intent may be drowned out by it.
    assert counts.min() >= 50 and counts.max() <= 2.5 * counts.min()


def test_classifier_separates_clear_examples_of_each_intent(seed_classifier, model):
    texts = [t for group in CLEAR.values() for t in group]
    truth = [intent for intent, group in CLEAR.items() for _ in group]
    labels, confidence = _predict(seed_classifier, model, texts)
    wrong = [(t, want, got) for t, want, got in zip(texts, truth, labels) if want != got]
    # 15 texts; one slip is tolerated, more means the seed or the features broke.
    assert len(wrong) <= 1, wrong
    assert np.all((confidence >= 1 / len(INTENTS)) & (confidence <= 1))
    assert set(labels) == set(INTENTS)


def test_praise_with_a_fault_is_a_bug(seed_classifier, model):
    labels, _ = _predict(seed_classifier, model, ["love the app but the export crashes every time"])
    assert labels[0] == "bug"


def test_empty_input_gives_empty_output(seed_classifier):
    labels, confidence = seed_classifier.predict(np.zeros((0, 384), dtype=np.float32), [])
    assert len(labels) == 0 and len(confidence) == 0


def test_team_examples_extend_the_seed(model, seed_classifier):
    # This team files pricing complaints as feature requests (a cheaper plan); the seed does not.
    probe = ["Your pricing is way too high for a team of our size."]
    before, _ = _predict(seed_classifier, model, probe)
    extra = pd.DataFrame(
        {
            "text": [
                "The price is too high for small companies.",
                "Way too expensive for what we get.",
                "We can't afford the per-seat pricing anymore.",
                "Your plans cost too much for a startup.",
                "Pricing went up and it's now too expensive for us.",
            ],
            "intent": ["feature_request"] * 5,
        }
    )
    extended = IntentClassifier.fit_seed(model, extra)
    after, _ = _predict(extended, model, probe)
    assert before[0] != "feature_request" and after[0] == "feature_request"
    assert extended.n_examples_ == seed_classifier.n_examples_ + 5


def test_team_examples_override_a_seed_text_with_the_same_words():
    seed = pd.DataFrame(
        {"text": ["Offline mode would make this perfect.", "ok"], "intent": ["feature_request", "other"]}
    )
    extra = pd.DataFrame({"text": ["  offline MODE would make this perfect. "], "intent": ["praise"]})
    combined = combine_examples(seed, extra)
    assert len(combined) == 2
    assert combined.loc[combined["text"].str.contains("MODE"), "intent"].tolist() == ["praise"]


def test_loading_examples_normalises_intent_names(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("text,intent\nthe sync is broken, Bug \nadd a gantt chart,FEATURE_REQUEST\n", encoding="utf-8")
    assert load_examples(path)["intent"].tolist() == ["bug", "feature_request"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("text,intent\nfine,other\ncrashes on start,defect\n", r"mine\.csv, row 3: unknown intent 'defect'"),
        ("text,label\nfine,other\n", r"mine\.csv: no column intent"),
        ("text,intent\n,bug\n", r"mine\.csv, row 2: empty text"),
    ],
)
def test_a_bad_examples_file_names_the_file_and_row(tmp_path, content, message):
    path = tmp_path / "mine.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExamplesError, match=message):
        load_examples(path)


def test_a_missing_examples_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no intent examples file"):
        load_examples(tmp_path / "absent.csv")


def test_vectors_alone_are_enough_to_predict(seed_classifier, model):
    # Callers that kept only the embeddings get the embedding-only head, not an error.
    texts = [t for group in CLEAR.values() for t in group]
    truth = [intent for intent, group in CLEAR.items() for _ in group]
    labels, confidence = seed_classifier.predict(embed_texts(texts, model))
    assert sum(a == b for a, b in zip(labels, truth)) >= len(texts) - 3
    assert np.all((confidence > 0) & (confidence <= 1))
