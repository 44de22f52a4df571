"""Is a source healthy? Quarantine share, freshness and row-count change, as plain verdicts.

The orchestration layer turns these into Dagster asset checks; here they are testable
functions over the warehouse and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from insights.sources.load import QUARANTINE_DDL
from insights.sources.spec import SourceSpec


@dataclass(frozen=True)
class Verdict:
    passed: bool
    severity: str  # "warn" or "error": how bad it is when not passed
    message: str
    figures: dict = field(default_factory=dict)


def quarantine_share(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> tuple[int, int, int]:
    """(rows quarantined, rows read, files failed) over the files the ledger holds now."""
    quarantined, loaded, failed = con.execute(
        "select coalesce(sum(rows_quarantined), 0), coalesce(sum(rows_loaded), 0), "
        "coalesce(sum(case when status = 'failed' then 1 else 0 end), 0) from raw.load_ledger where source = ?",
        [spec.name],
    ).fetchone()
    return int(quarantined), int(quarantined + loaded), int(failed)


def judge_quarantine(quarantined: int, read: int, failed_files: int, warn_above: float, high_above: float) -> Verdict:
    """Never an error: a quarantined row or failed file never reached the marts, so it cannot
    poison what gets published, and one bad export must not stop the night. What a bad export
    does to the marts (rows missing, a core table emptied) is the row-count check's and the
    publishing gate's to judge; this check says where to look."""
    share = quarantined / read if read else 0.0
    figures = {
        "quarantined_rows": quarantined,
        "rows_read": read,
        "quarantine_share": round(share, 4),
        "failed_files": failed_files,
    }
    if share > high_above:
        return Verdict(
            False,
            "warn",
            f"{share:.1%} of rows quarantined, above {high_above:.0%}: most likely an export whose format "
            "changed or a file that is not this source's (see raw.quarantine)",
            figures,
        )
    if share > warn_above:
        return Verdict(
            False, "warn", f"{share:.1%} of rows quarantined, above the warning threshold {warn_above:.0%}", figures
        )
    if failed_files:
        return Verdict(False, "warn", f"{failed_files} file(s) could not be read (see raw.load_ledger)", figures)
    return Verdict(True, "warn", f"{share:.1%} of rows quarantined", figures)


def newest_record_at(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> datetime | None:
    """Newest record time of the source; for CRM and Jira exports, whose dates say when a
    record was created rather than whether the export is current, the newest file load."""
    column = spec.freshness_column
    if column is None:
        return con.execute(
            "select max(loaded_at) from raw.load_ledger where source = ? and status = 'loaded'", [spec.name]
        ).fetchone()[0]
    return con.execute(f'select max("{column}") from raw.{spec.name}').fetchone()[0]


def judge_freshness(newest: datetime | None, now: datetime, max_age_days: float) -> Verdict:
    if newest is None:
        return Verdict(False, "warn", "no records yet", {})
    age_days = (now - newest).total_seconds() / 86400
    figures = {"newest_record_at": newest.isoformat(), "age_days": round(age_days, 2), "max_age_days": max_age_days}
    if age_days > max_age_days:
        return Verdict(False, "warn", f"newest record is {age_days:.1f} days old, more than {max_age_days:g}", figures)
    return Verdict(True, "warn", f"newest record is {age_days:.1f} days old", figures)


def judge_row_count_change(before: int | None, after: int, max_drop: float, max_growth: float) -> Verdict:
    """Rows should only grow, and not explode: a drop means loaded data went missing (error);
    growth beyond the band usually means a key or dedup went wrong upstream (warning)."""
    figures = {"rows_before": before, "rows_after": after}
    if not before:
        return Verdict(True, "warn", "no earlier run to compare with", figures)
    change = (after - before) / before
    figures["change"] = round(change, 4)
    if change < -max_drop:
        return Verdict(
            False,
            "error",
            f"row count fell {-change:.1%} (from {before} to {after}), more than {max_drop:.0%}",
            figures,
        )
    if change > max_growth:
        return Verdict(
            False,
            "warn",
            f"row count grew {change:.1%} (from {before} to {after}), more than {max_growth:.0%}",
            figures,
        )
    return Verdict(True, "warn", f"row count changed {change:+.1%}", figures)


def quarantine_overview(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple]]:
    """(source, reason, rows) counts and the newest quarantined rows, for a person to act on."""
    con.execute("create schema if not exists raw")
    con.execute(QUARANTINE_DDL)
    counts = con.execute(
        "select source, reason, count(*) as n_rows from raw.quarantine group by source, reason "
        "order by n_rows desc, source, reason"
    ).fetchall()
    newest = con.execute(
        "select source, file, line, field, left(coalesce(value, ''), 60), reason from raw.quarantine "
        "order by quarantined_at desc, source, file, line limit 20"
    ).fetchall()
    return counts, newest
