"""dbt and the Python assets open one warehouse file, whatever directory each runs in."""

from __future__ import annotations

import json
import os
from argparse import Namespace

from dagster_duckdb import DuckDBResource
from dbt.config.runtime import load_profile
from dbt.config.utils import parse_cli_vars
from dbt.flags import set_from_args
from dbt_common.context import set_invocation_context

from orchestration.assets.transform import dbt_build_args
from orchestration.dbt_project import dbt_project
from orchestration.resources import build_resources
from orchestration.settings import Settings


def _profile_path(cli_vars: dict) -> str:
    """The DuckDB path dbt renders from profiles.yml, the way dagster-dbt loads it in process."""
    set_invocation_context(os.environ.copy())
    set_from_args(Namespace(profiles_dir=str(dbt_project.profiles_dir)), None)
    return load_profile(str(dbt_project.project_dir), cli_vars).credentials.path


def test_dbt_build_gets_the_warehouse_the_python_assets_use(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    # Relative, as a user may well set it: dbt, running in dbt_project/, would resolve it elsewhere.
    monkeypatch.setenv("INSIGHTS_DATA_DIR", "data")
    warehouse = build_resources(Settings.from_env())["warehouse"]
    args = dbt_build_args(warehouse)
    assert args[0] == "build"
    rendered = _profile_path(parse_cli_vars(args[args.index("--vars") + 1]))
    assert rendered == warehouse.database == str(tmp_path.resolve() / "data" / "warehouse.duckdb")


def test_a_hand_run_dbt_still_reads_the_data_root_from_the_environment(monkeypatch, tmp_path):
    # make manifest, make docs and sqlfluff run dbt without the var.
    monkeypatch.setenv("INSIGHTS_DATA_DIR", str(tmp_path))
    assert _profile_path({}) == f"{tmp_path}/warehouse.duckdb"


def test_the_var_carries_the_path_verbatim():
    # json, not str(dict): a path with quotes or spaces must reach dbt as one YAML string.
    args = dbt_build_args(DuckDBResource(database="/srv/my data/it's.duckdb"))
    assert json.loads(args[args.index("--vars") + 1]) == {"warehouse_path": "/srv/my data/it's.duckdb"}
