"""Tag columns are free text that agents type: they get the same redaction as the texts."""

from __future__ import annotations

import json

import duckdb

from insights.sources.catalog import SUPPORT_TICKETS
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
