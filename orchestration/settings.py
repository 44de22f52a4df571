"""Every setting the deployment takes from the environment, read in this one place."""

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
        """Read INSIGHTS_* variables; the data root becomes absolute for every child process.

        dbt runs with its project folder as working directory and reads INSIGHTS_DATA_DIR in
        its profile, so a relative root would point dbt at a different warehouse than the
        Python assets. Exporting the resolved path keeps both on the same file.
        """
        data_dir = Path(os.environ.get("INSIGHTS_DATA_DIR", "data")).expanduser().resolve()
        os.environ["INSIGHTS_DATA_DIR"] = str(data_dir)
        return cls(
            data_dir=data_dir,
            schedule_timezone=os.environ.get("INSIGHTS_SCHEDULE_TIMEZONE", "UTC"),
            embedding_model=os.environ.get("INSIGHTS_EMBEDDING_MODEL") or None,
            checks=CheckThresholds.from_env(),
        )
