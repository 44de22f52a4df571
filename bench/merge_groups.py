"""Seconds of the theme merge (`merge_groups`) against the full-search version it replaced.

    .venv/bin/python bench/merge_groups.py [--ks 500 1000 2000] [--repeat 3]

k is the number of micro-clusters: `default_n_micro(n)`, about sqrt(n) (issue 15 says 2*sqrt(n);
the code makes sqrt(n)), so k = 1,000 is a million items and k = 2,000 four million.
Inputs are synthetic group sums as the clusterer passes them: 384-d micro-cluster means around
40 planted themes (mean cosine about 0.3 between micro-clusters of one theme, 0 across), sizes
skewed, merged at 0.45 of a cohesion of 0.49, so most steps are real merges within a theme.
The reference is tests/themes/test_merge_groups.py's copy of the old code; the bench also
checks both give the same labels. Best of `--repeat` runs; the machine is shared.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "themes"))
from test_merge_groups import full_search_merge_groups  # noqa: E402

from insights.themes.cluster import merge_groups  # noqa: E402

DIM = 384
N_THEMES = 40
COHESION = 0.49


def groups(k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(N_THEMES, DIM))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    theme = rng.choice(N_THEMES, size=k, p=(w := 1 / np.arange(1, N_THEMES + 1) ** 0.8) / w.sum())
    means = centres[theme] + 0.8 * rng.normal(size=(k, DIM)) / np.sqrt(DIM)
    means *= np.sqrt(COHESION) / np.linalg.norm(means, axis=1, keepdims=True)
    counts = rng.integers(200, 800, size=k).astype(np.float64)
    return means * counts[:, None], counts


def best_of(function, sums, counts, repeat: int) -> tuple[float, np.ndarray]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        labels = function(sums, counts, 0.45 * COHESION)
        seconds.append(time.perf_counter() - started)
    return min(seconds), labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ks", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| k | groups after | full search (s) | row maxima (s) | speed-up | same labels |")
    print("|---:|---:|---:|---:|---:|---|")
    previous = None
    for k in args.ks:
        sums, counts = groups(k)
        old, old_labels = best_of(full_search_merge_groups, sums, counts, args.repeat)
        new, new_labels = best_of(merge_groups, sums, counts, args.repeat)
        same = bool(np.array_equal(old_labels, new_labels))
        print(f"| {k} | {new_labels.max() + 1} | {old:.3f} | {new:.3f} | {old / new:.0f}x | {same} |")
        if previous is not None:
            pk, pold, pnew = previous
            # Growth exponent: log(cost ratio) / log(size ratio); 3 is cubic, 2 quadratic.
            ratio = np.log(k / pk)
            print(
                f"|  | k x{k / pk:.1f} | x{old / pold:.1f} (k^{np.log(old / pold) / ratio:.1f}) "
                f"| x{new / pnew:.1f} (k^{np.log(new / pnew) / ratio:.1f}) | | |"
            )
        previous = (k, old, new)


if __name__ == "__main__":
    main()
