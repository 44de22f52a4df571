"""Cost per stage at several company sizes: wall, CPU and peak RSS, and how each grows.

    .venv/bin/python bench/scale.py --feedback 10000 100000 --events 100000 1000000 [--workdir /tmp/scale-bench]

Sizes pair up (`--feedback` i with `--events` i; accounts default to feedback / 20). At each
size, every stage runs in a fresh process, because peak RSS (`ru_maxrss`) is a high-water
mark per process; CPU is the process's user + system time (DuckDB's threads included), so
CPU above wall means more than one core worked.

- generate: bench/scale_company.py writes the landing files with DuckDB SQL.
- extract <source>: `load_source` (what the extract assets call) over that landing folder
  into a fresh warehouse, one source at a time.
- cluster: `ThemeClusterer().fit`, the theme step's clustering, on precomputed vectors; and
  themes: `build_themes` on the same vectors (clustering again, then IDs and labels). The
  model is not run per item: every template piece of the bank is embedded once with the
  bundled all-MiniLM-L6-v2, and an item's vector is the normalised weighted sum of its
  pieces' vectors plus a little noise (so no two items share a vector). Themes therefore
  come from real embeddings of the real paraphrases, as in the sample.
- embed (estimated): the model's measured rate on 512 of the generated texts, applied to the
  size's distinct texts (the cache embeds each text once); not run at full size.

"growth" compares each size with the one before: the exponent b in cost ~ size^b, with size
the stage's own driver (events for product events, feedback for feedback stages): 1 is
linear, above 1 faster than linear. On a shared machine the CPU exponent is the one to read:
wall time also counts the waits for a core another job holds.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
EXTRACTS = ("accounts", "users", "product_events", "support_tickets", "nps_responses")
# What a stage's size is, for the growth exponent.
DRIVER = {"generate": "rows", "extract accounts": "accounts", "extract users": "users"}
DRIVER |= {"extract product_events": "events", "cluster": "feedback", "embed (estimated)": "distinct_texts"}
DRIVER |= {
    "extract support_tickets": "feedback",
    "extract nps_responses": "feedback",
    "themes (cluster + label)": "feedback",
}
EMBED_SAMPLE = 512
# How much each piece of an item counts in its composed vector: the problem sentence (or an
# off-topic body) most; greetings, lead-ins and closers, shared by every theme, least (0.3).
PIECE_WEIGHTS = {"problem": 1.0, "noise_body": 1.0, "detail": 0.6}


def _measure(work) -> dict:
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    extra = work() or {}
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"wall": wall, "cpu": cpu, "rss_mib": after.ru_maxrss / 1024, **extra}


# -- stages, each run in its own process -------------------------------------------------------


def stage_generate(workdir: Path, args) -> dict:
    from scale_company import generate

    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    return _measure(lambda: generate(workdir, args.feedback_one, args.events_one, args.accounts_one))


def stage_extract(workdir: Path, args) -> dict:
    import duckdb

    from insights.sources.catalog import SOURCES
    from insights.sources.load import load_source

    spec = next(s for s in SOURCES if s.name == args.source)
    con = duckdb.connect(str(workdir / "warehouse.duckdb"))

    def work():
        report = load_source(con, spec, workdir / "landing")
        return {"rows": report.rows_loaded, "quarantined": report.rows_quarantined, "failed": len(report.failures)}

    result = _measure(work)
    con.close()
    return result


def _piece_vectors(cache: Path):
    import numpy as np

    return np.load(cache / "pieces.npy")


def stage_embed(workdir: Path, args) -> dict:
    """Embed every template piece once (the vectors `cluster` composes from) and time the model
    on a sample of generated texts."""
    import duckdb
    import numpy as np
    from scale_company import pieces

    from insights.themes.embed import embed_texts, load_model

    cache = Path(args.cache)
    started = time.perf_counter()
    model = load_model()
    load_seconds = time.perf_counter() - started
    texts = pieces()["text"].str.replace(r"\{[a-z0-9_]+\}", "12", regex=True).tolist()
    np.save(cache / "pieces.npy", embed_texts(texts, model))
    sample = duckdb.sql(f"select text from '{workdir / 'truth.parquet'}' order by i limit {EMBED_SAMPLE}")
    sample = [text for (text,) in sample.fetchall()]
    result = _measure(lambda: {"texts": len(sample)} if embed_texts(sample, model) is not None else {})
    result["rate"] = len(sample) / result["wall"]
    result["model_load"] = load_seconds
    return result


def _composed_vectors(workdir: Path, cache: Path):
    """(planted theme, unit vector) of every item: its pieces' vectors, weighted, plus noise."""
    import duckdb
    import numpy as np
    from scale_company import pieces as bank_pieces

    from insights.themes.embed import normalize_rows

    truth = workdir / "truth.parquet"
    theme = duckdb.sql(f"select theme from '{truth}' order by i").fetchnumpy()["theme"]
    flat = duckdb.sql(f"select i, unnest(piece_ids) as piece from '{truth}'").fetchnumpy()
    owner, flat = flat["i"].astype(np.int64), flat["piece"].astype(np.int64)
    pieces = _piece_vectors(cache)
    weight = bank_pieces()["kind"].map(PIECE_WEIGHTS).fillna(0.3).to_numpy(dtype=np.float32)
    rng = np.random.default_rng(0)
    vectors = np.zeros((theme.size, pieces.shape[1]), dtype=np.float32)
    np.add.at(vectors, owner, pieces[flat] * weight[flat, None])
    vectors += rng.normal(scale=0.15, size=vectors.shape).astype(np.float32) / math.sqrt(pieces.shape[1])
    return theme, normalize_rows(vectors)


