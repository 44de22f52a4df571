import json

import duckdb
import pytest

from insights.sources.catalog import NPS_RESPONSES, PRODUCT_EVENTS, SUPPORT_TICKETS
from insights.sources.load import load_source

NPS_HEADER = "Response ID,Created At,Email,Score,Comment,Account ID,Survey,Plan\n"


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def count(con, table):
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_good_rows_load_and_bad_rows_are_quarantined_with_line_and_field(tmp_path, con):
    landing = tmp_path / "landing"
    write(
        landing / "surveys" / "nps.csv",
        NPS_HEADER
        + 'r1,2026-01-02T10:00:00Z,a@x.io,9,"Love it, mail me at a@x.io",acc_1,nps,pro\n'
        + "r2,2026-01-03,b@x.io,11,too high,acc_1,nps,pro\n"
        + 'r3,not a date,c@x.io,3,"multi\nline",acc_2,nps,pro\n'
        + 'r4,2026-01-04 08:00:00+02:00,d@x.io,0,"quoted\nnewline ok",acc_2,nps,free\n',
    )
    report = load_source(con, NPS_RESPONSES, landing)

    assert report.rows_loaded == 2 and report.rows_quarantined == 2
    rows = con.execute(
        "select response_id, score, comment_redacted, created_at::varchar, _line from raw.nps_responses order by 1"
    ).fetchall()
    assert rows[0] == ("r1", 9, "Love it, mail me at <EMAIL>", "2026-01-02 10:00:00", 2)
    # The offset is converted to UTC, and the line points past the earlier quoted newline.
    assert rows[1] == ("r4", 0, "quoted\nnewline ok", "2026-01-04 06:00:00", 6)
    quarantine = con.execute("select file, line, field, value, reason from raw.quarantine order by line").fetchall()
    assert quarantine[0][:4] == ("surveys/nps.csv", 3, "score", "11")
    assert "maximum" in quarantine[0][4]
    assert quarantine[1][:4] == ("surveys/nps.csv", 4, "created_at", "not a date")


def test_rerun_skips_known_files_and_a_changed_file_replaces_its_rows(tmp_path, con):
    landing = tmp_path / "landing"
    path = write(landing / "surveys" / "nps.csv", NPS_HEADER + "r1,2026-01-02,a@x.io,9,good,acc_1,nps,pro\n")
    load_source(con, NPS_RESPONSES, landing)
    again = load_source(con, NPS_RESPONSES, landing)
    assert again.files_skipped == 1 and count(con, "raw.nps_responses") == 1

    write(path, NPS_HEADER + "r1,2026-01-02,a@x.io,10,better,acc_1,nps,pro\nr2,2026-01-05,b@x.io,4,meh,acc_2,nps,pro\n")
    load_source(con, NPS_RESPONSES, landing)
    assert con.execute("select response_id, score from raw.nps_responses order by 1").fetchall() == [
        ("r1", 10),
        ("r2", 4),
    ]
    assert con.execute("select rows_loaded, status from raw.load_ledger").fetchall() == [(2, "loaded")]


def test_semicolon_bom_and_windows_1252_exports_are_read(tmp_path, con):
    landing = tmp_path / "landing"
    text = NPS_HEADER.replace(",", ";") + "r1;2026-01-02;a@x.io;7;Très bien;acc_1;nps;pro\n"
    write(landing / "surveys" / "bom.csv", "\ufeff" + text.replace("r1", "r2"))
    write(landing / "surveys" / "latin.csv", text, encoding="cp1252")
    load_source(con, NPS_RESPONSES, landing)
    assert con.execute("select response_id, comment from raw.nps_responses order by 1").fetchall() == [
        ("r1", "Très bien"),
        ("r2", "Très bien"),
    ]


def test_unreadable_file_is_recorded_failed_and_other_files_still_load(tmp_path, con):
    landing = tmp_path / "landing"
    write(landing / "zendesk" / "broken.json", '{"tickets": [{"id": 1, ')
    write(
        landing / "zendesk" / "good.json",
        json.dumps(
            {
                "tickets": [
                    {
                        "id": 7,
                        "created_at": "2026-01-01T00:00:00Z",
                        "subject": "Hi",
                        "description": "Call +1 415 555 0132",
                        "via": {"channel": "email"},
                        "tags": ["export", "bug"],
                        "satisfaction_rating": {"score": "bad"},
                    }
                ]
            }
        ),
    )
    report = load_source(con, SUPPORT_TICKETS, landing)

    assert report.failures and report.failures[0][0] == "zendesk/broken.json"
    assert con.execute(
        "select ticket_id, channel, tags, satisfaction_score, description_redacted from raw.support_tickets"
    ).fetchall() == [("7", "email", "export,bug", "bad", "Call <PHONE>")]
    ledger = dict(con.execute("select path, status from raw.load_ledger").fetchall())
    assert ledger == {"zendesk/broken.json": "failed", "zendesk/good.json": "loaded"}


def test_missing_required_column_fails_the_file_naming_the_column(tmp_path, con):
    landing = tmp_path / "landing"
    write(landing / "surveys" / "nps.csv", "Response ID,Created At,Comment\nr1,2026-01-02,hi\n")
    report = load_source(con, NPS_RESPONSES, landing)
    assert report.rows_loaded == 0
    assert "Score" in report.failures[0][1]


def test_malformed_json_line_is_quarantined_and_the_rest_of_the_file_loads(tmp_path, con):
    landing = tmp_path / "landing"
    good = {
        "type": "track",
        "messageId": "m1",
        "event": "Report Exported",
        "userId": "u1",
        "timestamp": "2026-01-01T12:00:00Z",
        "properties": {"feature": "csv_export"},
        "context": {"groupId": "acc_1"},
    }
    write(
        landing / "segment" / "day.jsonl",
        json.dumps(good) + "\n{not json\n" + json.dumps({**good, "messageId": "m2"}) + "\n",
    )
    report = load_source(con, PRODUCT_EVENTS, landing)
    assert report.rows_loaded == 2
    assert con.execute("select line, reason like 'not valid JSON%' from raw.quarantine").fetchall() == [(2, True)]
    assert con.execute("select distinct account_id, feature from raw.product_events").fetchall() == [
        ("acc_1", "csv_export")
    ]


def test_sql_and_jinja_in_text_load_as_plain_text(tmp_path, con):
    landing = tmp_path / "landing"
    comment = "'; DROP TABLE raw.nps_responses; -- {{ config(x) }}"
    write(landing / "surveys" / "nps.csv", NPS_HEADER + f'r1,2026-01-02,a@x.io,5,"{comment}",acc_1,nps,pro\n')
    load_source(con, NPS_RESPONSES, landing)
    assert con.execute("select comment from raw.nps_responses").fetchone()[0] == comment
