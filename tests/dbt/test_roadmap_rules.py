"""The roadmap marts' honesty rules on a hand-made warehouse, run by real dbt on real DuckDB:
effort by issue type (epics sum their stories, medians fill gaps and lower confidence),
shipped items leave the candidates for roadmap_shipped, thin evidence only for customer-facing
work, top accounts by how much a theme weighs on them, and no at-risk verdict without usage.

The models' parents (dim_themes, fct_feedback, dim_accounts, ...) are plain tables here, so one
dbt build of the roadmap models and fct_account_health (with their data and unit tests) covers
the rules in seconds; the Jira export goes through the real loader and staging model."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from insights.sources.catalog import ROADMAP_ITEMS
from insights.sources.load import load_source

# A real dbt build of seven models: half a minute, which the 2-minute edit loop cannot spare.
# `make test` runs it.
pytestmark = pytest.mark.slow
MODELS = [
    "stg_jira__issues",
    "int_roadmap_items__estimated",
    "fct_account_health",
    "roadmap_candidates",
    "dim_roadmap_items",
    "roadmap_gaps",
    "roadmap_shipped",
]

# Columns as a Jira Cloud export names them.
JIRA = """\
Issue key,Summary,Status,Story Points,Labels,Created,Resolved,Issue Type,Status Category,Parent,Component/s
R-1,Export revamp,To Do,99,export,2024-01-01,,Epic,To Do,,Reports
R-2,Chunked writer,To Do,5,export,2024-01-02,,Story,To Do,R-1,Reports
R-3,Worker queue,To Do,8,export,2024-01-02,,Story,To Do,R-1,Reports
R-4,Signed links,To Do,,export,2024-01-02,,Story,To Do,R-1,Reports
R-5,Dark theme,To Do,,ui,2024-01-03,,Epic,To Do,,Web app
R-6,Search fix,In Review,,search,2024-01-04,,Story,In Progress,,Search
R-7,Chart panel,Released,3,charts,2024-01-05,2024-06-01T00:00:00,Story,Done,,Dashboards
R-8,Upgrade Postgres,To Do,8,infrastructure,2024-01-06,,Task,To Do,,
R-9,HubSpot connector,To Do,5,integrations,2024-01-07,,Story,To Do,,Integrations
R-10,Autoscale workers,In Progress,13,performance,2024-01-08,,Task,In Progress,,Platform
R-11,Login e-mails,To Do,2,email tech-debt,2024-01-09,,Bug,To Do,,
R-12,Try a new queue,To Do,,research,2024-01-10,,Spike,To Do,,
"""
# R-1 is an epic with points typed on it (ignored) and three stories, one not estimated; R-7's
# workflow status is its own name (Released), and the category says it shipped.

THEMES = [
    # theme_id, label, roadmap_item_key, feature
    ("thm_exp", "Exports fail", "R-1", "csv_export"),
    ("thm_chart", "Dual axis charts", "R-7", "charts"),
    ("thm_login", "Reset e-mail never arrives", "R-11", "login"),
    ("thm_free", "Hourly refresh", None, None),
]

ACCOUNTS = [
    # account_id, name, arr
    ("acme", "Acme", 1000.0),
    ("beta", "Beta", 150.0),
    ("gamma", "Gamma", 500.0),
    ("delta", "Delta", 300.0),
]


def _feedback() -> list[tuple]:
    """(feedback_id, theme_id, account_id, sentiment, created_at)."""
    rows = [
        ("first", "thm_free", "delta", 0.0, "2024-04-01 00:00:00"),
        ("last", "thm_free", "delta", 0.0, "2024-07-15 00:00:00"),
        # Acme: 1 of its 10 items on exports; Beta: all 3 of its items.
        ("a-exp", "thm_exp", "acme", -0.5, "2024-05-01 00:00:00"),
        *((f"a-{i}", "thm_free", "acme", 0.0, "2024-05-02 00:00:00") for i in range(9)),
        *((f"b-{i}", "thm_exp", "beta", -0.5, "2024-05-03 00:00:00") for i in range(3)),
        ("l-1", "thm_login", "acme", -1.0, "2024-05-04 00:00:00"),
        ("l-2", "thm_login", "delta", -1.0, "2024-05-04 00:00:00"),
        # Charts shipped 2024-06-01: 8 items in the 8 weeks before (and one earlier), 2 after.
        ("c-early", "thm_chart", "gamma", -0.5, "2024-04-02 00:00:00"),
        *((f"c-b{i}", "thm_chart", "gamma", -0.5, f"2024-05-{10 + i:02d} 00:00:00") for i in range(8)),
        ("c-a1", "thm_chart", "gamma", 0.5, "2024-06-10 00:00:00"),
        ("c-a2", "thm_chart", "delta", 0.5, "2024-07-01 00:00:00"),
    ]
    return rows


def _write_jira(landing: Path) -> None:
    (landing / "jira").mkdir(parents=True)
    (landing / "jira" / "issues.csv").write_text(JIRA, encoding="utf-8")


def _parents(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        create table dim_themes (
            theme_id varchar, area_id varchar, merged_into_theme_id varchar, roadmap_item_key varchar,
            feature varchar, label varchar, feature_name varchar, roadmap_link_source varchar,
            generated_label varchar, keywords varchar, representative_quote varchar, quotes varchar,
            area_label varchar, status varchar, is_hidden boolean, is_actionable boolean, not_actionable_reason varchar,
            has_override boolean,
            override_note varchar, size bigint, cohesion double, n_items bigint, n_accounts bigint,
            avg_sentiment double, volume_recent hugeint, volume_baseline hugeint, trend_z double,
            trend_ratio double, roadmap_match_similarity double, first_seen_at timestamp,
            last_seen_at timestamp)
    """)
    for theme_id, label, item, feature in THEMES:
        con.execute(
            "insert into dim_themes (theme_id, label, roadmap_item_key, feature, quotes, status, is_hidden, "
            "is_actionable, cohesion, volume_recent, volume_baseline, trend_ratio) "
            "values (?, ?, ?, ?, '[\"a quote\"]', 'stable', false, true, 0.5, 1, 1, 1.0)",
            [theme_id, label, item, feature],
        )
    con.execute("""
        create table fct_feedback (
            feedback_id varchar, source_record_id varchar, account_id varchar, user_id varchar,
            theme_id varchar, original_theme_id varchar, source varchar, feedback_type varchar,
            text varchar, is_outlier boolean, rating integer, sentiment_score double, votes bigint,
            theme_similarity double, created_at timestamp)
    """)
    con.executemany(
        "insert into fct_feedback (feedback_id, theme_id, account_id, sentiment_score, created_at, source, "
        "feedback_type, is_outlier, votes) values (?, ?, ?, ?, ?, 'zendesk', 'support_ticket', false, 0)",
        _feedback(),
    )
    con.execute("""
        create table dim_accounts (
            account_id varchar, account_name varchar, plan varchar, segment varchar, region varchar,
            arr double, n_users bigint, feedback_items bigint, created_at timestamp, last_active_at timestamp)
    """)
    con.executemany("insert into dim_accounts (account_id, account_name, arr, n_users) values (?, ?, ?, 1)", ACCOUNTS)
    con.execute("create table stg_crm__users (user_id varchar, account_id varchar, email varchar, role varchar)")
    con.executemany("insert into stg_crm__users values (?, ?, null, null)", [(f"u-{a}", a) for a, _, _ in ACCOUNTS])
    # Gamma has no event at all (usage unknown); Delta's stopped two months before the newest.
    con.execute("""
        create table int_product_events__unified as
        select * from (values
            ('acme', 'u-acme', date '2024-07-14'), ('acme', 'u-acme', date '2024-06-10'),
            ('beta', 'u-beta', date '2024-07-10'), ('beta', 'u-beta', date '2024-06-12'),
            ('delta', 'u-delta', date '2024-05-01')
        ) as events (account_id, user_id, occurred_on)
    """)
    con.execute("create table fct_feature_adoption (feature varchar, account_share_28d double)")
    # No measured harm: every candidate's impact multiplier is 1 (theme_impact has its own test).
    con.execute("create table theme_impact (theme_id varchar, impact_multiplier double)")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, dbt):
    data_dir = tmp_path_factory.mktemp("roadmap")
    _write_jira(data_dir / "landing")
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    load_source(con, ROADMAP_ITEMS, data_dir / "landing")
    _parents(con)
    con.close()
    dbt(
        data_dir,
        "build",
        "--select",
        *MODELS,
        "--vars",
        "{gaps_min_accounts: 2, effort_guess_confidence: 0.8, shipped_window_weeks: 8}",
    )
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def _rows(con, sql: str) -> dict:
    frame = con.execute(sql).df()
    return {row[0]: tuple(row[1:]) for row in frame.itertuples(index=False)}


