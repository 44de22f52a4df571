"""What a landing source is: where its files live, how to read them, what a valid row holds."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return True  # gone since the listing: nothing to read


Kind = Literal["text", "int", "float", "timestamp"]


@dataclass(frozen=True)
class Column:
    """One canonical raw column. `required` rows without it are quarantined, not loaded."""

    name: str
    kind: Kind = "text"
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""
    # The decimal separator of a number column: "." (with "," grouping thousands in threes)
    # or "," for a source exported in a locale that writes 1.234,56 (rules.parse_number).
    decimal: Literal[".", ","] = "."


@dataclass(frozen=True)
class RawRecord:
    """A record as a reader found it: canonical names, values still strings.

    `line` is the 1-based line of the file where the record starts (for CSV the header is
    line 1), so a quarantine entry points a person at the exact place to look.
    `error` is set when the reader could not make a record of that line at all.
    """

    line: int
    values: dict[str, str | None]
    error: str | None = None


class UnreadableFile(Exception):
    """The whole file cannot be read as its folder says (bad format, missing column...)."""


Reader = Callable[[Path], Iterator[RawRecord]]

# A rule over a whole typed row, for constraints one column cannot state alone (a CSAT score
# is 1-5 while an NPS score in the same export folder is 0-10). Returns (field, reason) to
# quarantine the row, or None to keep it.
RowRule = Callable[[dict], "tuple[str, str] | None"]


@dataclass(frozen=True)
class SourceSpec:
    """A landing folder and the raw table it loads into."""

    name: str  # raw table name, also the Dagster asset name under the `raw` prefix
    folder: str  # under the landing root, named for the tool that exported it
    pattern: str | tuple[str, ...]  # glob(s) inside the folder
    reader: Reader
    columns: tuple[Column, ...]
    key: str
    description: str
    redact: tuple[str, ...] = field(default=())  # free-text columns that get a `_redacted` copy
    row_rule: RowRule | None = None

    @property
    def patterns(self) -> tuple[str, ...]:
        return (self.pattern,) if isinstance(self.pattern, str) else self.pattern

    @property
    def freshness_column(self) -> str | None:
        """The column that says how current the data is: `updated_at`, else the required
        timestamp (when the event, ticket or review happened); None when there is none."""
        names = {c.name for c in self.columns}
        if "updated_at" in names:
            return "updated_at"
        return next((c.name for c in self.columns if c.kind == "timestamp" and c.required), None)

    def files(self, landing_dir: Path) -> list[Path]:
        """Every entry matching the patterns that is not a directory, by `lstat`: symlinks,
        FIFOs and devices are listed too (never followed), so the loader can refuse them
        with a ledger row rather than skip them in silence."""
        folder = landing_dir / self.folder
        return sorted({p for pattern in self.patterns for p in folder.glob(pattern) if not _is_dir(p)})

    @property
    def table_columns(self) -> list[tuple[str, str]]:
        """(name, DuckDB type) of the raw table, in order."""
        sql_type = {"text": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "timestamp": "TIMESTAMP"}
        cols = [(c.name, sql_type[c.kind]) for c in self.columns]
        cols += [(f"{name}_redacted", "VARCHAR") for name in self.redact]
        cols += [("_source_file", "VARCHAR"), ("_line", "INTEGER"), ("_loaded_at", "TIMESTAMP")]
        return cols
