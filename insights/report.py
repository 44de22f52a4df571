"""The short summary `make run` prints: what the night produced, and the top candidates."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb


def summarise(warehouse: Path, marts: Iterable[str], top: int = 10) -> str:
    """Rows per mart (`insights.marts.read_marts`), theme and outlier counts, the top candidates,
    and what shipping did to the themes of shipped roadmap items."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        existing = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        lines = [f"warehouse: {warehouse}", "", "rows per mart:"]
        for mart in marts:
            count = con.execute(f'select count(*) from "{mart}"').fetchone()[0] if mart in existing else "missing"
            lines.append(f"  {mart:<31} {count}")
        if "dim_themes" in existing and "fct_feedback" in existing:
            themes = con.execute("select count(*) from dim_themes").fetchone()[0]
            outliers = con.execute(
                "select coalesce(sum(case when is_outlier then 1 else 0 end), 0) from fct_feedback"
            ).fetchone()[0]
            lines += ["", f"themes: {themes} (feedback items left as outliers: {outliers})"]
        if "roadmap_candidates" in existing:
            lines += ["", f"top {top} roadmap candidates:"]
            rows = con.execute(
                "select rank, label, roadmap_status, reach, impact, confidence, effort, rice_score "
                "from roadmap_candidates order by rank limit ?",
                [top],
            ).fetchall()
            for rank, label, status, reach, impact, confidence, effort, rice in rows:
                lines.append(
                    f"  {rank:>2}. {label}  [{status}]  RICE {rice:.1f} = reach {reach:.1f} x impact {impact:.2f}"
                    f" x confidence {confidence:.2f} / effort {effort:g}"
                )
        if "roadmap_shipped" in existing:
            lines += ["", "shipped roadmap items (weekly feedback on their themes, before -> after release):"]
            rows = con.execute(
                "select issue_key, summary, weekly_items_before, weekly_items_after, volume_change, "
                "sentiment_change from roadmap_shipped order by released_at, issue_key"
            ).fetchall()
            for key, summary, before, after, change, sentiment in rows:
                moved = "n/a" if change is None else f"{change:+.0%}"
                mood = "" if sentiment is None else f", sentiment {sentiment:+.2f}"
                lines.append(f"  {key} {summary}: {before or 0:.1f} -> {after or 0:.1f} a week ({moved}{mood})")
        return "\n".join(lines)
    finally:
        con.close()
