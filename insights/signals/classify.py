"""Intent and sentiment for every row of a table of texts: the step behind `insights classify`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from insights.signals.intent import IntentClassifier
from insights.signals.sentiment import fit_sentiment, rating_to_unit
from insights.themes.embed import embed_texts

RATING_SCALES = {"stars": (1.0, 5.0), "nps": (0.0, 10.0)}
OUTPUT_COLUMNS = ("intent", "intent_confidence", "sentiment", "sentiment_method")


def classify_texts(
    texts: list[str],
    model,
    extra_examples: pd.DataFrame | None = None,
    ratings=None,
    rating_scale: str = "stars",
) -> pd.DataFrame:
    """One row per text, in order: intent, intent_confidence, sentiment, sentiment_method.

    `ratings` (optional, one per text, NaN where missing) trains the sentiment head on the
    texts that carry one; without them, or with too few, sentiment is VADER's.
    """
    vectors = embed_texts(texts, model)
    intents, confidence = IntentClassifier.fit_seed(model, extra_examples).predict(vectors, texts)
    if ratings is None:
        mapped = np.full(len(texts), np.nan)
    else:
        low, high = RATING_SCALES[rating_scale]
        mapped = rating_to_unit(pd.to_numeric(pd.Series(ratings), errors="coerce").to_numpy(float), low, high)
    sentiment = fit_sentiment(vectors, texts, mapped)
    return pd.DataFrame(
        {
            "intent": intents,
            "intent_confidence": np.round(confidence, 4),
            "sentiment": np.round(sentiment.predict(vectors, texts), 4),
            "sentiment_method": sentiment.method,
        }
    )


def write_table_atomic(frame: pd.DataFrame, path: str | os.PathLike, fmt: str = "csv") -> None:
    """Write `frame` as CSV or JSON lines so a reader sees the old file or the whole new one."""
    path = Path(path)
    handle, staged = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(format_table(frame, fmt))
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise


def format_table(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        return text if text.endswith("\n") or not text else text + "\n"
    return frame.to_csv(index=False)
