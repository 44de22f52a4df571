import json

import dagster as dg

from orchestration.assets.transform import dbt_marts, dbt_staging
from orchestration.dbt_project import dbt_project
from orchestration.definitions import ALL_ASSETS, build_definitions, defs
from orchestration.settings import Settings


def test_definitions_load_and_the_nightly_job_resolves():
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("nightly")
    assert job.name == "nightly"


def test_schedule_runs_the_nightly_job_at_two_in_the_configured_timezone(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INSIGHTS_SCHEDULE_TIMEZONE", "Europe/Berlin")
    schedule = build_definitions(Settings.from_env()).resolve_schedule_def("nightly_at_2am")
    assert schedule.job_name == "nightly"
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Berlin"
    # Default when nothing is configured is UTC.
    assert defs.resolve_schedule_def("nightly_at_2am").execution_timezone == "UTC"


def test_every_dbt_model_and_seed_is_an_asset_exactly_once():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    # Seeds count too: a seed in neither selection would never be loaded by the nightly run.
    models = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")}
    staging = {key.path[-1] for key in dbt_staging.keys}
    marts = {key.path[-1] for key in dbt_marts.keys}
    assert not staging & marts
    assert staging | marts == models


def test_lineage_is_one_graph_from_landing_to_candidates():
    graph = defs.resolve_asset_graph()
    produced = {key for assets in ALL_ASSETS for key in assets.keys}
    # Every upstream dependency of every asset is itself produced here: no dangling sources.
    for key in produced:
        assert graph.get(key).parent_keys <= produced, key
    candidates = dg.AssetKey(["roadmap_candidates"])
    ancestors = set()
    frontier = [candidates]
    while frontier:
        key = frontier.pop()
        for parent in graph.get(key).parent_keys:
            if parent not in ancestors:
                ancestors.add(parent)
                frontier.append(parent)
    assert dg.AssetKey(["raw", "support_tickets"]) in ancestors
    assert dg.AssetKey(["themes", "themes"]) in ancestors


def test_dbt_tests_are_asset_checks():
    check_keys = {check.asset_key for check in defs.resolve_asset_graph().asset_check_keys}
    assert dg.AssetKey(["fct_feedback"]) in check_keys
