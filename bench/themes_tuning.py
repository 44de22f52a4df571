"""How the theme step's knobs move its scores on every labelled set: the evidence for the defaults.

    .venv/bin/python bench/themes_tuning.py [--datasets ...] [--resolutions 0.35 0.45 0.55]
                                            [--min-similarities 0.3 0.4] [--cache-dir DIR]

One default must hold on all sets at once, so each row is a (resolution, min_similarity) pair
and the last columns are the mean and the worst over the sets. Clustering only (`ThemeClusterer`
on the cached embeddings of `bench/peers.py`); outliers count as one group, as everywhere.
The rule before issue 11 (fixed cosine 0.35, no centring) is the "themes (ours)" row of
`bench/peers.py` run at commit a9d301c.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from peers import DATASETS, cached_embeddings, load_dataset

from insights.evaluate import score
from insights.themes.cluster import ThemeClusterer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=DATASETS, choices=DATASETS)
    parser.add_argument("--resolutions", type=float, nargs="+", default=[0.35, 0.45, 0.55])
    parser.add_argument("--min-similarities", type=float, nargs="+", default=[0.3, 0.4])
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "insights_bench_peers")
    parser.add_argument("--sample-scale", type=float, default=1.0)
    args = parser.parse_args()
    args.cache_dir.mkdir(parents=True, exist_ok=True)

    holder: dict = {}
    data = {}
    for name in args.datasets:
        texts, truth = load_dataset(name, args.sample_scale)
        data[name] = (truth, cached_embeddings(name, texts, args.cache_dir, holder))

    rows = []
    for resolution, min_similarity in itertools.product(args.resolutions, args.min_similarities):
        row = {"resolution": resolution, "min_similarity": min_similarity}
        for name, (truth, vectors) in data.items():
            labels = ThemeClusterer(resolution=resolution, min_similarity=min_similarity).fit(vectors).labels_
            s = score(truth, labels)
            row[f"{name} themes"] = s["n_themes"]
            row[f"{name} nmi/ari"] = f"{s['nmi']:.3f}/{s['ari']:.3f}"
            row[f"{name} out"] = f"{s['outlier_share']:.1%}"
            row.setdefault("_nmi", []).append(s["nmi"])
            row.setdefault("_ari", []).append(s["ari"])
        row["mean nmi/ari"] = f"{np.mean(row['_nmi']):.3f}/{np.mean(row['_ari']):.3f}"
        row["worst ari"] = f"{np.min(row.pop('_ari')):.3f}"
        row.pop("_nmi")
        rows.append(row)
        print(f"resolution {resolution}, min_similarity {min_similarity}: done", flush=True)
    pd.set_option("display.width", 400)
    print(pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    main()
