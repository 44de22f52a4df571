"""`make run`: the nightly job, shown as one line per step; Dagster's and dbt's whole output go
to a log file under the data root, whose path is printed at the end.

    python orchestration/run.py --data-dir data     # what `make run` calls, before `insights summary`

The job runs as `dagster job execute` in a child process, exactly as before, on the data root
given (its INSIGHTS_DATA_DIR, whatever the environment says); this process only reads the
child's output, writes all of it to `<data root>/logs/run-<UTC time>.log` (the newest
KEEP_RUN_LOGS are kept), and turns Dagster's step events and the theme step's embedding
progress into the short view. The exit code is the child's: non-zero when the run failed, and
when it was interrupted (130 if the child itself exits 0).

Run as a script, this file imports nothing from `orchestration`: the package loads the Dagster
definitions on import (seconds), which only the child needs.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

REPO_ROOT = Path(__file__).resolve().parent.parent
RUN_CONFIG = REPO_ROOT / "orchestration" / "run_config.yaml"

# Dagster's console lines: "<time> - dagster - <LEVEL> - <job> - <run id> - [<pid> - ][<step> - ][<EVENT> - ]<message>"
# (dagster/_core/log_manager.py, construct_log_record_message). Event names are UPPER_SNAKE, step keys are not.
_DAGSTER_LINE = re.compile(r"^\S+ \S+ \S+ - dagster - (?P<level>[A-Z]+) - \S+ - [0-9a-f-]{36} - (?P<rest>.*)$")
_EVENT_NAME = re.compile(r"^[A-Z][A-Z_]+$")
# tqdm's line for the theme step's embedding (insights/themes/cache.py).
_EMBEDDING = re.compile(r"embedding new texts:\s+\d+%\|[^|]*\|\s*(?P<done>\d+)/(?P<total>\d+)")
# An exception line of a traceback, e.g. "KeyError: 'model.x'"; Dagster's own wrapper comes first, the cause last.
_EXCEPTION = re.compile(r"^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Failure|Interrupt)(?::|$)")
_CHECK_RESULT = re.compile(r"^Asset check '(?P<check>[^']+)' on '(?P<asset>[^']+)' (?P<outcome>passed|did not pass)")
WARNINGS_PER_STEP = 3
# dagster-dbt's note on each dbt test it reports as an observation rather than a check: for the
# project's developers, not for the person running the night; counted, left in the log.
_LIBRARY_NOTES = ("Logging an `AssetObservation` instead of an `AssetCheckResult`",)


@dataclass(frozen=True)
class LogLine:
    """One of Dagster's console lines."""

    level: str
    step: str | None
    event: str | None
    message: str


@dataclass(frozen=True)
class Embedding:
    done: int
    total: int


def parse(line: str) -> LogLine | Embedding | None:
    """What one line of the child's output is: a Dagster log line, an embedding update, or neither."""
    if progress := _EMBEDDING.search(line):
        return Embedding(int(progress["done"]), int(progress["total"]))
    match = _DAGSTER_LINE.match(line)
    if match is None:
        return None
    parts = match["rest"].split(" - ")
    if parts[0].isdigit():  # the pid of an event
        parts = parts[1:]
    step = event = None
    if len(parts) > 1 and not _EVENT_NAME.match(parts[0]):
        step, parts = parts[0], parts[1:]
    if len(parts) > 1 and _EVENT_NAME.match(parts[0]):
        event, parts = parts[0], parts[1:]
    return LogLine(match["level"], step, event, " - ".join(parts))


