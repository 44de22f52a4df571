"""Fixture files dropped into a temporary landing folder, as a team would drop its exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPORTS = FIXTURES / "exports"
BAD_INPUT = FIXTURES / "bad_input"


def land(landing: Path, *fixtures: str, base: Path = BAD_INPUT) -> Path:
    """Copy `<folder>/<file>` fixtures under `landing`, keeping the folder; return `landing`."""
    for fixture in fixtures:
        target = landing / fixture
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base / fixture, target)
    return landing


def land_tree(landing: Path, base: Path) -> Path:
    """Copy every fixture file under `base` into `landing`."""
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        land(landing, path.relative_to(base).as_posix(), base=base)
    return landing


class Landing:
    """A temporary landing folder that fixtures are dropped into by name."""

    def __init__(self, root: Path):
        self.root = root

    def drop(self, *fixtures: str, base: Path = BAD_INPUT) -> Path:
        return land(self.root, *fixtures, base=base)

    def drop_all(self, base: Path) -> Path:
        return land_tree(self.root, base)


@pytest.fixture
def landing(tmp_path) -> Landing:
    return Landing(tmp_path / "landing")


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()
