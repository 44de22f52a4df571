import duckdb
import pytest

from insights.serving import publish, remove_leftovers

MARTS = {"roadmap_candidates": "One row per theme, ranked.", "dim_themes": "One row per theme."}


def _warehouse(path, candidates: int):
    """A warehouse whose roadmap_candidates has `candidates` rows, so each version is told apart by size."""
    con = duckdb.connect(str(path))
    con.execute(
        f"create or replace table roadmap_candidates as select range + 1 as rank, 'theme ' || range as label from range({candidates})"
    )
    con.execute("create or replace table dim_themes as select 'thm_1' as theme_id")
    return con


def test_snapshot_holds_each_mart_a_readme_and_readable_parquet(tmp_path):
    with _warehouse(tmp_path / "warehouse.duckdb", 3) as con:
        snapshot = publish(con, tmp_path / "serving", MARTS)
    with duckdb.connect(str(tmp_path / "serving" / "insights.duckdb"), read_only=True) as served:
        assert served.execute("select count(*) from roadmap_candidates").fetchone()[0] == 3
        readme = served.execute(
            "select table_name, description, row_count, snapshot_id from readme order by table_name"
        ).fetchall()
    assert readme == [
        ("dim_themes", MARTS["dim_themes"], 1, snapshot.snapshot_id),
        ("roadmap_candidates", MARTS["roadmap_candidates"], 3, snapshot.snapshot_id),
    ]
    parquet = tmp_path / "serving" / "parquet"
    assert sorted(p.name for p in parquet.iterdir()) == ["dim_themes.parquet", "roadmap_candidates.parquet"]
    assert duckdb.sql(f"select max(rank) from '{parquet / 'roadmap_candidates.parquet'}'").fetchall() == [(3,)]


def test_publishing_again_replaces_the_snapshot_and_leaves_no_stale_copies(tmp_path):
    serving = tmp_path / "serving"
    with _warehouse(tmp_path / "warehouse.duckdb", 3) as con:
        publish(con, serving, MARTS)
        _warehouse(tmp_path / "warehouse.duckdb", 5)
        publish(con, serving, MARTS)
    with duckdb.connect(str(serving / "insights.duckdb"), read_only=True) as served:
        assert served.execute("select count(*) from roadmap_candidates").fetchone()[0] == 5
    assert duckdb.sql(f"select count(*) from '{serving / 'parquet' / 'roadmap_candidates.parquet'}'").fetchall() == [
        (5,)
    ]
    # One database file, one link, one Parquet folder: earlier versions are cleaned up.
    assert len(list(serving.iterdir())) == 3


def test_a_failed_publish_keeps_the_previous_snapshot(tmp_path):
    serving = tmp_path / "serving"
    with _warehouse(tmp_path / "warehouse.duckdb", 3) as con:
        good = publish(con, serving, MARTS)
        before = sorted(p.name for p in serving.iterdir())
        # The missing mart fails after roadmap_candidates was already copied into the new file.
        with pytest.raises(duckdb.CatalogException):
            publish(con, serving, {**MARTS, "no_such_mart": "never built"})
    assert sorted(p.name for p in serving.iterdir()) == before
    with duckdb.connect(str(serving / "insights.duckdb"), read_only=True) as served:
        assert served.execute("select distinct snapshot_id from readme").fetchall() == [(good.snapshot_id,)]


def test_the_next_publish_clears_what_a_killed_one_left_and_nothing_else(tmp_path):
    serving = tmp_path / "serving"
    with _warehouse(tmp_path / "warehouse.duckdb", 3) as con:
        publish(con, serving, MARTS)
        live = (serving / "parquet").resolve().name
        # What a publish killed with -9 leaves at each of its stages, beside the user's own files.
        dead = "ab" * 16
        (serving / f".insights.duckdb.{dead}.tmp").write_bytes(b"half a database")
        (serving / f".insights.duckdb.{dead}.tmp.wal").write_bytes(b"wal")
        (serving / f"parquet.{dead}").mkdir()
        (serving / f"parquet.{dead}" / "dim_themes.parquet").write_bytes(b"PAR1")
        (serving / f".parquet.parquet.{dead}.link").symlink_to(f"parquet.{dead}")
        (serving / "report").mkdir()
        (serving / ".report-tmp-0123456789ab").mkdir()
        (serving / "notes.txt").write_text("mine")
        (serving / "parquet.backup").mkdir()
        assert remove_leftovers(serving) == sorted(
            [
                f".insights.duckdb.{dead}.tmp",
                f".insights.duckdb.{dead}.tmp.wal",
                f".parquet.parquet.{dead}.link",
                f"parquet.{dead}",
                ".report-tmp-0123456789ab",
            ]
        )
        assert (serving / live).is_dir()
        (serving / f"parquet.{dead}").mkdir()
        snapshot = publish(con, serving, MARTS)
    left = sorted(p.name for p in serving.iterdir())
    new_live = (serving / "parquet").resolve().name
    assert left == sorted(["insights.duckdb", "parquet", new_live, "report", "notes.txt", "parquet.backup"])
    assert snapshot.removed_leftovers == (f"parquet.{dead}",)


