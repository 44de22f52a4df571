"""A BI tool stand-in, run in its own process while snapshots are published.

`python serving_reader.py <snapshot file> <stop file> hold|reconnect` reads roadmap_candidates
until the stop file appears, then prints what it saw as JSON. `hold` keeps one connection for
the whole time (it must go on reading the snapshot it opened); `reconnect` opens a fresh one
every few reads (it must move on to newer snapshots). It has to be a separate process: DuckDB
shares one database instance per path inside a process, which would hide the rename.
"""

import json
import sys
import time
from pathlib import Path

import duckdb

READS_PER_CONNECTION = 5

# The readme's row count and the table's are read in one statement: a table caught half
# written, or a readme from another snapshot than its table, shows up as a mismatch.
QUERY = (
    "select (select count(*) from roadmap_candidates), row_count, snapshot_id "
    "from readme where table_name = 'roadmap_candidates'"
)


def main(path: str, stop_file: str, mode: str) -> None:
    stop = Path(stop_file)
    ready = Path(f"{stop_file}.{mode}.ready")
    stats = {"reads": 0, "errors": [], "mismatches": 0, "snapshots": []}
    con = None
    while not stop.exists():
        try:
            if con is None:
                con = duckdb.connect(path, read_only=True)
            counted, recorded, snapshot_id = con.execute(QUERY).fetchone()
            stats["reads"] += 1
            stats["mismatches"] += counted != recorded
            if snapshot_id not in stats["snapshots"]:
                stats["snapshots"].append(snapshot_id)
            ready.touch()
        except Exception as error:  # every failure is the finding, not a crash
            stats["errors"].append(repr(error))
        if con is not None and mode == "reconnect" and stats["reads"] % READS_PER_CONNECTION == 0:
            con.close()
            con = None
        # Leaves the CPU to the publisher; thousands of reads a minute are plenty.
        time.sleep(0.005)
    if con is not None:
        con.close()
    with duckdb.connect(path, read_only=True) as fresh:
        stats["final_snapshot"] = fresh.execute(QUERY).fetchone()[2]
    print(json.dumps(stats))


if __name__ == "__main__":
    main(*sys.argv[1:])