def stage_cluster(workdir: Path, args) -> dict:
    from sklearn.metrics import adjusted_rand_score

    from insights.themes.cluster import ThemeClusterer

    theme, vectors = _composed_vectors(workdir, Path(args.cache))
    fitted = {}

    def work():
        fitted["model"] = ThemeClusterer().fit(vectors)

    result = _measure(work)
    model = fitted["model"]
    result["themes"] = int(model.n_themes_)
    result["outliers"] = float((model.labels_ < 0).mean())
    result["ari"] = float(adjusted_rand_score(theme, model.labels_))
    return result


def stage_themes(workdir: Path, args) -> dict:
    """`build_themes`, the theme step's front door: the clustering again, then IDs and labels
    (from word statistics: no `embed` function, so the labeller does not run the model)."""
    import duckdb

    from insights.themes import build_themes

    _, vectors = _composed_vectors(workdir, Path(args.cache))
    truth = workdir / "truth.parquet"
    feedback = duckdb.sql(f"select 'item:' || i as feedback_id, text from '{truth}' order by i").df()
    fitted = {}

    def work():
        fitted["result"] = build_themes(feedback, vectors)

    result = _measure(work)
    result["themes"] = len(fitted["result"].themes)
    return result


STAGES = {
    "generate": stage_generate,
    "extract": stage_extract,
    "embed": stage_embed,
    "cluster": stage_cluster,
    "themes": stage_themes,
}


def _child(stage: str, workdir: Path, args, **extra) -> dict:
    command = [sys.executable, __file__, "--stage", stage, "--stage-dir", str(workdir), "--cache", args.cache]
    for name, value in extra.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, env=None, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_size(args, feedback: int, events: int, accounts: int, rate: float | None) -> tuple[dict, dict, float | None]:
    workdir = Path(args.workdir) / f"f{feedback}-e{events}"
    rows: dict[str, dict] = {}
    rows["generate"] = _child(
        "generate", workdir, args, feedback_one=feedback, events_one=events, accounts_one=accounts
    )
    sizes = dict(rows["generate"])
    sizes["rows"] = sizes["feedback"] + sizes["events"] + sizes["accounts"] + sizes["users"]
    if rate is None and not args.no_embed:
        # The model runs once, on the first size's texts; its rate estimates every size.
        embed = _child("embed", workdir, args)
        rate = embed["rate"]
        print(
            f"embedding: {embed['texts']} texts in {embed['wall']:.1f} s = {rate:.0f} texts/s (CPU {embed['cpu']:.1f} s,"
            f" model load {embed['model_load']:.1f} s, peak RSS {embed['rss_mib']:.0f} MiB)\n",
            flush=True,
        )
    for source in EXTRACTS:
        rows[f"extract {source}"] = _child("extract", workdir, args, source=source)
    rows["cluster"] = _child("cluster", workdir, args)
    rows["themes (cluster + label)"] = _child("themes", workdir, args)
    if rate:
        rows["embed (estimated)"] = {"wall": sizes["distinct_texts"] / rate, "cpu": math.nan, "rss_mib": math.nan}
    return sizes, rows, rate


