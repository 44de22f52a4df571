"""Importing the deployment only defines things: it writes no environment variable and
starts no dbt (the manifest comes from `make manifest`, or from conftest for the tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from orchestration.dbt_project import dbt_project
from orchestration.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter, so the import really happens there. Any subprocess that
# names dbt is recorded and refused, so even a wrongly started `dbt parse` never runs.
_IMPORT_AND_REPORT = textwrap.dedent(
    """
    import json, os, subprocess, sys

    spawned, popen_init = [], subprocess.Popen.__init__

    def refuse_dbt(self, args, *rest, **kwargs):
        argv = [args] if isinstance(args, str | os.PathLike) else list(args)
        if any("dbt" in os.path.basename(str(part)) for part in argv[:1]):
            spawned.append([str(part) for part in argv])
            raise RuntimeError("dbt started at import")
        popen_init(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = refuse_dbt
    before = dict(os.environ)
    error = None
    try:
        import orchestration  # noqa: F401
    except Exception as exc:  # reported to the test, which decides
        error = repr(exc)
    after = dict(os.environ)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    print(json.dumps({"spawned": spawned, "changed_env": changed, "error": error}))
    """
)


def _import_in_a_fresh_interpreter(tmp_path: Path, **env: str) -> dict:
    child_env = {k: v for k, v in os.environ.items() if k != "DAGSTER_IS_DEV_CLI"}
    # The venv's dbt first on PATH, as the Makefile puts it: dagster-dbt looks dbt up there.
    child_env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), child_env.get("PATH", "")])
    # A relative data root is the case the old code "fixed" by exporting an absolute one.
    child_env.update({"INSIGHTS_DATA_DIR": "data", **env})
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_AND_REPORT],
        cwd=tmp_path,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_orchestration_writes_no_environment_and_starts_no_dbt(tmp_path):
    manifest_written = dbt_project.manifest_path.stat().st_mtime_ns
    report = _import_in_a_fresh_interpreter(tmp_path)
    assert report["error"] is None
    assert report["spawned"] == []
    assert report["changed_env"] == []
    assert dbt_project.manifest_path.stat().st_mtime_ns == manifest_written


def test_the_dbt_detector_sees_dagster_dev_preparing_the_manifest(tmp_path):
    # The check above is only worth something if it would notice dbt starting: under
    # `dagster dev` prepare_if_dev does start dbt (`dbt --version`, then `dbt parse`), and the
    # detector must catch the first of them.
    report = _import_in_a_fresh_interpreter(tmp_path, DAGSTER_IS_DEV_CLI="1")
    assert report["spawned"], report


def test_settings_resolve_a_relative_data_root_without_exporting_it(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INSIGHTS_DATA_DIR", "data")
    settings = Settings.from_env()
    assert settings.data_dir == tmp_path.resolve() / "data"
    assert os.environ["INSIGHTS_DATA_DIR"] == "data"
