"""A person's corrections to the themes: the overrides file `insights themes` writes.

The file is `<data root>/curation/theme_overrides.csv`, in the user's data folder beside the
warehouse, never in the package; the dbt model `theme_overrides` reads it at every build, so
the next run applies it. One row per curated theme, sorted by theme ID, blank cells meaning
"no override", written whole to a temporary file in the same folder and renamed over the old
one, so a reader (dbt, a reviewer's diff) never sees half a file.

Each verb checks the request against the themes of the last run (`ThemeState`, read
read-only from the serving snapshot, else the warehouse) and refuses, with a `CurationError`
saying why, what the marts could not follow: an unknown or retired theme, a merge into itself,
into a hidden theme or along a chain, an empty label, a hide without a reason.
"""

from __future__ import annotations

import csv
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# The order the CLI writes: the seed's seven columns first, as a file copied from the old seed
# has them, then hidden_reason and split. Readers (this module, the dbt model) go by header name.
COLUMNS = (
    "theme_id",
    "label",
    "merge_into",
    "hidden",
    "roadmap_item_key",
    "feature",
    "note",
    "hidden_reason",
    "split",
)
# A row with none of these set changes nothing, so it is dropped, note and all.
EFFECTIVE = ("label", "merge_into", "hidden", "roadmap_item_key", "feature", "split")
FLAGS = ("hidden", "split")
OVERRIDES_FILE = Path("curation") / "theme_overrides.csv"
LOCK_FILE = Path("curation") / ".theme_overrides.lock"
MAX_LABEL_LENGTH = 120
# A cell starting with one of these is a formula to Excel or LibreOffice, run when a reviewer
# opens the file (CSV injection); the CLI refuses such text rather than alter it.
FORMULA_STARTS = ("=", "+", "-", "@")
# As the dbt model reads a flag (macro override_flag); the CLI refuses anything else.
_TRUE, _FALSE = {"true", "t", "1", "yes", "y"}, {"", "false", "f", "0", "no", "n"}

Overrides = dict[str, dict[str, str]]


class CurationError(ValueError):
    """A request the overrides cannot take; the message says why and what to do instead.

    `summary` says the same without the file's content (cell values, column names) beyond
    theme IDs and line numbers, for the night's log."""

    def __init__(self, message: str, summary: str | None = None):
        super().__init__(message)
        self.summary = summary or message


def overrides_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / OVERRIDES_FILE


@contextmanager
def editing(data_dir: str | Path) -> Iterator[Path]:
    """Hold the overrides' lock (an flock on `<data root>/curation/.theme_overrides.lock`) while
    the caller reads, checks and writes the file; yields the file's path. Two `insights themes`
    edits at once would otherwise both read the old file and the second write lose the first's
    edit; the second now waits for the first."""
    lock_path = Path(data_dir) / LOCK_FILE
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield overrides_path(data_dir)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_overrides(path: str | Path) -> Overrides:
    """theme_id -> row (every column, '' for blank, hidden as 'true' or ''); {} without a file."""
    path = Path(path)
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        unknown = [c for c in reader.fieldnames or [] if c not in COLUMNS]
        if unknown:
            raise CurationError(
                f"{path}: unknown column {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}",
                f"{path}: {len(unknown)} unknown column(s) in the header",
            )
        rows: Overrides = {}
        for line, raw in enumerate(reader, start=2):
            row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
            if not any(row.values()):
                continue
            theme = row["theme_id"]
            if not theme:
                raise CurationError(f"{path}, line {line}: no theme_id")
            if theme in rows:
                raise CurationError(f"{path}, line {line}: {theme} has a second row; keep one row per theme")
            for flag in FLAGS:
                value = row[flag].lower()
                if value not in _TRUE | _FALSE:
                    raise CurationError(
                        f"{path}, line {line}: {flag} is {row[flag]!r}; write true or leave it blank",
                        f"{path}, line {line}: {flag} of {theme} is neither true nor blank",
                    )
                row[flag] = "true" if value in _TRUE else ""
            rows[theme] = row
    return rows


