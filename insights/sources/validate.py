"""Split a file's records into typed rows to load and quarantine entries that say why not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from insights import limits
from insights.sources import rules
from insights.sources.spec import RawRecord, SourceSpec
from insights.sources.values import InvalidValue, convert
from insights.text.pii import redact

_EXCERPT = 200


@dataclass(frozen=True)
class QuarantineEntry:
    source: str
    file: str
    line: int
    field: str
    value: str | None
    reason: str


def _quoted(raw: str | None) -> str | None:
    """What the quarantine may quote of a bad value: redacted, then cut. The quarantine is read
    by people and shown in the run's log, so it must not carry what the marts never would."""
    if raw is None:
        return None
    # Redacting a bounded prefix keeps a megabyte value cheap and leaves whole addresses intact.
    return redact(str(raw)[: 4 * _EXCERPT])[:_EXCERPT]


def _is_csv(spec: SourceSpec) -> bool:
    return all(pattern.endswith(".csv") for pattern in spec.patterns)


def _check_shape(spec: SourceSpec, name: str, value) -> None:
    """IDs look like IDs; short text fields hold no control characters (free text may)."""
    if not isinstance(value, str) or name in spec.redact:
        return
    reason = rules.id_problem(value) if rules.is_id_column(name, spec.key) else rules.text_problem(value)
    if reason is not None:
        raise InvalidValue(reason)


def validate(spec: SourceSpec, file: str, records: Iterable[RawRecord]) -> tuple[list[dict], list[QuarantineEntry]]:
    """Typed rows (canonical columns + `_redacted` copies + `_line`) and the rejected records.

    A record with any invalid field is quarantined whole: loading it with a blanked field
    would present a guess as data.
    """
    rows: list[dict] = []
    rejected: list[QuarantineEntry] = []
    for record in records:
        if record.error is not None:
            # The raw line of a record that did not parse is quoted like any bad value: redacted, cut.
            excerpt = _quoted(record.values.get("_raw"))
            rejected.append(QuarantineEntry(spec.name, file, record.line, "", excerpt, record.error))
            continue
        if _is_csv(spec) and (reason := rules.short_row(record.values)) is not None:
            rejected.append(QuarantineEntry(spec.name, file, record.line, "", None, reason))
            continue
        row: dict = {}
        for column in spec.columns:
            raw = record.values.get(column.name)
            try:
                row[column.name] = convert(column, raw)
                _check_shape(spec, column.name, row[column.name])
            except InvalidValue as exc:
                value = _quoted(raw)
                # A parser's message may quote the value (dateutil's does): it is redacted like the value.
                rejected.append(QuarantineEntry(spec.name, file, record.line, column.name, value, _quoted(str(exc))))
                break
        else:
            broken = spec.row_rule(row) if spec.row_rule is not None else None
            if broken is not None:
                name, reason = broken
                value = record.values.get(name)
                rejected.append(QuarantineEntry(spec.name, file, record.line, name, _quoted(value), reason))
                continue
            too_long = next(
                (name for name in spec.redact if row[name] is not None and len(row[name]) > limits.MAX_REDACT_CHARS),
                None,
            )
            if too_long is not None:
                # Redaction time grows with length and an unredacted copy must not load.
                reason = f"text longer than {limits.MAX_REDACT_CHARS} characters (limit MAX_REDACT_CHARS)"
                rejected.append(QuarantineEntry(spec.name, file, record.line, too_long, None, reason))
                continue
            for name in spec.redact:
                row[f"{name}_redacted"] = redact(row[name])
            row["_line"] = record.line
            rows.append(row)
    return rows, rejected
