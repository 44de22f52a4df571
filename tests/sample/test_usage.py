"""The planted usage effect: the reporting accounts, and only they, use the product less after
their first report, some stop altogether, and the same seed plants the same effect."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from insights.sample.company import build_company
from insights.sample.feedback import Planned
from insights.sample.generator import generate
from insights.sample.usage import (
    PLANTED_ACTIVITY_DROP,
    PLANTED_CHURN_DAYS,
    PLANTED_THEME,
    _activity,
    first_reports,
    planted_shocks,
)

START = datetime(2026, 9, 1)
DAYS = 90


def _item(theme: str, day: int, account: int | None) -> Planned:
    return Planned("zendesk", theme, None, START + timedelta(days=day, hours=10), account, None, None)


def test_first_reports_are_each_accounts_earliest_item_on_the_planted_theme():
    planned = [
        _item(PLANTED_THEME, 30, 1),
        _item(PLANTED_THEME, 12, 1),
        _item("dark_mode", 3, 2),  # another theme is no report
        _item(PLANTED_THEME, 50, 2),
        _item(PLANTED_THEME, 5, None),  # an anonymous review names no account
    ]
    assert first_reports(planned, START) == {1: 12, 2: 50}


def test_shocks_are_reproducible_and_churn_only_after_the_report():
    reports = {k: int(d) for k, d in enumerate(np.linspace(0, 89, 200).astype(int))}
    shocks = planted_shocks(np.random.default_rng(3), reports, DAYS)
    assert shocks == planted_shocks(np.random.default_rng(3), reports, DAYS)
    churned = [s for s in shocks if s.churn_day is not None]
    assert 0.1 < len(churned) / len(shocks) < 0.4
    for s in churned:
        assert PLANTED_CHURN_DAYS[0] <= s.churn_day - s.day < PLANTED_CHURN_DAYS[1] and s.churn_day < DAYS


def test_activity_drops_for_the_shocked_account_and_nowhere_else():
    company = build_company(np.random.default_rng(1), 0.3, START + timedelta(days=DAYS), DAYS)
    account = max(range(len(company.accounts)), key=lambda a: len(company.users_by_account[a]))
    shock_day = 40
    shocks = planted_shocks(np.random.default_rng(0), {account: shock_day}, DAYS)
    shocks = [type(s)(s.account, s.day, None) for s in shocks]  # the drop alone, no churn
    plain, _ = _activity(np.random.default_rng(5), company, START, DAYS, [])
    shocked, _ = _activity(np.random.default_rng(5), company, START, DAYS, shocks)
    members = company.users_by_account[account]
    others = [u for u in range(len(company.users)) if u not in set(members)]
    assert (plain[others] == shocked[others]).all()
    assert (plain[members, :shock_day] == shocked[members, :shock_day]).all()
    active_before = (plain[members, shock_day:] > 0).sum()
    active_after = (shocked[members, shock_day:] > 0).sum()
    # Same draws, chances scaled by 0.6: the shocked days are a subset, about 60 % as many.
    assert active_after <= active_before
    assert abs(active_after / active_before - (1 - PLANTED_ACTIVITY_DROP)) < 0.2


def test_the_answer_file_names_the_planted_theme(tmp_path):
    generate(tmp_path, seed=7, scale=0.05, end_date=date(2026, 11, 27))
    rows = (tmp_path / "answers" / "planted_effects.csv").read_text().splitlines()
    assert rows[0] == "theme,effect,size"
    assert {row.split(",")[0] for row in rows[1:]} == {PLANTED_THEME}
