"""Memory of loading one large JSON-lines export: wall time, peak RSS and peak/file size.

    .venv/bin/python bench/extract_memory.py [MB] [--tracemalloc]

Generates a Zendesk tickets `.jsonl` of about MB megabytes (default 200) in a temporary
directory, loads it with `load_source` into a temporary DuckDB and prints the figures.
Peak RSS is the process's (ru_maxrss) and includes the interpreter, DuckDB and its buffers;
`--tracemalloc` also reports the peak of Python allocations (slower, about 2x).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import duckdb

from insights.sources import load
from insights.sources.feedback_sources import SUPPORT_TICKETS
from insights.sources.load import load_source

WORDS = [
    "export",
    "report",
    "csv",
    "timeout",
    "login",
    "dashboard",
    "slow",
    "error",
    "sync",
    "billing",
    "invoice",
    "seat",
    "admin",
    "api",
]


def write_tickets(path: Path, megabytes: float, seed: int = 7) -> int:
    """A JSON-lines tickets file of about `megabytes` MB; returns its size in bytes."""
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        i = 0
        while written < target:
            i += 1
            ticket = {
                "id": 100000 + i,
                "created_at": f"2026-11-{1 + i % 28:02d}T09:{i % 60:02d}:00Z",
                "updated_at": f"2026-11-{1 + i % 28:02d}T10:00:00Z",
                "subject": " ".join(rng.choices(WORDS, k=6)),
                "description": " ".join(rng.choices(WORDS, k=60)),
                "status": rng.choice(["open", "pending", "solved"]),
                "priority": rng.choice(["low", "normal", "high"]),
                "requester_id": f"usr_{i % 5000:05d}",
                "organization_id": f"acc_{i % 400:04d}",
                "tags": rng.choices(WORDS, k=3),
                "via": {"channel": "email"},
                "satisfaction_rating": {"score": "unoffered"},
            }
            line = json.dumps(ticket) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    return path.stat().st_size


def _trace_batches() -> None:
    """Print what Python holds as each batch is inserted: flat when a load keeps one batch."""
    original = load._insert
    batches = iter(range(1, 1 << 30))

    def traced(*args, **kwargs):
        print(f"batch {next(batches):4d}     {tracemalloc.get_traced_memory()[0] / 2**20:8.1f} MiB held by Python")
        return original(*args, **kwargs)

    load._insert = traced


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("megabytes", nargs="?", type=float, default=200)
    parser.add_argument("--tracemalloc", action="store_true", help="also report the Python allocation peak")
    parser.add_argument(
        "--trace-batches", action="store_true", help="print the Python allocations held at each batch (tracemalloc)"
    )
    parser.add_argument("--memory-limit", help="DuckDB memory_limit for the load, e.g. 1GB (default: DuckDB's own)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        landing = Path(tmp) / "landing"
        (landing / "zendesk").mkdir(parents=True)
        size = write_tickets(landing / "zendesk" / "tickets.jsonl", args.megabytes)
        # Warm up on a tiny file first (imports, redaction patterns, DuckDB's own start-up), so
        # the growth figure is the large file's, not one-time costs.
        warm = Path(tmp) / "warm"
        (warm / "zendesk").mkdir(parents=True)
        write_tickets(warm / "zendesk" / "tickets.jsonl", 0.01)
        load_source(duckdb.connect(), SUPPORT_TICKETS, warm)
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        if args.memory_limit:
            con.execute(f"set memory_limit = '{args.memory_limit}'")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if args.tracemalloc or args.trace_batches:
            tracemalloc.start()
        if args.trace_batches:
            _trace_batches()
        start = time.perf_counter()
        report = load_source(con, SUPPORT_TICKETS, landing)
        wall = time.perf_counter() - start
        traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc or args.trace_batches else None
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
        con.close()
    mib = 1024 * 1024
    print(f"file            {size / mib:8.1f} MiB, {report.rows_loaded} rows loaded, {len(report.failures)} failures")
    print(f"wall time       {wall:8.1f} s")
    print(f"peak RSS        {rss / mib:8.1f} MiB  (before load {rss_before / mib:.1f} MiB)")
    print(f"RSS / file      {rss / size:8.2f}x  (growth during load {(rss - rss_before) / size:.2f}x)")
    if traced is not None:
        print(f"tracemalloc     {traced / mib:8.1f} MiB peak, {traced / size:.2f}x the file")
    if report.failures:
        sys.exit(f"failures: {report.failures}")


if __name__ == "__main__":
    main()
