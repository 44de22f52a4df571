"""Product usage marts on a small generated company, run by real dbt: the plan split adds up
to the totals, retention shows only finished weeks and fades, adoption covers the catalog.
(fct_account_health needs the theme step's tables; its logic is the dbt unit test
test_fct_account_health_bands, and the pipeline test builds it on real themes.)"""

from __future__ import annotations

import duckdb
import pytest

from insights.sample.generator import generate
from insights.sources.catalog import SOURCES
from insights.sources.load import load_source

# A generated company loaded and the product marts built by real dbt: the slowest fixture after
# the pipeline's. `make test` runs it.
pytestmark = pytest.mark.slow

MODELS = ["fct_daily_active_users", "fct_daily_active_users_by_plan", "fct_retention_cohorts", "fct_feature_adoption"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, dbt):
    data_dir = tmp_path_factory.mktemp("product")
    generate(data_dir, seed=7, scale=0.1)
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    for spec in SOURCES:
        load_source(con, spec, data_dir / "landing")
    con.close()
    # The marts' own data tests run too: a failed unique or not_null fails the fixture.
    # Cautious: only tests whose every parent is built here (not fct_feedback's, say).
    dbt(
        data_dir,
        "build",
        "--select",
        *(f"+{model}" for model in MODELS),
        "--exclude",
        "resource_type:seed",
        "--indirect-selection",
        "cautious",
    )
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def test_plan_groups_add_up_to_the_overall_counts_every_day(warehouse):
    # Each user and each account sits in exactly one plan x segment, so nothing is counted
    # twice or lost; a day missing from the split would show as a mismatch too.
    mismatches = warehouse.execute("""
        select count(*)
        from fct_daily_active_users as overall
        full outer join (
            select activity_date, sum(dau) as dau, sum(wau) as wau, sum(mau) as mau,
                sum(active_accounts) as active_accounts
            from fct_daily_active_users_by_plan
            group by activity_date
        ) as split
            on overall.activity_date = split.activity_date
        where overall.dau is distinct from split.dau or overall.wau is distinct from split.wau
            or overall.mau is distinct from split.mau
            or overall.active_accounts is distinct from split.active_accounts
    """).fetchone()[0]
    assert mismatches == 0
    groups, days, rows = warehouse.execute(
        "select count(distinct plan || '/' || segment), count(distinct activity_date), count(*) "
        "from fct_daily_active_users_by_plan"
    ).fetchone()
    assert groups > 1 and rows == groups * days


def test_retention_shows_only_finished_weeks_of_observed_cohorts(warehouse):
    first, last = warehouse.execute(
        "select min(occurred_on), max(occurred_on) from int_product_events__unified"
    ).fetchone()
    rows = warehouse.execute(
        "select cohort_week, weeks_since_signup, user_retention, retained_users, cohort_users "
        "from fct_retention_cohorts"
    ).fetchall()
    assert rows
    for cohort_week, week, retention, retained, cohort in rows:
        assert cohort_week >= first
        # The last day of week N of someone who signed up on the cohort's seventh day.
        assert (last - cohort_week).days >= 7 * week + 13
        assert 0 <= retained <= cohort and (retention is None) == (cohort == 0)


def test_retention_fades_after_the_signup_week(warehouse):
    curve = dict(
        warehouse.execute(
            "select weeks_since_signup, sum(retained_users) * 1.0 / sum(cohort_users) "
            "from fct_retention_cohorts group by 1"
        ).fetchall()
    )
    # The sample company's tourists drift away within weeks; everyone is active on signup day.
    assert curve[0] > 0.95
    assert curve[1] < curve[0] and curve[3] < curve[1]


def test_adoption_has_every_catalog_feature_and_a_trend(warehouse):
    catalog = {f for (f,) in warehouse.execute("select feature from stg_catalog__features").fetchall()}
    adoption = warehouse.execute(
        "select feature, is_in_catalog, accounts_28d, accounts_prior_28d, adoption_trend from fct_feature_adoption"
    ).fetchall()
    assert catalog <= {row[0] for row in adoption}
    for feature, in_catalog, recent, prior, trend in adoption:
        assert in_catalog == (feature in catalog)
        # 90 days of events cover both 28-day windows, so the trend is set whenever prior > 0.
        assert (trend is None) == (prior == 0)
        if trend is not None:
            assert trend == pytest.approx((recent - prior) / prior)
