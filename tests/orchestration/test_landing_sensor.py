"""The landing sensor's first tick: it compares the landing folder with what the last run
loaded (raw.load_ledger), so starting `make ui` over unchanged files starts no run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg

from orchestration.assets.extract import extract_assets
from orchestration.definitions import build_definitions
from orchestration.resources import build_resources
from orchestration.sensors import new_landing_files
from orchestration.settings import Settings

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
FILES = {
    "support_conversations": "intercom/conversations_2026-11-27.json",
    "google_play_reviews": "google_play/reviews_reviews_com.acme.insights_202611.csv",
}


def _loaded(monkeypatch, tmp_path):
    """A data root whose landing files were all loaded by a real run of their extract assets."""
    monkeypatch.setenv("INSIGHTS_DATA_DIR", str(tmp_path))
    settings = Settings.from_env()
    for rel in FILES.values():
        target = settings.landing_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXPORTS / rel, target)
    instance = dg.DagsterInstance.ephemeral()
    assets = [a for a in extract_assets if a.key.path[-1] in FILES]
    assert dg.materialize(assets, resources=build_resources(settings), instance=instance).success
    return settings, instance


def _tick(settings, instance, cursor=None):
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources=build_resources(settings),
        definitions=build_definitions(settings),
    )
    return new_landing_files(context), context.cursor


def test_first_tick_over_loaded_files_starts_no_run(monkeypatch, tmp_path):
    settings, instance = _loaded(monkeypatch, tmp_path)
    result, cursor = _tick(settings, instance)
    assert isinstance(result, dg.SkipReason) and "unchanged since the last load" in result.skip_message
    # The cursor now holds tonight's state, so later ticks compare with it as before.
    assert cursor is not None
    again, _ = _tick(settings, instance, cursor)
    assert isinstance(again, dg.SkipReason)


def test_first_tick_after_a_file_changed_runs_that_source(monkeypatch, tmp_path):
    settings, instance = _loaded(monkeypatch, tmp_path)
    path = settings.landing_dir / FILES["support_conversations"]
    path.write_text(path.read_text().replace("dashboard", "Dashboard"))
    result, _ = _tick(settings, instance)
    assert isinstance(result, dg.RunRequest)
    assert result.tags["insights/sources"] == "support_conversations"
    selected = {tuple(key.path) for key in result.asset_selection}
    assert ("raw", "support_conversations") in selected and ("raw", "google_play_reviews") not in selected


def test_first_tick_sees_a_new_file_but_not_a_removed_one(monkeypatch, tmp_path):
    settings, instance = _loaded(monkeypatch, tmp_path)
    (settings.landing_dir / FILES["google_play_reviews"]).unlink()
    result, _ = _tick(settings, instance)
    assert isinstance(result, dg.SkipReason)

    new = settings.landing_dir / "zendesk" / "tickets_2026-11-27.jsonl"
    new.parent.mkdir(parents=True)
    shutil.copyfile(EXPORTS / "zendesk" / "tickets_2026-11-27.jsonl", new)
    result, _ = _tick(settings, instance)
    assert isinstance(result, dg.RunRequest) and result.tags["insights/sources"] == "support_tickets"


def test_a_touched_file_counts_as_changed_on_a_later_tick(monkeypatch, tmp_path):
    settings, instance = _loaded(monkeypatch, tmp_path)
    _, cursor = _tick(settings, instance)
    path = settings.landing_dir / FILES["google_play_reviews"]
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    result, _ = _tick(settings, instance, cursor)
    assert isinstance(result, dg.RunRequest) and result.tags["insights/sources"] == "google_play_reviews"


def test_first_tick_without_a_warehouse_runs_every_source_with_files(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_DATA_DIR", str(tmp_path))
    settings = Settings.from_env()
    target = settings.landing_dir / FILES["google_play_reviews"]
    target.parent.mkdir(parents=True)
    shutil.copyfile(EXPORTS / FILES["google_play_reviews"], target)
    result, _ = _tick(settings, dg.DagsterInstance.ephemeral())
    assert isinstance(result, dg.RunRequest) and result.tags["insights/sources"] == "google_play_reviews"