def _table(label: str, rows: dict[str, dict]) -> list[str]:
    lines = [f"{label}", "", "| stage | wall s | CPU s | peak RSS MiB | notes |", "|---|---:|---:|---:|---|"]
    for stage, row in rows.items():
        notes = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in row.items()
            if k not in ("wall", "cpu", "rss_mib")
        )
        cpu = "-" if math.isnan(row["cpu"]) else f"{row['cpu']:.1f}"
        rss = "-" if math.isnan(row["rss_mib"]) else f"{row['rss_mib']:.0f}"
        lines.append(f"| {stage} | {row['wall']:.1f} | {cpu} | {rss} | {notes} |")
    return lines


def _growth(previous: tuple[dict, dict], current: tuple[dict, dict]) -> list[str]:
    (psizes, prows), (sizes, rows) = previous, current
    lines = [
        "| stage | size x | wall x | CPU x | exponent (wall) | exponent (CPU) | RSS x |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for stage, row in rows.items():
        before = prows.get(stage)
        key = DRIVER.get(stage)
        if before is None or key is None or psizes[key] == sizes[key]:
            continue
        size_ratio = sizes[key] / psizes[key]
        wall = row["wall"] / max(before["wall"], 1e-9)
        if math.isnan(row["cpu"]):
            cpu = cpu_exponent = rss = "-"
        else:
            cpu_ratio = row["cpu"] / max(before["cpu"], 1e-9)
            cpu, cpu_exponent = f"{cpu_ratio:.1f}", f"{math.log(cpu_ratio) / math.log(size_ratio):.2f}"
            rss = f"{row['rss_mib'] / before['rss_mib']:.1f}"
        exponent = math.log(wall) / math.log(size_ratio)
        lines.append(f"| {stage} | {size_ratio:.1f} | {wall:.1f} | {cpu} | {exponent:.2f} | {cpu_exponent} | {rss} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feedback", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--accounts", type=int, nargs="+", default=None, help="default: feedback / 20")
    parser.add_argument("--workdir", default="/tmp/scale-bench")
    parser.add_argument("--no-embed", action="store_true", help="skip the model (then cluster needs a cache)")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--stage-dir", help=argparse.SUPPRESS)
    parser.add_argument("--cache", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    for name in ("feedback-one", "events-one", "accounts-one"):
        parser.add_argument(f"--{name}", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        sys.path.insert(0, str(BENCH))
        print(json.dumps(STAGES[args.stage](Path(args.stage_dir), args)))
        return
    if len(args.feedback) != len(args.events):
        parser.error("give as many --events sizes as --feedback sizes")
    accounts = args.accounts or [max(10, f // 20) for f in args.feedback]
    args.cache = args.cache or str(Path(args.workdir) / "cache")
    Path(args.cache).mkdir(parents=True, exist_ok=True)
    results, rate = [], None
    for feedback, events, n_accounts in zip(args.feedback, args.events, accounts, strict=True):
        sizes, rows, rate = run_size(args, feedback, events, n_accounts, rate)
        results.append((sizes, rows))
        label = (
            f"**{sizes['feedback']:,} feedback ({sizes['distinct_texts']:,} distinct), {sizes['events']:,} events, "
            f"{sizes['accounts']:,} accounts, {sizes['users']:,} users**"
        )
        print("\n".join(_table(label, rows)), end="\n\n", flush=True)
        if len(results) > 1:
            print(f"growth from the size before ({results[-2][0]['feedback']:,} feedback):\n")
            print("\n".join(_growth(results[-2], results[-1])), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
