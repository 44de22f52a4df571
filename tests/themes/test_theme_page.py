"""The terminal theme page prints customer text: it must not carry terminal control sequences,
nor print "None" for a theme without quotes."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from insights.reporting.queries import read_report_data
from insights.themes.theme_page import ThemePage, format_theme_page, printable, read_theme_page
from tests.reporting.snapshot import write_snapshot

ESCAPE = "\x1b]0;owned\x07\x1b[2J"


def _page(**theme) -> ThemePage:
    base = {
        "theme_id": "thm_a",
        "label": f"Exports {ESCAPE}fail",
        "generated_label": "exports fail\r",
        "area_label": "Reports",
        "status": "new",
        "n_items": 3,
        "n_accounts": 1,
        "is_hidden": False,
        "hidden_reason": None,
        "merged_into_theme_id": None,
        "avg_sentiment": -0.5,
        "roadmap_link_source": None,
        "quotes": None,
        "representative_quote": None,
    }
    weeks = pd.DataFrame({"week_start": pd.to_datetime(["2026-11-23"]), "feedback_items": [3], "avg_sentiment": [-0.5]})
    accounts = pd.DataFrame(
        {
            "account_id": ["acc_1"],
            "account_name": [f"Acme{ESCAPE}"],
            "arr": [1000.0],
            "health_band": ["watch"],
            "first_mentioned_on": pd.to_datetime(["2026-11-02"]),
        }
    )
    return ThemePage(base | theme, weeks, accounts, None, [], None)


def test_control_characters_are_stripped_from_customer_text():
    text = format_theme_page(_page(quotes=f'["the \\u001b[31mred\\u001b[0m export {ESCAPE} hangs"]'))
    assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in text)
    assert "thm_a  Exports ]0;owned[2Jfail" in text
    assert "Acme" in text and "export" in text


def test_a_theme_without_quotes_says_none_not_None():
    text = format_theme_page(_page())
    assert "None" not in text
    assert "Quotes:\n  none\n" in text
    assert 'Quotes:\n  "the one"' in format_theme_page(_page(representative_quote="the one"))


def test_printable_keeps_tabs_newlines_and_letters():
    assert printable("a\tb\nc é ✓\x1b\x9b\x00") == "a\tb\nc é ✓"


def test_show_lists_the_same_accounts_as_the_reports_theme_page(tmp_path):
    health = [
        {"account_id": f"acc_{i}", "account_name": f"Account {i}", "arr": 1000.0 * i, "health_band": "healthy"}
        for i in range(1, 14)
    ]
    # 12 raisers (more than a page lists) and one account that only shares feedback with the theme.
    impact = [
        {"theme_account_id": f"thm_a:acc_{i}", "theme_id": "thm_a", "account_id": f"acc_{i}", "is_raiser": i != 13}
        for i in range(1, 14)
    ]
    theme = {"theme_id": "thm_a", "label": "Exports fail", "generated_label": "Exports fail", "status": "new"}
    snapshot = tmp_path / "serving" / "insights.duckdb"
    snapshot.parent.mkdir()
    rows = {"dim_themes": [theme], "theme_impact_accounts": impact, "fct_account_health": health}
    write_snapshot(snapshot, rows)
    shown = read_theme_page(tmp_path, "thm_a").accounts
    reported = read_report_data(snapshot).themes[0].accounts
    assert shown["account_id"].tolist() == [a["account_id"] for a in reported]
    assert shown["account_id"].tolist() == [f"acc_{i}" for i in range(12, 2, -1)]
    text = format_theme_page(read_theme_page(tmp_path, "thm_a"))
    assert "Account 12" in text and "Account 13" not in text and "health healthy" in text


def test_themes_list_into_a_closed_pipe_ends_quietly(tmp_path):
    snapshot = tmp_path / "serving" / "insights.duckdb"
    snapshot.parent.mkdir()
    themes = [
        {"theme_id": f"thm_{i:04d}", "label": "x" * 60, "generated_label": "x" * 60, "status": "new", "n_items": i}
        for i in range(400)
    ]
    write_snapshot(snapshot, {"dim_themes": themes})
    # `insights themes list | head -1`, deterministically: the reader is gone before the first write.
    child = subprocess.Popen(
        [sys.executable, "-m", "insights.cli", "themes", "list", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait() == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
