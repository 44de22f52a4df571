"""An incremental model built while its source was empty must fill once rows arrive: an empty
table has no watermark, and a comparison with NULL would skip every new row, night after
night, until a full refresh (on the sample, the Amplitude staging table starts empty)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from insights.sources.catalog import SOURCES
from insights.sources.load import load_source

pytestmark = pytest.mark.slow  # two real dbt runs

AMPLITUDE = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "amplitude"
MODELS = ("stg_segment__events", "stg_amplitude__events", "int_product_events__unified", "fct_daily_active_users")


def _night(data_dir: Path, dbt) -> None:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        for spec in SOURCES:
            load_source(con, spec, data_dir / "landing")
    dbt(data_dir, "run", "--select", *MODELS)


def test_event_models_built_empty_take_the_first_events_that_arrive(tmp_path, dbt):
    (tmp_path / "landing").mkdir()
    _night(tmp_path, dbt)  # no events at all: every model is built, empty
    shutil.copytree(AMPLITUDE, tmp_path / "landing" / "amplitude")
    _night(tmp_path, dbt)  # incremental: the first Amplitude export arrives
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        raw = con.execute("select count(distinct event_id) from raw.amplitude_events").fetchone()[0]
        staged = con.execute("select count(*) from main.stg_amplitude__events").fetchone()[0]
        days = con.execute("select count(*), sum(dau) from main.fct_daily_active_users").fetchone()
    assert raw > 0 and staged == raw
    assert days[0] > 0 and days[1] > 0
