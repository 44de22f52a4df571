"""What the weekly report shows, read from the serving snapshot only (never the warehouse).

Every figure is a column of a mart as published; the SQL here selects, joins, filters and
orders rows, it defines no measure. A table an older snapshot lacks reads as no rows, so a
report still renders from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

TOP_N = 10
MOVERS_PER_GROUP = 5
SPARKLINE_WEEKS = 12
ACCOUNTS_PER_THEME = 10
QUOTES_PER_THEME = 5

INTENTS = ("bug", "feature_request", "question", "praise", "other")

# A theme's raising accounts, largest ARR first: the report's theme page and `insights themes
# show` both read them with this query, so the two cannot differ. Parameters: theme ID, limit.
RAISING_ACCOUNTS_TABLES = ("theme_impact_accounts", "fct_account_health")
RAISING_ACCOUNTS_SQL = (
    "select raisers.account_id, health.account_name, health.arr, health.health_band, raisers.first_mentioned_on "
    "from theme_impact_accounts as raisers "
    "left join fct_account_health as health on raisers.account_id = health.account_id "
    "where raisers.theme_id = ? and raisers.is_raiser "
    "order by health.arr desc nulls last, raisers.account_id limit ?"
)


@dataclass
class ThemePage:
    theme: dict
    weekly: pd.DataFrame
    accounts: list[dict]
    roadmap_items: list[dict]
    quotes: list[str]
    lineage: list[dict]
    # Themes a curator merged into this one (dim_themes.merged_into_theme_id): not lineage events.
    absorbed: list[dict] = field(default_factory=list)


@dataclass
class ReportData:
    snapshot: dict
    candidates: pd.DataFrame
    movers: dict[str, pd.DataFrame]
    sparklines: pd.DataFrame
    shipped: pd.DataFrame
    health_bands: pd.DataFrame
    themes: list[ThemePage] = field(default_factory=list)
    no_themes_reason: str | None = None
    missing_tables: list[str] = field(default_factory=list)

    @property
    def theme_count(self) -> int:
        return len(self.themes)


def read_report_data(snapshot_path: str | Path) -> ReportData:
    """Everything the report shows, from the snapshot file at `snapshot_path` (opened read-only)."""
    with duckdb.connect(str(snapshot_path), read_only=True) as con:
        reader = _Reader(con)
        themes = reader.frame("dim_themes", "select * from dim_themes order by label, theme_id")
        data = ReportData(
            snapshot=reader.snapshot(),
            candidates=reader.candidates(),
            movers=reader.movers(),
            sparklines=reader.sparklines(),
            shipped=reader.frame("roadmap_shipped", "select * from roadmap_shipped order by released_at, issue_key"),
            health_bands=reader.frame(
                "fct_account_health_bands", "select * from fct_account_health_bands order by band_order"
            ),
        )
        data.themes = [reader.theme_page(row) for row in records(themes)]
        if not data.themes:
            data.no_themes_reason = reader.no_themes_reason()
        data.missing_tables = sorted(reader.missing)
    return data


class _Reader:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.tables = {name for (name,) in con.execute("select table_name from information_schema.tables").fetchall()}
        self.missing: set[str] = set()

    def has(self, *tables: str) -> bool:
        absent = [t for t in tables if t not in self.tables]
        self.missing.update(absent)
        return not absent

    def frame(self, table: str, sql: str, params: list | None = None, *, needs: tuple[str, ...] = ()) -> pd.DataFrame:
        if not self.has(table, *needs):
            return pd.DataFrame()
        return self.con.execute(sql, params or []).df()

    def snapshot(self) -> dict:
        if not self.has("readme"):
            return {"snapshot_id": None, "published_at": None, "row_counts": {}}
        rows = self.con.execute("select table_name, row_count, snapshot_id, published_at from readme").fetchall()
        return {
            "snapshot_id": rows[0][2] if rows else None,
            "published_at": rows[0][3] if rows else None,
            "row_counts": {name: count for name, count, _, _ in rows},
        }

    def no_themes_reason(self) -> str | None:
        """The theme step's own words for a night without themes, where the snapshot has them.

        Optional by design: the report says "no themes this run" with or without this table.
        """
        if "fct_theme_runs" not in self.tables:
            return None
        try:
            row = self.con.execute("select why_no_themes from fct_theme_runs where is_latest").fetchone()
        except duckdb.Error:
            return None
        return row[0] if row and row[0] else None

    def candidates(self) -> pd.DataFrame:
        shares = ", ".join(f"themes.share_{intent}" for intent in INTENTS)
        return self.frame(
            "roadmap_candidates",
            f"select candidates.*, {shares} from roadmap_candidates as candidates "
            "left join dim_themes as themes on candidates.theme_id = themes.theme_id "
            "order by candidates.rank limit ?",
            [TOP_N],
            needs=("dim_themes",),
        )

    def movers(self) -> dict[str, pd.DataFrame]:
        # Visible themes only: a hidden or merged-away theme is no news for the roadmap review.
        visible = "not is_hidden and merged_into_theme_id is null"
        orders = {
            "new": f"status = 'new' and {visible} order by first_seen_at desc, n_items desc, theme_id",
            "growing": f"status = 'growing' and {visible} order by trend_z desc, theme_id",
            "fading": f"status = 'fading' and {visible} and n_items > 0 order by trend_z asc, theme_id",
        }
        return {
            group: self.frame("dim_themes", f"select * from dim_themes where {where} limit ?", [MOVERS_PER_GROUP])
            for group, where in orders.items()
        }

    def sparklines(self) -> pd.DataFrame:
        """The last SPARKLINE_WEEKS weeks of fct_theme_trends, every theme."""
        return self.frame(
            "fct_theme_trends",
            "select theme_id, week_start, feedback_items, avg_sentiment from fct_theme_trends "
            "where week_start in (select distinct week_start from fct_theme_trends order by week_start desc limit ?) "
            "order by theme_id, week_start",
            [SPARKLINE_WEEKS],
        )

    def theme_page(self, theme: dict) -> ThemePage:
        theme_id = theme["theme_id"]
        weekly = self.frame(
            "fct_theme_trends",
            "select week_start, feedback_items, avg_sentiment, n_accounts from fct_theme_trends "
            "where theme_id = ? order by week_start",
            [theme_id],
        )
        accounts = self.frame(
            RAISING_ACCOUNTS_TABLES[0],
            RAISING_ACCOUNTS_SQL,
            [theme_id, ACCOUNTS_PER_THEME],
            needs=RAISING_ACCOUNTS_TABLES[1:],
        )
        items = self.frame(
            "dim_roadmap_items",
            "select issue_key, summary, issue_type, roadmap_status, jira_status, effort, resolved_at "
            "from dim_roadmap_items where issue_key = ?",
            [theme.get("roadmap_item_key")],
        )
        lineage = self.frame(
            "fct_theme_lineage",
            "select lineage.*, split_from.label as split_from_label, merged_into.label as merged_into_label, "
            "this.label as theme_label "
            "from fct_theme_lineage as lineage "
            "left join dim_themes as split_from on lineage.split_from_theme_id = split_from.theme_id "
            "left join dim_themes as merged_into on lineage.merged_into_theme_id = merged_into.theme_id "
            "left join dim_themes as this on lineage.theme_id = this.theme_id "
            "where ? in (lineage.theme_id, lineage.split_from_theme_id, lineage.merged_into_theme_id) "
            "order by lineage.run_at, lineage.lineage_id",
            [theme_id],
            needs=("dim_themes",),
        )
        absorbed = self.frame(
            "dim_themes",
            "select theme_id, label from dim_themes where merged_into_theme_id = ? order by label, theme_id",
            [theme_id],
        )
        return ThemePage(
            theme=theme,
            weekly=weekly,
            accounts=records(accounts),
            roadmap_items=records(items),
            quotes=_quotes(theme.get("quotes"), theme.get("representative_quote")),
            lineage=records(lineage),
            absorbed=records(absorbed),
        )


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for SQL null (pandas gives NaN/NaT, which bind as numbers)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _quotes(quotes_json: str | None, representative: str | None) -> list[str]:
    """dim_themes.quotes (a JSON list, redacted), else the one representative quote."""
    try:
        quotes = json.loads(quotes_json) if quotes_json else []
    except (TypeError, ValueError):
        quotes = []
    quotes = [str(q) for q in quotes if q] if isinstance(quotes, list) else []
    if not quotes and representative:
        quotes = [representative]
    return quotes[:QUOTES_PER_THEME]
