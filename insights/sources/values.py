"""Turn exported strings into typed values, or say exactly why not."""

from __future__ import annotations

from datetime import UTC, datetime

from insights.sources import rules
from insights.sources.spec import Column

_MISSING = {"", "null", "none", "nan", "n/a"}


class InvalidValue(ValueError):
    pass


def parse_timestamp(value: str) -> datetime:
    """Parse an export timestamp to naive UTC; a value without an offset is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        epoch = _from_epoch(value)
        if epoch is not None:
            return epoch
        try:
            # Tools export "03/14/2026 09:12" or "Mar 14, 2026"; dateutil reads those.
            parsed = rules.parse_loose_date(value)
        except (ValueError, OverflowError) as exc:
            raise InvalidValue(f"not a date/time: {exc}") from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            # 0001-01-01T00:00+01:00 or 9999-12-31T23:00-02:00: no such instant in UTC.
            raise InvalidValue("date/time out of range once converted to UTC") from None
    return parsed


def _from_epoch(value: str) -> datetime | None:
    """Intercom exports Unix seconds, Google Play milliseconds; tell them apart by length."""
    digits = value.split(".", 1)[0]
    if not digits.isdigit() or len(digits) not in (10, 13):
        return None
    seconds = float(value) / (1000 if len(digits) == 13 else 1)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise InvalidValue("date/time out of range") from None


def parse_number(value: str, kind: str, decimal: str = ".") -> int | float:
    """See rules.parse_number: one decimal separator per column, no inf/nan, no guessing."""
    try:
        return rules.parse_number(value, kind, decimal)
    except rules.NumberProblem as exc:
        raise InvalidValue(str(exc)) from None


def convert(column: Column, raw: str | None):
    """Return the typed value for `column`, None when absent; raise InvalidValue otherwise."""
    if column.kind in ("int", "float") and raw is not None and raw.strip().lower() == "nan":
        raise InvalidValue("not a finite number")  # NaN in a number column is not "absent"
    if raw is None or raw.strip().lower() in _MISSING:
        if column.required:
            raise InvalidValue("required value is missing")
        return None
    if column.kind == "text":
        text = raw.strip()
        if column.required and not text:
            raise InvalidValue("required value is empty")
        return text
    if column.kind == "timestamp":
        parsed = parse_timestamp(raw.strip())
        reason = rules.date_range_problem(parsed)
        if reason is not None:
            raise InvalidValue(reason)
        return parsed
    number = parse_number(raw, column.kind, column.decimal)
    if column.minimum is not None and number < column.minimum:
        raise InvalidValue(f"below the minimum {column.minimum:g}")
    if column.maximum is not None and number > column.maximum:
        raise InvalidValue(f"above the maximum {column.maximum:g}")
    return number
