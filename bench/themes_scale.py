"""Time and peak memory of the theme step (cluster + label) at 20k and 200k items.

    .venv/bin/python bench/themes_scale.py [--sizes 20000 200000]

Embedding 200k real texts would take about 20 minutes on 2 cores, so the vectors are
synthetic: 384-d unit vectors around 40 planted theme centres (cosine to their centre about
0.7, as all-MiniLM-L6-v2 gives for paraphrases), theme sizes skewed like real feedback, plus
5% items spread at random (noise). Each text is a few words drawn from its theme's own small
vocabulary, so labelling does real c-TF-IDF work. Planted data this clean is easy (ARI near
1); the figures are for time and memory, quality is `themes_quality.py`'s job. Each size runs
in a fresh process, because peak RSS (`ru_maxrss`) is a high-water mark for the whole process.
"allocated" is build_themes' own peak allocation (tracemalloc), on top of its inputs.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

N_THEMES = 40
DIM = 384
NOISE_SHARE = 0.05


def planted(n: int, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(N_THEMES, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    share = 1.0 / np.arange(1, N_THEMES + 1) ** 0.8
    truth = rng.choice(N_THEMES, size=n, p=share / share.sum())
    truth[rng.random(n) < NOISE_SHARE] = -1
    # Noise of norm ~1 around a unit centre gives a cosine of about 0.7 to it.
    vectors = rng.normal(size=(n, DIM)).astype(np.float32) / np.sqrt(DIM)
    inside = truth >= 0
    vectors[inside] += centres[truth[inside]]
    words = np.array([f"w{t}x{j}" for t in range(N_THEMES) for j in range(12)]).reshape(N_THEMES, 12)
    filler = np.array(["please", "help", "thanks", "issue", "today", "team"])
    texts = [" ".join(rng.choice(words[t], 4)) if t >= 0 else " ".join(rng.choice(filler, 4)) for t in truth]
    feedback = pd.DataFrame({"feedback_id": [f"item:{i}" for i in range(n)], "text": texts})
    return feedback, vectors, truth


def run_one(n: int) -> None:
    from sklearn.metrics import adjusted_rand_score

    from insights.themes import build_themes

    feedback, vectors, truth = planted(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # tracemalloc sees numpy's buffers too, so its peak is what build_themes itself allocated
    # on top of its inputs; RSS also counts the interpreter, libraries and the inputs.
    tracemalloc.start()
    started = time.perf_counter()
    result = build_themes(feedback, vectors)
    seconds = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    codes = pd.factorize(result.assignments["theme_id"])[0]
    print(
        f"{n},{seconds:.1f},{len(result.themes)},{adjusted_rand_score(truth, codes):.3f},"
        f"{result.assignments['is_outlier'].mean():.3f},{vectors.nbytes / 2**20:.0f},{traced:.0f},{before:.0f},{peak:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        run_one(args.one)
        return
    header = [
        "items",
        "build_themes s",
        "themes",
        "ARI",
        "outliers",
        "vectors MiB",
        "allocated MiB",
        "RSS before MiB",
        "peak RSS MiB",
    ]
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        rows.append(out.stdout.strip().splitlines()[-1].split(","))
    print(
        f"synthetic {DIM}-d vectors, {N_THEMES} planted themes, {NOISE_SHARE:.0%} noise; build_themes defaults (no embed)"
    )
    print(pd.DataFrame(rows, columns=header).to_string(index=False))


if __name__ == "__main__":
    main()
