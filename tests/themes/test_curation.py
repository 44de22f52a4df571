"""The overrides file `insights themes` writes: what it refuses, how it writes, what it reads back.

The themes a request is checked against come from small DuckDB files made here, in the shape
of the serving snapshot (dim_themes, fct_theme_lineage) or of the warehouse (themes.*).
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from insights.cli import main
from insights.themes import curation
from insights.themes.curation import COLUMNS, CurationError, ThemeState

CURRENT = {"thm_a": "csv export fails", "thm_b": "pdf export slow", "thm_c": "login loops", "thm_d": "dark mode"}


def _snapshot(data_dir: Path, lineage: bool = True) -> Path:
    path = data_dir / "serving" / "insights.duckdb"
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create table dim_themes (theme_id varchar, label varchar)")
        con.executemany("insert into dim_themes values (?, ?)", list(CURRENT.items()))
        if lineage:
            con.execute(
                "create table fct_theme_lineage (theme_id varchar, event varchar, split_from_theme_id varchar, "
                "merged_into_theme_id varchar, run_at timestamp)"
            )
            con.execute(
                "insert into fct_theme_lineage values "
                "('thm_old', 'retired', null, null, '2026-11-20 02:00'), "
                "('thm_gone', 'merged', null, 'thm_a', '2026-11-21 02:00'), "
                "('thm_d', 'retired', null, null, '2026-11-19 02:00')"  # ended once, current again
            )
    return path


def _warehouse(data_dir: Path) -> Path:
    path = data_dir / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema themes")
        con.execute("create table themes.themes (theme_id varchar, label varchar)")
        con.execute("insert into themes.themes values ('thm_w', 'from the warehouse')")
        con.execute(
            "create table themes.theme_history (run_id varchar, run_at timestamp, theme_id varchar, status varchar, "
            "split_from varchar, merged_into varchar, similarity double)"
        )
        con.execute(
            "insert into themes.theme_history values ('r1', '2026-11-22 02:00', 'thm_x', 'retired', null, null, null)"
        )
    return path


@pytest.fixture
def state() -> ThemeState:
    return ThemeState(dict(CURRENT), {"thm_old": "retired on 2026-11-20"}, "snapshot.duckdb")


def test_state_comes_from_the_snapshot_with_its_lineage(tmp_path):
    _snapshot(tmp_path)
    state = curation.read_theme_state(tmp_path)
    assert state.current == CURRENT
    assert state.ended == {
        "thm_old": "retired on 2026-11-20",
        "thm_gone": "merged into thm_a by the theme step on 2026-11-21",
    }


def test_state_falls_back_to_the_warehouse_without_a_snapshot(tmp_path):
    _warehouse(tmp_path)
    state = curation.read_theme_state(tmp_path)
    assert state.current == {"thm_w": "from the warehouse"}
    assert state.ended == {"thm_x": "retired on 2026-11-22"}


def test_state_without_any_run_is_a_clear_error(tmp_path):
    with pytest.raises(CurationError, match="run the pipeline first"):
        curation.read_theme_state(tmp_path)


def test_unknown_and_retired_ids_are_refused_with_what_became_of_them(state):
    with pytest.raises(CurationError, match="unknown theme thm_zzz"):
        curation.rename({}, state, "thm_zzz", "x")
    with pytest.raises(CurationError, match="no longer a theme: retired on 2026-11-20"):
        curation.hide({}, state, "thm_old", "noise")
    with pytest.raises(CurationError, match="thm_old is no longer a theme"):
        curation.merge({}, state, "thm_a", "thm_old")


@pytest.mark.parametrize("label", ["", "   ", "\t\n"])
def test_an_empty_label_is_refused(state, label):
    with pytest.raises(CurationError, match="label is empty"):
        curation.rename({}, state, "thm_a", label)


def test_a_label_is_tidied_and_may_not_copy_another_themes(state):
    rows = curation.rename({}, state, "thm_a", "  CSV   export\ttimes out ", note="clearer")
    assert rows["thm_a"]["label"] == "CSV export times out"
    assert rows["thm_a"]["note"] == "clearer"
    with pytest.raises(CurationError, match="thm_b is already called"):
        curation.rename(rows, state, "thm_c", "PDF export slow")
    with pytest.raises(CurationError, match="thm_a is already called"):
        curation.rename(rows, state, "thm_c", "csv export times out")


def test_merge_refuses_itself_hidden_targets_chains_and_cycles(state):
    with pytest.raises(CurationError, match="into itself"):
        curation.merge({}, state, "thm_a", "thm_a")
    hidden = curation.hide({}, state, "thm_b", "noise")
    with pytest.raises(CurationError, match="thm_b is hidden"):
        curation.merge(hidden, state, "thm_a", "thm_b")
    rows = curation.merge({}, state, "thm_b", "thm_a")
    with pytest.raises(CurationError, match="thm_b is itself merged into thm_a; .* merge thm_c into thm_a instead"):
        curation.merge(rows, state, "thm_c", "thm_b")
    with pytest.raises(CurationError, match="would close a cycle"):
        curation.merge(rows, state, "thm_a", "thm_b")
    # a -> c would leave b (merged into a) on a theme nobody sees: the marts follow one level.
    with pytest.raises(CurationError, match="thm_b is merged into thm_a; merge it into thm_c first"):
        curation.merge(rows, state, "thm_a", "thm_c")
    with pytest.raises(CurationError, match="hiding it would hide their feedback"):
        curation.hide(rows, state, "thm_a", "noise")


def test_hide_needs_a_reason_and_unhide_clears_it(state):
    for reason in (None, "", "  "):
        with pytest.raises(CurationError, match="--reason"):
            curation.hide({}, state, "thm_c", reason)
    rows = curation.hide({}, state, "thm_c", "greetings and thank-yous")
    assert (rows["thm_c"]["hidden"], rows["thm_c"]["hidden_reason"]) == ("true", "greetings and thank-yous")
    rows = curation.unhide(rows, "thm_c")
    assert (rows["thm_c"]["hidden"], rows["thm_c"]["hidden_reason"]) == ("", "")
    with pytest.raises(CurationError, match="not hidden"):
        curation.unhide(rows, "thm_c")
    with pytest.raises(CurationError, match="not merged"):
        curation.unmerge(rows, "thm_c")


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2", "@SUM(A1)", "  =HYPERLINK(x)"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_refused(state, text):
    with pytest.raises(CurationError, match="as a formula"):
        curation.rename({}, state, "thm_c", text)
    with pytest.raises(CurationError, match="as a formula"):
        curation.rename({}, state, "thm_c", "Login fails", note=text)
    with pytest.raises(CurationError, match="as a formula"):
        curation.hide({}, state, "thm_c", text)
    with pytest.raises(CurationError, match="as a formula"):
        curation.merge({}, state, "thm_b", "thm_a", note=text)
    assert curation.rename({}, state, "thm_c", "Login fails - 2FA = broken")["thm_c"]["label"]


def test_the_file_round_trips_sorted_and_drops_rows_that_do_nothing(tmp_path, state):
    path = curation.overrides_path(tmp_path)
    rows = curation.rename({}, state, "thm_c", 'Login loops, "again"')
    rows = curation.merge(rows, state, "thm_b", "thm_a", note="same complaint")
    rows = curation.hide(rows, state, "thm_d", "not actionable")
    rows = curation.unhide(rows, "thm_d")  # nothing left on thm_d
    curation.write_overrides(path, rows)
    assert path == tmp_path / "curation" / "theme_overrides.csv"
    assert path.read_text().splitlines() == [
        ",".join(COLUMNS),
        "thm_b,,thm_a,,,,same complaint,,",
        'thm_c,"Login loops, ""again""",,,,,,,',
    ]
    assert curation.read_overrides(path) == {k: v for k, v in rows.items() if k != "thm_d"}
    assert [p.name for p in path.parent.iterdir()] == ["theme_overrides.csv"]