def test_effort_counts_points_only_where_they_belong(warehouse):
    effort = _rows(
        warehouse,
        "select issue_key, effort, effort_source, round(effort_confidence, 4) from dim_roadmap_items",
    )
    # Stories with points: 5, 8, 3, 5 -> median 5 for the unestimated.
    assert effort["R-4"] == (5.0, "median_missing", 0.8)
    assert effort["R-6"] == (5.0, "median_missing", 0.8)
    assert effort["R-2"] == (5.0, "story_points", 1.0)
    # The epic's own 99 is ignored: 5 + 8 + 5, one child of three guessed (1 - 0.2 / 3).
    assert effort["R-1"] == (18.0, "children_sum", 0.9333)
    # An epic without stories in the export: the median epic (the only one with children).
    assert effort["R-5"] == (18.0, "median_epic", 0.8)
    assert effort["R-11"] == (2.0, "story_points", 1.0)
    # A spike carries no points of its own: the median of the estimated issues (5).
    assert effort["R-12"] == (5.0, "median_missing", 0.8)


def test_candidates_take_the_effort_and_its_confidence(warehouse):
    candidates = _rows(
        warehouse,
        "select theme_id, effort, effort_source, round(effort_confidence, 4), "
        "round(confidence / evidence_confidence, 4) from roadmap_candidates",
    )
    assert candidates["thm_exp"] == (18.0, "children_sum", 0.9333, 0.9333)
    assert candidates["thm_login"] == (2.0, "story_points", 1.0, 1.0)
    assert candidates["thm_free"] == (5.0, "default", 0.8, 0.8)


