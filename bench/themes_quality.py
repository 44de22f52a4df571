"""Theme quality on the sample company at two scales: `insights evaluate` on its planted themes.

    .venv/bin/python bench/themes_quality.py [--scales 0.2 1] [--csv-dir DIR]

Each scale's labelled texts are written as CSV (to DIR, default a temporary folder) and scored
by `evaluate_themes`, the function behind `insights evaluate`, so any row here can be re-run
with `insights evaluate --input DIR/sample_<scale>.csv --text-column text --label-column theme`.
Seconds include embedding (no cache) and labelling, as in a first pipeline run.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd
from sample_feedback import sample_feedback

from insights.evaluate import evaluate_themes
from insights.themes.embed import load_model

COLUMNS = ["n_themes", "nmi", "ari", "v_measure", "homogeneity", "completeness", "outlier_share", "seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.2, 1.0])
    parser.add_argument("--csv-dir", default=None)
    parser.add_argument("--resolution", type=float, default=None)
    args = parser.parse_args()
    out_dir = Path(args.csv_dir or tempfile.mkdtemp(prefix="themes_quality_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    model = load_model()
    model.encode(["warm up"])  # the first call pays one-off set-up that is not throughput

    rows = []
    for scale in args.scales:
        feedback = sample_feedback(scale)
        path = out_dir / f"sample_{scale:g}.csv"
        feedback.to_csv(path, index=False)
        report = evaluate_themes(
            feedback["text"].tolist(), feedback["theme"].tolist(), model, resolution=args.resolution
        )
        common = {"scale": scale, "items": report["n_items"], "labels": report["n_labels"]}
        rows.append(
            {
                **common,
                "method": "themes (pipeline)",
                **{k: report[k] for k in COLUMNS},
                "items/s": report["items_per_second"],
                "embed s": report["embed_seconds"],
            }
        )
        rows.append({**common, "method": report["baseline"]["method"], **{k: report["baseline"][k] for k in COLUMNS}})
        print(f"scale {scale:g}: {path}", flush=True)

    pd.set_option("display.width", 250)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-"))
    print(
        "outliers count as one group (-1); k-means baseline is told the true number of labels; "
        "baseline seconds are clustering only, on the same embeddings"
    )


if __name__ == "__main__":
    main()