def test_a_publish_accepts_the_warehouse_path(tmp_path):
    _warehouse(tmp_path / "warehouse.duckdb", 2).close()
    snapshot = publish(tmp_path / "warehouse.duckdb", tmp_path / "serving", MARTS)
    assert snapshot.row_counts == {"roadmap_candidates": 2, "dim_themes": 1}


def test_readers_never_fail_nor_see_half_a_snapshot_while_it_is_replaced(tmp_path, serving_readers):
    serving = tmp_path / "serving"
    con = _warehouse(tmp_path / "warehouse.duckdb", 1000)
    first = publish(con, serving, MARTS)
    published = [first.snapshot_id]
    with serving_readers(serving / "insights.duckdb", tmp_path) as seen:
        # Sizes differ between publishes so a table from one snapshot beside a readme from
        # another would be caught by the readers' row-count comparison.
        for candidates in [1_000_000, 1500, 2_000_000, 2500, 1_500_000, 4000, 500_000, 3500]:
            _warehouse(tmp_path / "warehouse.duckdb", candidates)
            published.append(publish(con, serving, MARTS, allow_shrink=True).snapshot_id)
    con.close()
    hold, reconnect = seen["hold"], seen["reconnect"]
    print(
        f"hold: {hold['reads']} reads, {len(hold['errors'])} errors; reconnect: {reconnect['reads']} reads, "
        f"{len(reconnect['errors'])} errors, {len(reconnect['snapshots'])} snapshots seen"
    )
    for stats in (hold, reconnect):
        assert stats["errors"] == []
        assert stats["mismatches"] == 0
        assert stats["reads"] > 0
        assert set(stats["snapshots"]) <= set(published)
    # The open connection keeps reading the file it opened; a new one gets the newest.
    assert hold["snapshots"] == [first.snapshot_id]
    assert len(reconnect["snapshots"]) > 1
    assert hold["final_snapshot"] == reconnect["final_snapshot"] == published[-1]


def test_the_snapshot_file_opens_in_the_older_duckdb_that_bi_tools_bundle(tmp_path):
    # Metabase's DuckDB driver and Evidence bundle DuckDB 1.4-1.5, which read storage versions
    # 64-68 only; the file header (magic "DUCK" at byte 8, then the version as a little-endian
    # uint64) must say 64, the v1.0.0 format, whatever DuckDB wrote it.
    with _warehouse(tmp_path / "warehouse.duckdb", 3) as con:
        publish(con, tmp_path / "serving", MARTS)
    header = (tmp_path / "serving" / "insights.duckdb").read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert int.from_bytes(header[12:20], "little") == 64


def test_a_data_dir_with_quotes_in_its_path_publishes(tmp_path):
    root = tmp_path / 'o\'brien "data"'
    root.mkdir()
    with _warehouse(root / "warehouse.duckdb", 3) as con:
        snapshot = publish(con, root / "serving", MARTS)
    assert snapshot.row_counts["roadmap_candidates"] == 3
    with duckdb.connect(str(root / "serving" / "insights.duckdb"), read_only=True) as served:
        assert served.execute("select count(*) from roadmap_candidates").fetchone()[0] == 3
    parquet = root / "serving" / "parquet" / "roadmap_candidates.parquet"
    assert duckdb.execute("select count(*) from read_parquet(?)", [str(parquet)]).fetchall() == [(3,)]


def test_a_core_table_shrinking_by_more_than_half_is_not_published(tmp_path):
    from insights.serving import ShrinkError

    serving = tmp_path / "serving"
    with _warehouse(tmp_path / "warehouse.duckdb", 10) as con:
        first = publish(con, serving, MARTS)
        _warehouse(tmp_path / "warehouse.duckdb", 4)
        with pytest.raises(ShrinkError, match="roadmap_candidates 10 -> 4"):
            publish(con, serving, MARTS)
        with duckdb.connect(str(serving / "insights.duckdb"), read_only=True) as served:
            assert served.execute("select distinct snapshot_id from readme").fetchall() == [(first.snapshot_id,)]
        # Half exactly is still allowed; allow_shrink lets a real drop through.
        _warehouse(tmp_path / "warehouse.duckdb", 5)
        publish(con, serving, MARTS)
        _warehouse(tmp_path / "warehouse.duckdb", 1)
        assert publish(con, serving, MARTS, allow_shrink=True).row_counts["roadmap_candidates"] == 1
