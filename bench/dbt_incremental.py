"""dbt wall time of a second night with a little new data: incremental build against a full refresh.

    .venv/bin/python bench/dbt_incremental.py DATA_DIR [--share 0.01]

DATA_DIR holds a warehouse after a first night (`INSIGHTS_DATA_DIR=DATA_DIR make run`); it is
not changed. Two copies of it get the same second night (tests/orchestration/incremental_night.py:
`--share` of the events again as new events, two late events, a shorter re-export of an old
events file, one new ticket), loaded into raw as the extract step does. Then `dbt run` builds
one copy incrementally and `dbt run --full-refresh` the other; both times are printed, and
every model of the two copies is compared row for row. Models only (`run`, not `build`): the
theme step does not run here, so the new ticket has no theme and one data test would fail.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights.sources.catalog import SOURCES  # noqa: E402
from insights.sources.load import load_source  # noqa: E402
from tests.orchestration.incremental_night import add_second_night, fingerprints  # noqa: E402

INCREMENTAL_MODELS = (
    "stg_segment__events",
    "stg_amplitude__events",
    "fct_daily_active_users",
    "fct_daily_active_users_by_plan",
)


def _model_seconds(data_dir: Path) -> dict[str, float]:
    """Execution time of each model of the last dbt invocation (its run_results.json)."""
    results = json.loads((data_dir / "target" / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[-1]: result["execution_time"] for result in results}


def _dbt_run(data_dir: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "run",
            "--quiet",
            "--vars",
            json.dumps({"warehouse_path": str(data_dir / "warehouse.duckdb")}),
            "--target-path",
            str(data_dir / "target"),
            "--log-path",
            str(data_dir / "logs"),
            *extra,
        ],
        cwd=ROOT / "dbt_project",
        env={**os.environ, "INSIGHTS_DATA_DIR": str(data_dir)},
        check=True,
    )
    return time.perf_counter() - started


def _second_night(source: Path, into: Path, share: float) -> None:
    shutil.copytree(source, into, ignore=shutil.ignore_patterns("serving", "dagster_home", "target", "logs"))
    add_second_night(into / "landing", share=share)
    con = duckdb.connect(str(into / "warehouse.duckdb"))
    for spec in SOURCES:
        load_source(con, spec, into / "landing")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--share", type=float, default=0.01)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dbt-incremental-") as tmp:
        incremental_dir, full_dir = Path(tmp, "incremental"), Path(tmp, "full")
        _second_night(args.data_dir, incremental_dir, args.share)
        _second_night(args.data_dir, full_dir, args.share)
        con = duckdb.connect(str(full_dir / "warehouse.duckdb"), read_only=True)
        events = con.execute("select count(*) from raw.product_events").fetchone()[0]
        con.close()
        incremental = _dbt_run(incremental_dir)
        full = _dbt_run(full_dir, "--full-refresh")
        seconds = [_model_seconds(incremental_dir), _model_seconds(full_dir)]
        prints = []
        for data_dir in (incremental_dir, full_dir):
            con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
            prints.append(fingerprints(con))
            con.close()
    differing = sorted(name for name in prints[1] if prints[0].get(name) != prints[1][name])
    print(f"raw segment events after night 2: {events}; new share {args.share:.0%}")
    print(f"dbt run, incremental:   {incremental:6.1f} s")
    print(f"dbt run, full refresh:  {full:6.1f} s  (incremental = {incremental / full:.0%} of it)")
    for label, index in (("incremental", 0), ("full refresh", 1)):
        models = seconds[index]
        chain = sum(models[name] for name in INCREMENTAL_MODELS)
        print(f"  {label}: all models {sum(models.values()):5.1f} s, the incremental ones {chain:5.2f} s")
    for name in INCREMENTAL_MODELS:
        print(f"    {name}: {seconds[0][name]:.2f} s vs {seconds[1][name]:.2f} s")
    slowest = sorted(seconds[1].items(), key=lambda item: -item[1])[:5]
    print("  slowest models of the full refresh: " + ", ".join(f"{n} {t:.2f} s" for n, t in slowest))
    print(f"models compared: {len(prints[1])}; differing: {differing or 'none'}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
