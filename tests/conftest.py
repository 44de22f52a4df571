"""Session set-up shared by every test tier: offline model loading and a current dbt manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
SERVING_READER = Path(__file__).resolve().parent / "serving_reader.py"


def _manifest_is_stale() -> bool:
    if not MANIFEST.exists():
        return True
    built = MANIFEST.stat().st_mtime
    sources = (
        p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".csv"} and "target" not in p.parts
    )
    return any(p.stat().st_mtime > built for p in sources)


def pytest_sessionstart(session):
    # The Dagster definitions read the manifest at import, so it must exist before collection.
    if _manifest_is_stale():
        dbt = Path(sys.executable).parent / "dbt"
        subprocess.run(
            [
                str(dbt),
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ],
            check=True,
        )


@contextmanager
def _serving_readers(snapshot_file: Path, workdir: Path):
    """Run a `hold` and a `reconnect` reader on the snapshot while the block runs; the dict
    it yields is filled with what each saw once the block ends."""
    stop = workdir / "stop-readers"
    readers = {
        mode: subprocess.Popen(
            [sys.executable, str(SERVING_READER), str(snapshot_file), str(stop), mode],
            stdout=subprocess.PIPE,
            text=True,
        )
        for mode in ("hold", "reconnect")
    }
    results: dict[str, dict] = {}
    try:
        # Publishing must start only once both readers have the current snapshot open.
        deadline = time.monotonic() + 60
        while not all(Path(f"{stop}.{mode}.ready").exists() for mode in readers):
            assert time.monotonic() < deadline and all(r.poll() is None for r in readers.values()), (
                "readers did not start"
            )
            time.sleep(0.05)
        yield results
    finally:
        stop.touch()
        for mode, reader in readers.items():
            out, _ = reader.communicate(timeout=60)
            results[mode] = json.loads(out) if out else {"errors": [f"exit {reader.returncode}"]}


@pytest.fixture(scope="session")
def serving_readers():
    return _serving_readers