class _Unwritable:
    def __str__(self) -> str:
        raise OSError("disk full")


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, state):
    path = curation.overrides_path(tmp_path)
    curation.write_overrides(path, curation.rename({}, state, "thm_a", "kept"))
    before = path.read_bytes()
    broken = {"thm_b": {"theme_id": "thm_b", "label": _Unwritable()}}
    with pytest.raises(OSError, match="disk full"):
        curation.write_overrides(path, broken)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["theme_overrides.csv"]


def test_reading_an_absent_a_header_only_and_an_old_seed_file(tmp_path):
    path = tmp_path / "theme_overrides.csv"
    assert curation.read_overrides(path) == {}
    path.write_text(",".join(COLUMNS) + "\n")
    assert curation.read_overrides(path) == {}
    # The package seed's seven columns, as a team may copy it over, with TRUE as a spreadsheet writes it.
    path.write_text("theme_id,label,merge_into,hidden,roadmap_item_key,feature,note\nthm_a,,,TRUE,ROAD-1,,why\n\n")
    assert curation.read_overrides(path)["thm_a"] == {
        "theme_id": "thm_a",
        "label": "",
        "merge_into": "",
        "hidden": "true",
        "roadmap_item_key": "ROAD-1",
        "feature": "",
        "note": "why",
        "hidden_reason": "",
        "split": "",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("theme_id,label,colour\nthm_a,x,red\n", "unknown column colour"),
        ("theme_id,label\nthm_a,x\nthm_a,y\n", "line 3: thm_a has a second row"),
        ("theme_id,label,merge_into,hidden\nthm_a,,,maybe\n", "line 2: hidden is 'maybe'"),
        ("theme_id,label\n,x\n", "line 2: no theme_id"),
    ],
)
def test_a_hand_edited_file_with_mistakes_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "theme_overrides.csv"
    path.write_text(text)
    with pytest.raises(CurationError, match=message):
        curation.read_overrides(path)


