"""`make run`'s short view (orchestration/run.py): Dagster's console lines in, one line per step out."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from orchestration.run import (
    KEEP_RUN_LOGS,
    REPO_ROOT,
    Embedding,
    LogLine,
    ProgressView,
    child_env,
    duration,
    log_path_for,
    parse,
    prune_run_logs,
    run,
    segments,
)

RUN_ID = "8d45ceee-450c-4ed3-a980-6d77ecbe28ec"


def dagster(level: str, rest: str) -> str:
    """A line as Dagster's console logger writes it."""
    return f"2026-12-04 18:07:49 +0000 - dagster - {level} - nightly - {RUN_ID} - {rest}"


def event(step: str, name: str, message: str = "") -> str:
    return dagster("ERROR" if name == "STEP_FAILURE" else "DEBUG", f"26957 - {step} - {name} - {message or name}")


class Clock:
    """A clock the test moves: each call returns the next of the given times."""

    def __init__(self, *times: float):
        self.times = list(times)

    def __call__(self) -> float:
        return self.times.pop(0)


def view(*times: float) -> tuple[ProgressView, io.StringIO]:
    out = io.StringIO()
    return ProgressView(out, tty=False, clock=Clock(*times)), out


def test_parse_tells_step_events_log_lines_and_embedding_progress_apart():
    assert parse(event("raw__users", "STEP_SUCCESS", 'Finished execution of step "raw__users" in 148ms.')) == LogLine(
        "DEBUG", "raw__users", "STEP_SUCCESS", 'Finished execution of step "raw__users" in 148ms.'
    )
    # A step's own log line has no pid and no event; a run event has no step.
    assert parse(dagster("WARNING", "feedback_themes - 20 items - too few")) == LogLine(
        "WARNING", "feedback_themes", None, "20 items - too few"
    )
    assert parse(dagster("ERROR", "26957 - RUN_FAILURE - Execution failed.")) == LogLine(
        "ERROR", None, "RUN_FAILURE", "Execution failed."
    )
    tqdm = "embedding new texts:  44%|████▍     | 2048/4642 [01:21<01:42, 25.20text/s]"
    assert parse(tqdm) == Embedding(2048, 4642)
    assert parse("94 of 96 PASS unique_int_feedback__unified_feedback_id ....... [PASS in 0.22s]") is None


def test_one_line_per_asset_step_and_one_for_a_run_of_check_steps():
    progress, out = view(0.0, 0.4, 1.0, 1.2, 1.2, 1.5, 2.0, 185.0)
    for line in [
        event("raw__users", "STEP_START"),
        event("raw__users", "ASSET_MATERIALIZATION", "Materialized value raw users."),
        event("raw__users", "STEP_SUCCESS"),
        event("raw__users_freshness", "STEP_START"),
        event("raw__users_freshness", "ASSET_CHECK_EVALUATION", "Asset check 'freshness' on 'raw/users' passed."),
        event("raw__users_freshness", "STEP_SUCCESS"),
        event("raw__users_quarantine_share", "STEP_START"),
        event(
            "raw__users_quarantine_share",
            "ASSET_CHECK_EVALUATION",
            "Asset check 'quarantine_share' on 'raw/users' did not pass.",
        ),
        event("raw__users_quarantine_share", "STEP_SUCCESS"),
        event("feedback_themes", "STEP_START"),
        "embedding new texts:   0%|          | 0/4642 [00:00<?, ?text/s]",
        "embedding new texts:  44%|████▍     | 2048/4642 [01:21<01:42, 25.20text/s]",
        "embedding new texts:  44%|████▍     | 2048/4642 [01:39<01:42, 25.20text/s]",  # a redraw, same count
        event("feedback_themes", "ASSET_MATERIALIZATION"),
        event("feedback_themes", "STEP_SUCCESS"),
    ]:
        progress.feed(line)
    progress.close(0, 190.0, Path("/data/logs/run-x.log"))
    assert out.getvalue().splitlines() == [
        "  ok      raw__users                                     0.4s",
        "  ok      asset checks                                   0.5s  2 checks, 1 did not pass",
        "          did not pass: quarantine_share on raw/users",
        "          embedding [------------------------------] 0/4642 new texts",
        "          embedding [#############-----------------] 2048/4642 new texts",
        "  ok      feedback_themes                               3m03s",
        "nightly run succeeded in 3m10s (4 steps)",
        "full log: /data/logs/run-x.log",
    ]


