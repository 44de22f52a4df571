"""The `insights` command line: the library's entry points without Dagster."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from insights.marts import DEFAULT_MANIFEST


def _sample_data(args: argparse.Namespace) -> int:
    from insights.sample.generator import generate

    summary = generate(Path(args.out), seed=args.seed, scale=args.scale)
    for name, count in summary.items():
        print(f"{name:>22}: {count}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from insights.marts import read_marts
    from insights.report import summarise

    warehouse = Path(args.data_dir) / "warehouse.duckdb"
    if not warehouse.exists():
        print(f"no warehouse at {warehouse}: run the pipeline first", file=sys.stderr)
        return 1
    try:
        marts = read_marts(args.manifest)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(summarise(warehouse, marts))
    report = Path(args.data_dir) / "serving" / "report" / "index.html"
    if report.exists():
        print(f"\nweekly report: {report.resolve()}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import json

    import pandas as pd

    from insights.evaluate import (
        assignments_frame,
        by_label,
        evaluate_themes,
        format_by_label,
        format_report,
        write_csv_atomic,
    )
    from insights.themes.embed import load_model

    frame = pd.read_csv(args.input, dtype=str, keep_default_na=False)
    missing = [c for c in (args.text_column, args.label_column) if c not in frame.columns]
    if missing:
        print(f"{args.input} has no column {', '.join(missing)}; it has {', '.join(frame.columns)}", file=sys.stderr)
        return 2
    # An item without a true label cannot be scored either way, so it is left out, not guessed.
    labelled = frame[frame[args.label_column].str.strip() != ""]
    if labelled.empty:
        print(f"no labelled rows in {args.input}", file=sys.stderr)
        return 2
    texts, truth = labelled[args.text_column].tolist(), labelled[args.label_column].tolist()
    report = evaluate_themes(texts, truth, load_model(args.model), resolution=args.resolution)
    if args.assignments:
        write_csv_atomic(assignments_frame(texts, truth, report), args.assignments)
    table = by_label(truth, report["item_theme_ids"], report["theme_labels"]) if args.by_label else None
    if args.format == "json":
        if table is not None:
            # Inside the one object, so the output stays a single JSON document.
            report["by_label"] = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        print(json.dumps(report, indent=2))
    else:
        print(format_report(report))
        if table is not None:
            print()
            print(format_by_label(table))
    return 0


def _classify(args: argparse.Namespace) -> int:
    import pandas as pd

    from insights.signals.classify import OUTPUT_COLUMNS, classify_texts, format_table, write_table_atomic
    from insights.signals.intent import ExamplesError, load_examples
    from insights.themes.embed import load_model

    if not Path(args.input).is_file():
        print(f"no input file at {args.input}", file=sys.stderr)
        return 2
    frame = pd.read_csv(args.input, dtype=str, keep_default_na=False)
    wanted = [c for c in (args.text_column, args.id_column, args.rating_column) if c]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        print(f"{args.input} has no column {', '.join(missing)}; it has {', '.join(frame.columns)}", file=sys.stderr)
        return 2
    clash = [c for c in OUTPUT_COLUMNS if c == args.id_column]
    if clash:
        print(f"the id column may not be called {clash[0]}: the output has a column of that name", file=sys.stderr)
        return 2
    try:
        examples = load_examples(args.examples) if args.examples else None
    except (FileNotFoundError, ExamplesError) as error:
        print(error, file=sys.stderr)
        return 2
    ratings = frame[args.rating_column] if args.rating_column else None
    result = classify_texts(
        frame[args.text_column].tolist(), load_model(args.model), examples, ratings, args.rating_scale
    )
    if args.id_column:
        result.insert(0, args.id_column, frame[args.id_column].to_numpy())
    if args.output:
        write_table_atomic(result, args.output, args.format)
    else:
        sys.stdout.write(format_table(result, args.format))
    return 0


def _themes_list(args: argparse.Namespace) -> int:
    from insights.themes import curation, theme_page

    try:
        themes = theme_page.read_theme_list(args.data_dir)
        state = curation.read_theme_state(args.data_dir)
        path = curation.overrides_path(args.data_dir)
        rows = curation.read_overrides(path)
    except curation.CurationError as error:
        print(error, file=sys.stderr)
        return 1
    for t in themes.itertuples():
        row = rows.get(t.theme_id, {})
        flags = [f"merged into {row['merge_into']}"] if row.get("merge_into") else []
        flags += ["hidden"] if row.get("hidden") else []
        flags += ["renamed"] if row.get("label") else []
        flags += ["to be split"] if row.get("split") else []
        label = row.get("label") or t.generated_label
        line = (
            f"{t.theme_id:<14} {t.n_items:>5}  {t.status:<8} {label}{'  [' + ', '.join(flags) + ']' if flags else ''}"
        )
        print(theme_page.printable(line))
    for theme, problem in curation.stale_overrides(rows, state):
        print(f"stale override {theme}: {problem}; it does nothing until you edit or remove it", file=sys.stderr)
    published = theme_page.published_at(args.data_dir)
    if path.exists() and published is not None and path.stat().st_mtime > published.timestamp():
        print(
            f"{path} changed after the snapshot of {published:%Y-%m-%d %H:%M}: the next run applies it", file=sys.stderr
        )
    return 0


def _themes_show(args: argparse.Namespace) -> int:
    from insights.themes.curation import CurationError
    from insights.themes.theme_page import format_theme_page, read_theme_page

    try:
        print(format_theme_page(read_theme_page(args.data_dir, args.theme_id)))
    except CurationError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def _themes_edit(args: argparse.Namespace) -> int:
    from insights.themes import curation

    # Read, checked and written under the lock, so a concurrent edit cannot be lost.
    with curation.editing(args.data_dir) as path:
        try:
            rows = curation.read_overrides(path)
            if args.verb in ("unmerge", "unhide", "unsplit"):
                rows = getattr(curation, args.verb)(rows, args.theme_id)
            else:
                state = curation.read_theme_state(args.data_dir)
                if args.verb == "rename":
                    rows = curation.rename(rows, state, args.theme_id, args.label, args.note)
                elif args.verb == "merge":
                    rows = curation.merge(rows, state, args.theme_id, args.into_id, args.note)
                elif args.verb == "split":
                    rows = curation.split(rows, state, args.theme_id, args.note)
                else:
                    rows = curation.hide(rows, state, args.theme_id, args.reason)
        except curation.CurationError as error:
            print(error, file=sys.stderr)
            return 2
        curation.write_overrides(path, rows)
    print(f"{args.verb} {args.theme_id}: written to {path}; the next run applies it")
    return 0


def _add_themes_parser(commands) -> None:
    themes = commands.add_parser(
        "themes",
        help="list and show themes; rename, merge, hide them (DATA/curation/theme_overrides.csv)",
        description="Curate the themes: each edit is checked against the last run's themes and written to "
        "<data root>/curation/theme_overrides.csv, which the next run applies (docs/themes.md).",
    )
    verbs = themes.add_subparsers(dest="verb", required=True)

    def verb(name: str, help_text: str, handler):
        sub = verbs.add_parser(name, help=help_text)
        sub.add_argument(
            "--data-dir",
            default=os.environ.get("INSIGHTS_DATA_DIR", "data"),
            help="data root; default $INSIGHTS_DATA_DIR, else ./data",
        )
        sub.set_defaults(handler=handler)
        return sub

    verb("list", "every theme of the serving snapshot, largest first, with its curation", _themes_list)
    verb(
        "show", "a theme's page: volume, sentiment, intents, accounts, roadmap item, quotes, lineage", _themes_show
    ).add_argument("theme_id")
    rename = verb("rename", "show LABEL instead of the generated label", _themes_edit)
    rename.add_argument("theme_id")
    rename.add_argument("label")
    rename.add_argument("--note", help="why, for the next person")
    merge = verb("merge", "fold THEME_ID's feedback into INTO_ID", _themes_edit)
    merge.add_argument("theme_id")
    merge.add_argument("into_id")
    merge.add_argument("--note", help="why, for the next person")
    verb("unmerge", "undo a merge", _themes_edit).add_argument("theme_id")
    hide = verb("hide", "leave the theme out of roadmap_candidates (it stays in dim_themes)", _themes_edit)
    hide.add_argument("theme_id")
    hide.add_argument("--reason", help="why it is hidden (required)")
    verb("unhide", "undo a hide", _themes_edit).add_argument("theme_id")
    split = verb(
        "split", "have every run cut the theme into sub-themes with new IDs (lineage: split from ID)", _themes_edit
    )
    split.add_argument("theme_id")
    split.add_argument("--note", help="why, for the next person")
    verb("unsplit", "stop cutting the theme; it may grow back whole at the next run", _themes_edit).add_argument(
        "theme_id"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="insights", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    sample = commands.add_parser(
        "sample-data",
        help="write a fictional SaaS company's exports into DIR/landing (answers in DIR/answers)",
    )
    sample.add_argument("--out", required=True, help="data root to write into")
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--scale", type=float, default=1.0, help="1.0 is ~300 accounts, ~5,000 feedback items")
    sample.set_defaults(handler=_sample_data)

    summary = commands.add_parser("summary", help="print row counts per mart and the top roadmap candidates")
    summary.add_argument("--data-dir", default="data", help="data root holding warehouse.duckdb")
    summary.add_argument(
        "--manifest", default=str(DEFAULT_MANIFEST), help="dbt manifest naming the marts (written by `make manifest`)"
    )
    summary.set_defaults(handler=_summary)

    evaluate = commands.add_parser(
        "evaluate",
        help="run the theme step on a labelled CSV and score it, beside a k-means baseline",
        description="Embed and cluster the texts exactly as the pipeline does, then compare the themes "
        "with the true labels (NMI, ARI, V-measure; outliers count as one group).",
    )
    evaluate.add_argument("--input", required=True, help="CSV file with a text and a label column")
    evaluate.add_argument("--text-column", required=True)
    evaluate.add_argument("--label-column", required=True, help="rows with an empty label are left out")
    evaluate.add_argument("--format", choices=["table", "json"], default="table")
    evaluate.add_argument(
        "--resolution",
        type=float,
        default=None,
        help="merge threshold as a fraction of the corpus's cohesion; default the pipeline's 0.45",
    )
    evaluate.add_argument(
        "--model",
        # The same setting the pipeline reads, so the evaluated model is the deployed one.
        default=os.environ.get("INSIGHTS_EMBEDDING_MODEL") or None,
        help="sentence-transformers model folder; default $INSIGHTS_EMBEDDING_MODEL, else the bundled one",
    )
    evaluate.add_argument(
        "--by-label",
        action="store_true",
        help="after the report, one row per true label: its main theme, purity, splits and outliers, worst first",
    )
    evaluate.add_argument(
        "--assignments",
        metavar="F.csv",
        help="write one row per item (text, true_label, theme_id, theme_label, similarity) to this CSV",
    )
    evaluate.set_defaults(handler=_evaluate)

    classify = commands.add_parser(
        "classify",
        help="intent (bug, feature_request, question, praise, other) and sentiment per row of a CSV",
        description="One output row per input row, in order: intent, intent_confidence, sentiment in [-1, 1] "
        "and sentiment_method. Intent comes from a classifier trained on the bundled seed examples (plus "
        "--examples); sentiment is VADER unless --rating-column gives enough rated rows (50) for a head "
        "trained on them to measure better.",
    )
    classify.add_argument("--input", required=True, help="CSV file with a text column")
    classify.add_argument("--text-column", required=True)
    classify.add_argument("--id-column", help="copied to the output as its first column")
    classify.add_argument("--output", metavar="OUT", help="file to write (atomically); default standard output")
    classify.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    classify.add_argument(
        "--examples",
        metavar="F.csv",
        help="your own `text,intent` examples; they extend the seed set and win where a text repeats",
    )
    classify.add_argument("--rating-column", help="stars or NPS score per row (may be empty) to train sentiment on")
    classify.add_argument("--rating-scale", choices=["stars", "nps"], default="stars", help="stars 1-5 or NPS 0-10")
    classify.add_argument(
        "--model",
        default=os.environ.get("INSIGHTS_EMBEDDING_MODEL") or None,
        help="sentence-transformers model folder; default $INSIGHTS_EMBEDDING_MODEL, else the bundled one",
    )
    classify.set_defaults(handler=_classify)
    _add_themes_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.handler(args)
        sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
        return code
    except BrokenPipeError:
        # The reader left (`insights themes list | head`): no traceback. Python's docs' recipe:
        # point stdout at devnull so the flush at exit does not raise again; 141 = 128 + SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
