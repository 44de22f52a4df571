"""Hostile and broken landing files, each made by its test: one file fails alone, with a
ledger row that names what broke and quotes nothing of the file, and the night goes on."""

from __future__ import annotations

import gzip
import json

from insights.sources.catalog import AMPLITUDE_EVENTS, NPS_RESPONSES, PRODUCT_EVENTS, SUPPORT_TICKETS
from insights.sources.load import load_source

NPS_HEADER = "Response ID,Created At,Email,Score,Comment,Account ID,Survey,Plan\n"
GOOD_TICKET = {"id": 1, "created_at": "2026-11-20T09:15:00Z", "subject": "Export", "description": "It fails"}
GOOD_EVENT = {
    "type": "track",
    "messageId": "m1",
    "event": "Report Exported",
    "userId": "u1",
    "timestamp": "2026-11-01T12:00:00Z",
}


def write(path, data: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def ledger(con, path):
    return con.execute(
        "select status, size, sha256, error_class, error from raw.load_ledger where path = ?", [path]
    ).fetchone()


def good_ticket_file(landing):
    return write(landing / "zendesk" / "good.jsonl", json.dumps(GOOD_TICKET) + "\n")


def test_json_nested_100000_deep_fails_alone(tmp_path, con):
    landing = tmp_path / "landing"
    write(landing / "zendesk" / "deep.json", "[" * 100_000 + "]" * 100_000)
    good_ticket_file(landing)
    report = load_source(con, SUPPORT_TICKETS, landing)
    status, size, sha, error_class, error = ledger(con, "zendesk/deep.json")
    assert status == "failed" and size == 200_000 and len(sha) == 64
    assert "nested deeper than" in error and error_class == "UnreadableFile"
    assert report.rows_loaded == 1 and ledger(con, "zendesk/good.jsonl")[0] == "loaded"


def test_corrupt_and_truncated_gzip_fail_alone_without_quoting_the_file(tmp_path, con):
    landing = tmp_path / "landing"
    good = gzip.compress(
        (json.dumps({"$insert_id": "i1", "event_type": "E", "event_time": "2026-11-01"}) + "\n").encode()
    )
    secret = gzip.compress(b'{"secret": "hunter2-SECRET"}\n' * 100)
    write(landing / "amplitude" / "corrupt.json.gz", secret[:20] + b"\x00garbage" + secret[28:])
    write(landing / "amplitude" / "truncated.json.gz", secret[: len(secret) // 2])
    write(landing / "amplitude" / "good.json.gz", good)
    report = load_source(con, AMPLITUDE_EVENTS, landing)
    for name in ("corrupt.json.gz", "truncated.json.gz"):
        status, _, _, _, error = ledger(con, f"amplitude/{name}")
        assert status == "failed" and "gzip" in error and "SECRET" not in error
    assert ledger(con, "amplitude/good.json.gz")[0] == "loaded" and report.rows_loaded == 1


def test_csv_field_over_16_mib_fails_the_file(tmp_path, con):
    landing = tmp_path / "landing"
    huge = "x" * (16 * 1024 * 1024 + 10)
    write(landing / "surveys" / "huge.csv", NPS_HEADER + f'r1,2026-01-02,a@x.io,9,"{huge}",acc_1,nps,pro\n')
    write(landing / "surveys" / "good.csv", NPS_HEADER + "r2,2026-01-02,a@x.io,9,fine,acc_1,nps,pro\n")
    report = load_source(con, NPS_RESPONSES, landing)
    status, _, _, _, error = ledger(con, "surveys/huge.csv")
    assert status == "failed" and "field" in error and "xxxx" not in error
    assert report.rows_loaded == 1


def test_year_0001_and_9999_with_an_offset_are_quarantined_not_a_crash(tmp_path, con):
    landing = tmp_path / "landing"
    lines = [
        {**GOOD_EVENT, "messageId": "early", "timestamp": "0001-01-01T00:30:00+01:00"},
        {**GOOD_EVENT, "messageId": "late", "timestamp": "9999-12-31T23:30:00-02:00"},
        GOOD_EVENT,
    ]
    write(landing / "segment" / "day.jsonl", "".join(json.dumps(e) + "\n" for e in lines))
    report = load_source(con, PRODUCT_EVENTS, landing)
    assert report.rows_loaded == 1 and report.rows_quarantined == 2
    reasons = con.execute("select line, field, reason from raw.quarantine order by line").fetchall()
    assert [(line, field) for line, field, _ in reasons] == [(1, "occurred_at"), (2, "occurred_at")]
    assert all("out of range" in reason for _, _, reason in reasons)


def test_lone_surrogate_in_a_json_string_quarantines_its_record(tmp_path, con):
    landing = tmp_path / "landing"
    bad = json.dumps({**GOOD_TICKET, "id": 2}).replace('"It fails"', '"half \\ud800 a pair"')
    write(landing / "zendesk" / "day.jsonl", json.dumps(GOOD_TICKET) + "\n" + bad + "\n")
    write(landing / "zendesk" / "doc.json", '{"tickets": [' + bad + "]}")
    report = load_source(con, SUPPORT_TICKETS, landing)
    assert report.rows_loaded == 1 and report.rows_quarantined == 2 and not report.failures
    assert con.execute("select file, line, reason from raw.quarantine order by file").fetchall() == [
        ("zendesk/day.jsonl", 2, "text that is not valid Unicode (an invalid UTF-8 byte or a lone surrogate)"),
        ("zendesk/doc.json", 1, "text that is not valid Unicode (an invalid UTF-8 byte or a lone surrogate)"),
    ]


def test_an_unchanged_failed_file_is_skipped_and_said_so_and_retried_when_it_changes(tmp_path, con):
    landing = tmp_path / "landing"
    path = write(landing / "zendesk" / "deep.json", "[" * 100_000 + "]" * 100_000)
    first = load_source(con, SUPPORT_TICKETS, landing)
    assert [file for file, _ in first.failures] == ["zendesk/deep.json"]
    failed_at = con.execute("select loaded_at from raw.load_ledger").fetchone()

    again = load_source(con, SUPPORT_TICKETS, landing)
    assert again.failures == [] and again.files_skipped == 1
    assert [file for file, _ in again.skipped_failed] == ["zendesk/deep.json"]
    assert con.execute("select loaded_at from raw.load_ledger").fetchone() == failed_at  # not read again

    write(path, json.dumps({"tickets": [GOOD_TICKET]}))
    fixed = load_source(con, SUPPORT_TICKETS, landing)
    assert fixed.rows_loaded == 1 and ledger(con, "zendesk/deep.json")[0] == "loaded"
    assert ledger(con, "zendesk/deep.json")[3:] == (None, None)


def test_an_error_nobody_foresaw_fails_the_file_with_its_class_and_no_content(tmp_path, con, monkeypatch):
    from insights.sources import load

    def explode(spec, file, records):
        raise ValueError("Unknown string format: hunter2-SECRET")

    landing = tmp_path / "landing"
    good_ticket_file(landing)
    monkeypatch.setattr(load, "validate", explode)
    report = load_source(con, SUPPORT_TICKETS, landing)
    status, _, _, error_class, error = ledger(con, "zendesk/good.jsonl")
    assert status == "failed" and error_class == "ValueError" and "SECRET" not in error
    assert report.failures == [("zendesk/good.jsonl", "unexpected error")]
