"""A second night's landing files, and row-for-row fingerprints of the dbt models, for the
incremental-models test (test_incremental_models.py) and its bench figure (docs/performance.md)."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from pathlib import Path

# Bookkeeping columns that differ between two builds of the same data by design.
LOAD_COLUMNS = {"_loaded_at", "loaded_at", "built_at", "run_at", "generated_at"}


def _segment_events(landing: Path) -> list[dict]:
    events = []
    for path in sorted((landing / "segment").glob("*.jsonl")):
        events += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return events


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def add_second_night(landing: Path, share: float = 0.01, late_days: tuple[int, ...] = (2, 20)) -> dict:
    """Drop a new night's exports into `landing`: `share` of the events again as new events on
    the day after the newest (new IDs), one late event per `late_days` dated that many days
    before the newest day, a re-export of the events file of ten days before the newest that drops its
    last row and changes one, and one new Zendesk ticket. Returns what was written, for the asserts."""
    events = _segment_events(landing)
    newest = max(datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00")) for e in events)
    count = max(1, math.ceil(len(events) * share))
    new_events = []
    for i in range(count):
        template = events[i * len(events) // count]
        moment = newest.replace(hour=0, minute=0, second=0) + timedelta(days=1, seconds=37 * i)
        new_events.append({**template, "messageId": f"night-2-{i:06d}", "timestamp": _stamp(moment)})
    for days in late_days:
        template = events[days]
        moment = newest - timedelta(days=days)
        new_events.append({**template, "messageId": f"night-2-late-{days}d", "timestamp": _stamp(moment)})
    new_file = landing / "segment" / "events-night-2.jsonl"
    new_file.write_text("".join(json.dumps(e) + "\n" for e in new_events))

    # A shorter re-export: the dropped row must leave the warehouse, the changed one be updated.
    # Ten days back: the days before stay as built, so a full rebuild cannot pass for incremental.
    reexported = sorted((landing / "segment").glob("events-*.jsonl"))[-11]
    rows = [json.loads(line) for line in reexported.read_text().splitlines() if line.strip()]
    dropped = rows.pop()
    rows[0] = {**rows[0], "properties": {**rows[0].get("properties", {}), "feature": "night_2_feature"}}
    reexported.write_text("".join(json.dumps(e) + "\n" for e in rows))

    tickets_dir = landing / "zendesk"
    template = json.loads((tickets_dir / "tickets.json").read_text())["tickets"][0]
    ticket = {
        **template,
        "id": 990001,
        "created_at": _stamp(newest),
        "updated_at": _stamp(newest),
        "subject": "Night two: the export button is missing",
    }
    (tickets_dir / "tickets-night-2.jsonl").write_text(json.dumps(ticket) + "\n")
    return {"new_events": len(new_events), "dropped_event": dropped["messageId"], "changed_event": rows[0]["messageId"]}


def model_relations(con) -> list[tuple[str, str]]:
    """Every dbt-built table and view of the warehouse (schema main)."""
    return con.execute(
        "select table_schema, table_name from information_schema.tables where table_schema = 'main' order by table_name"
    ).fetchall()


def fingerprint(con, schema: str, name: str) -> tuple[list[str], list[tuple]]:
    """Columns (load bookkeeping left out) and every row, sorted, floats rounded to 1e-9."""
    columns = [
        column
        for (column,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [schema, name],
        ).fetchall()
        if column not in LOAD_COLUMNS
    ]
    select = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f'select {select} from "{schema}"."{name}"').fetchall()
    rounded = [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]
    return columns, sorted(rounded, key=repr)


def fingerprints(con) -> dict[str, tuple[list[str], list[tuple]]]:
    return {f"{schema}.{name}": fingerprint(con, schema, name) for schema, name in model_relations(con)}
