"""A large JSON-lines export is read a line at a time and loaded in batches.

Before, the reader held the file's bytes and its whole decoded text and validate returned
every row as a dict at once: Python allocations peaked at about 4.9x a 10 MB file. Streamed
and batched, about 3.0x. Not lower yet: DuckDB keeps the Python strings of every inserted
pandas batch alive until the file's transaction commits (see docs/operations.md, Memory).
"""

from __future__ import annotations

import json
import tracemalloc

import duckdb
import pytest

from insights.sources.event_sources import PRODUCT_EVENTS
from insights.sources.load import load_source

MIB = 1024 * 1024


def _events_file(path, megabytes: int) -> int:
    """Segment track calls, about `megabytes` MB; returns the number of lines."""
    target = megabytes * MIB
    written = lines = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            lines += 1
            event = {
                "type": "track",
                "messageId": f"m-{lines}",
                "event": "Report Exported",
                "userId": f"usr_{lines % 5000:05d}",
                "anonymousId": None,
                "timestamp": f"2026-11-{1 + lines % 28:02d}T10:00:00Z",
                "properties": {"feature": "csv_export", "format": "csv", "note": "é" * (lines % 40)},
                "context": {"groupId": f"acc_{lines % 400:04d}", "library": {"name": "analytics.js"}},
            }
            line = json.dumps(event, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    return lines


# About 25 s under tracemalloc: the slow tier.
@pytest.mark.slow
def test_a_10_mb_json_lines_file_loads_without_holding_its_text(tmp_path):
    landing = tmp_path / "landing"
    (landing / "segment").mkdir(parents=True)
    path = landing / "segment" / "events.jsonl"
    lines = _events_file(path, 10)
    size = path.stat().st_size
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    tracemalloc.start()
    try:
        report = load_source(con, PRODUCT_EVENTS, landing)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.failures == [] and report.rows_loaded == lines
    assert con.execute("select count(*) from raw.product_events").fetchone()[0] == lines
    # The whole-file reader peaked at 4.9x (48.8 MiB); streaming at 3.0x (30.5 MiB).
    assert peak < 4 * size, f"peak {peak / MIB:.1f} MiB for a {size / MIB:.1f} MiB file"
