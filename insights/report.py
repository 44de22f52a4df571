"""The short summary `make run` prints: what the night produced, and the top candidates."""

from __future__ import annotations

from pathlib import Path

import duckdb

MARTS = (
    "fct_feedback",
    "dim_accounts",
    "dim_themes",
    "roadmap_candidates",
    "fct_daily_active_users",
    "fct_feature_adoption",
)


def summarise(warehouse: Path, top: int = 5) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        existing = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        lines = [f"warehouse: {warehouse}", "", "rows per mart:"]
        for mart in MARTS:
            count = con.execute(f'select count(*) from "{mart}"').fetchone()[0] if mart in existing else "missing"
            lines.append(f"  {mart:<24} {count}")
        if "dim_themes" in existing and "fct_feedback" in existing:
            themes = con.execute("select count(*) from dim_themes").fetchone()[0]
            outliers = con.execute("select count(*) filter (where is_outlier) from fct_feedback").fetchone()[0]
            lines += ["", f"themes: {themes} (feedback items left as outliers: {outliers})"]
        if "roadmap_candidates" in existing:
            lines += ["", f"top {top} roadmap candidates:"]
            rows = con.execute(
                "select rank, label, reach_accounts, arr_affected, round(score, 2) "
                "from roadmap_candidates order by rank limit ?",
                [top],
            ).fetchall()
            for rank, label, accounts, arr, score in rows:
                lines.append(f"  {rank:>2}. {label}  (accounts {accounts}, ARR {arr:,.0f}, score {score})")
        return "\n".join(lines)
    finally:
        con.close()