def write_overrides(path: str | Path, rows: Overrides) -> Path:
    """Write `rows` sorted by theme ID, atomically: a temporary file beside `path`, synced, renamed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = [rows[t] for t in sorted(rows) if any(rows[t].get(c) for c in EFFECTIVE)]
    handle, staged = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({c: row.get(c, "") for c in COLUMNS} for row in kept)
            out.flush()
            # Synced before the rename, so a crash leaves the old file or the whole new one.
            os.fsync(out.fileno())
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return path


@dataclass(frozen=True)
class ThemeState:
    """The themes of the last run, as curation checks requests against them.

    current: theme ID -> its label tonight (the curated one where the snapshot has it).
    ended: theme ID -> what became of a theme that is no longer current ("merged into ...").
    source: the file they were read from, for messages.
    """

    current: dict[str, str]
    ended: dict[str, str] = field(default_factory=dict)
    source: str = ""


def read_theme_state(data_dir: str | Path) -> ThemeState:
    """Current and ended themes from the serving snapshot, else the warehouse, both read-only."""
    data_dir = Path(data_dir)
    snapshot, warehouse = data_dir / "serving" / "insights.duckdb", data_dir / "warehouse.duckdb"
    if snapshot.exists():
        with _read_only(snapshot) as con:
            current = dict(con.execute("select theme_id, label from dim_themes").fetchall())
            lineage = _lineage(con, "fct_theme_lineage", "event", "merged_into_theme_id")
        if lineage is None and warehouse.exists():
            try:
                with _read_only(warehouse) as con:
                    lineage = _lineage(con, "themes.theme_history", "status", "merged_into")
            except CurationError:
                lineage = None  # a run holds the warehouse: the snapshot's themes still decide
        return ThemeState(current, _ended(lineage or [], current), str(snapshot))
    if warehouse.exists():
        with _read_only(warehouse) as con:
            current = dict(con.execute("select theme_id, label from themes.themes").fetchall())
            lineage = _lineage(con, "themes.theme_history", "status", "merged_into")
        return ThemeState(current, _ended(lineage or [], current), str(warehouse))
    raise CurationError(f"no serving snapshot or warehouse under {data_dir}: run the pipeline first (make run)")


@contextmanager
def _read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise CurationError(f"cannot read {path} ({error}); if a run is going on, try again after it") from None
    try:
        yield con
    finally:
        con.close()


def _lineage(con: duckdb.DuckDBPyConnection, table: str, event: str, merged_into: str) -> list[tuple] | None:
    schema, _, name = table.rpartition(".")
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ? and table_schema = coalesce(?, table_schema)",
        [name, schema or None],
    ).fetchone()[0]
    if not exists:
        return None
    return con.execute(
        f"select theme_id, {event}, {merged_into}, cast(run_at as date) from {table} "
        f"where {event} in ('merged', 'retired') order by run_at"
    ).fetchall()


def _ended(lineage: list[tuple], current: dict[str, str]) -> dict[str, str]:
    ended: dict[str, str] = {}
    for theme, event, into, day in lineage:
        if theme in current:
            continue  # ended once, then matched again: current wins
        ended[theme] = f"merged into {into} by the theme step on {day}" if event == "merged" else f"retired on {day}"
    return ended


def rename(rows: Overrides, state: ThemeState, theme: str, label: str, note: str | None = None) -> Overrides:
    _require_current(state, theme)
    label = " ".join(label.split())
    if not label:
        raise CurationError("the new label is empty; give the words a product manager should read")
    _refuse_formula("the new label", label)
    if len(label) > MAX_LABEL_LENGTH:
        raise CurationError(f"the new label has {len(label)} characters; keep it under {MAX_LABEL_LENGTH}")
    for other in state.current:
        if other != theme and _shown_label(rows, state, other).casefold() == label.casefold():
            raise CurationError(f"{other} is already called {label!r}; merge the two (`merge {theme} {other}`) instead")
    return _set(rows, theme, label=label, **_note(note))


def merge(rows: Overrides, state: ThemeState, theme: str, into: str, note: str | None = None) -> Overrides:
    _require_current(state, theme)
    _require_current(state, into)
    if theme == into:
        raise CurationError(f"cannot merge {theme} into itself")
    for requested in (theme, into):
        if rows.get(requested, {}).get("split"):
            raise CurationError(f"{requested} is to be split (its ID retires); `unsplit {requested}` first")
    if rows.get(into, {}).get("hidden"):
        raise CurationError(f"{into} is hidden; merged feedback would vanish with it (unhide it first)")
    if rows.get(into, {}).get("merge_into"):
        target = rows[into]["merge_into"]
        hint = "that would close a cycle" if target == theme else f"merge {theme} into {target} instead"
        raise CurationError(f"{into} is itself merged into {target}; merges are followed one level, {hint}")
    absorbed = sorted(t for t, row in rows.items() if row.get("merge_into") == theme)
    if absorbed:
        raise CurationError(
            f"{', '.join(absorbed)} {'is' if len(absorbed) == 1 else 'are'} merged into {theme}; "
            f"merge {'it' if len(absorbed) == 1 else 'them'} into {into} first, or unmerge"
        )
    return _set(rows, theme, merge_into=into, **_note(note))


def unmerge(rows: Overrides, theme: str) -> Overrides:
    if not rows.get(theme, {}).get("merge_into"):
        raise CurationError(f"{theme} is not merged into another theme")
    return _set(rows, theme, merge_into="")


def hide(rows: Overrides, state: ThemeState, theme: str, reason: str | None) -> Overrides:
    _require_current(state, theme)
    reason = " ".join((reason or "").split())
    if not reason:
        raise CurationError("say why the theme is hidden (--reason): the next person reads it in dim_themes")
    _refuse_formula("the reason", reason)
    absorbed = sorted(t for t, row in rows.items() if row.get("merge_into") == theme)
    if absorbed:
        raise CurationError(f"{', '.join(absorbed)} merged into {theme}; hiding it would hide their feedback too")
    return _set(rows, theme, hidden="true", hidden_reason=reason)


def unhide(rows: Overrides, theme: str) -> Overrides:
    if not rows.get(theme, {}).get("hidden"):
        raise CurationError(f"{theme} is not hidden")
    return _set(rows, theme, hidden="", hidden_reason="")


def split(rows: Overrides, state: ThemeState, theme: str, note: str | None = None) -> Overrides:
    _require_current(state, theme)
    row = rows.get(theme, {})
    if row.get("split"):
        raise CurationError(f"{theme} is already to be split")
    if row.get("merge_into"):
        raise CurationError(f"{theme} is merged into {row['merge_into']}; unmerge it first")
    absorbed = sorted(t for t, r in rows.items() if r.get("merge_into") == theme)
    if absorbed:
        raise CurationError(
            f"{', '.join(absorbed)} merged into {theme}, whose ID retires when it is split; unmerge first"
        )
    return _set(rows, theme, split="true", **_note(note))


def unsplit(rows: Overrides, theme: str) -> Overrides:
    if not rows.get(theme, {}).get("split"):
        raise CurationError(f"{theme} is not to be split")
    return _set(rows, theme, split="")


def read_split_requests(path: str | Path) -> frozenset[str]:
    """The theme IDs the file asks the theme step to split."""
    return frozenset(theme for theme, row in read_overrides(path).items() if row.get("split"))


def nightly_split_requests(path: str | Path, warn: Callable[[str], None]) -> frozenset[str]:
    """`read_split_requests` for the night, which no file may stop: a file the CLI would refuse
    is reported through `warn` (the file and the problem, no cell's content) and asks for none."""
    try:
        return read_split_requests(path)
    except CurationError as error:
        warn(f"{error.summary}; no theme is split tonight (fix the file, `insights themes list` reads it)")
        return frozenset()


def stale_overrides(rows: Overrides, state: ThemeState) -> list[tuple[str, str]]:
    """(theme ID, what is wrong) for rows that do nothing now: theme or merge target not current."""
    stale = []
    for theme, row in sorted(rows.items()):
        for role, target in (("theme", theme), ("merge target", row.get("merge_into"))):
            # A split theme's ID retires by design: the request stays so the cut holds each night.
            if role == "theme" and row.get("split"):
                continue
            if target and target not in state.current:
                what = state.ended.get(target, "not a theme of the last run")
                stale.append((theme, f"{role} {target}: {what}"))
    return stale


def _require_current(state: ThemeState, theme: str) -> None:
    if theme in state.current:
        return
    if theme in state.ended:
        raise CurationError(f"{theme} is no longer a theme: {state.ended[theme]}")
    raise CurationError(f"unknown theme {theme}: not in {state.source}; `insights themes list` shows the IDs")


def _shown_label(rows: Overrides, state: ThemeState, theme: str) -> str:
    return rows.get(theme, {}).get("label") or state.current.get(theme) or ""


def _note(note: str | None) -> dict[str, str]:
    if not note:
        return {}
    note = " ".join(note.split())
    _refuse_formula("the note", note)
    return {"note": note}


def _refuse_formula(what: str, text: str) -> None:
    if text.startswith(FORMULA_STARTS):
        raise CurationError(
            f"{what} starts with {text[0]!r}, which a spreadsheet opening the file would run as a formula; "
            "start it with a word"
        )


def _set(rows: Overrides, theme: str, **values: str) -> Overrides:
    row = {c: "" for c in COLUMNS} | rows.get(theme, {}) | {"theme_id": theme} | values
    return {**rows, theme: row}
