"""Every kind of bad input in the issue has a fixture under tests/fixtures/bad_input and a test
here: good rows load, bad rows are quarantined with a reason, a bad file fails alone."""

from __future__ import annotations

from pathlib import Path

from insights.sources.catalog import (
    ACCOUNTS,
    APP_REVIEWS,
    FEATURE_REQUESTS,
    NPS_RESPONSES,
    PRODUCT_EVENTS,
    ROADMAP_ITEMS,
    SOURCES,
    SUPPORT_CONVERSATIONS,
    SUPPORT_TICKETS,
)
from insights.sources.load import load_source

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def rows(con, sql):
    return con.execute(sql).fetchall()


def ledger(con):
    return {
        path: (status, error) for path, status, error in rows(con, "select path, status, error from raw.load_ledger")
    }


def test_truncated_json_document_fails_the_file_with_the_reason(landing, con):
    report = load_source(con, SUPPORT_TICKETS, landing.drop("zendesk/truncated.json"))
    assert report.rows_loaded == 0
    status, error = ledger(con)["zendesk/truncated.json"]
    assert status == "failed" and "not valid JSON" in error


def test_truncated_last_json_line_is_quarantined_and_earlier_lines_load(landing, con):
    report = load_source(con, PRODUCT_EVENTS, landing.drop("segment/truncated.jsonl"))
    assert report.rows_loaded == 1
    assert rows(con, "select line, reason like 'not valid JSON%' from raw.quarantine") == [(2, True)]


def test_csv_with_quoted_newlines_keeps_the_text_and_the_next_row_line(landing, con):
    load_source(con, NPS_RESPONSES, landing.drop("surveys/quoted_newlines.csv"))
    got = rows(con, "select response_id, comment, _line from raw.nps_responses order by 1")
    assert got[0] == ("q1", 'First line\nsecond line, with a comma\n"quoted" third', 2)
    assert got[1] == ("q2", "fine", 5)  # line 5: the quoted comment spans lines 2-4


def test_semicolon_delimited_csv_is_read(landing, con):
    load_source(con, NPS_RESPONSES, landing.drop("surveys/semicolon.csv"))
    assert rows(con, "select response_id, score, comment from raw.nps_responses") == [("s1", 8, "Good, mostly")]


def test_utf8_bom_does_not_hide_the_first_column(landing, con):
    load_source(con, NPS_RESPONSES, landing.drop("surveys/utf8_bom.csv"))
    assert rows(con, "select response_id, comment from raw.nps_responses") == [("b1", "Très bien")]


def test_latin1_bytes_are_decoded(landing, con):
    load_source(con, NPS_RESPONSES, landing.drop("surveys/latin1.csv"))
    assert rows(con, "select comment from raw.nps_responses") == [("Größe ändern geht nicht",)]


def test_missing_required_column_fails_the_file_naming_it(landing, con):
    report = load_source(con, FEATURE_REQUESTS, landing.drop("canny/missing_required_column.csv"))
    assert report.rows_loaded == 0
    status, error = ledger(con)["canny/missing_required_column.csv"]
    assert status == "failed" and "Title" in error


def test_unknown_extra_columns_are_kept_as_properties_not_rejected(landing, con):
    load_source(con, NPS_RESPONSES, landing.drop("surveys/unknown_extra_columns.csv"))
    assert rows(con, "select response_id, properties from raw.nps_responses") == [
        ("x1", '{"Favourite Colour": "teal", "Utm Source": "newsletter"}')
    ]


def test_empty_and_whitespace_only_text_loads_as_null(landing, con):
    report = load_source(con, APP_REVIEWS, landing.drop("app_store/blank_text.csv"))
    assert report.rows_loaded == 3 and report.rows_quarantined == 0
    got = rows(con, "select review_id, title_redacted, review_redacted from raw.app_reviews order by 1")
    assert got == [("e1", None, None), ("e2", None, None), ("e3", "Great", "Works")]


def test_a_200_kb_text_loads_whole(landing, con):
    load_source(con, SUPPORT_TICKETS, landing.drop("zendesk/long_text.jsonl"))
    (length,) = con.execute("select length(description_redacted) from raw.support_tickets").fetchone()
    assert length >= 199_000


def test_mixed_timestamp_formats_and_zones_land_as_the_same_utc_instant(landing, con):
    report = load_source(con, PRODUCT_EVENTS, landing.drop("segment/mixed_timestamps.jsonl"))
    assert report.rows_loaded == 7 and report.rows_quarantined == 0
    # ISO with Z, with +02:00, -05:00, no offset (UTC), US date, "Nov 3, 2026", epoch millis.
    assert rows(con, "select distinct occurred_at::varchar from raw.product_events") == [("2026-11-03 10:00:00",)]


