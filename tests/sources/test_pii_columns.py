"""Tag columns are free text that agents type: they get the same redaction as the texts."""

from __future__ import annotations

import json

import duckdb

from insights.sources.catalog import FEATURE_REQUESTS, SUPPORT_TICKETS
from insights.sources.load import load_source


def test_a_ticket_tag_holding_an_email_reaches_staging_redacted(tmp_path):
    landing = tmp_path / "landing"
    (landing / "zendesk").mkdir(parents=True)
    ticket = {
        "id": 7,
        "created_at": "2026-01-01T00:00:00Z",
        "subject": "Export",
        "description": "It fails",
        "tags": ["export", "cc-jane.doe@example.com"],
    }
    (landing / "zendesk" / "t.json").write_text(json.dumps({"tickets": [ticket]}))
    con = duckdb.connect()
    load_source(con, SUPPORT_TICKETS, landing)
    raw_tags, redacted = con.execute("select tags, tags_redacted from raw.support_tickets").fetchone()
    # raw keeps what the export said (it never leaves the warehouse); staging reads the redacted copy.
    assert "jane.doe@example.com" in raw_tags
    assert "jane.doe" not in redacted and redacted.startswith("export,")


def test_a_quarantined_value_is_quoted_redacted(tmp_path):
    landing = tmp_path / "landing"
    (landing / "zendesk").mkdir(parents=True)
    # created_at is required and must be a timestamp: this one is someone's address instead.
    ticket = {"id": 8, "created_at": "reach me at jane.doe@example.com", "subject": "x", "description": "y"}
    (landing / "zendesk" / "t.json").write_text(json.dumps({"tickets": [ticket]}))
    con = duckdb.connect()
    load_source(con, SUPPORT_TICKETS, landing)
    field, value, reason = con.execute("select field, value, reason from raw.quarantine").fetchone()
    assert field == "created_at"
    assert reason.startswith("not a date/time") and "jane.doe" not in reason
    assert value is not None and value.startswith("reach me at ") and "jane.doe" not in value


def test_what_a_broken_file_or_line_quotes_is_redacted(tmp_path):
    landing = tmp_path / "landing"
    (landing / "canny").mkdir(parents=True)
    (landing / "zendesk").mkdir(parents=True)
    # Exported without a header: the first data row is read as one, and holds the same address twice.
    (landing / "canny" / "posts.csv").write_text(
        "p1,Dark mode,mary.major@example.com,mary.major@example.com,open,2026-01-01\n"
    )
    good = json.dumps({"id": 1, "created_at": "2026-01-01T00:00:00Z", "subject": "S", "description": "D"})
    (landing / "zendesk" / "t.jsonl").write_text(f"{good}\n{{not json, call +44 20 7946 0958 or ian@example.org\n")
    con = duckdb.connect()

    posts = load_source(con, FEATURE_REQUESTS, landing)
    tickets = load_source(con, SUPPORT_TICKETS, landing)
    (error,) = con.execute("select error from raw.load_ledger where path = 'canny/posts.csv'").fetchone()
    assert "duplicate column" in error and "mary.major" not in error and posts.failures
    (value,) = con.execute("select value from raw.quarantine where file = 'zendesk/t.jsonl'").fetchone()
    assert "not json" in value and "7946" not in value and "ian@example.org" not in value
    assert all("7946" not in (q.value or "") for q in tickets.quarantined)
