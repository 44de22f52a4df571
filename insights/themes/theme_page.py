"""One theme's page for the terminal (`insights themes show`) and the theme list, from the serving snapshot.

The facts are the report's theme page: label, area, status, weekly volume and sentiment of the
last 12 weeks, intent mix, the accounts that raised it with their ARR (the report's own query,
`RAISING_ACCOUNTS_SQL`), the linked roadmap item
and its status, 5 quotes and the lineage. Every figure is read from the snapshot's marts, so
the terminal shows what BI tools and the report show, as of the last published run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from insights.reporting.queries import ACCOUNTS_PER_THEME, RAISING_ACCOUNTS_SQL, RAISING_ACCOUNTS_TABLES
from insights.themes.curation import CurationError

WEEKS = 12
INTENTS = ("bug", "feature_request", "question", "praise", "other")
_BARS = " ▁▂▃▄▅▆▇█"
# C0 and C1 controls but tab and newline: customer text (labels come from feedback, quotes are
# feedback) could otherwise move the cursor, recolour or retitle the terminal (ANSI escapes).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters, safe to print to a terminal."""
    return _CONTROLS.sub("", text)


def snapshot_path(data_dir: str | Path) -> Path:
    path = Path(data_dir) / "serving" / "insights.duckdb"
    if not path.exists():
        raise CurationError(f"no serving snapshot at {path}: run the pipeline first (make run)")
    return path


@dataclass(frozen=True)
class ThemePage:
    theme: dict
    weeks: pd.DataFrame
    accounts: pd.DataFrame
    roadmap: dict | None
    absorbed: list[str]
    lineage: pd.DataFrame | None


def read_theme_page(data_dir: str | Path, theme_id: str) -> ThemePage:
    with duckdb.connect(str(snapshot_path(data_dir)), read_only=True) as con:
        themes = con.execute("select * from dim_themes where theme_id = ?", [theme_id]).df()
        if themes.empty:
            raise CurationError(
                f"unknown theme {theme_id}: not in the serving snapshot; `insights themes list` shows the IDs"
            )
        theme = themes.iloc[0].to_dict()
        weeks = con.execute(
            "select week_start, feedback_items, avg_sentiment from fct_theme_trends where theme_id = ? "
            "order by week_start desc limit ?",
            [theme_id, WEEKS],
        ).df()
        accounts = pd.DataFrame(columns=["account_id", "account_name", "arr", "health_band", "first_mentioned_on"])
        if all(_has_table(con, table) for table in RAISING_ACCOUNTS_TABLES):
            accounts = con.execute(RAISING_ACCOUNTS_SQL, [theme_id, ACCOUNTS_PER_THEME]).df()
        roadmap = None
        if theme.get("roadmap_item_key"):
            found = con.execute(
                "select issue_key, summary, roadmap_status from dim_roadmap_items where issue_key = ?",
                [theme["roadmap_item_key"]],
            ).df()
            roadmap = found.iloc[0].to_dict() if len(found) else {"issue_key": theme["roadmap_item_key"]}
        absorbed = [
            r[0]
            for r in con.execute(
                "select theme_id from dim_themes where merged_into_theme_id = ? order by theme_id", [theme_id]
            ).fetchall()
        ]
        lineage = None
        if _has_table(con, "fct_theme_lineage"):
            lineage = con.execute(
                "select strftime(run_at, '%Y-%m-%d') as day, event, theme_id, split_from_theme_id, merged_into_theme_id "
                "from fct_theme_lineage where ? in (theme_id, split_from_theme_id, merged_into_theme_id) "
                "order by run_at, event, theme_id",
                [theme_id],
            ).df()
    return ThemePage(theme, weeks.iloc[::-1].reset_index(drop=True), accounts, roadmap, absorbed, lineage)


