"""The one way these tests run dbt: the real CLI in a subprocess, against a data folder of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import DBT_PROJECT_DIR


def run_dbt(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` on the project, its warehouse and target folder inside `data_dir`; fails
    the caller with dbt's own output when dbt fails, since that names the model or test."""
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [
            str(dbt),
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(data_dir / "target"),
        ],
        env={**os.environ, "INSIGHTS_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    return result


@pytest.fixture(scope="session")
def dbt():
    return run_dbt