def duration(seconds: float) -> str:
    """0.4s, 12s, 3m05s, 1h02m: short enough to align in a column."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def bar(done: int, total: int, width: int = 30) -> str:
    filled = width if total <= 0 else min(width, done * width // total)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


STEP_WIDTH = 44
_MARKS = {"STEP_SUCCESS": "ok", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}


def step_line(mark: str, what: str, seconds: float | None, note: str = "") -> str:
    took = "" if seconds is None else duration(seconds)
    return f"  {mark:<8}{what:<{STEP_WIDTH}}{took:>7}" + (f"  {note}" if note else "")


def embedding_line(done: int, total: int) -> str:
    return f"  {'':<8}embedding {bar(done, total)} {done}/{total} new texts"


def checks_note(passed: int, not_passed: list[str]) -> str:
    total = passed + len(not_passed)
    return f"{total} checks" + (f", {len(not_passed)} did not pass" if not_passed else "")


@dataclass
class _Step:
    started: float
    seconds: float = 0.0
    materialized: bool = False
    passed: int = 0
    not_passed: list[str] = field(default_factory=list)
    warnings: int = 0
    hidden_warnings: int = 0


class ProgressView:
    """Turns the child's output lines into the short view on `out`: one line per step that
    makes an asset, one line for each run of check-only steps, warnings, the embedding bar.
    On a terminal the running step and the bar are redrawn in place; elsewhere (CI, a pipe)
    only finished steps and each embedding update are printed, a line each."""

    def __init__(self, out: TextIO, tty: bool, clock=time.monotonic):
        self.out, self.tty, self.clock = out, tty, clock
        self.steps: dict[str, _Step] = {}
        self.succeeded = 0
        self.failure: str | None = None
        self.cause: str | None = None
        self._collecting_error = False
        self._transient = False
        self._last_embedding: tuple[int, int] | None = None
        self._checks: list[_Step] = []  # finished check-only steps not shown yet

    def feed(self, line: str) -> None:
        item = parse(line)
        if self._collecting_error and item is None and _EXCEPTION.match(line.strip()):
            self.cause = line.strip()
        if isinstance(item, LogLine):
            self._collecting_error = False
            self._log_line(item)
        elif isinstance(item, Embedding) and (item.done, item.total) != self._last_embedding:
            self._last_embedding = (item.done, item.total)
            self._flush_checks()
            self._show(embedding_line(item.done, item.total), transient=True)

    def _log_line(self, item: LogLine) -> None:
        step = self.steps.get(item.step) if item.step else None
        if item.event == "STEP_START" and item.step:
            self.steps[item.step] = _Step(started=self.clock())
            if self.tty:
                self._show(f"  {'..':<8}{item.step}", transient=True)
        elif item.event in _MARKS and item.step:
            self._finish(item.step, item.event)
        elif item.event == "ASSET_MATERIALIZATION" and step:
            step.materialized = True
        elif item.event == "ASSET_CHECK_EVALUATION" and step and (result := _CHECK_RESULT.match(item.message)):
            if result["outcome"] == "passed":
                step.passed += 1
            else:
                step.not_passed.append(f"{result['check']} on {result['asset']}")
        elif item.event is None and item.level in ("WARNING", "ERROR", "CRITICAL"):
            if step is not None:
                step.warnings += 1
                if step.warnings > WARNINGS_PER_STEP or item.message.startswith(_LIBRARY_NOTES):
                    step.hidden_warnings += 1
                    return
            where = f"{item.step}: " if item.step else ""
            self._flush_checks()
            self._show(f"  {'warning':<8}{where}{item.message}"[:240])

    def _finish(self, key: str, event: str) -> None:
        step = self.steps.get(key) or _Step(started=self.clock())
        seconds = step.seconds = self.clock() - step.started
        if event == "STEP_SUCCESS":
            self.succeeded += 1
            if not step.materialized and (step.passed or step.not_passed):
                self._checks.append(step)  # a check-only step: shown with its neighbours
                return
        self._flush_checks()
        note = checks_note(step.passed, step.not_passed) if step.passed or step.not_passed else ""
        self._show(step_line(_MARKS[event], key, seconds, note))
        self._show_not_passed(step.not_passed)
        if step.hidden_warnings:
            more = "more " if step.warnings > step.hidden_warnings else ""
            self._show(f"  {'':<8}{step.hidden_warnings} {more}warning(s) in the log")
        if event == "STEP_FAILURE" and self.failure is None:
            self.failure = key
            self._collecting_error = True

    def _flush_checks(self) -> None:
        if not self._checks:
            return
        passed = sum(s.passed for s in self._checks)
        not_passed = [c for s in self._checks for c in s.not_passed]
        seconds = sum(s.seconds for s in self._checks)
        self._checks = []
        self._show(step_line("ok", "asset checks", seconds, checks_note(passed, not_passed)))
        self._show_not_passed(not_passed)

    def _show_not_passed(self, not_passed: list[str]) -> None:
        for check in not_passed[:5]:
            self._show(f"  {'':<8}did not pass: {check}")
        if len(not_passed) > 5:
            self._show(f"  {'':<8}and {len(not_passed) - 5} more (see the log)")

    def _show(self, text: str, transient: bool = False) -> None:
        if self.tty:
            self.out.write("\r\x1b[K" + text + ("" if transient else "\n"))
        else:
            self.out.write(text + "\n")
        self._transient = transient and self.tty
        self.out.flush()

    def close(self, returncode: int, seconds: float, log_path: Path, interrupted: bool = False) -> None:
        """The closing lines: how the run ended, why if it failed, and where the full log is."""
        self._flush_checks()
        if self._transient:
            self.out.write("\r\x1b[K")
        if interrupted:
            self.out.write(f"nightly run interrupted after {duration(seconds)} (exit code {returncode})\n")
        elif returncode == 0:
            self.out.write(f"nightly run succeeded in {duration(seconds)} ({self.succeeded} steps)\n")
        else:
            where = f" at step {self.failure}" if self.failure else ""
            self.out.write(f"nightly run FAILED{where} after {duration(seconds)}\n")
            if self.cause:
                self.out.write(f"  {self.cause[:400]}\n")
        self.out.write(f"full log: {log_path}\n")
        self.out.flush()


def log_path_for(data_dir: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return data_dir / "logs" / f"run-{stamp}.log"


# A night's log is about 300 KB at DEBUG; a month of them is enough to look back on.
KEEP_RUN_LOGS = 30
_RUN_LOG = re.compile(r"^run-\d{8}T\d{6}Z\.log$")


def prune_run_logs(logs_dir: Path, keep: int = KEEP_RUN_LOGS) -> list[Path]:
    """Delete all but the `keep` newest run logs in `logs_dir`; return the deleted.

    Newest by name, the UTC time it was started, not by mtime, which a copy or backup resets.
    """
    if not logs_dir.is_dir():
        return []
    logs = sorted((p for p in logs_dir.iterdir() if p.is_file() and _RUN_LOG.match(p.name)), reverse=True)
    deleted = logs[keep:]
    for log in deleted:
        log.unlink(missing_ok=True)
    return deleted


def child_env(data_dir: Path, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The child's environment: the data root it logs to is the one it runs on."""
    env = {**environ, "PYTHONUNBUFFERED": "1", "INSIGHTS_DATA_DIR": str(data_dir)}
    env.setdefault("DAGSTER_HOME", str(data_dir / "dagster"))  # the Makefile's default
    return env


