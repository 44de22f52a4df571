"""A survey export without a Response ID column loads with IDs derived from each row."""

import duckdb
import pytest

from insights.sources.catalog import NPS_RESPONSES
from insights.sources.load import load_source

NO_ID_HEADER = "Submitted At,Respondent Email,Score,Comment,Account ID,Survey\n"
ROWS = [
    "2026-11-25 14:02:11,ana@example.org,9,Great exports,acc_0001,Q4 NPS\n",
    "2026-11-25 15:10:00,bo@example.org,3,Slow dashboards,acc_0002,Q4 NPS\n",
]


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def ids(con):
    return dict(con.execute("select comment, response_id from raw.nps_responses").fetchall())


def test_file_without_id_column_loads_every_row_with_a_derived_id(tmp_path, con):
    write(tmp_path / "landing" / "surveys" / "nps.csv", NO_ID_HEADER + "".join(ROWS))
    report = load_source(con, NPS_RESPONSES, tmp_path / "landing")
    assert (report.rows_loaded, report.rows_quarantined, report.failures) == (2, 0, [])
    got = ids(con)
    assert all(i.startswith("sv_") for i in got.values()) and len(set(got.values())) == 2


def test_derived_id_is_the_same_for_the_same_row_in_a_later_export(tmp_path, con):
    landing = tmp_path / "landing"
    write(landing / "surveys" / "nps_2026-11-25.csv", NO_ID_HEADER + ROWS[0])
    load_source(con, NPS_RESPONSES, landing)
    first = ids(con)
    # The next night's export repeats yesterday's row beside a new one, in another order.
    write(landing / "surveys" / "nps_2026-11-26.csv", NO_ID_HEADER + ROWS[1] + ROWS[0])
    load_source(con, NPS_RESPONSES, landing)
    again = ids(con)
    assert again["Great exports"] == first["Great exports"]
    keys = con.execute("select count(distinct response_id), count(*) from raw.nps_responses").fetchone()
    assert keys == (2, 3)  # the repeated row has one key; staging keeps its newest load


def test_an_edited_comment_is_a_new_response(tmp_path, con):
    landing = tmp_path / "landing"
    write(landing / "surveys" / "a.csv", NO_ID_HEADER + ROWS[0])
    write(landing / "surveys" / "b.csv", NO_ID_HEADER + ROWS[0].replace("Great exports", "Great exports!"))
    load_source(con, NPS_RESPONSES, landing)
    got = ids(con)
    assert got["Great exports"] != got["Great exports!"]


def test_an_empty_id_cell_in_a_file_with_the_column_is_still_quarantined(tmp_path, con):
    write(
        tmp_path / "landing" / "surveys" / "nps.csv",
        "Response ID," + NO_ID_HEADER + "r1," + ROWS[0] + "," + ROWS[1],
    )
    report = load_source(con, NPS_RESPONSES, tmp_path / "landing")
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    assert con.execute("select line, field from raw.quarantine").fetchall() == [(3, "response_id")]


ANONYMOUS = "2026-11-25,,9,Great,,Q4 NPS\n"  # date-only time, no e-mail, no account


def test_identical_anonymous_answers_in_one_file_are_two_responses(tmp_path, con):
    # Two people gave the same score and comment on the same day: two NPS answers, not one.
    landing = tmp_path / "landing"
    write(landing / "surveys" / "nps.csv", NO_ID_HEADER + ANONYMOUS + ROWS[0] + ANONYMOUS)
    report = load_source(con, NPS_RESPONSES, landing)
    assert (report.rows_loaded, report.rows_quarantined) == (3, 0)
    first = con.execute("select response_id from raw.nps_responses order by response_id").fetchall()
    assert len(set(first)) == 3
    # Tomorrow's export repeats the file: the same three IDs, so nothing is counted twice.
    write(landing / "surveys" / "nps_again.csv", NO_ID_HEADER + ANONYMOUS + ROWS[0] + ANONYMOUS)
    load_source(con, NPS_RESPONSES, landing)
    keys = con.execute("select count(distinct response_id), count(*) from raw.nps_responses").fetchone()
    assert keys == (3, 6)


def test_a_rows_first_occurrence_keeps_the_id_it_had_before_duplicates_were_counted(tmp_path, con):
    # Warehouses loaded before the occurrence number was added keep their IDs: the literal is
    # what the reader derived for ROWS[0] before (sha256 of survey, time, e-mail, account, score, comment).
    write(tmp_path / "landing" / "surveys" / "nps.csv", NO_ID_HEADER + ROWS[0] + ROWS[0])
    load_source(con, NPS_RESPONSES, tmp_path / "landing")
    got = [i for (i,) in con.execute("select response_id from raw.nps_responses order by _line").fetchall()]
    assert got[0] == "sv_3575a0824e903eca"
    assert got[1] != got[0]
