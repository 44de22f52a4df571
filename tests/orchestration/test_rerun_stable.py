"""Reruns are byte-stable: building the marts twice on the same inputs gives identical
roadmap_candidates values, float columns included (issue 13)."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import duckdb
import pytest

from insights.sources.catalog import ROADMAP_ITEMS
from insights.sources.load import load_source

# Real dbt builds: the slow tier.
pytestmark = pytest.mark.slow

DBT_TESTS = Path(__file__).resolve().parent.parent / "dbt"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The hand-made parents of the roadmap models, shared with tests/dbt/test_roadmap_rules.py.
rules = _load("_roadmap_rules_inputs", DBT_TESTS / "test_roadmap_rules.py")
dbt_helpers = _load("_dbt_conftest", DBT_TESTS / "conftest.py")


def _build(data_dir: Path) -> str:
    rules._write_jira(data_dir / "landing")
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    load_source(con, ROADMAP_ITEMS, data_dir / "landing")
    rules._parents(con)
    con.close()
    dbt_helpers.run_dbt(data_dir, "build", "--select", *rules.MODELS)
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    rows = con.execute("select * from roadmap_candidates order by rank").fetchall()
    con.close()
    assert rows
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_roadmap_candidates_identical_on_rerun(tmp_path):
    first = _build(tmp_path / "a")
    second = _build(tmp_path / "b")
    assert first == second


def test_float_columns_are_rounded():
    sql = (Path(__file__).resolve().parents[2] / "dbt_project/models/marts/roadmap/roadmap_candidates.sql").read_text()
    final = sql.split("final as (", 1)[1]
    assert "{{ float_digits }}) as rice_score" in sql
    for column in ["impact", "confidence", "arr_share", "avg_sentiment", "others_usage_trend"]:
        assert f"round({column}, {{{{ float_digits }}}}) as {column}" in final, column
    assert "{{ float_digits }}) as usage_trend_gap" in final
    assert sql.rstrip().endswith("order by rank")