def dagster_command(run_config: Path = RUN_CONFIG) -> list[str]:
    dagster = Path(sys.executable).parent / "dagster"
    return [str(dagster), "job", "execute", "-m", "orchestration", "-j", "nightly", "-c", str(run_config)]


def segments(stream) -> object:
    """Decoded pieces of the child's output between line ends; tqdm ends its updates with \\r."""
    pending = b""
    while chunk := stream.read1(65536):
        pending += chunk
        *complete, pending = re.split(rb"\r\n|\r|\n", pending)
        for piece in complete:
            yield piece.decode("utf-8", errors="replace")
    if pending:
        yield pending.decode("utf-8", errors="replace")


# The signals a terminal or a supervisor sends to stop a run. The child runs in its own process
# group, so it gets each of them once, from here, and never a second copy straight from the
# terminal: Dagster ends a run on the first SIGINT, and a second one cuts its clean-up short.
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def run(command: list[str], log_path: Path, out: TextIO, tty: bool, env: Mapping[str, str] | None = None) -> int:
    """Run `command`, its output to `log_path` and the short view to `out`; its exit code.

    On SIGINT (Ctrl-C), SIGTERM or SIGHUP the signal is passed to the child and its output is
    still read to the end: a child whose shutdown messages fill the pipe would otherwise block
    on it while this process waits for it to exit.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    prune_run_logs(log_path.parent, keep=KEEP_RUN_LOGS - 1)  # and this run's makes KEEP_RUN_LOGS
    view = ProgressView(out, tty)
    out.write(f"nightly run: full log in {log_path}\n")
    out.flush()
    began = time.monotonic()
    env = dict(env) if env is not None else {**os.environ, "PYTHONUNBUFFERED": "1"}
    received: list[int] = []
    child: subprocess.Popen | None = None

    def forward(signum: int, _frame) -> None:
        received.append(signum)
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    # A signal ignored when this started (a background job, nohup) stays ignored: the child
    # inherits the ignoring, would not act on it, and the run would be reported cut short.
    wanted = [signum for signum in _FORWARDED if signal.getsignal(signum) is not signal.SIG_IGN]
    previous = {signum: signal.signal(signum, forward) for signum in wanted}
    try:
        with open(log_path, "w", encoding="utf-8") as log:
            child = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,  # outside the terminal's foreground group it must not read the terminal
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=REPO_ROOT,
                process_group=0,
            )
            if received:  # a signal came while it was starting
                child.send_signal(received[-1])
            for line in segments(child.stdout):
                log.write(line + "\n")
                view.feed(line)
            returncode = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if returncode < 0:  # ended by a signal: the shell's convention, 128 + its number
        returncode = 128 - returncode
    if received and returncode == 0:
        returncode = 128 + received[0]  # a run cut short is never reported as a success
    view.close(returncode, time.monotonic() - began, log_path, interrupted=bool(received))
    return returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the nightly job with a short progress view.")
    parser.add_argument("--data-dir", type=Path, required=True, help="the data root (INSIGHTS_DATA_DIR)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.expanduser().resolve()
    return run(dagster_command(), log_path_for(data_dir), sys.stdout, sys.stdout.isatty(), env=child_env(data_dir))


if __name__ == "__main__":
    sys.exit(main())
