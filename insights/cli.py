"""The `insights` command line: the library's entry points without Dagster."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _sample_data(args: argparse.Namespace) -> int:
    from insights.sample.generator import generate

    summary = generate(Path(args.out), seed=args.seed, scale=args.scale)
    for name, count in summary.items():
        print(f"{name:>22}: {count}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from insights.report import summarise

    warehouse = Path(args.data_dir) / "warehouse.duckdb"
    if not warehouse.exists():
        print(f"no warehouse at {warehouse}: run the pipeline first", file=sys.stderr)
        return 1
    print(summarise(warehouse))
    return 0


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
    summary.set_defaults(handler=_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
