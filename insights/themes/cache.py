"""Embeddings kept in the warehouse, so a nightly run embeds only the texts it has not seen.

`themes.embedding_cache` holds one row per (model name, sha256 of the text): the vector is a
pure function of those two (`embed.embed_texts`), so a cached row is as good as a fresh one.
The hash is taken over exactly the string the model is given (after `embed.as_text`), not a
normalised form: a cache hit must never return the vector of a text the model did not see.

New texts are embedded and written a chunk at a time, each chunk its own transaction: a run
stopped half way keeps what it paid for, and the next run starts from there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from insights import warehouse
from insights.themes.embed import as_text, embed_texts

SCHEMA = "themes"
TABLE = "embedding_cache"
# Name under which the bundled model's vectors are stored; a model loaded from a path or hub
# name is stored under that string instead.
BUNDLED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# Texts embedded between two writes: big enough that a write costs little next to the
# encoding (about 30 s per 5,000 texts on 2 cores), small enough that an interrupt loses little.
_CHUNK = 2048


class CachedEmbeddings(NamedTuple):
    """`embeddings` in input order; `n_new` distinct texts embedded now, `n_cached` found stored."""

    embeddings: np.ndarray
    n_new: int
    n_cached: int


def model_key(name_or_path: str | None) -> str:
    """The cache's name for a model setting (None is the bundled all-MiniLM-L6-v2)."""
    return BUNDLED_MODEL_NAME if name_or_path is None else str(name_or_path)


def model_setting(key: str) -> str | None:
    """The model setting a stored `model_key` stands for: None for the bundled model."""
    return None if key == BUNDLED_MODEL_NAME else key


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_cache_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f'create schema if not exists "{SCHEMA}"')
    con.execute(
        f'create table if not exists "{SCHEMA}"."{TABLE}" ('
        f"model_name varchar not null, text_hash varchar not null, embedding {warehouse.VECTOR_TYPE} not null, "
        "created_at timestamp not null default current_timestamp, primary key (model_name, text_hash))"
    )


def embed_with_cache(
    con: duckdb.DuckDBPyConnection,
    texts: Sequence[str],
    model,
    model_name: str,
    batch_size: int = 64,
    show_progress: bool = False,
) -> CachedEmbeddings:
    """Unit-length embeddings of `texts`, identical to `embed_texts(texts, model)`, paying only for unseen texts.

    `model_name` must change whenever the model's weights do (vectors of two models are not
    comparable); repeated texts in one call are embedded once.
    """
    texts = [as_text(t) for t in texts]
    ensure_cache_table(con)
    hashes = [text_hash(t) for t in texts]
    distinct = list(dict.fromkeys(hashes))
    found = _lookup(con, model_name, distinct)
    missing = [h for h in distinct if h not in found]
    if missing:
        first_text = dict(zip(hashes, texts))
        found.update(
            _embed_missing(con, [first_text[h] for h in missing], missing, model, model_name, batch_size, show_progress)
        )
    if texts:
        embeddings = np.stack([found[h] for h in hashes]).astype(np.float32, copy=False)
    else:
        embeddings = embed_texts([], model)
    return CachedEmbeddings(embeddings, len(missing), len(distinct) - len(missing))


def cache_size(con: duckdb.DuckDBPyConnection, model_name: str | None = None) -> int:
    """Rows stored, for one model or for all; 0 before the table exists."""
    ensure_cache_table(con)
    where, params = ("where model_name = ?", [model_name]) if model_name is not None else ("", [])
    return int(con.execute(f'select count(*) from "{SCHEMA}"."{TABLE}" {where}', params).fetchone()[0])


def _lookup(con: duckdb.DuckDBPyConnection, model_name: str, hashes: list[str]) -> dict[str, np.ndarray]:
    if not hashes:
        return {}
    with warehouse.registered(con, pd.DataFrame({"text_hash": hashes})) as wanted:
        rows = con.execute(
            f'select c.text_hash, c.embedding from "{SCHEMA}"."{TABLE}" c '
            f"join {wanted} w using (text_hash) where c.model_name = ?",
            [model_name],
        ).fetchnumpy()
    # fetchnumpy hands over each list as an array; fetchall would build Python floats, 20x slower.
    return {h: np.asarray(vector, dtype=np.float32) for h, vector in zip(rows["text_hash"], rows["embedding"])}


def _embed_missing(con, texts, hashes, model, model_name, batch_size, show_progress) -> dict[str, np.ndarray]:
    from tqdm.auto import tqdm

    out: dict[str, np.ndarray] = {}
    # One bar over every new text, not one per encode call, so a long run shows its real ETA.
    with tqdm(total=len(texts), desc="embedding new texts", unit="text", disable=not show_progress) as bar:
        for start in range(0, len(texts), _CHUNK):
            chunk_hashes = hashes[start : start + _CHUNK]
            vectors = embed_texts(texts[start : start + _CHUNK], model, batch_size=batch_size)
            _store(con, model_name, chunk_hashes, vectors)
            out.update(zip(chunk_hashes, vectors))
            bar.update(len(chunk_hashes))
    return out


def _store(con: duckdb.DuckDBPyConnection, model_name: str, hashes: list[str], vectors: np.ndarray) -> None:
    rows = pd.DataFrame({"model_name": model_name, "text_hash": hashes, "embedding": list(vectors.astype(np.float32))})
    with warehouse.registered(con, rows) as new_embeddings:
        # `on conflict do nothing`: another run may have stored the same text meanwhile; its
        # vector is the same, so either copy will do.
        con.execute(
            f'insert into "{SCHEMA}"."{TABLE}" (model_name, text_hash, embedding) '
            f"select model_name, text_hash, cast(embedding as {warehouse.VECTOR_TYPE}) from {new_embeddings} "
            "on conflict do nothing"
        )
