"""Only regular files under landing/ are read: a symlink (even to a file inside landing/), a
FIFO or a device is refused with a ledger row, its target never opened or quoted."""

from __future__ import annotations

import os
import stat

import pytest

from insights.sources.catalog import NPS_RESPONSES
from insights.sources.landing import landing_fingerprints
from insights.sources.load import load_source

NPS_HEADER = "Response ID,Created At,Email,Score,Comment,Account ID,Survey,Plan\n"


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def ledger(con):
    return {
        path: (status, error_class, error, sha)
        for path, status, error_class, error, sha in con.execute(
            "select path, status, error_class, error, sha256 from raw.load_ledger"
        ).fetchall()
    }


@pytest.fixture
def surveys(tmp_path):
    landing = tmp_path / "landing"
    write(landing / "surveys" / "good.csv", NPS_HEADER + "g1,2026-01-02,a@x.io,9,fine,acc_1,nps,pro\n")
    outside = write(
        tmp_path / "outside" / "secret.csv", NPS_HEADER + "s1,2026-01-02,a@x.io,9,SECRET-TEXT,acc_1,nps,pro\n"
    )
    return landing, outside


def test_symlinks_inside_and_outside_landing_are_refused_unread(surveys, con):
    landing, outside = surveys
    os.symlink(outside, landing / "surveys" / "outside.csv")
    os.symlink(landing / "surveys" / "good.csv", landing / "surveys" / "inside.csv")
    os.symlink(landing / "surveys" / "nowhere.csv", landing / "surveys" / "dangling.csv")
    report = load_source(con, NPS_RESPONSES, landing)

    assert con.execute("select response_id from raw.nps_responses").fetchall() == [("g1",)]
    states = ledger(con)
    for name in ("outside.csv", "inside.csv", "dangling.csv"):
        status, error_class, error, sha = states[f"surveys/{name}"]
        assert status == "failed" and error_class == "NotARegularFile" and sha is None
        assert "symbolic link" in error and "SECRET" not in error and "outside" not in error.split(":", 1)[1]
    assert states["surveys/good.csv"][0] == "loaded"
    assert len(report.failures) == 3


def test_a_refused_entry_is_skipped_while_unchanged(surveys, con):
    landing, outside = surveys
    os.symlink(outside, landing / "surveys" / "outside.csv")
    load_source(con, NPS_RESPONSES, landing)
    again = load_source(con, NPS_RESPONSES, landing)
    assert again.failures == [] and [f for f, _ in again.skipped_failed] == ["surveys/outside.csv"]


def test_a_file_reached_through_a_symlinked_folder_is_not_loaded(surveys, con):
    landing, outside = surveys
    os.symlink(outside.parent, landing / "surveys" / "linked_folder")
    load_source(con, NPS_RESPONSES, landing)
    assert con.execute("select response_id from raw.nps_responses").fetchall() == [("g1",)]
    states = ledger(con)
    if "surveys/linked_folder/secret.csv" in states:
        assert states["surveys/linked_folder/secret.csv"][0] == "failed"


def test_a_fifo_is_refused_without_blocking(surveys, con):
    landing, _ = surveys
    os.mkfifo(landing / "surveys" / "pipe.csv")
    load_source(con, NPS_RESPONSES, landing)  # opening a FIFO would block here forever
    status, error_class, error, _ = ledger(con)["surveys/pipe.csv"]
    assert status == "failed" and error_class == "NotARegularFile" and "FIFO" in error


def test_a_device_file_is_refused(surveys, con):
    landing, _ = surveys
    try:
        os.mknod(landing / "surveys" / "null.csv", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device file here")
    load_source(con, NPS_RESPONSES, landing)
    status, error_class, error, _ = ledger(con)["surveys/null.csv"]
    assert status == "failed" and error_class == "NotARegularFile" and "device" in error


def test_fingerprints_do_not_follow_or_trip_on_a_dangling_link(surveys):
    landing, _ = surveys
    os.symlink(landing / "surveys" / "nowhere.csv", landing / "surveys" / "dangling.csv")
    assert set(landing_fingerprints(landing, [NPS_RESPONSES])) == {"nps_responses"}


def test_a_source_folder_that_is_a_symlink_is_refused(tmp_path, con):
    outside = write(tmp_path / "outside" / "secret.csv", NPS_HEADER + "s1,2026-01-02,a@x.io,9,SECRET,acc_1,nps,pro\n")
    landing = tmp_path / "landing"
    landing.mkdir()
    os.symlink(outside.parent, landing / "surveys")
    load_source(con, NPS_RESPONSES, landing)
    assert con.execute("select count(*) from raw.nps_responses").fetchone() == (0,)
    status, error_class, error, sha = ledger(con)["surveys/secret.csv"]
    assert status == "failed" and "symbolically linked folder" in error and sha is None
