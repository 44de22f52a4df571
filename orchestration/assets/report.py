"""The weekly insights report: HTML pages with charts, from the serving snapshot BI tools read."""

import dagster as dg

from insights.reporting import render_report
from insights.serving import SNAPSHOT_FILE
from orchestration.assets.serving import serving_snapshot
from orchestration.resources import ServingFolder

REPORT_DIR = "report"


@dg.asset(deps=[serving_snapshot], group_name="serving", kinds={"html"})
def insights_report(serving: ServingFolder) -> dg.MaterializeResult:
    """The weekly insights report (serving/report/index.html and a page per theme), self-contained HTML, swapped in whole."""
    index = render_report(serving.root / SNAPSHOT_FILE, serving.root / REPORT_DIR)
    pages = sorted(index.parent.rglob("*.html"))
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(index)),
            "page_count": len(pages),
            "theme_pages": len(pages) - 1,
        }
    )
