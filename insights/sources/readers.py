"""Readers for the export shapes tools produce: CSV with a header, a JSON document, JSON lines.

Each reader maps the tool's field names to canonical raw column names and yields one
RawRecord per record with the line it started on; it never decides what is valid.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from insights import limits
from insights.sources.landing import open_regular
from insights.sources.spec import RawRecord, Reader, UnreadableFile
from insights.text.pii import redact

_CHUNK = 1 << 20


# A character beyond ASCII that is not a surrogate escape: proof of real UTF-8 in the file.
_UTF8_BEYOND_ASCII = re.compile("[\u0080-\ud7ff\ue000-\U0010ffff]")


def read_text(path: Path) -> str:
    """The whole export as one string, decoded as `open_text` decodes it; for JSON documents,
    which are parsed whole (their size is bounded by limits.MAX_FILE_BYTES)."""
    with open_text(path, newline="") as text:
        return text.read()


class _Gunzipped(io.RawIOBase):
    """A gzip stream (every member) read chunk by chunk, failing at the limits in
    insights/limits.py as soon as the output passes them instead of after expanding a bomb."""

    def __init__(self, handle, compressed_size: int):
        self._gzip = gzip.GzipFile(fileobj=handle)
        self._ceiling = min(limits.MAX_DECOMPRESSED_BYTES, limits.MAX_GZIP_RATIO * max(compressed_size, 1))
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self._gzip.readinto(buffer)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableFile(f"truncated or corrupt gzip ({type(exc).__name__})") from None
        self._out += n
        if self._out > self._ceiling:
            if self._out > limits.MAX_DECOMPRESSED_BYTES:
                raise UnreadableFile(
                    f"gzip expands beyond {limits.MAX_DECOMPRESSED_BYTES} bytes (limit MAX_DECOMPRESSED_BYTES)"
                )
            raise UnreadableFile(
                f"gzip expands more than {limits.MAX_GZIP_RATIO} times its size (limit MAX_GZIP_RATIO)"
            )
        return n


@contextmanager
def _open_binary(path: Path) -> Iterator[io.BufferedIOBase]:
    """The export's bytes as a stream: gunzipped (within the limits) if it is gzip."""
    with open_regular(path) as handle:
        if handle.peek(2)[:2] == b"\x1f\x8b":
            with io.BufferedReader(_Gunzipped(handle, os.fstat(handle.fileno()).st_size), _CHUNK) as stream:
                yield stream
        else:
            yield handle


def _chunks(path: Path) -> Iterator[bytes]:
    with _open_binary(path) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def _scan(path: Path, encoding: str, errors: str, pattern: re.Pattern | None = None) -> tuple[bool, bool]:
    """One streaming pass: (whether any non-blank text, whether `pattern` occurs); raises
    UnicodeDecodeError with errors="strict" on the first invalid byte."""
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    nonblank = found = False
    for chunk in _chunks(path):
        text = decoder.decode(chunk)
        nonblank = nonblank or bool(text.strip())
        found = found or (pattern is not None and pattern.search(text) is not None)
    text = decoder.decode(b"", final=True)
    return nonblank or bool(text.strip()), found or (pattern is not None and pattern.search(text) is not None)


def _encoding(path: Path) -> tuple[str, str]:
    """(encoding, errors) the export decodes with, decided on the whole file in a streaming
    pass (memory stays one chunk however large the file): UTF-16 when it has a UTF-16 BOM
    (Google Play's review CSVs do); else UTF-8, with or without BOM. One invalid byte in a
    UTF-8 export must not turn the whole file into cp1252 mojibake: when the file holds valid
    multi-byte UTF-8 anywhere, it is UTF-8 and each invalid byte stays as a surrogate escape
    (U+DC80-U+DCFF), so the readers quarantine just the record holding it. A file with
    invalid bytes and no multi-byte UTF-8 at all is what Excel writes in Windows-1252."""
    with _open_binary(path) as stream:
        head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
    if head in (b"\xff\xfe", b"\xfe\xff"):
        chosen = ("utf-16", "replace")
        nonblank, _ = _scan(path, *chosen)
    else:
        try:
            chosen = ("utf-8-sig", "strict")
            nonblank, _ = _scan(path, *chosen)
        except UnicodeDecodeError:
            chosen = ("utf-8-sig", "surrogateescape")
            nonblank, utf8 = _scan(path, *chosen, _UTF8_BEYOND_ASCII)
            if not utf8:
                chosen = ("cp1252", "replace")
                nonblank, _ = _scan(path, *chosen)
    if not nonblank:
        raise UnreadableFile("file is empty")
    return chosen


