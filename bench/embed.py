"""Embedding throughput: the raw model, our embed step with an empty cache, and with a full one.

    .venv/bin/python bench/embed.py [--scale 0.5] [--batch-size 64]

All three runs embed the same texts (the sample company's feedback at --scale) on the CPU.
"cold" is `embed_with_cache` against a new on-disk warehouse (every text is encoded and
written), "warm" is the same call again (every vector read back). Ratios are against raw.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
from sample_feedback import sample_feedback

from insights.themes.cache import embed_with_cache
from insights.themes.embed import load_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    texts = sample_feedback(args.scale)["text"].tolist()
    model = load_model()
    model.encode(["warm up"])

    started = time.perf_counter()
    raw = model.encode(texts, batch_size=args.batch_size, convert_to_numpy=True)
    raw_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as scratch:
        con = duckdb.connect(str(Path(scratch) / "warehouse.duckdb"))
        started = time.perf_counter()
        cold = embed_with_cache(con, texts, model, "bench", batch_size=args.batch_size)
        cold_seconds = time.perf_counter() - started
        started = time.perf_counter()
        warm = embed_with_cache(con, texts, model, "bench", batch_size=args.batch_size)
        warm_seconds = time.perf_counter() - started
        con.close()  # checkpoints the write-ahead log, so the file size below is the real one
        size_mib = (Path(scratch) / "warehouse.duckdb").stat().st_size / 2**20

    same = np.array_equal(cold.embeddings, warm.embeddings)
    unit = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    drift = float(np.abs(unit - cold.embeddings).max())
    print(f"{len(texts)} texts ({cold.n_new} distinct), scale {args.scale:g}, batch size {args.batch_size}")
    print(f"{'run':<38}{'seconds':>10}{'texts/s':>12}{'vs raw':>10}")
    for name, seconds in (
        ("raw SentenceTransformer.encode", raw_seconds),
        (f"embed_with_cache cold (new {cold.n_new})", cold_seconds),
        (f"embed_with_cache warm (cached {warm.n_cached})", warm_seconds),
    ):
        print(f"{name:<38}{seconds:>10.2f}{len(texts) / seconds:>12.0f}{raw_seconds / seconds:>9.1f}x")
    print(f"warm == cold exactly: {same}; max |cold - raw normalised| = {drift:.1e}; warehouse file {size_mib:.1f} MiB")


if __name__ == "__main__":
    main()