def test_unparseable_dates_are_quarantined_with_the_value(landing, con):
    report = load_source(con, FEATURE_REQUESTS, landing.drop("canny/unparseable_dates.csv"))
    assert report.rows_loaded == 1
    got = rows(con, "select line, field, value from raw.quarantine order by line")
    assert got == [(2, "created_at", "yesterday-ish"), (4, "created_at", "31/31/2026")]


def test_nps_above_10_and_below_0_are_quarantined(landing, con):
    load_source(con, NPS_RESPONSES, landing.drop("surveys/nps_out_of_range.csv"))
    assert rows(con, "select response_id from raw.nps_responses") == [("o3",)]
    assert rows(con, "select value from raw.quarantine where field = 'score' order by line") == [("11",), ("-1",)]


def test_zero_and_six_stars_are_quarantined(landing, con):
    load_source(con, APP_REVIEWS, landing.drop("app_store/zero_stars.csv"))
    assert rows(con, "select review_id from raw.app_reviews") == [("z3",)]
    reasons = [r for (r,) in rows(con, "select reason from raw.quarantine order by line")]
    assert "below the minimum 1" in reasons[0] and "above the maximum 5" in reasons[1]


def test_duplicate_ids_within_and_across_files_are_all_kept_in_raw(landing, con):
    # Raw keeps every version with its file and line; staging picks the newest (tests/dbt).
    landing.drop("zendesk/duplicates_monday.jsonl", "zendesk/duplicates_tuesday.jsonl")
    report = load_source(con, SUPPORT_TICKETS, landing.root)
    assert report.rows_loaded == 5 and report.rows_quarantined == 0
    again = load_source(con, SUPPORT_TICKETS, landing.root)
    assert again.files_skipped == 2
    assert rows(con, "select count(*) from raw.support_tickets where ticket_id = '92001'") == [(3,)]


def test_event_for_an_unknown_user_loads(landing, con):
    # Unknown users are a referential warning in dbt, not a reason to lose usage data.
    load_source(con, PRODUCT_EVENTS, landing.drop("segment/unknown_user.jsonl"))
    assert rows(con, "select user_id from raw.product_events") == [("usr_nobody_knows",)]


def test_zero_byte_file_is_recorded_failed(landing, con):
    load_source(con, ACCOUNTS, landing.drop("accounts/zero_byte.csv"))
    assert ledger(con)["accounts/zero_byte.csv"] == ("failed", "accounts/zero_byte.csv: file is empty")


def test_files_not_in_their_folders_format_fail_alone(landing, con):
    landing.drop("zendesk/not_json.json", "intercom/not_json_lines.jsonl", "jira/not_csv.csv")
    for spec in (SUPPORT_TICKETS, SUPPORT_CONVERSATIONS, ROADMAP_ITEMS):
        load_source(con, spec, landing.root)
    states = ledger(con)
    assert {path: status for path, (status, _) in states.items()} == {
        "zendesk/not_json.json": "failed",
        "intercom/not_json_lines.jsonl": "failed",
        "jira/not_csv.csv": "failed",
    }
    assert "not JSON lines" in states["intercom/not_json_lines.jsonl"][1]
    assert "Issue key" in states["jira/not_csv.csv"][1]
    assert rows(con, "select count(*) from raw.quarantine") == [(0,)]


def test_a_failed_file_is_retried_when_its_content_changes(landing, con):
    path = landing.drop("accounts/zero_byte.csv") / "accounts" / "zero_byte.csv"
    load_source(con, ACCOUNTS, landing.root)
    path.write_text("Account ID,Account Name\nacc_9,Nine Ltd\n")
    report = load_source(con, ACCOUNTS, landing.root)
    assert report.rows_loaded == 1
    assert ledger(con)["accounts/zero_byte.csv"] == ("loaded", None)


def test_sql_and_jinja_in_text_load_verbatim(landing, con):
    load_source(con, FEATURE_REQUESTS, landing.drop("canny/sql_and_jinja.csv"))
    title, details = con.execute("select title, details_redacted from raw.feature_requests").fetchone()
    assert title == "Robert'); DROP TABLE raw.feature_requests; --"
    assert details == "{{ config(materialized='table') }} {% do run_query('x') %}"


def test_every_bad_fixture_together_stops_no_other_file_or_source(landing, con):
    landing.drop_all(EXPORTS)
    landing.drop_all(EXPORTS.parent / "bad_input")
    reports = {spec.name: load_source(con, spec, landing.root) for spec in SOURCES}
    failed = {file for report in reports.values() for file, _ in report.failures}
    assert failed == {
        "accounts/zero_byte.csv",
        "zendesk/truncated.json",
        "zendesk/not_json.json",
        "intercom/not_json_lines.jsonl",
        "jira/not_csv.csv",
        "canny/missing_required_column.csv",
    }
    # Every good export loaded all its rows next to the broken files.
    loaded = dict(rows(con, "select path, rows_loaded from raw.load_ledger where status = 'loaded'"))
    for path in EXPORTS.rglob("*"):
        if path.is_file():
            assert loaded[path.relative_to(EXPORTS).as_posix()] == 2, path