@contextmanager
def open_text(path: Path, newline: str) -> Iterator[io.TextIOBase]:
    """The export as a text stream (gunzipped if gzip, as Amplitude ships `.json.gz`; decoded
    as `_encoding` decides), one chunk at a time. `newline="\\n"` ends lines at \\n only; `newline=""` leaves line ends to the csv module."""
    encoding, errors = _encoding(path)
    with _open_binary(path) as stream:
        text = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline=newline)
        try:
            yield text
        finally:
            text.detach()


# A lone UTF-16 surrogate (JSON's "\ud800", or an invalid UTF-8 byte kept as a surrogate
# escape by _encoding's choice) is not text: DuckDB cannot store it, so its record is quarantined.
_SURROGATE = re.compile("[\ud800-\udfff]")


_NOT_UNICODE = "text that is not valid Unicode (an invalid UTF-8 byte or a lone surrogate)"


def _has_surrogate(values) -> bool:
    return any(isinstance(v, str) and _SURROGATE.search(v) for v in values)


def _clean(text: str) -> str:
    """`text` safe to store as an excerpt: surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _too_deep() -> UnreadableFile:
    return UnreadableFile(f"JSON nested deeper than {limits.MAX_JSON_DEPTH} levels (limit MAX_JSON_DEPTH)")


def _depth_within(value, limit: int) -> bool:
    """Whether arrays and objects in `value` nest at most `limit` deep (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return False
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def _parse_json(text: str):
    try:
        value = json.loads(text)
    except RecursionError:
        raise _too_deep() from None
    if not _depth_within(value, limits.MAX_JSON_DEPTH):
        raise _too_deep()
    return value


def _normalise(header: str) -> str:
    return " ".join(header.strip().lower().replace("_", " ").split())


def csv_reader(
    field_map: Mapping[str, str],
    required: tuple[str, ...] = (),
    extras: str | None = None,
    derived: Callable[[Mapping[str, str | None], list[str]], Mapping] | None = None,
) -> Reader:
    """A reader for a CSV export whose header names (any case) map to canonical columns.

    Several export names may map to one canonical column (tools rename columns between
    versions); the first present wins. `extras` names a column that receives every unmapped
    column as a JSON object, for exports whose property columns vary from survey to survey.
    `derived(values, header)` adds columns computed from the mapped ones.
    """
    wanted = {_normalise(export): canonical for export, canonical in field_map.items()}

    def read(path: Path) -> Iterator[RawRecord]:
        # Streamed: the file is decoded a chunk at a time and csv reads record by record,
        # so memory grows with the longest record, not with the file.
        with open_text(path, newline="\n") as text:
            first_line = text.readline().removesuffix("\n")
        delimiter = max(",;\t", key=first_line.count)
        # newline="": records end at \r or \n only, never at U+2028, form feed or the other
        # characters str.splitlines breaks on, which belong to the field they are in.
        with open_text(path, newline="") as text:
            rows = csv.reader(text, delimiter=delimiter)
            # Read at call time so the limit set in insights/limits.py holds (the csv module's
            # own default, 128 KiB, would reject a file for one pasted log).
            csv.field_size_limit(limits.MAX_FIELD_CHARS)
            try:
                yield from _csv_records(rows, wanted, field_map, required, extras, derived)
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise UnreadableFile(
                        f"a field near line {rows.line_num} is longer than {limits.MAX_FIELD_CHARS} characters"
                        " (limit MAX_FIELD_CHARS)"
                    ) from None
                raise UnreadableFile(f"not a well-formed CSV at line {rows.line_num}: {exc}") from None

    return read


def _csv_records(rows, wanted, field_map, required, extras, derived) -> Iterator[RawRecord]:
    header = next(rows)
    if _has_surrogate(header):
        raise UnreadableFile("the header is not valid UTF-8")
    names = Counter(_normalise(h) for h in header if h.strip())
    duplicates = sorted(name for name, n in names.items() if n > 1)
    if duplicates:
        # Which of two same-named columns holds the data is a guess; say so instead.
        # A "header" may be a data row of a file exported without one: quote it redacted and cut.
        quoted = ", ".join(redact(name)[:40] for name in duplicates[:5])
        raise UnreadableFile(f"duplicate column name(s) in the header: {quoted}")
    positions: dict[str, int] = {}
    for i, h in enumerate(header):
        if _normalise(h) in wanted:
            positions.setdefault(wanted[_normalise(h)], i)
    missing = sorted({canonical for canonical in required if canonical not in positions})
    if missing:
        names = [next(e for e, c in field_map.items() if c == canonical) for canonical in missing]
        # The header is not quoted: in a wrong file it is the first row of data.
        raise UnreadableFile(f"missing required column(s) {', '.join(names)}; the header has {len(header)} column(s)")
    unmapped = [i for i, h in enumerate(header) if _normalise(h) not in wanted and h.strip()]
    line = rows.line_num + 1
    for row in rows:
        if any(cell.strip() for cell in row):
            if _has_surrogate(row):
                yield RawRecord(line=line, values={}, error=_NOT_UNICODE)
            else:
                values = {name: (row[i] if i < len(row) else None) for name, i in positions.items()}
                if extras is not None:
                    found = {header[i].strip(): row[i] for i in unmapped if i < len(row) and row[i].strip()}
                    values[extras] = json.dumps(found, sort_keys=True, ensure_ascii=False) if found else None
                if derived is not None:
                    values.update(derived(values, header))
                yield RawRecord(line=line, values=values)
        line = rows.line_num + 1


def _dig(record: Mapping, dotted: str):
    value = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _record(line: int, obj, field_map: Mapping[str, str], derived: Callable[[Mapping], Mapping] | None) -> RawRecord:
    if not isinstance(obj, Mapping):
        return RawRecord(line=line, values={}, error="record is not a JSON object")
    values = {canonical: _as_text(_dig(obj, path)) for canonical, path in field_map.items()}
    if derived is not None:
        values.update(derived(obj))
    if _has_surrogate(values.values()):
        return RawRecord(line=line, values={}, error=_NOT_UNICODE)
    return RawRecord(line=line, values=values)


def json_document_reader(
    field_map: Mapping[str, str], list_key: str, derived: Callable[[Mapping], Mapping] | None = None
) -> Reader:
    """A reader for a JSON export: an object holding `list_key` (as Zendesk writes), or a bare array.

    `field_map` maps canonical column -> dotted path in a record (`via.channel`). A record's
    line is its 1-based position in the array, since pretty-printing makes file lines moot.
    """

    def read(path: Path) -> Iterator[RawRecord]:
        try:
            document = _parse_json(read_text(path))
        except json.JSONDecodeError as exc:
            raise UnreadableFile(f"not valid JSON: {exc}") from None
        records = document.get(list_key) if isinstance(document, dict) else document
        if not isinstance(records, list):
            raise UnreadableFile(f"expected a JSON array or an object with a '{list_key}' array")
        for position, obj in enumerate(records, start=1):
            yield _record(position, obj, field_map, derived)

    return read


def json_lines_reader(field_map: Mapping[str, str], derived: Callable[[Mapping], Mapping] | None = None) -> Reader:
    """A reader for JSON lines; a line that is not JSON becomes an error record, not a failed file."""

    def read(path: Path) -> Iterator[RawRecord]:
        with open_text(path, newline="\n") as text:
            yield from _json_lines(text, field_map, derived)

    return read


def _json_lines(text, field_map, derived) -> Iterator[RawRecord]:
    parsed = 0
    # Lines end at \n only (newline="\n"): str.splitlines also breaks at U+2028, U+2029, \x85
    # and form feeds, which JSON allows unescaped inside a string, and would cut a record in
    # two. One line at a time: memory grows with the longest record, not with the file.
    for line_number, line in enumerate(text, start=1):
        line = line.removesuffix("\n")
        if not line.strip():
            continue
        try:
            obj = _parse_json(line)
        except json.JSONDecodeError as exc:
            if parsed == 0 and line_number > 1:
                # Not one line of JSON so far: a CSV or a pretty-printed document dropped
                # in the wrong folder is a wrong file, not thousands of bad rows.
                raise UnreadableFile(f"not JSON lines: line 1 and line {line_number} are not JSON") from None
            yield RawRecord(line=line_number, values={"_raw": _clean(line[:200])}, error=f"not valid JSON: {exc.msg}")
            continue
        parsed += 1
        yield _record(line_number, obj, field_map, derived)


def by_extension(readers: Mapping[str, Reader]) -> Reader:
    """One folder, several shapes: pick the reader by the file's suffixes (`.jsonl`, `.json.gz`)."""

    def read(path: Path) -> Iterator[RawRecord]:
        name = path.name.lower()
        for suffix, reader in sorted(readers.items(), key=lambda item: -len(item[0])):
            if name.endswith(suffix):
                return reader(path)
        raise UnreadableFile(f"no reader for {path.name}; expected one of {', '.join(sorted(readers))}")

    return read
