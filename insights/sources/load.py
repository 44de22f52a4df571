"""Load landing files into `raw.*`: one transaction per file, recorded in a ledger.

A file whose content hash is already in the ledger is skipped; a changed file replaces the
rows it loaded before, so re-dropping or re-running never duplicates and never loses rows.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import os
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from insights import limits, warehouse
from insights.sources.landing import NotARegularFile, open_regular, refusal
from insights.sources.spec import SourceSpec, UnreadableFile
from insights.sources.validate import QuarantineEntry, validate

LEDGER_DDL = """
create table if not exists raw.load_ledger (
    source varchar, path varchar, size bigint, sha256 varchar, status varchar,
    rows_loaded bigint, rows_quarantined bigint, error varchar, loaded_at timestamp,
    primary key (source, path)
)"""

# Added after the first release; `ensure_tables` adds them to an older ledger.
LEDGER_COLUMNS = (("mtime_ns", "BIGINT"), ("error_class", "VARCHAR"))

QUARANTINE_DDL = """
create table if not exists raw.quarantine (
    source varchar, file varchar, line integer, field varchar, value varchar,
    reason varchar, quarantined_at timestamp
)"""


@dataclass
class LoadReport:
    source: str
    files_seen: int = 0
    files_loaded: int = 0
    files_skipped: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    # Files that failed on an earlier run and have not changed since: not read again.
    skipped_failed: list[tuple[str, str]] = field(default_factory=list)
    quarantined: list[QuarantineEntry] = field(default_factory=list)


def ensure_tables(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> None:
    con.execute("create schema if not exists raw")
    con.execute(LEDGER_DDL)
    for name, sql_type in LEDGER_COLUMNS:
        con.execute(f"alter table raw.load_ledger add column if not exists {name} {sql_type}")
    con.execute(QUARANTINE_DDL)
    columns = ", ".join(f'"{name}" {sql_type}' for name, sql_type in spec.table_columns)
    con.execute(f"create table if not exists raw.{spec.name} ({columns})")
    # A warehouse made by an earlier version lacks columns added since; rows it holds keep
    # NULL there until their file changes, which is what they would have read as anyway.
    for name, sql_type in spec.table_columns:
        con.execute(f'alter table raw.{spec.name} add column if not exists "{name}" {sql_type}')


def table_row_count(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> int:
    """Rows in `raw.<spec.name>`; 0 before its first load."""
    ensure_tables(con, spec)
    return con.execute(f"select count(*) from raw.{spec.name}").fetchone()[0]


def loaded_file_stats(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[int, int]]:
    """(source, path) -> (size, mtime_ns) of every file the ledger holds, loaded or failed;
    empty before the first load."""
    try:
        rows = con.execute("select source, path, size, mtime_ns from raw.load_ledger").fetchall()
    except (duckdb.CatalogException, duckdb.BinderException):  # no ledger yet, or one without mtime_ns
        return {}
    return {(source, path): (size, mtime_ns) for source, path, size, mtime_ns in rows}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _insert(con, spec: SourceSpec, rows: list[dict], file: str, loaded_at: datetime) -> None:
    # One list parameter per column, unnested in SQL: DuckDB copies parameters into its own
    # values, whereas a registered DataFrame stays referenced until the transaction ends, so
    # a file's batches all stayed in memory until its commit.
    given = [(name, sql_type) for name, sql_type in spec.table_columns if name not in ("_source_file", "_loaded_at")]
    # Named, not positional: a table migrated by ensure_tables has new columns at its end.
    names = ", ".join(f'"{name}"' for name, _ in given)
    unnested = ", ".join(f'unnest(cast(? as {sql_type}[])) as "{name}"' for name, sql_type in given)
    con.execute(
        f'insert into raw.{spec.name} ({names}, "_source_file", "_loaded_at") '
        f"select *, cast(? as varchar), cast(? as timestamp) from (select {unnested})",
        [file, loaded_at, *([row.get(name) for row in rows] for name, _ in given)],
    )


# Rows validated and inserted per batch: a batch of typed dicts and its DataFrame is what a
# load holds in memory, whatever the file's size.
BATCH_ROWS = 10_000


class _WriteFailed(Exception):
    """Writing to the warehouse failed (the cause is chained); reading the file did not."""


def _load_file(con, spec, file, records, loaded_at) -> tuple[int, list[QuarantineEntry]]:
    """Replace the file's rows and quarantine entries with what `records` holds, a batch at a
    time; the caller's transaction makes it all or nothing. Returns (rows loaded, rejected)."""
    try:
        con.execute(f"delete from raw.{spec.name} where _source_file = ?", [file])
        con.execute("delete from raw.quarantine where source = ? and file = ?", [spec.name, file])
    except Exception as exc:
        raise _WriteFailed() from exc
    records = iter(records)
    loaded = 0
    rejected: list[QuarantineEntry] = []
    while batch := list(itertools.islice(records, BATCH_ROWS)):
        rows, bad = validate(spec, file, batch)
        del batch
        try:
            if rows:
                _insert(con, spec, rows, file, loaded_at)
            if bad:
                con.executemany(
                    "insert into raw.quarantine values (?, ?, ?, ?, ?, ?, ?)",
                    [(q.source, q.file, q.line, q.field, q.value, q.reason, loaded_at) for q in bad],
                )
        except Exception as exc:
            raise _WriteFailed() from exc
        loaded += len(rows)
        rejected.extend(bad)
    return loaded, rejected


