"""The signals step of a night: intent and sentiment of every feedback item, read from its words.

One front door, `build_feedback_signals`: tonight's items (with the rating-derived sentiment of
those that carry a star rating, NPS or CSAT score), their embeddings and the model in, one row
per item out. The sentiment head is trained afresh each night on the items that do carry a
rating, so it follows the user's own data; below `MIN_RATED` of them it is VADER's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from insights.signals.intent import IntentClassifier, combine_examples, load_examples
from insights.signals.sentiment import SentimentModel, fit_sentiment

SIGNAL_COLUMNS = ("feedback_id", "intent", "intent_confidence", "text_sentiment", "sentiment_method", "text_truncated")


def team_examples(paths: Iterable[Path]) -> pd.DataFrame | None:
    """The team's own labelled examples (CSV files of `text,intent`), all files together."""
    frames = [load_examples(path) for path in sorted(paths)]
    if not frames:
        return None
    # A later file relabelling an earlier file's text wins, as the team's examples win over the seed.
    examples = frames[0]
    for frame in frames[1:]:
        examples = combine_examples(examples, frame)
    return examples


def build_feedback_signals(
    items: pd.DataFrame, vectors: np.ndarray, model, extra_examples: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, SentimentModel, IntentClassifier]:
    """`items` has feedback_id, text and sentiment_score (in [-1, 1] from a rating, else null),
    row-aligned with `vectors`. Returns the signals table, and the fitted models for reporting."""
    texts = items["text"].fillna("").astype(str).tolist()
    classifier = IntentClassifier.fit_seed(model, extra_examples)
    intents, confidence = classifier.predict(vectors, texts)
    rated = pd.to_numeric(items["sentiment_score"], errors="coerce").to_numpy(dtype=float)
    sentiment = fit_sentiment(vectors, texts, rated)
    frame = pd.DataFrame(
        {
            "feedback_id": items["feedback_id"].astype(str).to_numpy(),
            "intent": pd.Series(intents, dtype="str"),
            "intent_confidence": np.round(confidence.astype("float64"), 4),
            "text_sentiment": np.round(sentiment.predict(vectors, texts).astype("float64"), 4),
            "sentiment_method": sentiment.method,
            # Read from the first limits.MAX_EMBED_CHARS characters only (texts.read_feedback_texts).
            "text_truncated": (
                items["text_truncated"].astype(bool).to_numpy()
                if "text_truncated" in items
                else np.zeros(len(items), dtype=bool)
            ),
        },
        columns=SIGNAL_COLUMNS,
    )
    return frame, sentiment, classifier
