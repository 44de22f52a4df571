"""The serving snapshot BI tools read: the marts copied out of the working warehouse into
their own DuckDB file and Parquet files, swapped in whole so a reader never sees half a run.

Layout under the serving folder:

    insights.duckdb        the marts plus a `readme` table describing each
    parquet -> parquet.<id> one `<mart>.parquet` per mart (a symlink to the current version)
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from insights.durable import fsync, fsync_tree

SNAPSHOT_FILE = "insights.duckdb"
PARQUET_LINK = "parquet"
SERVING_STORAGE_VERSION = "v1.0.0"


# The tables a dashboard cannot do without: one of them losing more than MAX_SHRINK of its rows
# against the published snapshot is far more likely a broken export than a real change.
CORE_TABLES = ("dim_accounts", "fct_feedback", "dim_themes", "roadmap_candidates", "fct_product_events")
MAX_SHRINK = 0.5


class ShrinkError(RuntimeError):
    """A core table would shrink by more than MAX_SHRINK against the published snapshot."""

    def __init__(self, shrunk: dict[str, tuple[int, int]]):
        self.shrunk = shrunk
        detail = ", ".join(f"{name} {before} -> {after} rows" for name, (before, after) in shrunk.items())
        super().__init__(
            f"not published: core tables shrank by more than {MAX_SHRINK:.0%} against the published snapshot "
            f"({detail}); the last snapshot stays in place. Allow it with allow_shrink: true."
        )


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    path: Path
    parquet_dir: Path
    row_counts: dict[str, int]
    removed_leftovers: tuple[str, ...] = ()


def publish(
    warehouse: duckdb.DuckDBPyConnection | str | Path,
    serving_dir: str | Path,
    marts: Mapping[str, str],
    schema: str = "main",
    allow_shrink: bool = False,
) -> Snapshot:
    """Copy `marts` (table name -> description) from `schema` of the warehouse into a new snapshot.

    Everything is written beside the live snapshot and only then renamed over it; if any step
    fails the half-built copy is removed and the previous snapshot stays as it was.
    """
    if not isinstance(warehouse, duckdb.DuckDBPyConnection):
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return publish(con, serving_dir, marts, schema, allow_shrink)
    serving_dir = Path(serving_dir)
    if not allow_shrink:
        _check_shrink(warehouse, serving_dir, marts, schema)
    serving_dir.mkdir(parents=True, exist_ok=True)
    removed = tuple(remove_leftovers(serving_dir))
    snapshot_id = uuid.uuid4().hex
    new_file = serving_dir / f".{SNAPSHOT_FILE}.{snapshot_id}.tmp"
    new_parquet = serving_dir / f"{PARQUET_LINK}.{snapshot_id}"
    try:
        row_counts = _write_database(warehouse, new_file, marts, schema, snapshot_id)
        _write_parquet(new_file, new_parquet, list(marts))
        fsync_tree(new_parquet)
        fsync(new_file)
        _swap_in(serving_dir, new_file, new_parquet)
    except BaseException:
        new_file.unlink(missing_ok=True)
        Path(f"{new_file}.wal").unlink(missing_ok=True)
        shutil.rmtree(new_parquet, ignore_errors=True)
        raise
    return Snapshot(snapshot_id, serving_dir / SNAPSHOT_FILE, serving_dir / PARQUET_LINK, row_counts, removed)


# What a publish or report killed half-way (kill -9, power loss) leaves behind: its database
# file and WAL, its Parquet folder, its staged symlink, the report's staging folder. Runs
# publish one at a time (the warehouse's write lock is held throughout) and the report is
# written after the snapshot, so at the start of a publish none of these is in use.
_LEFTOVER = re.compile(
    rf"\.{re.escape(SNAPSHOT_FILE)}\.[0-9a-f]{{32}}\.tmp(\.wal)?"
    rf"|{PARQUET_LINK}\.[0-9a-f]{{32}}"
    rf"|\.{PARQUET_LINK}\.{PARQUET_LINK}\.[0-9a-f]{{32}}\.link"
    # insights.reporting.render_report's staging folder (the report is written after the snapshot).
    r"|\.report-tmp-[0-9a-f]{12}(-old)?"
)


def remove_leftovers(serving_dir: str | Path) -> list[str]:
    """Delete what dead publishes left in `serving_dir`; returns the names removed. The folder
    `parquet/` points at is kept, and nothing not named like a publish's own files is touched."""
    serving_dir = Path(serving_dir)
    link = serving_dir / PARQUET_LINK
    live = link.resolve() if link.is_symlink() else None
    removed = []
    for entry in sorted(serving_dir.iterdir()):
        if not _LEFTOVER.fullmatch(entry.name) or (live is not None and entry.resolve() == live):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry.name)
    return removed


