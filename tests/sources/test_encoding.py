"""Encoding per record: one bad byte costs its row, not the file's UTF-8; U+2028 and other
characters str.splitlines breaks on stay inside their record; duplicate CSV columns fail."""

from __future__ import annotations

import json

from insights.sources.catalog import NPS_RESPONSES, SUPPORT_TICKETS
from insights.sources.load import load_source

NPS_HEADER = "Response ID,Created At,Email,Score,Comment,Account ID,Survey,Plan\n"
TICKET = {"id": 1, "created_at": "2026-11-20T09:15:00Z", "subject": "Export", "description": "It fails"}
NOT_UNICODE = "text that is not valid Unicode (an invalid UTF-8 byte or a lone surrogate)"


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_one_invalid_utf8_byte_quarantines_its_row_and_the_rest_stays_utf8(tmp_path, con):
    landing = tmp_path / "landing"
    body = (
        NPS_HEADER.encode()
        + "u1,2026-01-02,a@x.io,9,Très bien,acc_1,nps,pro\n".encode()
        + b"u2,2026-01-02,a@x.io,9,broken \xff byte,acc_1,nps,pro\n"
        + "u3,2026-01-02,a@x.io,9,Größe ändern,acc_1,nps,pro\n".encode()
    )
    write(landing / "surveys" / "mixed.csv", body)
    report = load_source(con, NPS_RESPONSES, landing)
    assert report.rows_loaded == 2 and report.rows_quarantined == 1
    assert con.execute("select response_id, comment from raw.nps_responses order by 1").fetchall() == [
        ("u1", "Très bien"),
        ("u3", "Größe ändern"),
    ]
    assert con.execute("select line, reason from raw.quarantine").fetchall() == [(3, NOT_UNICODE)]


def test_invalid_utf8_byte_in_a_json_lines_record_quarantines_that_record(tmp_path, con):
    landing = tmp_path / "landing"
    good = json.dumps({**TICKET, "description": "Très lent"}, ensure_ascii=False).encode()
    bad = json.dumps({**TICKET, "id": 2, "description": "bad XX here"}).encode().replace(b"XX", b"\xc3\x28")
    write(landing / "zendesk" / "day.jsonl", good + b"\n" + bad + b"\n")
    report = load_source(con, SUPPORT_TICKETS, landing)
    assert report.rows_loaded == 1 and report.rows_quarantined == 1
    assert con.execute("select description from raw.support_tickets").fetchall() == [("Très lent",)]


def test_a_windows_1252_file_without_any_utf8_still_reads_as_windows_1252(tmp_path, con):
    landing = tmp_path / "landing"
    write(
        landing / "surveys" / "excel.csv",
        (NPS_HEADER + "w1,2026-01-02,a@x.io,9,Größe,acc_1,nps,pro\n").encode("cp1252"),
    )
    load_source(con, NPS_RESPONSES, landing)
    assert con.execute("select comment from raw.nps_responses").fetchall() == [("Größe",)]


def test_u2028_inside_a_json_string_does_not_split_the_record(tmp_path, con):
    landing = tmp_path / "landing"
    text = "first\u2028second\u2029third\x85fourth\x0cfifth"
    line = json.dumps({**TICKET, "description": text}, ensure_ascii=False)
    write(landing / "zendesk" / "day.jsonl", (line + "\r\n" + json.dumps({**TICKET, "id": 2}) + "\n").encode())
    report = load_source(con, SUPPORT_TICKETS, landing)
    assert report.rows_loaded == 2 and report.rows_quarantined == 0
    assert con.execute("select ticket_id, description, _line from raw.support_tickets order by 1").fetchall() == [
        ("1", text, 1),
        ("2", "It fails", 2),
    ]


def test_u2028_in_an_unquoted_csv_field_does_not_split_the_row(tmp_path, con):
    landing = tmp_path / "landing"
    write(
        landing / "surveys" / "nps.csv",
        (
            NPS_HEADER + "l1,2026-01-02,a@x.io,9,one\u2028two,acc_1,nps,pro\nl2,2026-01-03,b@x.io,7,ok,acc_1,nps,pro\n"
        ).encode(),
    )
    report = load_source(con, NPS_RESPONSES, landing)
    assert report.rows_quarantined == 0
    assert con.execute("select response_id, comment, _line from raw.nps_responses order by 1").fetchall() == [
        ("l1", "one\u2028two", 2),
        ("l2", "ok", 3),
    ]


def test_duplicate_column_names_fail_the_file_naming_them(tmp_path, con):
    landing = tmp_path / "landing"
    header = "Response ID,Created At,Email,Score,Comment,comment,Account ID\n"
    write(landing / "surveys" / "dup.csv", (header + "d1,2026-01-02,a@x.io,9,first,second,acc_1\n").encode())
    report = load_source(con, NPS_RESPONSES, landing)
    assert report.rows_loaded == 0
    status, error = con.execute("select status, error from raw.load_ledger").fetchone()
    assert status == "failed" and "duplicate column name(s) in the header: comment" in error
