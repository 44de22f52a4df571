"""dbt's per-invocation target folders (compiled SQL, run results, dbt.log) are pruned to the
newest few, so dbt_project/target does not grow by ~17 MB every night (issue 13)."""

from __future__ import annotations

import os

from orchestration.assets.transform import KEEP_DBT_INVOCATIONS, prune_dbt_targets


def test_keeps_only_the_newest_invocations(tmp_path):
    names = [f"dbt_{'marts' if i % 2 else 'staging'}-{i:07x}-{i:07x}" for i in range(KEEP_DBT_INVOCATIONS + 4)]
    for age, name in enumerate(reversed(names)):
        folder = tmp_path / name
        (folder / "compiled").mkdir(parents=True)
        (folder / "dbt.log").write_text("log")
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / "partial_parse.msgpack").write_bytes(b"x")
    (tmp_path / "compiled").mkdir()  # a hand-run dbt's own folder stays

    deleted = prune_dbt_targets(tmp_path)

    assert len(deleted) == 4
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*names[-KEEP_DBT_INVOCATIONS:], "manifest.json", "partial_parse.msgpack", "compiled"])


def test_missing_target_folder_is_fine(tmp_path):
    assert prune_dbt_targets(tmp_path / "nope") == []
