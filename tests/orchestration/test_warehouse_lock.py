"""A process holding warehouse.duckdb open (a BI tool) fails the run within a minute, with a
message naming the lock and the remedy (issue 13)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from orchestration.resources import WarehouseLocked, WarehouseResource, connect_warehouse

HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("create table if not exists t as select 1 as x")
    print("locked", flush=True)
    time.sleep(120)
    """
)


@pytest.fixture
def held_warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield path
    finally:
        holder.kill()
        holder.wait()


def test_locked_warehouse_fails_fast_naming_lock_and_remedy(held_warehouse):
    start = time.monotonic()
    with pytest.raises(WarehouseLocked) as failure:
        connect_warehouse(str(held_warehouse), wait_seconds=1)
    assert time.monotonic() - start < 10
    message = failure.value.description
    assert str(held_warehouse) in message
    assert "lock" in message
    assert "serving/insights.duckdb" in message
    assert "close the other process" in message


def test_resource_uses_the_fast_lock_check(held_warehouse, monkeypatch):
    monkeypatch.setattr("orchestration.resources.LOCK_WAIT_SECONDS", 1.0)
    start = time.monotonic()
    with pytest.raises(WarehouseLocked), WarehouseResource(database=str(held_warehouse)).get_connection():
        pass
    assert time.monotonic() - start < 10


def test_default_wait_is_within_a_minute():
    from orchestration import resources

    assert resources.LOCK_WAIT_SECONDS + resources.LOCK_RETRY_SECONDS < 60


def test_unlocked_warehouse_opens(tmp_path):
    with WarehouseResource(database=str(tmp_path / "w.duckdb")).get_connection() as con:
        assert con.execute("select 1").fetchone() == (1,)
    duckdb.connect(str(tmp_path / "w.duckdb")).close()
