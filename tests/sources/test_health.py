"""Source health verdicts behind the Dagster asset checks, and the landing fingerprints behind
the sensor: plain functions on numbers and a warehouse, no Dagster."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from insights.sources import health
from insights.sources.catalog import APP_REVIEWS, SOURCES, SUPPORT_TICKETS
from insights.sources.landing import changed_sources, landing_fingerprints
from insights.sources.load import load_source

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def test_quarantine_share_warns_above_each_line_but_never_blocks_publishing():
    assert health.judge_quarantine(1, 100, 0, warn_above=0.05, high_above=0.25).passed
    warned = health.judge_quarantine(10, 100, 0, warn_above=0.05, high_above=0.25)
    assert (warned.passed, warned.severity) == (False, "warn")
    # A garbage file beside good ones: its rows are quarantined, the good rows publish.
    high = health.judge_quarantine(5072, 5100, 0, warn_above=0.05, high_above=0.25)
    assert (high.passed, high.severity) == (False, "warn") and "format changed" in high.message
    # A file that failed whole quarantines no row but is still something to look at.
    assert not health.judge_quarantine(0, 100, 1, warn_above=0.05, high_above=0.25).passed


def test_quarantine_share_is_read_from_the_ledger(landing, con):
    load_source(con, APP_REVIEWS, landing.drop("app_store/zero_stars.csv"))
    assert health.quarantine_share(con, APP_REVIEWS) == (2, 3, 0)
    assert health.judge_quarantine(2, 3, 0, 0.05, 0.25).severity == "warn"


def test_freshness_uses_the_newest_record(landing, con):
    load_source(con, SUPPORT_TICKETS, landing.drop("zendesk/tickets_2026-11-27.jsonl", base=EXPORTS))
    newest = health.newest_record_at(con, SUPPORT_TICKETS)
    assert newest == datetime(2026, 11, 22, 7, 30)
    assert health.judge_freshness(newest, datetime(2026, 11, 25), max_age_days=7).passed
    stale = health.judge_freshness(newest, datetime(2026, 12, 25), max_age_days=7)
    assert not stale.passed and stale.figures["age_days"] > 30
    assert not health.judge_freshness(None, datetime(2026, 12, 25), 7).passed


def test_row_count_change_outside_the_band():
    assert health.judge_row_count_change(None, 500, 0.1, 3.0).passed  # first run
    assert health.judge_row_count_change(500, 500, 0.1, 3.0).passed  # rerun, nothing new
    assert health.judge_row_count_change(500, 700, 0.1, 3.0).passed
    dropped = health.judge_row_count_change(500, 300, 0.1, 3.0)
    assert (dropped.passed, dropped.severity) == (False, "error")
    exploded = health.judge_row_count_change(500, 5000, 0.1, 3.0)
    assert (exploded.passed, exploded.severity) == (False, "warn")


def test_landing_fingerprints_tell_which_source_got_new_files(landing):
    landing.drop_all(EXPORTS)
    before = landing_fingerprints(landing.root, SOURCES)
    assert set(before) == {
        "support_tickets",
        "support_conversations",
        "nps_responses",
        "google_play_reviews",
        "amplitude_events",
    }
    assert changed_sources({}, before) == sorted(before)
    assert changed_sources(before, landing_fingerprints(landing.root, SOURCES)) == []

    landing.drop("canny/sql_and_jinja.csv")
    survey = landing.root / "surveys" / "csat_2026-11.csv"
    survey.write_text(
        survey.read_text() + "cs_3,2026-11-27 08:00:00,c@example.org,4,ok,acc_0001,Support CSAT,pro,Edge\n"
    )
    os.utime(survey, ns=(1, 2_000_000_000_000_000_000))
    after = landing_fingerprints(landing.root, SOURCES)
    assert changed_sources(before, after) == ["feature_requests", "nps_responses"]