def test_a_failed_step_ends_with_its_cause_and_the_log_path():
    progress, out = view(0.0, 2.5)
    for line in [
        event("dbt_marts", "STEP_START"),
        event("dbt_marts", "STEP_FAILURE", 'Execution of step "dbt_marts" failed.'),
        "",
        'dagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while executing op "dbt_marts"::',
        "",
        "The above exception was caused by the following exception:",
        '  File "/work/main/orchestration/assets/transform.py", line 104, in dbt_marts',
        "    raise KeyError(unique_id)",
        "KeyError: 'model.customer_insights.fct_theme_lineage'",
        dagster("ERROR", "26957 - RUN_FAILURE - Execution of run for \"nightly\" failed. Steps failed: ['dbt_marts']."),
        "Error: Run 8d45ceee resulted in failure.",  # click's own last word, not the cause
    ]:
        progress.feed(line)
    progress.close(1, 62.0, Path("/data/logs/run-x.log"))
    assert out.getvalue().splitlines() == [
        "  FAILED  dbt_marts                                      2.5s",
        "nightly run FAILED at step dbt_marts after 1m02s",
        "  KeyError: 'model.customer_insights.fct_theme_lineage'",
        "full log: /data/logs/run-x.log",
    ]


def test_a_steps_warnings_are_shown_up_to_a_few():
    progress, out = view(0.0, 9.0)
    progress.feed(event("feedback_themes", "STEP_START"))
    for i in range(5):
        progress.feed(dagster("WARNING", f"feedback_themes - warning {i}"))
    progress.feed(event("feedback_themes", "STEP_SUCCESS"))
    lines = out.getvalue().splitlines()
    assert lines[:3] == [f"  warning feedback_themes: warning {i}" for i in range(3)]
    assert lines[4] == "          2 more warning(s) in the log"


def test_dagster_dbts_notes_on_unmapped_tests_are_counted_not_shown():
    progress, out = view(0.0, 42.0)
    progress.feed(event("dbt_marts", "STEP_START"))
    note = "Logging an `AssetObservation` instead of an `AssetCheckResult` for dbt test `assert_x`."
    progress.feed(dagster("WARNING", f"dbt_marts - {note}"))
    progress.feed(event("dbt_marts", "ASSET_MATERIALIZATION"))
    progress.feed(event("dbt_marts", "STEP_SUCCESS"))
    assert out.getvalue().splitlines() == [
        "  ok      dbt_marts                                       42s",
        "          1 warning(s) in the log",
    ]


def test_a_terminal_gets_the_running_step_redrawn_in_place():
    out = io.StringIO()
    progress = ProgressView(out, tty=True, clock=Clock(0.0, 1.0))
    progress.feed(event("dbt_staging", "STEP_START"))
    progress.feed(event("dbt_staging", "STEP_SUCCESS"))
    assert out.getvalue() == "\r\x1b[K  ..      dbt_staging\r\x1b[K" + "  ok      dbt_staging" + " " * 36 + "1.0s\n"


def test_durations_stay_short():
    assert [duration(s) for s in (0.04, 9.94, 12.4, 185, 3725)] == ["0.0s", "9.9s", "12s", "3m05s", "1h02m"]


def test_segments_split_tqdm_redraws_and_lines():
    class Stream:
        def __init__(self, chunks):
            self.chunks = list(chunks)

        def read1(self, _size):
            return self.chunks.pop(0) if self.chunks else b""

    chunks = [b"first\nembedding 1/2\rembed", b"ding 2/2\r\nlast"]
    assert list(segments(Stream(chunks))) == ["first", "embedding 1/2", "embedding 2/2", "last"]


def test_run_writes_the_whole_output_to_the_log_and_returns_the_childs_exit_code(tmp_path):
    script = (
        "import sys; "
        f"print({event('dbt_marts', 'STEP_START')!r}); "
        "print('dbt says a great deal here'); "
        f"print({event('dbt_marts', 'STEP_FAILURE')!r}); "
        "print('ValueError: no such model'); sys.exit(3)"
    )
    out = io.StringIO()
    log = tmp_path / "logs" / "run.log"
    assert run([sys.executable, "-c", script], log, out, tty=False) == 3
    assert "dbt says a great deal here" in log.read_text()
    shown = out.getvalue()
    assert "dbt says" not in shown
    assert f"full log: {log}" in shown and "ValueError: no such model" in shown


def test_the_child_runs_on_the_data_root_it_logs_to(tmp_path):
    data = tmp_path / "night"
    # An environment left over from another data root must not send the run there.
    env = child_env(data, {"INSIGHTS_DATA_DIR": "/elsewhere", "PATH": "/bin"})
    assert env["INSIGHTS_DATA_DIR"] == str(data)
    assert env["DAGSTER_HOME"] == str(data / "dagster")  # the Makefile's default
    assert env["PATH"] == "/bin"
    # A DAGSTER_HOME the user chose is theirs to keep.
    assert child_env(data, {"DAGSTER_HOME": "/srv/dagster"})["DAGSTER_HOME"] == "/srv/dagster"
    # And run() hands it to the child as given.
    log = tmp_path / "logs" / "run.log"
    script = "import os; print('data root', os.environ['INSIGHTS_DATA_DIR'])"
    assert run([sys.executable, "-c", script], log, io.StringIO(), tty=False, env=env) == 0
    assert f"data root {data}" in log.read_text()


