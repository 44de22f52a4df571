"""How positive each feedback item reads, in [-1, 1], from its words alone.

The baseline is VADER's compound score, a fixed lexicon that needs no training. Where a team's
own data carries ratings (stars 1-5, NPS 0-10), a ridge regression on the sentence embeddings
learns what *their* customers' words mean, and is then applied to every item, rated or not.
`fit_sentiment` measures each way by cross-validated Spearman correlation with the ratings and
keeps the best:

- `vader`: the compound score;
- `embedding_ridge`: ridge on the embedding;
- `blend`: ridge on the embedding plus the VADER score as one more feature, so the fit decides
  how much the lexicon counts.

Below `MIN_RATED` rated items the ridge would learn noise and its cross-validation would be too
noisy to trust either way, so the model stays VADER.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy.stats import spearmanr
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import KFold

from insights.themes.embed import as_text

MIN_RATED = 50
METHODS = ("vader", "embedding_ridge", "blend")
RIDGE_ALPHAS = (0.3, 1.0, 3.0, 10.0, 30.0)
# The VADER column is scaled up so that ridge's penalty does not shrink the one strong feature
# as hard as each of the 384 weak embedding dimensions.
VADER_FEATURE_SCALE = 3.0


@cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_scores(texts: Sequence[str]) -> np.ndarray:
    """VADER's compound score per text, in [-1, 1]; an empty text is 0."""
    analyzer = _analyzer()
    return np.array([analyzer.polarity_scores(as_text(t))["compound"] for t in texts], dtype=float)


def rating_to_unit(values, low: float, high: float) -> np.ndarray:
    """Map ratings on [low, high] (stars 1-5, NPS 0-10) linearly onto [-1, 1]; missing stays NaN."""
    values = np.asarray(values, dtype=float)
    return np.clip(2.0 * (values - low) / (high - low) - 1.0, -1.0, 1.0)


def _design(method: str, vectors: np.ndarray, vader: np.ndarray) -> np.ndarray:
    if method == "embedding_ridge":
        return vectors
    return np.hstack([vectors, VADER_FEATURE_SCALE * vader[:, None]])


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return float(spearmanr(a, b).statistic)


@dataclass
class SentimentModel:
    """The chosen way to score sentiment, with what each candidate measured on the rated items."""

    method: str
    n_rated: int
    cv_spearman: dict[str, float | None] = field(default_factory=dict)
    regressor: RidgeCV | None = None

    def predict(self, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Sentiment per item in [-1, 1]."""
        vader = vader_scores(texts)
        if self.method == "vader" or self.regressor is None:
            return vader
        design = _design(self.method, np.asarray(vectors, dtype=np.float32), vader)
        return np.clip(self.regressor.predict(design), -1.0, 1.0)


def fit_sentiment(
    vectors: np.ndarray,
    texts: Sequence[str],
    ratings_mapped,
    min_rated: int = MIN_RATED,
    folds: int = 5,
    random_state: int = 0,
) -> SentimentModel:
    """Choose and fit the sentiment scorer from the items that carry a rating.

    `ratings_mapped` is one value in [-1, 1] per item (see `rating_to_unit`), NaN where the item
    has none. Every candidate is scored by out-of-fold Spearman on the rated items with the same
    folds; VADER needs no fit, so its figure is over the same items.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    ratings = np.asarray(ratings_mapped, dtype=float)
    if not (len(vectors) == len(texts) == len(ratings)):
        raise ValueError(f"{len(vectors)} vectors, {len(texts)} texts and {len(ratings)} ratings")
    rated = ~np.isnan(ratings)
    n_rated = int(rated.sum())
    y = ratings[rated]
    vader = vader_scores([t for t, r in zip(texts, rated) if r])
    scores: dict[str, float | None] = {m: None for m in METHODS}
    if n_rated:
        scores["vader"] = _spearman(vader, y)
    if n_rated < min_rated:
        return SentimentModel("vader", n_rated, scores)

    x = vectors[rated]
    splitter = KFold(n_splits=min(folds, n_rated), shuffle=True, random_state=random_state)
    for method in ("embedding_ridge", "blend"):
        design = _design(method, x, vader)
        predicted = np.empty(n_rated)
        for train, test in splitter.split(design):
            predicted[test] = RidgeCV(alphas=RIDGE_ALPHAS).fit(design[train], y[train]).predict(design[test])
        scores[method] = _spearman(predicted, y)
    method = max(METHODS, key=lambda m: scores[m])
    regressor = None if method == "vader" else RidgeCV(alphas=RIDGE_ALPHAS).fit(_design(method, x, vader), y)
    return SentimentModel(method, n_rated, scores, regressor)
