"""Resources the assets ask for by parameter name: warehouse, landing and serving folders, model, dbt."""

from __future__ import annotations

import shutil
import sys
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from insights.themes.cache import model_key, model_setting
from insights.themes.embed import load_model
from orchestration.dbt_project import dbt_project
from orchestration.settings import Settings


class LandingFolder(dg.ConfigurableResource):
    """The folder export files are dropped into, one subfolder per tool."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)


class ServingFolder(dg.ConfigurableResource):
    """Where the serving snapshot BI tools read lives, apart from the working warehouse."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)


@lru_cache(maxsize=2)
def _cached_model(name_or_path: str | None):
    return load_model(name_or_path)


class EmbeddingModel(dg.ConfigurableResource):
    """The sentence-embedding model; None means the all-MiniLM-L6-v2 copy bundled in the venv."""

    name_or_path: str | None = None

    def key(self, override: str | None = None) -> str:
        """The name the embedding cache and the theme store record for the model in use."""
        return model_key(override or self.name_or_path)

    def load(self, override: str | None = None):
        """This resource's model, or `override` (a name or path, or a key from `key`) instead.

        Loaded once per process: the in-process executor runs a whole night in one process.
        """
        return _cached_model(model_setting(override) if override else self.name_or_path)


# How long a run waits for another process to let go of the warehouse before it fails. The
# stock DuckDBResource retries with backoff for about 20 minutes; a BI tool holding the file
# open does not let go by itself, so the night fails fast and says why.
LOCK_WAIT_SECONDS = 30.0
LOCK_RETRY_SECONDS = 2.0


class WarehouseLocked(dg.Failure):
    """Another process holds DuckDB's write lock on the warehouse file."""


def lock_message(database: str, error: Exception) -> str:
    return (
        f"The warehouse {database} is locked by another process (DuckDB file lock): {error}\n"
        "A BI tool or a DuckDB shell holds it open. Point BI tools at the serving snapshot "
        "serving/insights.duckdb (or serving/parquet/) instead, never at warehouse.duckdb; close "
        "the other process (the PID is in the message above), then run the job again."
    )


def connect_warehouse(
    database: str, config: dict | None = None, *, wait_seconds: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing, or raise WarehouseLocked within `wait_seconds`
    (default LOCK_WAIT_SECONDS)."""
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds)
    while True:
        try:
            return duckdb.connect(database, read_only=False, config=config or {})
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLocked(description=lock_message(database, error)) from error
            time.sleep(LOCK_RETRY_SECONDS)


class WarehouseResource(DuckDBResource):
    """The DuckDB warehouse; a file lock held by another process fails the step within a minute."""

    @contextmanager
    def get_connection(self):
        con = connect_warehouse(self.database, {"custom_user_agent": "dagster", **self.connection_config})
        try:
            yield con
        finally:
            con.close()


def dbt_executable() -> str:
    """The dbt installed beside this Python, so an un-activated venv still finds its own dbt."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_resources(settings: Settings) -> dict[str, object]:
    return {
        "warehouse": WarehouseResource(database=str(settings.warehouse_path)),
        "landing": LandingFolder(path=str(settings.landing_dir)),
        "serving": ServingFolder(path=str(settings.serving_dir)),
        "embedder": EmbeddingModel(name_or_path=settings.embedding_model),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        "check_thresholds": settings.check_thresholds,
        "theme_check_thresholds": settings.theme_check_thresholds,
    }
