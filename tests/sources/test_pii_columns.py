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
