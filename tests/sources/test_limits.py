"""The limits in insights/limits.py: a file over one fails alone with a reason naming it."""

from __future__ import annotations

import gzip
import json

import pytest

from insights import limits
from insights.sources.catalog import AMPLITUDE_EVENTS, NPS_RESPONSES, SUPPORT_TICKETS
from insights.sources.load import load_source

NPS_HEADER = "Response ID,Created At,Email,Score,Comment,Account ID,Survey,Plan\n"
TICKET = {"id": 1, "created_at": "2026-11-20T09:15:00Z", "subject": "Export", "description": "It fails"}


def write(path, data: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def failed(con, path):
    status, error = con.execute("select status, error from raw.load_ledger where path = ?", [path]).fetchone()
    assert status == "failed", error
    return error


def nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def test_limits_are_exported_from_one_module():
    for name in (
        "MAX_FILE_BYTES",
        "MAX_DECOMPRESSED_BYTES",
        "MAX_GZIP_RATIO",
        "MAX_JSON_DEPTH",
        "MAX_FIELD_CHARS",
        "MAX_REDACT_CHARS",
        "MAX_EMBED_CHARS",
    ):
        assert isinstance(getattr(limits, name), int) and getattr(limits, name) > 0


def test_file_over_the_size_limit_fails_unread(tmp_path, con, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    landing = tmp_path / "landing"
    write(landing / "zendesk" / "big.jsonl", json.dumps({**TICKET, "description": "x" * 200}) + "\n")
    write(landing / "zendesk" / "small.jsonl", json.dumps(TICKET)[:99])
    load_source(con, SUPPORT_TICKETS, landing)
    assert "MAX_FILE_BYTES" in failed(con, "zendesk/big.jsonl")


def test_gzip_bomb_fails_on_the_expansion_ratio(tmp_path, con):
    landing = tmp_path / "landing"
    write(landing / "amplitude" / "bomb.json.gz", gzip.compress(b" " * (20 * 1024 * 1024)))
    load_source(con, AMPLITUDE_EVENTS, landing)
    assert "MAX_GZIP_RATIO" in failed(con, "amplitude/bomb.json.gz")


def test_gzip_over_the_decompressed_size_fails(tmp_path, con, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DECOMPRESSED_BYTES", 1000)
    landing = tmp_path / "landing"
    line = json.dumps({"$insert_id": "i", "event_type": "E", "event_time": "2026-11-01", "n": "abcdefghij" * 5})
    write(landing / "amplitude" / "big.json.gz", gzip.compress("".join(f"{line}\n" for _ in range(100)).encode()))
    load_source(con, AMPLITUDE_EVENTS, landing)
    assert "MAX_DECOMPRESSED_BYTES" in failed(con, "amplitude/big.json.gz")


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_json_deeper_than_the_limit_fails(tmp_path, con, name):
    landing = tmp_path / "landing"
    record = {**TICKET, "custom": nested(limits.MAX_JSON_DEPTH + 1)}
    write(landing / "zendesk" / name, json.dumps([record] if name.endswith(".json") else record) + "\n")
    write(landing / "zendesk" / "ok.jsonl", json.dumps({**TICKET, "custom": nested(limits.MAX_JSON_DEPTH - 2)}) + "\n")
    report = load_source(con, SUPPORT_TICKETS, landing)
    assert "MAX_JSON_DEPTH" in failed(con, f"zendesk/{name}")
    assert report.rows_loaded == 1


def test_csv_field_over_the_field_limit_fails_naming_the_limit(tmp_path, con, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FIELD_CHARS", 1000)
    landing = tmp_path / "landing"
    write(landing / "surveys" / "long.csv", NPS_HEADER + f"r1,2026-01-02,a@x.io,9,{'y' * 2000},acc_1,nps,pro\n")
    load_source(con, NPS_RESPONSES, landing)
    error = failed(con, "surveys/long.csv")
    assert "MAX_FIELD_CHARS" in error and "yyy" not in error


def test_text_over_the_redaction_limit_quarantines_the_row(tmp_path, con, monkeypatch):
    monkeypatch.setattr(limits, "MAX_REDACT_CHARS", 500)
    landing = tmp_path / "landing"
    write(
        landing / "surveys" / "nps.csv",
        NPS_HEADER + f"r1,2026-01-02,a@x.io,9,{'z' * 501},acc_1,nps,pro\nr2,2026-01-02,a@x.io,9,ok,acc_1,nps,pro\n",
    )
    report = load_source(con, NPS_RESPONSES, landing)
    assert report.rows_loaded == 1
    assert con.execute("select line, field, value, reason from raw.quarantine").fetchall() == [
        (2, "comment", None, "text longer than 500 characters (limit MAX_REDACT_CHARS)")
    ]
