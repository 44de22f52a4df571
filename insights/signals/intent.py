"""What each feedback item is for: a bug or problem, a feature request, a question, praise, or other.

A logistic regression on the bundled sentence embeddings plus a few word cues (`cues.py`),
trained on a seed set written for this project (`seeds/intent_examples.csv`, about 60 short
texts per intent from tickets, app reviews, NPS comments and feature boards) and, optionally,
on a team's own examples, which extend the seed and win where they label the same text.
"""

from __future__ import annotations

import contextlib
import csv
import weakref
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from insights.signals.cues import CUE_WEIGHT, text_cues
from insights.themes.embed import embed_texts

INTENTS = ("bug", "feature_request", "question", "praise", "other")
SEED_FILE = "intent_examples.csv"
# A team's own example counts as this many seed examples: it speaks for their customers, and a
# handful must be able to outvote the seed's neighbours of the same text.
EXTRA_WEIGHT = 3.0
# The seed's vectors per loaded model: embedding ~340 texts costs seconds on a CPU, and a
# process that fits several classifiers (tests, a CLI run with examples) needs them once.
_SEED_VECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class ExamplesError(ValueError):
    """An intent examples file that cannot be used as it is; the message names file and row."""


def _normalised(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _validate(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    missing = [c for c in ("text", "intent") if c not in frame.columns]
    if missing:
        raise ExamplesError(f"{origin}: no column {', '.join(missing)}; it has {', '.join(frame.columns) or 'none'}")
    out = pd.DataFrame({"text": frame["text"].fillna("").astype(str), "intent": frame["intent"].fillna("").astype(str)})
    out["intent"] = out["intent"].str.strip().str.lower()
    for position, (text, intent) in enumerate(zip(out["text"], out["intent"])):
        row = position + 2  # the header is line 1 of the file
        if intent not in INTENTS:
            raise ExamplesError(f"{origin}, row {row}: unknown intent {intent!r}; use one of {', '.join(INTENTS)}")
        if not text.strip():
            raise ExamplesError(f"{origin}, row {row}: empty text")
    return out.reset_index(drop=True)


def load_examples(path: str | Path) -> pd.DataFrame:
    """Read a `text,intent` CSV of labelled examples; raise ExamplesError naming file and row if bad."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no intent examples file at {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, csv.Error) as error:
        raise ExamplesError(f"{path}: not a readable CSV ({error})") from error
    return _validate(frame, str(path))


def seed_examples() -> pd.DataFrame:
    """The bundled seed set, one row per example (`text`, `intent`)."""
    source = resources.files("insights.signals") / "seeds" / SEED_FILE
    with resources.as_file(source) as path:
        return load_examples(path)


def _kept_seed_rows(seed: pd.DataFrame, extra: pd.DataFrame) -> np.ndarray:
    """Which seed rows survive: those whose text (ignoring case and spacing) `extra` does not relabel."""
    taken = set(extra["text"].map(_normalised))
    return ~seed["text"].map(_normalised).isin(taken).to_numpy()


def combine_examples(seed: pd.DataFrame, extra: pd.DataFrame | None) -> pd.DataFrame:
    """The seed plus `extra`; where both hold the same text (ignoring case and spacing), extra's label wins."""
    if extra is None or extra.empty:
        return seed.reset_index(drop=True)
    extra = _validate(extra, "extra examples")
    return pd.concat([seed[_kept_seed_rows(seed, extra)], extra], ignore_index=True)


def _seed_vectors(model, seed: pd.DataFrame) -> np.ndarray:
    cached = None
    # A model that cannot be weakly referenced is simply embedded every time.
    with contextlib.suppress(TypeError):
        cached = _SEED_VECTORS.get(model)
    if cached is None or len(cached) != len(seed):
        cached = embed_texts(seed["text"].tolist(), model)
        with contextlib.suppress(TypeError):
            _SEED_VECTORS[model] = cached
    return cached


class IntentClassifier:
    """Intent from an item's embedding and text; scikit-learn's conventions (fit returns self,
    learned state ends in `_`)."""

    def __init__(
        self, C: float = 1.0, cue_weight: float = CUE_WEIGHT, extra_weight: float = EXTRA_WEIGHT, random_state: int = 0
    ):
        self.C = C
        self.cue_weight = cue_weight
        self.extra_weight = extra_weight
        self.random_state = random_state

    def _features(self, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(vectors) != len(texts):
            raise ValueError(f"{len(vectors)} vectors but {len(texts)} texts")
        if self.cue_weight <= 0:
            return vectors
        return np.hstack([vectors, text_cues(texts, self.cue_weight)])

    def fit(
        self, vectors: np.ndarray, texts: Sequence[str], intents: Sequence[str], sample_weight=None
    ) -> IntentClassifier:
        unknown = sorted(set(intents) - set(INTENTS))
        if unknown:
            raise ValueError(f"unknown intents {unknown}; use {', '.join(INTENTS)}")

        # Balanced: the seed has about as many of each, but a team's own examples rarely do.
        def regression():
            return LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000, random_state=self.random_state)

        self.model_ = regression().fit(self._features(vectors, texts), list(intents), sample_weight=sample_weight)
        # For callers that have only the vectors (seed CV macro-F1 0.82 instead of 0.87 with the cues).
        self.embedding_model_ = regression().fit(
            np.asarray(vectors, dtype=np.float32), list(intents), sample_weight=sample_weight
        )
        self.classes_ = self.model_.classes_
        self.n_examples_ = len(intents)
        self.known_: dict[str, str] = {}
        return self

    @classmethod
    def fit_seed(cls, model, extra_examples: pd.DataFrame | None = None, **params) -> IntentClassifier:
        """Train on the bundled seed set, extended (and where texts repeat, overridden) by `extra_examples`."""
        classifier = cls(**params)
        seed = seed_examples()
        vectors, examples, weights = _seed_vectors(model, seed), seed, np.ones(len(seed))
        if extra_examples is not None and not extra_examples.empty:
            extra = _validate(extra_examples, "extra examples")
            kept = _kept_seed_rows(seed, extra)
            examples = pd.concat([seed[kept], extra], ignore_index=True)
            vectors = np.vstack([vectors[kept], embed_texts(extra["text"].tolist(), model)])
            weights = np.concatenate([np.ones(int(kept.sum())), np.full(len(extra), classifier.extra_weight)])
        classifier.fit(vectors, examples["text"].tolist(), examples["intent"].tolist(), sample_weight=weights)
        if extra_examples is not None and not extra_examples.empty:
            # A text the team labelled itself gets their label outright, whatever its neighbours say.
            classifier.known_ = dict(zip(extra["text"].map(_normalised), extra["intent"]))
        classifier.examples_ = examples
        return classifier

    def predict_proba(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Probabilities per item, columns in the order of `classes_`. Pass the texts: without
        them only the embedding speaks (see `fit`), which is measurably worse."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if not len(vectors):
            return np.zeros((0, len(self.classes_)))
        if texts is None:
            return self.embedding_model_.predict_proba(vectors).astype(np.float64)
        return self.model_.predict_proba(self._features(vectors, texts)).astype(np.float64)

    def predict(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The likeliest intent per item and its probability (the model's confidence, 0.2-1); a text
        the team's own examples label (same words, ignoring case and spacing) gets that label at 1."""
        proba = self.predict_proba(vectors, texts)
        best = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=int)
        labels, confidence = np.asarray(self.classes_, dtype=object)[best], proba[np.arange(len(best)), best]
        if self.known_ and texts is not None:
            for i, text in enumerate(texts):
                known = self.known_.get(_normalised(text))
                if known is not None:
                    labels[i], confidence[i] = known, 1.0
        return labels, confidence
