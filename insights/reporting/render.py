"""The weekly insights report: static HTML pages with inline CSS and SVG charts, from the serving snapshot.

    report/index.html               top 10 candidates, movers, shipped items, account health
    report/themes/<theme_id>.html   one page per theme

The whole folder is built beside the live one and swapped in, so a reader sees last
night's report or tonight's, never half of one.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import shutil
import uuid
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from insights.durable import fsync, fsync_tree
from insights.reporting import charts
from insights.reporting.queries import INTENTS, ReportData, read_report_data, records

INDEX = "index.html"
THEMES_DIR = "themes"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def render_report(snapshot_path: str | Path, out_dir: str | Path) -> Path:
    """Write the report of the snapshot at `snapshot_path` into `out_dir`; return its index.html.

    The pages are written into a temporary sibling of `out_dir` and swapped in whole; on any
    failure the temporary folder is removed and the previous report stays as it was.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}-tmp-{uuid.uuid4().hex[:12]}"
    try:
        write_pages(read_report_data(snapshot_path), staging)
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir / INDEX


def write_pages(data: ReportData, folder: Path) -> list[Path]:
    """Every page of the report into `folder` (created); the paths written, index first."""
    env = _environment()
    (folder / THEMES_DIR).mkdir(parents=True)
    pages = {page.theme["theme_id"]: page_name(page.theme["theme_id"]) for page in data.themes}
    index = folder / INDEX
    index.write_text(env.get_template("index.html.j2").render(**_index_context(data, pages)), encoding="utf-8")
    written = [index]
    labels = {page.theme["theme_id"]: page.theme["label"] for page in data.themes}
    template = env.get_template("theme.html.j2")
    for page in data.themes:
        path = folder / THEMES_DIR / pages[page.theme["theme_id"]]
        path.write_text(
            template.render(page=page, pages=pages, labels=labels, snapshot=data.snapshot, **_theme_charts(page)),
            encoding="utf-8",
        )
        written.append(path)
    return written


def page_name(theme_id: str) -> str:
    """File name of a theme's page: its ID when that is a plain name, else a name derived from it."""
    if SAFE_NAME.match(theme_id):
        return f"{theme_id}.html"
    return f"theme-{uuid.uuid5(uuid.NAMESPACE_URL, theme_id).hex[:16]}.html"


def _index_context(data: ReportData, pages: dict[str, str]) -> dict:
    candidates = data.candidates
    sparklines = {}
    if not data.sparklines.empty:
        for theme_id, weekly in data.sparklines.groupby("theme_id"):
            sparklines[theme_id] = Markup(charts.sparkline(weekly))
    movers = {group: records(frame) for group, frame in data.movers.items()}
    return {
        "snapshot": data.snapshot,
        "theme_count": data.theme_count,
        "no_themes_reason": data.no_themes_reason,
        "candidates": records(candidates),
        "rice_chart": Markup(charts.rice_bars(candidates)) if not candidates.empty else None,
        "movers": movers,
        "sparklines": sparklines,
        "shipped": records(data.shipped),
        "shipped_chart": Markup(charts.shipped_before_after(data.shipped)) if not data.shipped.empty else None,
        "health_bands": records(data.health_bands),
        "health_chart": Markup(charts.health_bands(data.health_bands)) if not data.health_bands.empty else None,
        "missing_tables": data.missing_tables,
        "pages": pages,
        "intents": INTENTS,
    }


def _theme_charts(page) -> dict:
    theme = page.theme
    has_shares = any(_present(theme.get(f"share_{intent}")) for intent in INTENTS)
    return {
        "trend_chart": Markup(charts.theme_trend(page.weekly)) if not page.weekly.empty else None,
        "intent_chart": Markup(charts.intent_mix({i: theme.get(f"share_{i}") for i in INTENTS}))
        if has_shares
        else None,
    }


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NaT


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("insights.reporting", "templates"),
        # Quotes, labels and account names are customers' words: every value is escaped.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(number=_number, money=_money, share=_share, signed=_signed, day=_day, intent_mix=_intent_mix)
    env.tests["present"] = _present
    return env


def _number(value, digits: int = 1) -> str:
    if not _present(value):
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _money(value) -> str:
    return f"{value:,.0f}" if _present(value) else "–"


def _share(value) -> str:
    return f"{value:.0%}" if _present(value) else "–"


def _signed(value, digits: int = 2) -> str:
    return f"{value:+.{digits}f}" if _present(value) else "–"


def _day(value) -> str:
    if not _present(value):
        return "–"
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _intent_mix(row: dict) -> str:
    """`bug 40% · feature request 30% · …`, largest first, shares of 0 left out."""
    shares = [(row.get(f"share_{intent}"), intent) for intent in INTENTS]
    shares = sorted(((s, i) for s, i in shares if _present(s) and s > 0), reverse=True)
    return " · ".join(f"{charts.INTENT_LABELS[i].lower()} {s:.0%}" for s, i in shares) or "–"


# renameat2(2) flag: swap two paths in one step (Linux 3.15+, glibc 2.28+).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_in(staging: Path, target: Path) -> None:
    """Put `staging` at `target`; the previous `target` ends up at `staging` (removed by the caller)."""
    fsync_tree(staging)
    if not target.exists():
        os.replace(staging, target)
    elif not _exchange(staging, target):
        # No atomic exchange here: two renames, with a moment in which `target` is missing
        # (a reader then gets "not found", never a mix of two reports).
        aside = staging.with_name(staging.name + "-old")
        os.replace(target, aside)
        os.replace(staging, target)
        os.replace(aside, staging)
    fsync(target.parent)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
