"""Words that set one theme apart from the others: class-based TF-IDF (the label is `phrases.py`).

Every theme is one "class". A term scores high when many of the theme's texts use it and few
other themes do: `tf(term, theme) * log(1 + average class size / texts using term anywhere)`.
Term frequency counts texts, not occurrences, and each text can be weighted (the labeller gives
the theme's core more say than texts that mostly talk about something else).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

# Placeholders left by PII redaction carry no topic; left in they become the top keyword of
# every theme that mentions contact details.
_PLACEHOLDER_RE = re.compile(r"<[A-Z_]+>")
# Words start with a letter (ticket numbers, versions and amounts are not topics) and keep
# inner hyphens and apostrophes, so "sign-on" stays one word instead of "sign" plus "on".
TOKEN_PATTERN = r"(?u)\b[^\W\d_](?:\w|['-](?=\w))+"


def clean(text: str) -> str:
    return _PLACEHOLDER_RE.sub(" ", text).lower()


def class_tfidf(documents: Sequence[Sequence[str]], weights: Sequence[np.ndarray]):
    """Scores (classes x terms), the vocabulary, and how many texts of each class use each term."""
    vectorizer = CountVectorizer(
        preprocessor=clean,
        token_pattern=TOKEN_PATTERN,
        stop_words="english",
        ngram_range=(1, 2),
        binary=True,
    )
    flat = [text for docs in documents for text in docs]
    owner = np.repeat(np.arange(len(documents)), [len(docs) for docs in documents])
    try:
        used = vectorizer.fit_transform(flat).tocsr()
    except ValueError:  # nothing but stop words, digits or no text at all
        empty = np.zeros((len(documents), 0))
        return empty, np.array([], dtype=object), empty
    classes = range(len(documents))
    # A word repeated inside one long text counts once: one rambling ticket does not decide.
    doc_freq = np.vstack([np.asarray(used[owner == c].sum(axis=0)).ravel() for c in classes])
    weighted = np.vstack([used[owner == c].T @ np.asarray(weights[c], dtype=float) for c in classes])
    totals = np.array([max(float(np.sum(w)), 1e-12) for w in weights])
    sizes = np.array([max(len(docs), 1) for docs in documents], dtype=float)
    idf = np.log1p(sizes.mean() / np.maximum(doc_freq.sum(axis=0), 1))
    return weighted / totals[:, None] * idf, vectorizer.get_feature_names_out(), doc_freq


def candidate_terms(scores: np.ndarray, doc_freq: np.ndarray, vocabulary: np.ndarray) -> np.ndarray:
    """Term indices of one class, best first (ties alphabetical, so the order is reproducible)."""
    # A term used by a single text is that text's quirk, not the theme's, unless the theme
    # has nothing more shared to say.
    for floor in (2, 1):
        candidates = np.flatnonzero(doc_freq >= floor)
        if candidates.size:
            break
    return candidates[np.lexsort((vocabulary[candidates], -scores[candidates]))]


def pick_keywords(ranked: Sequence[str], n: int) -> list[str]:
    """The first `n` terms, preferring ones that each show something new."""
    chosen: list[str] = []
    skipped: list[str] = []
    covered: Counter[str] = Counter()
    for term in ranked:
        words = stems(term)
        # Skip a term whose words are all shown already ("csv", "export", then "csv export"),
        # and stop one word from filling the list ("slack app", "slack channel", ...).
        if all(covered[w] for w in words) or any(covered[w] >= 2 for w in words):
            skipped.append(term)
            continue
        chosen.append(term)
        covered.update(words)
        if len(chosen) == n:
            return chosen
    # A theme with a thin vocabulary still gets the terms it has rather than one or two.
    return chosen + skipped[: n - len(chosen)]


def stems(term: str) -> set[str]:
    """Crude singular stems, so "report"/"reports" and "invoice"/"invoices" count as one word."""
    out = set()
    for word in term.split():
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1]
        out.add(word)
    return out