def published_row_counts(serving_dir: str | Path) -> dict[str, int]:
    """Row count per table of the live snapshot's readme; empty when nothing is published yet."""
    path = Path(serving_dir) / SNAPSHOT_FILE
    if not path.exists():
        return {}
    with duckdb.connect(str(path), read_only=True) as served:
        return dict(served.execute("select table_name, row_count from readme").fetchall())


def _check_shrink(con, serving_dir: Path, marts: Mapping[str, str], schema: str) -> None:
    before = published_row_counts(serving_dir)
    catalog = con.execute("select current_database()").fetchone()[0]
    shrunk = {}
    for name in CORE_TABLES:
        if name not in marts or not before.get(name):
            continue
        after = con.execute(
            f"select count(*) from {sql_ident(catalog)}.{sql_ident(schema)}.{sql_ident(name)}"
        ).fetchone()[0]
        if after < before[name] * (1 - MAX_SHRINK):
            shrunk[name] = (before[name], after)
    if shrunk:
        raise ShrinkError(shrunk)


def sql_literal(value: object) -> str:
    """`value` as a SQL string literal (single quotes doubled), for statements that take no `?`."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    """`name` as a quoted SQL identifier (double quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def _write_database(con, target: Path, marts: Mapping[str, str], schema: str, snapshot_id: str) -> dict[str, int]:
    catalog = con.execute("select current_database()").fetchone()[0]
    published_at = datetime.now(UTC).replace(tzinfo=None)
    # BI tools bundle older DuckDB (Metabase's driver 1.5, Evidence 1.4), which cannot open a
    # file in the newest storage format; v1.0.0 is readable by every DuckDB since 1.0.
    # ATTACH and COPY take no `?` parameters, so paths go in as quoted literals.
    con.execute(
        f"attach {sql_literal(target)} as serving_new "
        f"(read_only false, storage_version {sql_literal(SERVING_STORAGE_VERSION)})"
    )
    try:
        row_counts = {}
        for name in marts:
            source = f"{sql_ident(catalog)}.{sql_ident(schema)}.{sql_ident(name)}"
            con.execute(f"create table serving_new.main.{sql_ident(name)} as select * from {source}")
            row_counts[name] = con.execute(f"select count(*) from serving_new.main.{sql_ident(name)}").fetchone()[0]
        con.execute(
            "create table serving_new.main.readme "
            "(table_name varchar, description varchar, row_count bigint, snapshot_id varchar, published_at timestamp)"
        )
        con.executemany(
            "insert into serving_new.main.readme values (?, ?, ?, ?, ?)",
            [(name, description, row_counts[name], snapshot_id, published_at) for name, description in marts.items()],
        )
        # Everything into the file itself, so no WAL has to travel with it through the rename.
        con.execute("checkpoint serving_new")
    finally:
        con.execute("detach serving_new")
    return row_counts


def _write_parquet(snapshot_file: Path, folder: Path, names: list[str]) -> None:
    # Exported from the snapshot just written, not the warehouse, so both forms hold the same rows.
    folder.mkdir()
    with duckdb.connect(str(snapshot_file), read_only=True) as con:
        for name in names:
            con.execute(f"copy {sql_ident(name)} to {sql_literal(folder / f'{name}.parquet')} (format parquet)")


def _swap_in(serving_dir: Path, new_file: Path, new_parquet: Path) -> None:
    link = serving_dir / PARQUET_LINK
    previous = link.resolve() if link.is_symlink() else None
    os.replace(new_file, serving_dir / SNAPSHOT_FILE)
    # A directory cannot be renamed over a non-empty one in one step, but a symlink can be:
    # readers following `parquet/` get the old folder or the new one, never a missing path.
    staged_link = serving_dir / f".{PARQUET_LINK}.{new_parquet.name}.link"
    staged_link.symlink_to(new_parquet.name)
    os.replace(staged_link, link)
    fsync(serving_dir)
    if previous is not None and previous != new_parquet.resolve():
        shutil.rmtree(previous, ignore_errors=True)