def test_only_the_newest_run_logs_are_kept(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    first = datetime(2026, 10, 1, 2, tzinfo=UTC)
    names = [log_path_for(tmp_path, first + timedelta(days=i)).name for i in range(KEEP_RUN_LOGS + 5)]
    for name in names:
        (logs / name).write_text("a night's log\n")
    (logs / "notes.txt").write_text("someone's own file")
    new = logs / "run-20261231T020000Z.log"
    assert run([sys.executable, "-c", "print('ok')"], new, io.StringIO(), tty=False) == 0
    # This night's log and the KEEP_RUN_LOGS - 1 before it, by the time in their names.
    kept = sorted(p.name for p in logs.glob("run-*.log"))
    assert kept == names[-(KEEP_RUN_LOGS - 1) :] + [new.name]
    assert (logs / "notes.txt").exists()
    assert prune_run_logs(logs, keep=KEEP_RUN_LOGS) == []  # nothing more to do
    assert prune_run_logs(tmp_path / "no-logs-yet") == []


# Stands in for `dagster job execute`: once running, it sends Ctrl-C's SIGINT to the runner's
# process group, as a terminal does, waits for the SIGINT to reach it, then writes far more shutdown output than a pipe
# holds (64 KiB on Linux) before it exits 0. A runner that stops reading on Ctrl-C never sees it end.
_INTERRUPTED_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    print("step started", flush=True)
    os.killpg(os.getpgid(os.getppid()), signal.SIGINT)  # as a terminal sends it: to the runner's group
    signal.sigwait({signal.SIGINT})
    for i in range(20000):
        print(f"shutting down, message {i} of dagster's DEBUG output")
    print("child done", flush=True)
    """
)

# The runner in its own process, so the SIGINT reaches it and not pytest; loaded from its file, as
# `make run` runs it, so the orchestration package (the Dagster definitions) is not imported.
_RUNNER = textwrap.dedent(
    """
    import importlib.util, io, signal, sys
    from pathlib import Path
    if len(sys.argv) < 4:  # as a terminal's shell starts a foreground job, whatever started pytest
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    else:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a background job or nohup starts it
    spec = importlib.util.spec_from_file_location("run", Path("orchestration/run.py"))
    module = sys.modules["run"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    run = module.run
    out = io.StringIO()
    code = run([sys.executable, "-c", sys.argv[1]], Path(sys.argv[2]), out, tty=False)
    print(out.getvalue(), end="")
    sys.exit(code)
    """
)


def test_ctrl_c_reaches_the_child_and_its_shutdown_output_is_read_to_the_end(tmp_path):
    log = tmp_path / "logs" / "run.log"
    runner = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, _INTERRUPTED_CHILD, str(log)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so the cleanup below can end the runner and its child together
    )
    try:
        # Only a guard against the hang this test is about: the run itself takes well under a second.
        shown, _ = runner.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(runner.pid, signal.SIGKILL)
        runner.communicate()
        pytest.fail("the runner hung after Ctrl-C")
    lines = log.read_text().splitlines()
    assert "shutting down, message 19999 of dagster's DEBUG output" in lines
    assert lines[-1] == "child done"
    assert runner.returncode == 130  # interrupted: never a success, even though the child exited 0
    assert "nightly run interrupted" in shown and f"full log: {log}" in shown


def test_a_runner_started_with_sigint_ignored_leaves_it_to_the_child_and_reports_its_run(tmp_path):
    # In the background SIGINT is ignored, by the child too; the run goes on, and ends as it ends.
    child = "import os, signal; os.killpg(os.getpgid(os.getppid()), signal.SIGINT); print('night done')"
    log = tmp_path / "logs" / "run.log"
    runner = subprocess.run(
        [sys.executable, "-c", _RUNNER, child, str(log), "ignoring SIGINT"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # a guard only; it takes well under a second
        start_new_session=True,
    )
    assert runner.returncode == 0, runner.stdout + runner.stderr
    assert "nightly run succeeded" in runner.stdout and "night done" in log.read_text()


@pytest.mark.slow
def test_a_failing_nightly_run_exits_non_zero_and_names_the_step(tmp_path):
    # A data root whose warehouse path is a folder: the first step that opens it fails, fast.
    (tmp_path / "warehouse.duckdb").mkdir()
    (tmp_path / "landing" / "accounts").mkdir(parents=True)
    (tmp_path / "landing" / "accounts" / "accounts.csv").write_text("Account ID,Account Name\nacc_1,Acme\n")
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", tmp_path / "dagster.yaml")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("INSIGHTS_")},
        "INSIGHTS_DATA_DIR": str(tmp_path),
        "DAGSTER_HOME": str(tmp_path),
    }
    # As `make run` calls it: a script, with the data root as an argument.
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "orchestration" / "run.py"), "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("  FAILED  raw__") for line in lines), result.stdout
    assert lines[-3].startswith("nightly run FAILED at step raw__")
    assert "Is a directory" in lines[-2]  # the cause, from the traceback in the log
    log = Path(lines[-1].removeprefix("full log: "))
    assert log.parent == tmp_path / "logs" and "STEP_FAILURE" in log.read_text()
