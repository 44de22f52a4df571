"""Row rules every source shares: the shape of an ID, clean short text, a full CSV row,
numbers that mean one thing, dates in a believable range (issue 13, "A row can be wrong").

Each function returns a reason (str) when the value or row is wrong and None when it is
fine, so `validate` can quarantine the row with that reason. The date range is set here,
not in insights/limits.py: limits.py bounds what a file may cost, these bound what a value
may mean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from dateutil import parser as date_parser

# An ID as CRMs, ticket tools and analytics tools write them: acc_0001, usr_00001, PRD-12,
# 4211, 6c7e-1, gp:AOqpTOE, an e-mail. ASCII letters, digits and a few separators, starting
# with a letter or digit, at most 128 characters: no spaces, control characters or U+FFFD.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@/+#=$-]{0,127}")
ID_MAX_CHARS = 128

# C0 and C1 control characters except tab, newline and carriage return, and U+FFFD (what a
# byte that was not valid text became when decoded). A name, plan or region never holds one.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def is_id_column(name: str, key: str) -> bool:
    """The record's key and every `*_id` column reference an entity by ID."""
    return name == key or name.endswith("_id")


def id_problem(value: str) -> str | None:
    if len(value) > ID_MAX_CHARS:
        return f"ID longer than {ID_MAX_CHARS} characters"
    if not ID_PATTERN.fullmatch(value):
        return "not an ID: expected letters, digits and _ . : @ / + # = $ - (starting with a letter or digit)"
    return None


def text_problem(value: str) -> str | None:
    """For short text fields (not free text): no control characters, no undecodable bytes."""
    if _BAD_CHARS.search(value):
        return "holds control characters or undecodable bytes (U+FFFD)"
    return None


def short_row(values: Mapping[str, str | None], optional: tuple[str, ...] = ("properties",)) -> str | None:
    """A CSV reader gives None (not "") for a column past the end of a short row. A CRM export
    writes every delimiter, so a row with fewer fields than its header is not a record but a
    fragment (a broken line, appended garbage). `optional` are the columns a reader fills
    itself (the survey reader's `properties`), which may be None in a full row."""
    missing = [name for name, value in values.items() if value is None and name not in optional]
    if missing:
        return f"the row has fewer fields than the header (no {missing[0]})"
    return None


# Numbers. A column reads one decimal separator, "." unless its Column says "," (a source
# exported with a German or French locale). With ".", a comma may only group thousands in
# threes ("1,234,567.89"); any other comma ("23800,00", "1.234,56") is ambiguous and the row
# is quarantined rather than read as 2380000 or 1.23456. With ",", "." or a space groups
# thousands and "," is the decimal point. "inf", "nan" and values that overflow a float
# ("1e999") are not numbers any mart can sum.
_CURRENCY = "$€£¥"
_NOT_FINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"}
_EXPONENT = r"(?:[eE][+-]?\d+)?"
_POINT_DECIMAL = re.compile(rf"[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)?(?:\.\d+)?{_EXPONENT}")
_COMMA_DECIMAL = re.compile(r"[+-]?(?:\d{1,3}(?:[. ]\d{3})+|\d+)?(?:,\d+)?")
INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # DuckDB BIGINT


class NumberProblem(ValueError):
    pass


def parse_number(value: str, kind: str, decimal: str = ".") -> int | float:
    """The number `value` means under the column's decimal separator; NumberProblem if none."""
    text = value.strip().strip(_CURRENCY).strip()
    if text.lower() in _NOT_FINITE:
        raise NumberProblem("not a finite number")
    if decimal == ",":
        if not _COMMA_DECIMAL.fullmatch(text) or not any(c.isdigit() for c in text):
            raise NumberProblem("not a number (the column reads ',' as the decimal separator)")
        text = text.replace(".", "").replace(" ", "").replace(",", ".")
    else:
        if not _POINT_DECIMAL.fullmatch(text) or not any(c.isdigit() for c in text):
            if "," in text:
                raise NumberProblem(
                    "ambiguous number: ',' is not a thousands separator here and the column reads '.' as the decimal"
                )
            raise NumberProblem("not a number")
        text = text.replace(",", "")
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise NumberProblem("not a finite number")
    if kind == "int":
        if not number.is_integer():
            raise NumberProblem("not a whole number")
        whole = int(number) if "e" in text.lower() or "." in text else int(text)
        if not INT_MIN <= whole <= INT_MAX:
            raise NumberProblem("whole number out of range")
        return whole
    return number


# Dates. Nothing a customer did predates 1990 (a 1900 or 0001 date is a placeholder or a
# broken export) or lies past tomorrow (one day of slack for time zones). One place to
# change them; not insights/limits.py, which bounds what a file may cost.
EARLIEST_DATE = datetime(1990, 1, 1)
LATEST_SLACK = timedelta(days=1)

# Two defaults that differ in every field: a value dateutil completes from its default
# (a month without a day, a year alone) parses differently under each.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 5, 6))


def latest_date() -> datetime:
    """Tomorrow, naive UTC like every parsed timestamp."""
    return datetime.now(UTC).replace(tzinfo=None) + LATEST_SLACK


def date_range_problem(value: datetime) -> str | None:
    if value < EARLIEST_DATE:
        return f"date out of range: before {EARLIEST_DATE:%Y-%m-%d}"
    if value > latest_date():
        return "date out of range: after tomorrow"
    return None


def parse_loose_date(value: str) -> datetime:
    """dateutil's reading of an export date ("03/14/2026 09:12", "Mar 14, 2026"), refusing a
    partial date ("2024-03", "March 2024") rather than completing it from a default or today."""
    first, second = (date_parser.parse(value, default=default) for default in _DEFAULTS)
    if first != second:
        raise ValueError("partial date: year, month and day are all needed")
    return first