def test_columns_are_read_by_name_in_any_order_and_flags_with_spaces(tmp_path):
    path = tmp_path / "theme_overrides.csv"
    path.write_text("theme_id,merge_into,label,split,hidden\nthm_a,,Renamed, true, \nthm_b,thm_a,,,Y\n")
    rows = curation.read_overrides(path)
    assert (rows["thm_a"]["label"], rows["thm_a"]["merge_into"], rows["thm_a"]["split"]) == ("Renamed", "", "true")
    assert (rows["thm_b"]["merge_into"], rows["thm_b"]["hidden"]) == ("thm_a", "true")


@pytest.mark.parametrize(
    "text",
    [
        "theme_id,split\nthm_a, true\nthm_a,\n",  # a theme twice
        "theme_id,split,colour\nthm_a,true,red\n",
        "theme_id,split\nthm_a,secret words\n",
    ],
)
def test_the_night_warns_about_a_file_the_cli_refuses_and_splits_nothing(tmp_path, text):
    path = tmp_path / "theme_overrides.csv"
    path.write_text(text)
    warnings: list[str] = []
    assert curation.nightly_split_requests(path, warnings.append) == frozenset()
    assert len(warnings) == 1 and str(path) in warnings[0] and "no theme is split tonight" in warnings[0]
    # The log names the file and the problem, never a cell's words.
    assert "red" not in warnings[0] and "colour" not in warnings[0] and "secret" not in warnings[0]


def test_the_night_reads_split_requests_with_spaces_around_the_flag(tmp_path):
    path = tmp_path / "theme_overrides.csv"
    path.write_text("theme_id,hidden,split\nthm_a, , true\nthm_b,,\n")
    warnings: list[str] = []
    assert curation.nightly_split_requests(path, warnings.append) == {"thm_a"}
    assert warnings == []


