"""theme_history keeps no rows of runs that did not finish: the next theme step drops them
(issue 13)."""

from __future__ import annotations

import dagster as dg
import duckdb
import pandas as pd

from insights import warehouse
from insights.themes.store import HISTORY_TYPES, SCHEMA, drop_history_runs, history_run_ids
from orchestration.assets.themes import unfinished_runs


def _history(con, rows):
    frame = pd.DataFrame(
        rows, columns=["run_id", "run_at", "theme_id", "status", "split_from", "merged_into", "similarity"]
    )
    con.execute(f"create schema if not exists {SCHEMA}")
    warehouse.replace_table(con, SCHEMA, "theme_history", frame, HISTORY_TYPES)


def _run(instance, status):
    run = instance.create_run_for_job(job_def=_job, status=status)
    return run.run_id


@dg.op
def _noop():
    pass


@dg.job
def _job():
    _noop()


def test_history_rows_of_unfinished_runs_are_dropped():
    instance = dg.DagsterInstance.ephemeral()
    done = _run(instance, dg.DagsterRunStatus.SUCCESS)
    killed = _run(instance, dg.DagsterRunStatus.FAILURE)  # marked by run monitoring
    dead = _run(instance, dg.DagsterRunStatus.STARTED)  # killed, not yet seen by monitoring
    current = _run(instance, dg.DagsterRunStatus.STARTED)
    con = duckdb.connect()
    ts = pd.Timestamp("2026-12-01")
    _history(
        con,
        [
            (done, ts, "thm_1", "new", None, None, None),
            (killed, ts + pd.Timedelta(days=1), "thm_1", "continued", None, None, 0.9),
            (dead, ts + pd.Timedelta(days=2), "thm_1", "continued", None, None, 0.9),
            ("from-another-instance", ts, "thm_2", "new", None, None, None),
        ],
    )
    gone = unfinished_runs(instance, history_run_ids(con), current)
    assert sorted(gone) == sorted([killed, dead])
    assert drop_history_runs(con, gone) == 2
    assert sorted(history_run_ids(con)) == sorted([done, "from-another-instance"])


def test_no_history_table_is_fine():
    con = duckdb.connect()
    assert history_run_ids(con) == []
    assert drop_history_runs(con, ["x"]) == 0
