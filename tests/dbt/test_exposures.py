"""The dashboards declared as dbt exposures: their URLs must be the user's to fill in."""

import json
from urllib.parse import urlsplit

from orchestration.settings import DBT_PROJECT_DIR

# The session set-up (tests/conftest.py) re-parses the project when a .yml changed, so this is
# what `dbt parse` made of exposures.yml: a URL dbt rejects fails the run before this test.
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1"}


def exposures() -> dict[str, dict]:
    manifest = json.loads(MANIFEST.read_text())
    return {e["name"]: e for e in manifest["exposures"].values()}


def test_the_dashboards_are_declared():
    assert {"roadmap_review", "product_health"} <= set(exposures())


def test_no_exposure_points_at_the_dagster_ui():
    # `make ui` serves Dagster on localhost:3000: a link there opens Dagster, not a dashboard.
    for name, exposure in exposures().items():
        url = exposure["url"]
        host = urlsplit(url).netloc.lower()
        assert url and not (host.split(":")[0] in LOCAL_HOSTS or host.endswith(":3000")), (name, url)