# What a failure is, in words that quote nothing from the file: the message of an exception
# raised by a parser (str(exc)) may carry file content, so only our own UnreadableFile
# messages and these fixed descriptions reach the ledger and the logs.
_DESCRIPTIONS: tuple[tuple[type[BaseException], str], ...] = (
    (RecursionError, "nested too deeply to parse"),
    (zlib.error, "corrupt compressed data"),
    (EOFError, "compressed data ends too early (truncated)"),
    (csv.Error, "not a well-formed CSV"),
    (UnicodeError, "text that is not valid Unicode"),
    (OverflowError, "a value out of range"),
    (MemoryError, "too large to read in memory"),
    (OSError, "the file could not be read"),
)


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """(exception class, short message) for the ledger; never quotes the file."""
    name = type(exc).__name__
    if isinstance(exc, UnreadableFile):
        message = str(exc)
    else:
        message = next((text for kind, text in _DESCRIPTIONS if isinstance(exc, kind)), "unexpected error")
        if isinstance(exc, OSError) and exc.strerror:
            message = f"{message}: {exc.strerror}"
    return name, message[: limits.MAX_ERROR_CHARS]


def _record_ledger(con, spec, file, size, mtime_ns, sha, error, error_class, rows, rejected, loaded_at) -> None:
    con.execute(
        "insert or replace into raw.load_ledger (source, path, size, sha256, status, rows_loaded,"
        " rows_quarantined, error, loaded_at, mtime_ns, error_class) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            spec.name,
            file,
            size,
            sha,
            "failed" if error else "loaded",
            rows,
            rejected,
            error,
            loaded_at,
            mtime_ns,
            error_class,
        ],
    )


def load_source(con: duckdb.DuckDBPyConnection, spec: SourceSpec, landing_dir: Path) -> LoadReport:
    """Load every new or changed file of `spec` under `landing_dir` into `raw.<spec.name>`.

    Any error while reading or writing one file fails that file alone: a `failed` ledger row
    with its size, checksum, exception class and a message, and the next file goes on. A
    failed file is read again only when its checksum changes; until then each run skips it
    and says so in `report.skipped_failed`.
    """
    ensure_tables(con, spec)
    report = LoadReport(source=spec.name)
    for path in spec.files(landing_dir):
        report.files_seen += 1
        file = path.relative_to(landing_dir).as_posix()
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        try:
            st = os.lstat(path)
        except OSError:
            continue  # gone since the listing
        size, mtime_ns = st.st_size, st.st_mtime_ns
        refused = refusal(landing_dir, path, st)
        sha = None
        if refused is None:
            try:
                sha = _sha256(path)
            except UnreadableFile as exc:  # swapped for a link or FIFO since the lstat
                refused = str(exc)
        known = con.execute(
            "select sha256, status, error, size, mtime_ns from raw.load_ledger where source = ? and path = ?",
            [spec.name, file],
        ).fetchone()
        # Unchanged: the same checksum, or for an entry refused unread (no checksum) the
        # same size and modification time.
        if known is not None and known[0] == sha and (sha is not None or known[3:] == (size, mtime_ns)):
            report.files_skipped += 1
            if known[1] == "failed":
                report.skipped_failed.append((file, (known[2] or "").removeprefix(f"{file}: ")))
            continue
        rows_loaded = 0
        rejected: list[QuarantineEntry] = []
        error = error_class = None
        try:
            if refused is not None:
                raise NotARegularFile(refused)
            if size > limits.MAX_FILE_BYTES:
                raise UnreadableFile(
                    f"file is {size} bytes, over the limit of {limits.MAX_FILE_BYTES} (limit MAX_FILE_BYTES)"
                )
            # Read, validated and inserted a batch at a time inside one transaction: memory
            # grows with a batch, not with the file, and the file still loads whole or not at all.
            with warehouse.transaction(con):
                rows_loaded, rejected = _load_file(con, spec, file, spec.reader(path), loaded_at)
                _record_ledger(con, spec, file, size, mtime_ns, sha, None, None, rows_loaded, len(rejected), loaded_at)
        except _WriteFailed as exc:  # rolled back; recorded as failed below
            error_class, message = describe_failure(exc.__cause__)
            rows_loaded, rejected, error = 0, [], f"{file}: could not be written: {message}"
        except Exception as exc:  # noqa: BLE001 - one file, whatever broke it, must not stop the run
            error_class, message = describe_failure(exc)
            rows_loaded, rejected, error = 0, [], f"{file}: {message}"
        if error is not None:
            # A file that cannot be read keeps the rows an earlier version loaded: losing
            # good data because a re-export broke would be worse than serving it a day longer.
            report.failures.append((file, error.removeprefix(f"{file}: ")))
            with warehouse.transaction(con):
                _record_ledger(con, spec, file, size, mtime_ns, sha, error, error_class, 0, 0, loaded_at)
            continue
        report.files_loaded += 1
        report.rows_loaded += rows_loaded
        report.rows_quarantined += len(rejected)
        report.quarantined.extend(rejected)
    return report
