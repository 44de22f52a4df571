"""Every setting the deployment takes from the environment, read in this one place.

Reading is all it does: nothing here writes `os.environ`. The data root is resolved to an
absolute path here and handed on as a value (the warehouse resource, and from it the dbt
command line), so no child process depends on the working directory it starts in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@dataclass(frozen=True)
class CheckThresholds:
    """Where the per-source asset checks draw their lines (INSIGHTS_CHECK_* variables)."""

    quarantine_warn_share: float = 0.05
    quarantine_fail_share: float = 0.25
    freshness_max_age_days: float = 7.0
    row_count_max_drop: float = 0.10
    row_count_max_growth: float = 3.0

    @classmethod
    def from_env(cls) -> CheckThresholds:
        defaults = cls()
        return cls(
            **{
                name: float(os.environ.get(f"INSIGHTS_CHECK_{name.upper()}", getattr(defaults, name)))
                for name in cls.__dataclass_fields__
            }
        )


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    schedule_timezone: str
    embedding_model: str | None
    checks: CheckThresholds = CheckThresholds()

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
            checks=CheckThresholds.from_env(),
        )
