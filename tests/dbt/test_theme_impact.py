"""theme_impact on a hand-built warehouse, run by real dbt: the NPS, usage and churn answers
are known here, so the mart's arithmetic (and its significance calls) can be checked exactly.

Only theme_impact and theme_impact_accounts are built: their inputs (fct_feedback,
dim_themes, dim_accounts, int_product_events__unified) are plain tables written here under the
names the refs resolve to.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow  # a dbt parse and build: the real-dbt tier

START = date(2026, 1, 5)  # day 0 of the events; the last event falls on day 69 (10 weeks)
LAST_DAY = 69
Z = 1.96

# Theme A: 20 raisers in the pro plan with 5 seats, anchored on days 28 / 35 / 42 (median 35),
# against 20 pro accounts with 5 seats that never raise it. Raisers lose active users from
# their first mention on; 4 of them leave after that week. 3 enterprise raisers have no
# enterprise account to compare with and drop out of the usage figures.
RAISER_DAYS = [28] * 5 + [35] * 10 + [42] * 5
CHURNERS = {2, 7, 12, 13}  # anchored on days 28, 35, 35, 35


def _weekly_users(account: str) -> dict[int, int]:
    """Active users on the first day of each week (day 7w) of each hand-made account."""
    kind, i = account.split("_")
    i = int(i)
    weeks = range(10)
    if kind == "raiser":
        anchor = RAISER_DAYS[i]
        after = 2 if i % 2 == 0 else 3
        if i in CHURNERS:
            return {w: (4 if 7 * w < anchor else after) for w in weeks if 7 * w < anchor + 7}
        return {w: (4 if 7 * w < anchor else after) for w in weeks}
    if kind == "other":
        return {w: (4 if 7 * w < 35 else (4 if i % 2 == 0 else 5)) for w in weeks}
    if kind == "late":  # created on day 20, after its first week before the anchor
        return {w: 3 for w in weeks}
    if kind == "idle":  # no use at all before the anchor
        return {w: 2 for w in weeks if 7 * w >= 35}
    if kind == "ent":
        return {w: 10 for w in weeks}
    raise ValueError(account)


ACCOUNTS = (
    [(f"raiser_{i}", "pro", 5, START - timedelta(days=400)) for i in range(20)]
    + [(f"other_{i}", "pro", 5, START - timedelta(days=400)) for i in range(20)]
    + [("late_0", "pro", 5, START + timedelta(days=20)), ("idle_0", "pro", 5, START - timedelta(days=400))]
    + [(f"ent_{i}", "enterprise", 30, START - timedelta(days=400)) for i in range(3)]
)


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(START.year, START.month, START.day, hour) + timedelta(days=day)


def _feedback_rows() -> list[tuple]:
    rows = []
    for i, day in enumerate(RAISER_DAYS):
        rows.append((f"t{i}", "thm_a", f"raiser_{i}", "support_ticket", None, _at(day)))
        rows.append((f"t{i}b", "thm_a", f"raiser_{i}", "support_ticket", None, _at(day + 3)))  # not the first
    for i in range(3):
        rows.append((f"e{i}", "thm_a", f"ent_{i}", "support_ticket", None, _at(30)))
    # NPS: 10 responses on theme A (2 promoters, 3 passives, 5 detractors: NPS -30) and 20 off it
    # (10 / 6 / 4: NPS 30) - 12 on theme B, 8 outliers. Theme C has no feedback at all.
    on_a = [10, 9] + [8, 7, 7] + [6, 5, 3, 0, 6]
    off = [10, 9, 9, 10, 9, 10, 9, 9, 10, 9] + [7, 8, 7, 8, 7, 8] + [2, 6, 4, 5]
    for k, score in enumerate(on_a):
        rows.append((f"n{k}", "thm_a", None, "nps_response", score, _at(10)))
    for k, score in enumerate(off):
        rows.append((f"m{k}", "thm_b" if k < 12 else None, None, "nps_response", score, _at(10)))
    return rows


def _build_inputs(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create table dim_themes (theme_id varchar, label varchar)")
    con.executemany("insert into dim_themes values (?, ?)", [("thm_a", "A"), ("thm_b", "B"), ("thm_c", "C")])
    con.execute("create table dim_accounts (account_id varchar, plan varchar, n_users bigint, created_at timestamp)")
    con.executemany(
        "insert into dim_accounts values (?, ?, ?, ?)",
        [(a, p, n, datetime.combine(c, datetime.min.time())) for a, p, n, c in ACCOUNTS],
    )
    con.execute(
        "create table fct_feedback (feedback_id varchar, theme_id varchar, account_id varchar, "
        "feedback_type varchar, rating integer, created_at timestamp)"
    )
    con.executemany("insert into fct_feedback values (?, ?, ?, ?, ?, ?)", _feedback_rows())
    con.execute(
        "create table int_product_events__unified (event_id varchar, account_id varchar, user_id varchar, "
        "occurred_at timestamp, occurred_on date)"
    )
    events = []
    for account, *_ in ACCOUNTS:
        for week, users in _weekly_users(account).items():
            for u in range(users):
                events.append(
                    (
                        f"{account}-{week}-{u}",
                        account,
                        f"{account}-u{u}",
                        _at(7 * week),
                        START + timedelta(days=7 * week),
                    )
                )
    # The event range: an anonymous event on the first and one on the last day.
    events += [
        ("first", None, None, _at(0), START),
        ("last", None, None, _at(LAST_DAY), START + timedelta(days=LAST_DAY)),
    ]
    con.executemany("insert into int_product_events__unified values (?, ?, ?, ?, ?)", events)
    con.close()


def _mean_var(values: list[float]) -> tuple[float, float]:
    """Mean and the variance of the mean, sum((x - mean)^2) / n^2, as the mart defines it."""
    mean = sum(values) / len(values)
    return mean, sum((x - mean) ** 2 for x in values) / len(values) ** 2


@pytest.fixture(scope="module")
def impact(tmp_path_factory, dbt):
    data_dir = tmp_path_factory.mktemp("impact")
    _build_inputs(data_dir / "warehouse.duckdb")
    dbt(
        data_dir,
        "build",
        "--select",
        "theme_impact_accounts",
        "theme_impact",
    )
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    rows = con.execute("select * from theme_impact").df().set_index("theme_id")
    rows.attrs["accounts"] = (
        con.execute("select * from theme_impact_accounts where theme_id = 'thm_a'").df().set_index("account_id")
    )
    con.close()
    return rows


def test_nps_on_against_off_theme_with_its_interval_and_impact_if_removed(impact):
    a = impact.loc["thm_a"]
    assert (a.nps_responses_on_theme, a.nps_responses_off_theme) == (10, 20)
    assert a.nps_on_theme == pytest.approx(-30) and a.nps_off_theme == pytest.approx(30)
    assert a.nps_difference == pytest.approx(-60)
    # Var of p+ - p-: (0.2 + 0.5 - 0.3^2) / 10 on, (0.5 + 0.2 - 0.3^2) / 20 off.
    se = 100 * math.sqrt(0.61 / 10 + 0.61 / 20)
    assert a.nps_difference_low == pytest.approx(-60 - Z * se)
    assert a.nps_difference_high == pytest.approx(-60 + Z * se)
    assert a.nps_is_significant  # 60 > 1.96 * 30.25
    # 12 promoters, 9 detractors of 30: NPS 10; A's 5 detractors as passives: (12 - 4) / 30.
    assert a.company_nps == pytest.approx(10)
    assert a.nps_if_removed == pytest.approx(100 * 8 / 30)
    b = impact.loc["thm_b"]
    assert b.nps_responses_on_theme == 12 and b.nps_on_theme == pytest.approx(100 * 10 / 12)


def test_usage_change_of_raisers_against_matched_accounts(impact):
    a = impact.loc["thm_a"]
    # Everyone is read over whole weeks inside days 0-69, up to 8 each side of the anchor.
    raised = []
    for i, anchor in enumerate(RAISER_DAYS):
        weekly = _weekly_users(f"raiser_{i}")
        starts = [anchor + 7 * k for k in range(-8, 8) if anchor + 7 * k >= 0 and anchor + 7 * k + 6 <= LAST_DAY]
        # Anchors are multiples of 7, so each week starts on an event day.
        before = [weekly.get(s // 7, 0) for s in starts if s < anchor]
        after = [weekly.get(s // 7, 0) for s in starts if s >= anchor]
        raised.append(sum(after) / len(after) / (sum(before) / len(before)) - 1)
    # The comparison accounts are anchored on the raisers' median first day, 35: 5 weeks each side.
    others = [(4 if i % 2 == 0 else 5) / 4 - 1 for i in range(20)]
    assert a.usage_anchor_date.date() == START + timedelta(days=35)
    # 23 raised it; the enterprise three have no comparison; late_0 and idle_0 are not measured.
    assert (a.raising_accounts, a.usage_accounts_raised, a.usage_accounts_comparison) == (23, 20, 20)
    mean_r, var_r = _mean_var(raised)
    mean_o, var_o = _mean_var(others)
    assert a.usage_change_raised == pytest.approx(mean_r)
    assert a.usage_change_comparison == pytest.approx(0.125)
    assert a.usage_change_difference == pytest.approx(mean_r - mean_o)
    half = Z * math.sqrt(var_r + var_o)
    assert a.usage_change_difference_low == pytest.approx(mean_r - mean_o - half)
    assert a.usage_change_difference_high == pytest.approx(mean_r - mean_o + half)
    assert a.usage_is_significant and a.usage_change_difference < -0.4


def test_churn_share_and_the_pooled_test(impact):
    a = impact.loc["thm_a"]
    # The 4 churners' last event is on their anchor day (28 or 35: 34 or more days before
    # day 69); nobody else stops.
    assert a.churn_share_raised == pytest.approx(4 / 20) and a.churn_share_comparison == 0
    half = Z * math.sqrt(0.2 * 0.8 / 20)  # Wald: the comparison group adds no variance
    assert a.churn_share_difference_low == pytest.approx(0.2 - half)
    # Pooled: p = 4 / 40, se = sqrt(0.1 * 0.9 * (1/20 + 1/20)) = 0.095, z = 2.11.
    assert a.churn_is_significant


def test_impact_multiplier_adds_the_significant_harms(impact):
    a = impact.loc["thm_a"]
    harms = 0.6 + min(1.0, -a.usage_change_difference) + 0.2
    assert a.impact_multiplier == pytest.approx(1 + 0.5 * harms)
    # B goes with happier customers, has too few raisers for usage; C has no feedback at all.
    for theme in ("thm_b", "thm_c"):
        row = impact.loc[theme]
        assert row.impact_multiplier == 1
        assert not (row.usage_is_significant or row.churn_is_significant)
    assert impact.loc["thm_c"].raising_accounts == 0 and impact.loc["thm_c"].nps_responses_on_theme == 0


def test_who_is_measured_and_how_the_comparison_is_weighted(impact):
    accounts = impact.attrs["accounts"]
    # Theme A only: B and C have no raising account, so nothing to anchor on.
    assert len(accounts) == len(ACCOUNTS)
    assert not accounts.loc["late_0"].is_measured  # created after its first week
    assert not accounts.loc["idle_0"].is_measured  # no use before the anchor
    assert accounts.loc["raiser_0"].anchor_date.date() == START + timedelta(days=28)
    assert accounts.loc["other_0"].anchor_date.date() == START + timedelta(days=35)
    assert (accounts.loc["raiser_0"].weeks_before, accounts.loc["raiser_0"].weeks_after) == (4, 6)
    # 20 raisers and 20 others in the pro 0-9 cell: weight 1 each; the enterprise raisers none.
    assert accounts.loc["other_3"].seat_band == "0-9" and accounts.loc["ent_0"].seat_band == "10-49"
    assert accounts.loc[[f"other_{i}" for i in range(20)], "match_weight"].eq(1).all()
    assert accounts.loc[[f"ent_{i}" for i in range(3)], "match_weight"].isna().all()
