"""The report of the sample company, as the nightly job writes it, opened in headless Chromium:
the page renders (the screenshot is not blank) and its DOM holds the top 10 table and charts."""

from __future__ import annotations

import re

import dagster as dg
import duckdb
import pytest

from insights.sample.generator import generate
from orchestration.definitions import ALL_ASSETS, ALL_CHECKS
from orchestration.resources import build_resources
from orchestration.settings import Settings
from tests.reporting.browser import chromium, colour_stats, find_or_install_chromium

# Minutes: one whole nightly run on the sample (real dbt, real model on ~500 items).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium_binary():
    binary, why = find_or_install_chromium()
    if binary is None:
        pytest.skip(why)
    return binary


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    generate(data_dir, seed=7, scale=0.1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSIGHTS_DATA_DIR", str(data_dir))
        # The sample company's exports end on a fixed date; freshness is tested on its own.
        mp.setenv("INSIGHTS_CHECK_FRESHNESS_MAX_AGE_DAYS", "100000")
        settings = Settings.from_env()
        result = dg.materialize(
            [*ALL_ASSETS, *ALL_CHECKS], resources=build_resources(settings), instance=dg.DagsterInstance.ephemeral()
        )
    return {"result": result, "serving": settings.serving_dir}


def test_the_nightly_job_writes_the_report_with_a_page_per_theme(nightly):
    assert nightly["result"].success
    [materialisation] = nightly["result"].asset_materializations_for_node("insights_report")
    metadata = materialisation.metadata
    index = nightly["serving"] / "report" / "index.html"
    assert metadata["index"].value == str(index)
    with duckdb.connect(str(nightly["serving"] / "insights.duckdb"), read_only=True) as con:
        themes = con.execute("select count(*) from dim_themes").fetchone()[0]
    assert themes > 0
    assert metadata["page_count"].value == 1 + themes == len(list(index.parent.rglob("*.html")))


def test_chromium_shows_the_top_10_table_and_charts(nightly, chromium_binary, tmp_path):
    index = nightly["serving"] / "report" / "index.html"
    with duckdb.connect(str(nightly["serving"] / "insights.duckdb"), read_only=True) as con:
        candidates = con.execute("select count(*) from roadmap_candidates").fetchone()[0]
    assert candidates >= 5

    shot = tmp_path / "report.png"
    taken = chromium(
        chromium_binary, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1366,2000", index.as_uri()
    )
    assert shot.exists(), taken.stderr[-2000:]
    colours, coloured = colour_stats(shot)
    # A blank or failed page is one or two colours; the report has text, tables and charts.
    assert colours > 100
    assert 0.02 < coloured < 0.9

    dom = chromium(chromium_binary, tmp_path / "profile", "--dump-dom", index.as_uri()).stdout
    table = re.search(r'<table class="top10">.*?</table>', dom, re.S)
    assert table, "no top 10 table in the DOM"
    rows = re.findall(r"<tr>", table.group(0))
    assert len(rows) == 1 + min(10, candidates)
    rice = re.search(r'<div class="chart rice">\s*<svg.*?</svg>', dom, re.S)
    assert rice, "no RICE chart in the DOM"
    assert "<path" in rice.group(0)  # its bars
    assert dom.count("<svg") >= 2