def test_split_is_a_request_the_theme_step_keeps_carrying_out(tmp_path, state):
    rows = curation.split({}, state, "thm_c", note="login and 2FA are two problems")
    with pytest.raises(CurationError, match="already to be split"):
        curation.split(rows, state, "thm_c")
    with pytest.raises(CurationError, match="thm_c is to be split"):
        curation.merge(rows, state, "thm_a", "thm_c")
    with pytest.raises(CurationError, match="thm_c is to be split"):
        curation.merge(rows, state, "thm_c", "thm_a")
    merged = curation.merge({}, state, "thm_b", "thm_a")
    with pytest.raises(CurationError, match="unmerge it first"):
        curation.split(merged, state, "thm_b")
    with pytest.raises(CurationError, match="whose ID retires"):
        curation.split(merged, state, "thm_a")
    path = curation.overrides_path(tmp_path)
    curation.write_overrides(path, rows)
    assert curation.read_split_requests(path) == {"thm_c"}
    # Once cut, the theme's ID is gone on purpose: the request is not stale.
    gone = ThemeState({k: v for k, v in CURRENT.items() if k != "thm_c"}, {"thm_c": "retired on 2026-11-28"})
    assert curation.stale_overrides(rows, gone) == []
    assert curation.unsplit(rows, "thm_c")["thm_c"]["split"] == ""
    with pytest.raises(CurationError, match="not to be split"):
        curation.unsplit({}, "thm_c")


def test_stale_overrides_name_what_became_of_their_theme(state):
    rows = {
        "thm_old": {"theme_id": "thm_old", "label": "x"},
        "thm_a": {"theme_id": "thm_a", "merge_into": "thm_old"},
        "thm_b": {"theme_id": "thm_b", "label": "fine"},
    }
    assert curation.stale_overrides(rows, state) == [
        ("thm_a", "merge target thm_old: retired on 2026-11-20"),
        ("thm_old", "theme thm_old: retired on 2026-11-20"),
    ]


def test_the_cli_writes_valid_edits_and_refuses_bad_ones_with_a_non_zero_exit(tmp_path, capsys):
    _snapshot(tmp_path)
    args = ["--data-dir", str(tmp_path)]
    assert main(["themes", "rename", "thm_a", "CSV export times out", *args]) == 0
    assert main(["themes", "merge", "thm_b", "thm_a", *args]) == 0
    assert main(["themes", "hide", "thm_c", "--reason", "greetings", *args]) == 0
    assert "the next run applies it" in capsys.readouterr().out
    assert (tmp_path / curation.LOCK_FILE).exists()  # edits went through `curation.editing`
    written = curation.read_overrides(curation.overrides_path(tmp_path))
    assert written["thm_a"]["label"] == "CSV export times out"
    assert written["thm_b"]["merge_into"] == "thm_a"
    assert written["thm_c"]["hidden_reason"] == "greetings"
    before = curation.overrides_path(tmp_path).read_bytes()
    for bad, message in [
        (["merge", "thm_d", "thm_d"], "into itself"),
        (["merge", "thm_d", "thm_b"], "thm_b is itself merged"),
        (["merge", "thm_d", "thm_c"], "thm_c is hidden"),
        (["rename", "thm_nope", "x"], "unknown theme thm_nope"),
        (["rename", "thm_d", " "], "label is empty"),
        (["hide", "thm_d"], "--reason"),
        (["unhide", "thm_d"], "not hidden"),
        (["merge", "thm_d", "thm_gone"], "merged into thm_a by the theme step"),
        (["rename", "thm_d", "=HYPERLINK(1)"], "run as a formula"),
        (["hide", "thm_d", "--reason", "@SUM(A1)"], "run as a formula"),
    ]:
        assert main(["themes", *bad, *args]) == 2
        assert message in capsys.readouterr().err
    assert curation.overrides_path(tmp_path).read_bytes() == before


def test_the_cli_data_dir_defaults_to_insights_data_dir(tmp_path, monkeypatch):
    _snapshot(tmp_path)
    monkeypatch.setenv("INSIGHTS_DATA_DIR", str(tmp_path))
    assert main(["themes", "rename", "thm_d", "Dark mode please"]) == 0
    assert (
        curation.read_overrides(tmp_path / "curation" / "theme_overrides.csv")["thm_d"]["label"] == "Dark mode please"
    )


def test_an_edit_holds_the_overrides_lock_against_other_processes(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom insights.themes import curation\n"
            f"with curation.editing({str(tmp_path)!r}):\n    print('held', flush=True)\n    sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        with (tmp_path / curation.LOCK_FILE).open("a") as lock:
            # Another process holds it: a second edit would wait here, not interleave its write.
            with pytest.raises(BlockingIOError):
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            holder.communicate("\n")
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when the edit ends
    finally:
        holder.kill()
    assert holder.returncode == 0
