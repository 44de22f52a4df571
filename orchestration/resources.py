"""Resources the assets ask for by parameter name: warehouse, landing and serving folders, model, dbt."""

from __future__ import annotations

import shutil
import sys
from functools import lru_cache
from pathlib import Path

import dagster as dg
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


def dbt_executable() -> str:
    """The dbt installed beside this Python, so an un-activated venv still finds its own dbt."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def build_resources(settings: Settings) -> dict[str, object]:
    return {
        "warehouse": DuckDBResource(database=str(settings.warehouse_path)),
        "landing": LandingFolder(path=str(settings.landing_dir)),
        "serving": ServingFolder(path=str(settings.serving_dir)),
        "embedder": EmbeddingModel(name_or_path=settings.embedding_model),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        "check_thresholds": settings.check_thresholds,
    }
