"""The serving snapshot opens in the tools docs/bi-tools.md names, at the versions it names."""

from __future__ import annotations

import duckdb
import pytest

from insights.serving import publish
from tests.bi_tools import cli_version, python_duckdb_version, reflect_like_superset, run_cli

MARTS = {"roadmap_candidates": "One row per theme, ranked.", "dim_themes": "One row per theme."}


@pytest.fixture
def snapshot(tmp_path):
    """A published snapshot whose columns have the DuckDB types the marts use."""
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table roadmap_candidates as select 1 as rank, 'CSV export fails' as label, 12.5::double as score, "
            "sum(3) over () as accounts, 125000.00::decimal(18, 2) as arr, ['quote one', 'quote two'] as quotes, "
            "{'reach': 0.4, 'impact': 0.3} as components, true as on_roadmap, date '2026-11-30' as week, "
            "timestamp '2026-11-30 02:00:00' as published_at"
        )
        con.execute("create table dim_themes as select 'thm_1a2b3c4d' as theme_id, 'CSV export fails' as label")
        publish(con, tmp_path / "serving", MARTS)
    return tmp_path / "serving" / "insights.duckdb", warehouse


def test_the_snapshot_opens_in_the_duckdb_cli_from_pypi(snapshot):
    served, _ = snapshot
    result = run_cli(served, "select table_name, row_count from readme order by table_name")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["dim_themes,1", "roadmap_candidates,1"]


def test_the_warehouse_needs_a_cli_as_new_as_the_pipelines_duckdb(snapshot):
    # docs/bi-tools.md says the working warehouse does not open in an older CLI; this holds
    # while the newest CLI on PyPI is older than the pipeline's DuckDB.
    _, warehouse = snapshot
    result = run_cli(warehouse, "select count(*) from roadmap_candidates")
    if cli_version() < python_duckdb_version():
        assert result.returncode != 0 and "newer version of DuckDB" in result.stderr
    else:
        assert result.returncode == 0, result.stderr


@pytest.mark.slow  # about 5 s: duckdb-engine reflects through DuckDB's pg_catalog views, slowly
def test_every_snapshot_table_reflects_through_duckdb_engine(snapshot):
    served, _ = snapshot
    reflected = reflect_like_superset(served)
    assert set(reflected) == {"roadmap_candidates", "dim_themes", "readme"}
    assert "components" in reflected["roadmap_candidates"] and "quotes" in reflected["roadmap_candidates"]