def format_theme_page(page: ThemePage) -> str:
    t = page.theme
    lines = [f"{t['theme_id']}  {t['label']}"]
    if t["label"] != t["generated_label"]:
        lines.append(f"  generated label: {t['generated_label']}")
    lines.append(
        f"  area: {t['area_label']}   status: {t['status']}   items: {t['n_items']}   accounts: {t['n_accounts']}"
    )
    flags = []
    if t["is_hidden"]:
        flags.append(f"hidden ({t.get('hidden_reason') or 'no reason given'})")
    if t["merged_into_theme_id"]:
        flags.append(f"merged into {t['merged_into_theme_id']}")
    if flags:
        lines.append("  curation: " + "; ".join(flags))
    lines.append(f"  sentiment: {_number(t['avg_sentiment'])} (-1..1)")
    mix = [(i, t.get(f"share_{i}")) for i in INTENTS]
    lines.append("  intent mix: " + ", ".join(f"{i} {_percent(s)}" for i, s in mix if s is not None and s > 0))
    lines.append("")
    lines.append(f"Weekly volume, last {len(page.weeks)} weeks: {_sparkline(page.weeks['feedback_items'])}")
    for week in page.weeks.itertuples():
        lines.append(f"  {week.week_start:%Y-%m-%d}  {week.feedback_items:>4}  sentiment {_number(week.avg_sentiment)}")
    lines.append("")
    lines.append("Accounts that raised it (largest ARR first, as in the report):")
    for a in page.accounts.itertuples():
        name = a.account_name if isinstance(a.account_name, str) else a.account_id
        first = (
            "" if pd.isna(a.first_mentioned_on) else f"  first mentioned {pd.Timestamp(a.first_mentioned_on):%Y-%m-%d}"
        )
        band = a.health_band if isinstance(a.health_band, str) else "n/a"
        lines.append(f"  {name:<32} ARR {_money(a.arr):>10}  health {band:<8}{first}")
    if page.accounts.empty:
        lines.append("  none (no CRM account raised this theme)")
    lines.append("")
    if page.roadmap:
        r = page.roadmap
        status = r.get("roadmap_status") or "not in the Jira export"
        lines.append(f"Roadmap item: {r['issue_key']} {r.get('summary') or ''} [{status}] ({t['roadmap_link_source']})")
    else:
        lines.append("Roadmap item: none linked")
    lines.append("")
    lines.append("Quotes:")
    for quote in _quotes(t):
        lines.append(f'  "{quote}"')
    if not _quotes(t):
        lines.append("  none")
    lines.append("")
    lines.append("Lineage:")
    lines.extend(_lineage_lines(page))
    return printable("\n".join(lines))


def read_theme_list(data_dir: str | Path) -> pd.DataFrame:
    with duckdb.connect(str(snapshot_path(data_dir)), read_only=True) as con:
        return con.execute(
            "select theme_id, label, generated_label, status, n_items, is_hidden, merged_into_theme_id "
            "from dim_themes order by n_items desc, theme_id"
        ).df()


def published_at(data_dir: str | Path) -> pd.Timestamp | None:
    with duckdb.connect(str(snapshot_path(data_dir)), read_only=True) as con:
        if not _has_table(con, "readme"):
            return None
        row = con.execute("select max(published_at) from readme").fetchone()
    return pd.Timestamp(row[0]) if row and row[0] is not None else None


def _lineage_lines(page: ThemePage) -> list[str]:
    theme_id = page.theme["theme_id"]
    lines = [f"  {a} merged into it by curation" for a in page.absorbed]
    if page.lineage is None:
        return lines + ["  (this snapshot has no fct_theme_lineage)"]
    for e in page.lineage.itertuples():
        if e.event == "split" and e.theme_id == theme_id:
            lines.append(f"  {e.day}  split from {e.split_from_theme_id}")
        elif e.event == "split":
            lines.append(f"  {e.day}  {e.theme_id} split from it")
        elif e.event == "merged" and e.theme_id == theme_id:
            lines.append(f"  {e.day}  merged into {e.merged_into_theme_id}")
        elif e.event == "merged":
            lines.append(f"  {e.day}  absorbed {e.theme_id}")
        else:
            lines.append(f"  {e.day}  {e.event}")
    return lines or ["  no events"]


def _quotes(theme: dict) -> list[str]:
    try:
        quotes = json.loads(theme.get("quotes") or "[]")
    except (TypeError, ValueError):
        quotes = []
    found = [" ".join(str(q).split()) for q in quotes[:5] if q is not None and str(q).strip()]
    representative = theme.get("representative_quote")
    if not found and isinstance(representative, str) and representative.strip():
        found = [" ".join(representative.split())]
    return found


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("select count(*) from information_schema.tables where table_name = ?", [name]).fetchone()[0]
    )


def _sparkline(values: pd.Series) -> str:
    top = max(values.max() if len(values) else 0, 1)
    return "".join(_BARS[round(v / top * (len(_BARS) - 1))] for v in values)


def _number(value) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:+.2f}"


def _percent(value) -> str:
    return f"{100 * value:.0f}%"


def _money(value) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:,.0f}"
