"""Row rules (insights/sources/rules.py) through the real loader and a real DuckDB: a row can
be wrong, the marts cannot (issue 13)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest

from insights.sources import rules
from insights.sources.catalog import ACCOUNTS, PRODUCT_EVENTS
from insights.sources.load import load_source

HEADER = "Account ID,Account Name,Plan,ARR,Segment,Region,Account Owner,Created Date\n"
GOOD = (
    "acc_0001,Willow Provisions,enterprise,23800.00,Enterprise,APAC,Kenji Mori,2019-08-08\n"
    "acc_0002,Juniper Kitchens,free,0.00,SMB,NA,,2019-01-17\n"
)


def write_accounts(tmp_path, text: str):
    landing = tmp_path / "landing"
    (landing / "accounts").mkdir(parents=True)
    (landing / "accounts" / "accounts.csv").write_text(text, encoding="utf-8")
    return landing


def account_ids(con):
    return sorted(r[0] for r in con.execute("select account_id from raw.accounts").fetchall())


@pytest.mark.parametrize("attempt", range(5))
def test_random_bytes_after_a_valid_header_publish_no_garbage_account(tmp_path, con, attempt):
    garbage = os.urandom(4096).decode("utf-8", errors="replace")
    landing = write_accounts(tmp_path, HEADER + GOOD + garbage)
    load_source(con, ACCOUNTS, landing)
    status = con.execute("select status from raw.load_ledger").fetchone()[0]
    if status == "failed":  # the garbage broke the CSV itself: nothing of it is published
        assert account_ids(con) == []
    else:
        assert account_ids(con) == ["acc_0001", "acc_0002"]
        reasons = [r[0] for r in con.execute("select reason from raw.quarantine").fetchall()]
        assert all(reasons)


def test_ids_control_characters_and_short_rows_are_quarantined_with_the_reason(tmp_path, con):
    bad = (
        "acc 9,Space In Id,pro,1,SMB,NA,,2020-01-01\n"
        "acc_\x07,Bell,pro,1,SMB,NA,,2020-01-01\n"
        "acc_0010,Na\ufffdme,pro,1,SMB,NA,,2020-01-01\n"
        f"{'a' * 200},Long,pro,1,SMB,NA,,2020-01-01\n"
        "acc_0011\n"
    )
    landing = write_accounts(tmp_path, HEADER + GOOD + bad)
    load_source(con, ACCOUNTS, landing)
    assert account_ids(con) == ["acc_0001", "acc_0002"]
    got = dict(con.execute("select line, reason from raw.quarantine").fetchall())
    assert got[4].startswith("not an ID") and got[5].startswith("not an ID")
    assert "control characters" in got[6]
    assert "longer than" in got[7]
    assert "fewer fields than the header" in got[8]


def test_id_shapes_real_exports_use_are_accepted():
    for value in ("acc_0001", "usr_00001", "PRD-12", "4211", "6c7e-1", "gp:AOqpTOE", "ann@example.com"):
        assert rules.id_problem(value) is None, value


def test_numbers_that_are_not_finite_out_of_range_or_ambiguous_are_quarantined(tmp_path, con):
    values = ["inf", "-inf", "nan", "NaN", "1e999", "-5", "2e12", '"1.234,56"', '"23800,00"', '"1,234.50"', "$900"]
    lines = [f"acc_{i:04d},Name,pro,{v},SMB,NA,,2020-01-01\n" for i, v in enumerate(values, start=100)]
    landing = write_accounts(tmp_path, HEADER + "".join(lines))
    load_source(con, ACCOUNTS, landing)
    loaded = dict(con.execute("select account_id, arr from raw.accounts").fetchall())
    assert loaded == {"acc_0109": 1234.5, "acc_0110": 900.0}
    reasons = dict(con.execute("select line, reason from raw.quarantine where field = 'arr'").fetchall())
    assert len(reasons) == 9
    assert all(reasons[line] == "not a finite number" for line in (2, 3, 4, 5, 6))
    assert reasons[7].startswith("below the minimum") and reasons[8].startswith("above the maximum")
    assert reasons[9].startswith("ambiguous number") and reasons[10].startswith("ambiguous number")


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1,234,567.89", ".", 1234567.89),
        ("23800.00", ".", 23800.0),
        ("1.234,56", ",", 1234.56),
        ("23800,00", ",", 23800.0),
    ],
)
def test_number_under_each_decimal_separator(text, decimal, expected):
    assert rules.parse_number(text, "float", decimal) == expected


@pytest.mark.parametrize(("text", "decimal"), [("1,23", "."), ("1.234,56", "."), ("1,234.56", ","), ("12,34,567", ".")])
def test_number_with_the_other_locale_separators_is_refused(text, decimal):
    with pytest.raises(rules.NumberProblem):
        rules.parse_number(text, "float", decimal)


def test_an_event_dated_1900_is_quarantined_and_the_rest_load(tmp_path, con):
    landing = tmp_path / "landing"
    (landing / "segment").mkdir(parents=True)
    events = [
        {"type": "track", "messageId": f"m-{i}", "event": "Chart Edited", "userId": "usr_00001",
         "timestamp": stamp, "properties": {"feature": "chart_editor"}, "context": {"groupId": "acc_0001"}}
        for i, stamp in enumerate(["2026-08-30T00:35:22Z", "1900-01-01T00:00:00Z", "2026-08-31T10:00:00Z"])
    ]  # fmt: skip
    (landing / "segment" / "events.jsonl").write_text("\n".join(json.dumps(e) for e in events) + "\n")
    report = load_source(con, PRODUCT_EVENTS, landing)
    assert report.rows_loaded == 2
    assert con.execute("select line, reason from raw.quarantine").fetchall() == [
        (2, "date out of range: before 1990-01-01")
    ]


def test_dates_after_tomorrow_and_partial_dates_are_quarantined(tmp_path, con):
    later = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d")
    dates = ["2024-03-14", later, "2024-03", "March 2024", "2024", "03/14/2026 09:12"]
    lines = [f"acc_{i:04d},Name,pro,1,SMB,NA,,{d}\n" for i, d in enumerate(dates, start=200)]
    load_source(con, ACCOUNTS, write_accounts(tmp_path, HEADER + "".join(lines)))
    assert account_ids(con) == ["acc_0200", "acc_0205"]
    reasons = dict(con.execute("select line, reason from raw.quarantine").fetchall())
    assert reasons[3] == "date out of range: after tomorrow"
    assert all("partial date" in reasons[line] for line in (4, 5, 6))
