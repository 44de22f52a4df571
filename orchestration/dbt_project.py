"""The dbt project as Dagster sees it. The manifest is prepared by `make manifest` (or by
`dagster dev` through prepare_if_dev), never parsed at import in production."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
