"""Describe each theme for a reader: keywords, a short label, a representative quote, size, cohesion.

Keywords are the theme's best class-based TF-IDF terms (`keywords.py`). Two choices make them
name the theme rather than its noise:

- Near-duplicate texts (one complaint pasted into three channels) count once, so a single loud
  customer does not name a theme.
- A text counts in proportion to how central it is (its cosine to the theme centre, raised to
  `centrality_power`): long texts wander into greetings, deadlines and side remarks, and those
  texts sit further from the centre than the ones that are only about the theme.

The label is one or two phrases. Given an `embed` function, the best candidate terms are
re-ranked by how close each phrase's own embedding is to the theme centre, which prefers "csv
export" to a frequent but incidental "tried chrome".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from insights.themes.embed import as_text
from insights.themes.keywords import candidate_terms, class_tfidf, clean, phrase_label, pick_keywords

_DUPLICATE_KEY_RE = re.compile(r"[\W_]+")

COLUMNS = ["theme", "label", "keywords", "representative_quote", "quotes", "size", "cohesion"]


class ThemeLabeler(BaseEstimator):
    """Describe the themes found by a clusterer.

    Parameters
    ----------
    n_keywords : keywords per theme (fewer when a theme's vocabulary is thinner).
    max_texts_per_theme : texts sampled per theme for keywords; bounds time on huge themes,
        where a few thousand texts already give stable term frequencies.
    duplicate_similarity : cosine above which two texts of a theme count as one.
    centrality_power : a text's weight is its cosine to the centre to this power; 0 weighs all
        texts alike.
    embed : optional function from a list of strings to unit-length embeddings (the model the
        texts were embedded with); used to re-rank label and keyword candidates.
    n_candidates : best terms per theme that `embed` re-ranks.
    n_quotes : most quotes per theme (a JSON list, most central first; fewer when the theme has
        fewer distinct texts). The first is always `representative_quote`.
    quote_similarity : cosine at or above which a text repeats a quote already chosen and is
        skipped; lower than `duplicate_similarity` because a reader wants different wordings.
    random_state : seed for the sample of texts, so labels are reproducible.
    """

    def __init__(
        self,
        n_keywords: int = 8,
        max_texts_per_theme: int = 2000,
        duplicate_similarity: float = 0.95,
        centrality_power: float = 4.0,
        embed: Callable[[list[str]], np.ndarray] | None = None,
        n_candidates: int = 30,
        n_quotes: int = 5,
        quote_similarity: float = 0.9,
        random_state: int | None = 0,
    ):
        self.n_keywords = n_keywords
        self.max_texts_per_theme = max_texts_per_theme
        self.duplicate_similarity = duplicate_similarity
        self.centrality_power = centrality_power
        self.embed = embed
        self.n_candidates = n_candidates
        self.n_quotes = n_quotes
        self.quote_similarity = quote_similarity
        self.random_state = random_state

    def fit(self, texts: Sequence[str], embeddings: np.ndarray, labels: np.ndarray, centroids: np.ndarray):
        """`labels` as from a clusterer (-1 outlier, themes 0..k-1); sets `themes_`, one row per theme."""
        texts = [as_text(t) for t in texts]
        labels = np.asarray(labels)
        n_themes = centroids.shape[0]
        similarity = np.full(len(texts), np.nan)
        inside = labels >= 0
        similarity[inside] = np.einsum("ij,ij->i", embeddings[inside], centroids[labels[inside]])

        # Outliers join as one more class: they never get a label, but terms common among them
        # (greetings, "please fix") are then rightly discounted everywhere.
        classes = [*range(n_themes), -1]
        picked = [self._distinct_members(texts, embeddings, np.flatnonzero(labels == c)) for c in classes]
        documents = [[texts[i] for i in members] for members in picked]
        weights = [np.clip(similarity[m], 0, None) ** self.centrality_power for m in picked[:-1]]
        weights.append(np.ones(len(picked[-1])))
        scores, vocabulary, doc_freq = class_tfidf(documents, weights)

        rows = []
        for theme in range(n_themes):
            members = np.flatnonzero(labels == theme)
            ranked = self._ranked(scores[theme], doc_freq[theme], vocabulary, centroids[theme])
            rows.append(
                {
                    "theme": theme,
                    "label": phrase_label(ranked, documents[theme]),
                    "keywords": ", ".join(pick_keywords([t for t, _ in ranked], self.n_keywords)),
                    "representative_quote": texts[members[np.argmax(similarity[members])]],
                    "quotes": json.dumps(self._quotes(texts, embeddings, members, similarity), ensure_ascii=False),
                    "size": int(members.size),
                    "cohesion": float(np.mean(similarity[members])),
                }
            )
        self.themes_ = pd.DataFrame(rows, columns=COLUMNS)
        return self

    def _distinct_members(self, texts: list[str], embeddings: np.ndarray, members: np.ndarray) -> np.ndarray:
        if members.size > self.max_texts_per_theme:
            rng = np.random.default_rng(self.random_state)
            members = np.sort(rng.choice(members, self.max_texts_per_theme, replace=False))
        # Same words up to case, punctuation and placeholders: the same text.
        seen, kept = set(), []
        for i in members:
            key = _DUPLICATE_KEY_RE.sub(" ", clean(texts[i])).strip()
            if key and key not in seen:
                seen.add(key)
                kept.append(i)
        kept = np.asarray(kept, dtype=np.int64)
        if kept.size > 1:
            # Paraphrase-level copies: drop a text too close to any earlier one. The sample
            # cap above keeps this square matrix small.
            close = np.triu(embeddings[kept] @ embeddings[kept].T >= self.duplicate_similarity, k=1)
            kept = kept[~close.any(axis=0)]
        return kept

    def _quotes(
        self, texts: list[str], embeddings: np.ndarray, members: np.ndarray, similarity: np.ndarray
    ) -> list[str]:
        # Most central first; a text that repeats a chosen quote, in words or in meaning, shows
        # the reader nothing new. Stable sort: equal similarities keep input order.
        chosen: list[int] = []
        keys: set[str] = set()
        for i in members[np.argsort(-similarity[members], kind="stable")]:
            key = _DUPLICATE_KEY_RE.sub(" ", clean(texts[i])).strip()
            if key in keys or (chosen and float(np.max(embeddings[chosen] @ embeddings[i])) >= self.quote_similarity):
                continue
            chosen.append(int(i))
            keys.add(key)
            if len(chosen) == self.n_quotes:
                break
        return [texts[i] for i in chosen]

    def _ranked(self, scores, doc_freq, vocabulary, centroid) -> list[tuple[str, float]]:
        order = candidate_terms(scores, doc_freq, vocabulary)
        ranked = [(str(vocabulary[i]), float(scores[i])) for i in order]
        if self.embed is None or not ranked:
            return ranked
        head = ranked[: self.n_candidates]
        relevance = np.clip(np.asarray(self.embed([t for t, _ in head])) @ centroid, 0, None)
        best = max(s for _, s in head) or 1.0
        # Both must hold: the theme's texts use the phrase (c-TF-IDF) and it means what the
        # theme means (cosine). Terms past the head keep their order, behind all of it.
        rescored = [(t, s / best * float(r)) for (t, s), r in zip(head, relevance)]
        rescored.sort(key=lambda ts: (-ts[1], ts[0]))
        return rescored + [(t, 0.0) for t, _ in ranked[self.n_candidates :]]
