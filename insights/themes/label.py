"""Describe each theme for a reader: keywords, a short label, a representative quote, size, cohesion.

Keywords are the theme's best class-based TF-IDF terms (`keywords.py`). Two choices make them
name the theme rather than its noise:

- Near-duplicate texts (one complaint pasted into three channels) count once, so a single loud
  customer does not name a theme.
- A text counts in proportion to how central it is (its cosine to the theme centre, raised to
  `centrality_power`): long texts wander into greetings, deadlines and side remarks, and those
  texts sit further from the centre than the ones that are only about the theme.

The label is one run of 3 to 8 words cut from the theme's most central texts (`phrases.py`),
in the spirit of KeyBERT with maximal marginal relevance: candidates that use the theme's
distinctive words are shortlisted by c-TF-IDF, then, given an `embed` function, ranked by how
close each phrase's own embedding is to the theme centre minus how close it is to the nearest
other theme's centre, so "Card payment was declined" beats a phrase as true of every banking
theme as of this one. Labels are unique: a theme whose best phrase is taken gets its next best.
Quotes are the most central distinct texts, with greetings and sign-offs cut off.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from insights.themes.embed import as_text
from insights.themes.keywords import candidate_terms, class_tfidf, clean, pick_keywords
from insights.themes.phrases import MAX_WORDS, as_label, candidate_phrases, leading_openers, strip_pleasantries, words

_DUPLICATE_KEY_RE = re.compile(r"[\W_]+")

# Score a label loses per opening request word ("please", "I need", "help"): enough to prefer
# the same phrase without them, far less than a difference in meaning.
_OPENER_COST = 0.02

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
    n_label_texts : most central distinct texts per theme whose phrases may become its label.
    sibling_penalty : weight of a phrase's cosine to the nearest other theme in its score.
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
        quote_similarity: float = 0.85,
        n_label_texts: int = 40,
        sibling_penalty: float = 0.5,
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
        self.n_label_texts = n_label_texts
        self.sibling_penalty = sibling_penalty
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

        word_index = {str(term): i for i, term in enumerate(vocabulary) if " " not in str(term)}
        shortlists = [
            self._label_candidates(texts, picked[t], similarity, scores[t], doc_freq[t], word_index)
            for t in range(n_themes)
        ]
        term_orders = [candidate_terms(scores[t], doc_freq[t], vocabulary) for t in range(n_themes)]
        # One call to the model for every phrase of every theme: batching is what makes the
        # model fast, and 50 small calls cost more than one large one.
        self._vectors = self._embed_all(
            [p for shortlist in shortlists for p in shortlist]
            + [str(vocabulary[i]) for order in term_orders for i in order[: self.n_candidates]]
        )
        chosen = self._unique_labels(shortlists, centroids, [int(np.sum(labels == t)) for t in range(n_themes)])
        rows = []
        for theme in range(n_themes):
            members = np.flatnonzero(labels == theme)
            ranked = self._ranked(term_orders[theme], scores[theme], vocabulary, centroids[theme])
            quotes = self._quotes(texts, embeddings, members, similarity)
            rows.append(
                {
                    "theme": theme,
                    "label": chosen[theme],
                    "keywords": ", ".join(pick_keywords([t for t, _ in ranked], self.n_keywords)),
                    "representative_quote": quotes[0] if quotes else "",
                    "quotes": json.dumps(quotes, ensure_ascii=False),
                    "size": int(members.size),
                    "cohesion": float(np.mean(similarity[members])),
                }
            )
        self._vectors = None  # only needed while fitting; phrase vectors are not state
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
        return [strip_pleasantries(texts[i]) for i in chosen]

    def _label_candidates(self, texts, picked, similarity, theme_scores, theme_doc_freq, word_index) -> list[str]:
        """Phrases from the theme's most central texts, best by c-TF-IDF first, at most `n_candidates`."""
        central = picked[np.argsort(-similarity[picked], kind="stable")][: self.n_label_texts]
        found: dict[str, tuple[str, float, int]] = {}
        for i in central:
            for phrase in candidate_phrases(texts[i]):
                key = phrase.lower()
                if key in found:
                    surface, weight, count = found[key]
                    found[key] = (surface, weight, count + 1)
                    continue
                tokens = [w.lower() for w in words(phrase)]
                # The theme's distinctive words, each once, per square root of length: a phrase
                # earns its extra words only with extra meaning.
                known = [word_index[w] for w in set(tokens) if w in word_index]
                # A word only one text of the theme uses is that text's quirk ("refund the zebra
                # charge"): it earns nothing and halves the phrase's claim to name the theme.
                weight = sum(theme_scores[i] for i in known if theme_doc_freq[i] >= 2)
                quirks = sum(1 for i in known if theme_doc_freq[i] < 2)
                found[key] = (phrase, weight / np.sqrt(len(tokens)) * 0.5**quirks, 1)
        if not found:
            # Texts too short to hold a 3-word phrase ("Love it!"): the central one names it.
            return [" ".join(words(strip_pleasantries(texts[i]))[:MAX_WORDS]) for i in central[:1]]
        ranked = sorted(found.values(), key=lambda item: (-item[1] * (1 + np.log(item[2])), item[0]))
        return [surface for surface, weight, _ in ranked[: self.n_candidates] if weight > 0] or [
            surface for surface, _, _ in ranked[: self.n_candidates]
        ]

    def _unique_labels(self, shortlists: list[list[str]], centroids: np.ndarray, sizes: list[int]) -> list[str]:
        """One label per theme, distinct across themes; larger themes choose first."""
        ranked = [self._by_meaning(shortlist, centroids, t) for t, shortlist in enumerate(shortlists)]
        taken: set[str] = set()
        labels = [""] * len(shortlists)
        for theme in sorted(range(len(shortlists)), key=lambda t: (-sizes[t], t)):
            options = [as_label(p) for p in ranked[theme]]
            label = next((o for o in options if o.lower() not in taken), None)
            if label is None:
                # Every phrase is another theme's name (or there is none): number it rather
                # than repeat a name, so a reader can still tell the two apart.
                base = options[0] if options else "Unlabelled theme"
                label = next(
                    f"{base} ({n})" for n in range(2, len(shortlists) + 3) if f"{base} ({n})".lower() not in taken
                )
            taken.add(label.lower())
            labels[theme] = label
        return labels

    def _by_meaning(self, shortlist: list[str], centroids: np.ndarray, theme: int) -> list[str]:
        if self._vectors is None or len(shortlist) < 2:
            return shortlist
        vectors = np.vstack([self._vectors[p] for p in shortlist])
        own = vectors @ centroids[theme]
        others = np.delete(centroids, theme, axis=0)
        nearest_other = (vectors @ others.T).max(axis=1) if others.shape[0] else np.zeros(len(shortlist))
        # "Need help checking payment methods" sits as close to the centre as "Checking payment
        # methods" (every text of the theme asks for help); the opener adds nothing to a name.
        openers = np.array([leading_openers(p) for p in shortlist])
        score = own - self.sibling_penalty * nearest_other - _OPENER_COST * openers
        return [shortlist[i] for i in np.lexsort((np.arange(len(shortlist)), -score))]

    def _embed_all(self, strings: list[str]) -> dict[str, np.ndarray] | None:
        if self.embed is None:
            return None
        unique = list(dict.fromkeys(strings))
        vectors = np.asarray(self.embed(unique), dtype=np.float32) if unique else np.zeros((0, 0), np.float32)
        return dict(zip(unique, vectors))

    def _ranked(self, order, scores, vocabulary, centroid) -> list[tuple[str, float]]:
        ranked = [(str(vocabulary[i]), float(scores[i])) for i in order]
        if self._vectors is None or not ranked:
            return ranked
        head = ranked[: self.n_candidates]
        relevance = np.clip(np.vstack([self._vectors[t] for t, _ in head]) @ centroid, 0, None)
        best = max(s for _, s in head) or 1.0
        # Both must hold: the theme's texts use the phrase (c-TF-IDF) and it means what the
        # theme means (cosine). Terms past the head keep their order, behind all of it.
        rescored = [(t, s / best * float(r)) for (t, s), r in zip(head, relevance)]
        rescored.sort(key=lambda ts: (-ts[1], ts[0]))
        return rescored + [(t, 0.0) for t, _ in ranked[self.n_candidates :]]