def test_shipped_items_leave_the_candidates_for_roadmap_shipped(warehouse):
    candidates = {t for (t,) in warehouse.execute("select theme_id from roadmap_candidates").fetchall()}
    assert candidates == {"thm_exp", "thm_login", "thm_free"}
    assert warehouse.execute("select roadmap_status from dim_roadmap_items where issue_key = 'R-7'").fetchone() == (
        "shipped",
    )
    shipped = warehouse.execute("select * from roadmap_shipped").df()
    assert shipped["issue_key"].tolist() == ["R-7"]
    row = shipped.iloc[0]
    assert row["theme_ids"] == "thm_chart" and row["linked_themes"] == 1
    # The item before the window is not counted; the after window ends with the feedback (44 days).
    assert (row["feedback_items_before"], row["feedback_items_after"]) == (8, 2)
    assert (row["accounts_before"], row["accounts_after"]) == (1, 2)
    assert row["weeks_before"] == pytest.approx(8.0)
    assert row["weeks_after"] == pytest.approx(44 / 7)
    assert not row["is_window_complete"]
    assert row["weekly_items_after"] == pytest.approx(2 / (44 / 7))
    assert row["volume_change"] == pytest.approx((2 / (44 / 7)) / 1.0 - 1)
    assert row["sentiment_change"] == pytest.approx(1.0)


def test_thin_evidence_only_for_customer_facing_top_level_work(warehouse):
    thin = {
        key
        for (key,) in warehouse.execute(
            "select roadmap_item_key from roadmap_gaps where gap_type = 'thin evidence'"
        ).fetchall()
    }
    # Not R-8 (label), R-10 (component), R-12 (issue type), R-2..R-4 (children), R-7 (shipped),
    # R-1 and R-11 (two accounts each); R-11 is labelled tech-debt but its theme is about a feature.
    assert thin == {"R-5", "R-6", "R-9"}
    audience = _rows(warehouse, "select issue_key, audience, audience_reason from dim_roadmap_items")
    assert audience["R-8"] == ("internal", "label")
    assert audience["R-10"] == ("internal", "component")
    assert audience["R-12"] == ("internal", "issue type")
    assert audience["R-11"] == ("customer", "linked feature")
    assert audience["R-9"] == ("customer", "not marked internal")


def test_top_accounts_are_the_most_affected_not_the_biggest(warehouse):
    top = _rows(warehouse, "select theme_id, top_accounts from roadmap_candidates")
    # Beta: 3 of 3 items x 150 = 150; Acme: 1 of 10 x 1000 = 100 (by ARR alone Acme first).
    assert top["thm_exp"] == ("Beta, Acme",)


def test_no_usage_data_is_unknown_not_at_risk(warehouse):
    health = _rows(warehouse, "select account_id, health_band, health_reason, is_at_risk from fct_account_health")
    assert health["gamma"] == ("unknown", "no_usage_data", False)
    # Usage that stopped is still a risk.
    assert health["delta"] == ("at_risk", "no_recent_usage", True)
