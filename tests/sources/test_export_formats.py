"""Each new export format, read from a fixture shaped like the tool's real export."""

from __future__ import annotations

from pathlib import Path

from insights.sources.catalog import (
    AMPLITUDE_EVENTS,
    GOOGLE_PLAY_REVIEWS,
    NPS_RESPONSES,
    SUPPORT_CONVERSATIONS,
    SUPPORT_TICKETS,
)
from insights.sources.intercom import html_to_text
from insights.sources.load import load_source

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def test_zendesk_json_lines_export(landing, con):
    load_source(con, SUPPORT_TICKETS, landing.drop("zendesk/tickets_2026-11-27.jsonl", base=EXPORTS))
    got = con.execute(
        "select ticket_id, updated_at::varchar, channel, tags, satisfaction_score, description_redacted "
        "from raw.support_tickets order by 1"
    ).fetchall()
    assert got[1] == (
        "90002",
        "2026-11-22 07:30:00",
        "email",
        "export,timeout",
        "bad",
        "SSO login loops back to the sign-in page. Call me on <PHONE>.",
    )


def test_intercom_conversation_joins_customer_parts_and_records_author_types(landing, con):
    load_source(con, SUPPORT_CONVERSATIONS, landing.drop("intercom/conversations_2026-11-27.json", base=EXPORTS))
    first = con.execute(
        "select created_at::varchar, user_id, customer_text_redacted, conversation_text_redacted, author_types, "
        "part_count, rating, tags from raw.support_conversations where conversation_id = '215470001'"
    ).fetchone()
    created, user, customer, thread, authors, parts, rating, tags = first
    assert created == "2026-11-26 09:00:00"  # Unix seconds, read as UTC
    assert user == "usr_00002"  # the contact's external_id, the CRM user
    # The bot's and the agent's words are not customer feedback.
    assert (
        customer
        == "Hi! The dashboard won't load since this morning.\nMail me at <EMAIL>\n\nIt just shows a spinner.\nEvery chart."
    )
    assert "[admin] Could you send a screenshot?" in thread and "[bot]" in thread
    assert (authors, parts, rating, tags) == ("user,bot,admin", 4, 2, "dashboards")


def test_intercom_html_is_flattened_without_eating_text():
    assert html_to_text("<p>a &amp; b</p><p>c<br/>d</p>") == "a & b\nc\nd"
    assert html_to_text(None) == ""


def test_csat_survey_export_with_varying_property_columns(landing, con):
    load_source(con, NPS_RESPONSES, landing.drop("surveys/csat_2026-11.csv", base=EXPORTS))
    got = con.execute(
        "select response_id, score, survey_type, email, comment, properties from raw.nps_responses order by 1"
    ).fetchall()
    assert got[0] == (
        "cs_1",
        2,
        "csat",
        "ana@example.org",
        "Support took three days, and the fix did not work",
        '{"Browser": "Firefox", "Plan": "pro"}',
    )
    assert got[1][5] == '{"Plan": "team"}'  # a blank property is left out, not stored as ""


def test_csat_score_outside_1_to_5_is_quarantined(landing, con):
    path = landing.root / "surveys" / "csat.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        "Response ID,Created At,CSAT Score,Comment\nc0,2026-11-01,0,zero\nc9,2026-11-01,9,nine\nc4,2026-11-01,4,ok\n"
    )
    load_source(con, NPS_RESPONSES, landing.root)
    assert con.execute("select response_id from raw.nps_responses").fetchall() == [("c4",)]
    assert [r for (r,) in con.execute("select reason from raw.quarantine order by line").fetchall()] == [
        "csat score 0 outside 1-5",
        "csat score 9 outside 1-5",
    ]


def test_google_play_utf16_review_csv(landing, con):
    load_source(
        con, GOOGLE_PLAY_REVIEWS, landing.drop("google_play/reviews_reviews_com.acme.insights_202611.csv", base=EXPORTS)
    )
    got = con.execute(
        "select review_id, rating, language, submitted_at::varchar, updated_at::varchar, review_redacted, developer_reply "
        "from raw.google_play_reviews order by submitted_at"
    ).fetchall()
    assert got[0] == (
        "gp:AOqpTOE-7Qx",
        2,
        "en",
        "2026-11-24 18:22:05",
        "2026-11-25 07:01:00",
        "Offline mode loses my notes, support at <PHONE> did not help",
        None,
    )
    # No review link: a key from what an edit does not change, stable across exports.
    assert got[1][0].startswith("gp_") and got[1][5] == "Super App für Berichte" and got[1][6] == "Danke!"


def test_amplitude_gzipped_export_rows(landing, con):
    load_source(con, AMPLITUDE_EVENTS, landing.drop("amplitude/123456_2026-11-27_0#0.json.gz", base=EXPORTS))
    got = con.execute(
        "select event_id, event_name, user_id, account_id, feature, occurred_at::varchar, properties "
        "from raw.amplitude_events order by 1"
    ).fetchall()
    assert got[0] == (
        "ins-1",
        "Report Exported",
        "usr_00001",
        "acc_0001",
        "csv_export",
        "2026-11-27 10:00:01.123",
        '{"feature": "csv_export", "format": "csv"}',
    )


def test_a_warehouse_from_before_new_columns_is_migrated(landing, con):
    # Warehouses loaded before survey_type/properties existed keep working.
    con.execute("create schema raw")
    con.execute(
        "create table raw.nps_responses (response_id varchar, created_at timestamp, email varchar, score bigint, "
        "comment varchar, account_id varchar, survey varchar, comment_redacted varchar, _source_file varchar, "
        "_line integer, _loaded_at timestamp)"
    )
    load_source(con, NPS_RESPONSES, landing.drop("surveys/csat_2026-11.csv", base=EXPORTS))
    assert con.execute(
        "select survey_type, comment_redacted is not null from raw.nps_responses limit 1"
    ).fetchone() == ("csat", True)
