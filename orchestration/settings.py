"""Every setting the deployment takes from the environment, read in this one place.

Reading is all it does: nothing here writes `os.environ`. The data root is resolved to an
absolute path here and handed on as a value (the warehouse resource, and from it the dbt
command line), so no child process depends on the working directory it starts in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.checks import SourceCheckThresholds
from orchestration.theme_checks import ThemeCheckThresholds

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


# Settings renamed since a release: the old variable still works (the new name wins).
RENAMED_CHECK_VARIABLES = {"INSIGHTS_CHECK_QUARANTINE_FAIL_SHARE": "quarantine_high_share"}


def check_thresholds_from_env(thresholds: type = SourceCheckThresholds):
    """`INSIGHTS_CHECK_<FIELD>` overrides a field of `thresholds` (SourceCheckThresholds or
    ThemeCheckThresholds, whose field names differ); unset ones keep its default."""
    overrides = {
        name: float(os.environ[old])
        for old, name in RENAMED_CHECK_VARIABLES.items()
        if name in thresholds.model_fields and old in os.environ
    }
    overrides |= {
        name: float(os.environ[variable])
        for name in thresholds.model_fields
        if (variable := f"INSIGHTS_CHECK_{name.upper()}") in os.environ
    }
    return thresholds(**overrides)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    schedule_timezone: str
    embedding_model: str | None
    check_thresholds: SourceCheckThresholds = field(default_factory=SourceCheckThresholds)
    theme_check_thresholds: ThemeCheckThresholds = field(default_factory=ThemeCheckThresholds)

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def serving_dir(self) -> Path:
        return self.data_dir / "serving"

    @classmethod
    def from_env(cls) -> Settings:
        """Read the INSIGHTS_* variables. A relative data root is taken from the current directory."""
        return cls(
            data_dir=Path(os.environ.get("INSIGHTS_DATA_DIR", "data")).expanduser().resolve(),
            schedule_timezone=os.environ.get("INSIGHTS_SCHEDULE_TIMEZONE", "UTC"),
            embedding_model=os.environ.get("INSIGHTS_EMBEDDING_MODEL") or None,
            check_thresholds=check_thresholds_from_env(),
            theme_check_thresholds=check_thresholds_from_env(ThemeCheckThresholds),
        )
