"""A run whose process is killed (kill -9) is marked FAILURE by run monitoring, and the
instance config the project ships holds one nightly run at a time (issue 13)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._daemon.monitoring.run_monitoring import monitor_started_run

from orchestration.schedules import MAX_RUNTIME_SECONDS, nightly

SHIPPED_CONFIG = Path(__file__).resolve().parents[2] / "orchestration" / "dagster.yaml"


@pytest.fixture
def dagster_home(tmp_path):
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copy(SHIPPED_CONFIG, home / "dagster.yaml")
    return home


def test_shipped_config_turns_on_run_monitoring(dagster_home):
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    assert instance.run_monitoring_enabled
    assert instance.run_monitoring_max_runtime_seconds > 0
    assert instance.run_monitoring_settings["poll_interval_seconds"] <= 60
    assert instance.run_monitoring_settings["start_timeout_seconds"] > 0
    assert instance.run_monitoring_settings["cancel_timeout_seconds"] > 0


def test_nightly_job_carries_a_max_runtime():
    assert nightly.tags["dagster/max_runtime"] == str(MAX_RUNTIME_SECONDS)


def test_shipped_config_holds_one_nightly_run_at_a_time(dagster_home):
    runs = yaml.safe_load(SHIPPED_CONFIG.read_text())["concurrency"]["runs"]
    assert runs["max_concurrent_runs"] == 1
    assert {"key": "dagster/job", "value": "nightly", "limit": 1} in runs["tag_concurrency_limits"]
    # The instance reads it: the run queue (daemon) starts a queued nightly run only when none runs.
    queue = dg.DagsterInstance.from_config(str(dagster_home)).get_concurrency_config().run_queue_config
    assert queue.max_concurrent_runs == 1
    assert {"key": "dagster/job", "value": "nightly", "limit": 1} in queue.tag_concurrency_limits


WORKER = textwrap.dedent(
    """
    import time
    import dagster as dg

    @dg.op
    def sleep_long():
        time.sleep(600)

    @dg.job(tags={"dagster/max_runtime": "2"})
    def sleepy():
        sleep_long()

    sleepy.execute_in_process(instance=dg.DagsterInstance.get())
    """
)


@pytest.mark.slow
def test_killed_run_is_marked_failed(dagster_home, tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "DAGSTER_DISABLE_TELEMETRY": "true"}
    worker = subprocess.Popen([sys.executable, str(script)], env=env)
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            started = instance.get_run_records(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
            if started:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the worker's run never started")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    run_id = started[0].dagster_run.run_id
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED  # dead, yet still STARTED

    # One pass of the monitoring daemon after the run's max runtime has passed.
    time.sleep(3)
    record = instance.get_run_record_by_id(run_id)
    monitor_started_run(instance, None, record, logging.getLogger("run_monitoring"))
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
