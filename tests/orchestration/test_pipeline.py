"""Tier 3: every asset materialised in-process on a small generated company (real DuckDB,
real dbt, real model), then the marts checked for what a user relies on."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from insights.report import summarise
from insights.sample.generator import generate
from orchestration.assets.serving import serving_snapshot
from orchestration.assets.transform import dbt_marts
from orchestration.dbt_project import mart_descriptions
from orchestration.definitions import ALL_ASSETS, ALL_CHECKS
from orchestration.resources import build_resources
from orchestration.settings import Settings
from tests.bi_tools import reflect_like_superset

# The sample's answer key names each item as its landing file does; dbt builds feedback_id.
ANSWER_KEY = ["source", "source_record_id"]

# Measured 0.828 on this data set (seed 7, scale 0.1, 496 items, 22 themes) with the issue-11 defaults; the floor leaves
# room for numeric drift across library versions, not for a worse method.
MIN_ADJUSTED_RAND = 0.75

# Exports in the formats the sample company does not write (Intercom, Google Play, CSAT,
# Zendesk JSON lines, Amplitude), dropped beside it so every reader runs end to end.
EXTRA_EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"

# Minutes: two whole nightly runs (real dbt, real model on ~500 items). `make test` runs it.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, serving_readers):
    data_dir = tmp_path_factory.mktemp("data")
    generate(data_dir, seed=7, scale=0.1)
    shutil.copytree(EXTRA_EXPORTS, data_dir / "landing", dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSIGHTS_DATA_DIR", str(data_dir))
        # The sample company's exports end on a fixed date; freshness is tested on its own.
        mp.setenv("INSIGHTS_CHECK_FRESHNESS_MAX_AGE_DAYS", "100000")
        settings = Settings.from_env()
        resources = build_resources(settings)
        instance = dg.DagsterInstance.ephemeral()
        cwd = os.getcwd()
        first = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources=resources, instance=instance)
        cwd_after = os.getcwd()
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        snapshot = _table_fingerprints(con)
        con.close()
        # BI tools hold the first run's serving snapshot open through the whole second run.
        with serving_readers(settings.serving_dir / "insights.duckdb", tmp_path_factory.mktemp("readers")) as readers:
            second = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources=resources, instance=instance)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    yield {
        "first": first,
        "second": second,
        "con": con,
        "data_dir": data_dir,
        "snapshot": snapshot,
        "settings": settings,
        "readers": readers,
        "cwd": (cwd, cwd_after),
    }
    con.close()


def _table_fingerprints(con) -> dict[str, tuple]:
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('raw') or table_name like 'stg_%' or table_name like 'int_%'"
    ).fetchall()
    fingerprints = {}
    for schema, name in tables:
        columns = [
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "and column_name not in ('_loaded_at', 'loaded_at', 'quarantined_at')",
                [schema, name],
            ).fetchall()
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        fingerprints[f"{schema}.{name}"] = con.execute(
            f'select count(*), sum(hash({select})) from (select {select} from "{schema}"."{name}")'
        ).fetchone()
    return fingerprints


def test_every_asset_and_every_dbt_test_succeeds(pipeline):
    for result in (pipeline["first"], pipeline["second"]):
        assert result.success
        evaluations = result.get_asset_check_evaluations()
        assert evaluations, "dbt tests should run as asset checks"
        failed = [e.check_name for e in evaluations if not e.passed]
        assert failed == []


def test_a_run_leaves_the_working_directory_where_it_was(pipeline):
    # dbt loading its project in process (the column fetch) moves into dbt_project/; a
    # relative path used later in the process (the CLI's manifest, a data root) would break.
    before, after = pipeline["cwd"]
    assert after == before


def test_every_feedback_item_appears_once_with_a_theme_or_as_outlier(pipeline):
    con = pipeline["con"]
    unified = con.execute("select count(*) from int_feedback__unified").fetchone()[0]
    total, distinct, unthemed = con.execute(
        "select count(*), count(distinct feedback_id), "
        "count(*) filter (where theme_id is null and not is_outlier) from fct_feedback"
    ).fetchone()
    assert unified > 300
    assert total == distinct == unified
    assert unthemed == 0


def test_roadmap_candidates_are_ranked_without_gaps(pipeline):
    ranks = [r for (r,) in pipeline["con"].execute("select rank from roadmap_candidates order by rank").fetchall()]
    assert ranks == list(range(1, len(ranks) + 1))
    assert len(ranks) >= 5


def test_rice_components_multiply_to_the_score_and_every_candidate_has_its_evidence(pipeline):
    rows = (
        pipeline["con"]
        .execute(
            "select rice_score, reach * impact * confidence / effort, quote_1, top_accounts, reach_accounts "
            "from roadmap_candidates"
        )
        .fetchall()
    )
    for rice, product, quote, top_accounts, accounts in rows:
        assert rice == pytest.approx(product)
        assert quote
        assert (top_accounts is not None) == (accounts > 0)
    gap_types = {t for (t,) in pipeline["con"].execute("select distinct gap_type from roadmap_gaps").fetchall()}
    # The sample plants roadmap items nobody asked for (thin evidence); demand for work not on
    # the roadmap depends on which themes rank top.
    assert "thin evidence" in gap_types


def test_themes_link_to_the_features_and_roadmap_items_they_are_about(pipeline):
    con, answers = pipeline["con"], pipeline["data_dir"] / "answers"
    planted = pd.read_csv(answers / "feedback_themes.csv", dtype=str)
    assigned = con.execute(
        "select source, source_record_id, theme_id from fct_feedback where theme_id is not null"
    ).df()
    theme_of = (
        assigned.merge(planted, on=ANSWER_KEY).groupby("theme_id")["theme"].agg(lambda s: s.value_counts().index[0])
    )
    feature_of = dict(pd.read_csv(answers / "theme_features.csv", keep_default_na=False).itertuples(index=False))
    item_of = {
        t: k for k, t in pd.read_csv(answers / "roadmap_items.csv", keep_default_na=False).itertuples(index=False) if t
    }
    links = con.execute(
        "select theme_id, feature, roadmap_item_key from dim_themes where merged_into_theme_id is null"
    ).df()
    for column, truth in (("feature", feature_of), ("roadmap_item_key", item_of)):
        linked = links.dropna(subset=[column])
        right = sum(truth.get(theme_of.get(t)) == v for t, v in zip(linked["theme_id"], linked[column]))
        # Measured on this data (scale 0.1, seed 7): see the closing note of the theme-links change.
        assert right >= 5, column
        assert right / len(linked) >= 0.8, f"{column}: {right} of {len(linked)} links right"


def test_planted_themes_are_recovered(pipeline):
    answers = pd.read_csv(pipeline["data_dir"] / "answers" / "feedback_themes.csv", dtype=str)
    # The extra exports have no planted themes; the answer file covers the sample's own files.
    extra_files = [p.relative_to(EXTRA_EXPORTS).as_posix() for p in EXTRA_EXPORTS.rglob("*") if p.is_file()]
    found = (
        pipeline["con"]
        .execute(
            "select source, source_record_id, coalesce(theme_id, 'outlier') as theme_id from fct_feedback "
            "where source in ('zendesk', 'surveys', 'app_store', 'canny') and (source, source_record_id) not in ("
            "  select 'zendesk', ticket_id from raw.support_tickets where list_contains($files, _source_file)"
            "  union all select 'surveys', response_id from raw.nps_responses where list_contains($files, _source_file))",
            {"files": extra_files},
        )
        .df()
    )
    joined = answers.merge(found, on=ANSWER_KEY, how="inner")
    assert len(joined) == len(found)
    ari = adjusted_rand_score(joined["theme"], joined["theme_id"])
    assert ari >= MIN_ADJUSTED_RAND, f"adjusted Rand index {ari:.3f}"


def test_rerun_on_the_same_landing_folder_changes_no_raw_or_staging_table(pipeline):
    after = _table_fingerprints(pipeline["con"])
    assert after == pipeline["snapshot"]
    # Every raw table of every source, the ledger and quarantine, and every staging model.
    from insights.sources.catalog import SOURCES

    expected = {f"raw.{spec.name}" for spec in SOURCES} | {"raw.load_ledger", "raw.quarantine"}
    assert expected <= set(after)
    assert {name for name in after if ".stg_" in name} >= {
        "main.stg_intercom__conversations",
        "main.stg_google_play__reviews",
        "main.stg_amplitude__events",
    }
    assert all(count > 0 for name, (count, _) in after.items() if name.startswith("raw.") and name != "raw.quarantine")
    # The second run loaded nothing: every file was skipped by its content hash.
    for materialization in pipeline["second"].get_asset_materialization_events():
        metadata = materialization.materialization.metadata
        if "files_loaded" in metadata:
            assert metadata["files_loaded"].value == 0, materialization.asset_key


def test_personal_data_does_not_reach_the_marts(pipeline):
    texts = pipeline["con"].execute("select text from fct_feedback").df()["text"]
    assert not texts.str.contains(r"[\w.+-]+@[\w-]+\.[a-z]{2,}", regex=True).any()
    assert texts.str.contains("<EMAIL>|<PHONE>", regex=True).any()


def test_summary_names_each_mart_and_the_top_candidates(pipeline):
    text = summarise(pipeline["settings"].warehouse_path, mart_descriptions())
    assert "roadmap_candidates" in text and "top 10 roadmap candidates" in text
    assert "shipped roadmap items" in text
    # A mart the warehouse lacks shows as "<name>  missing" in the row counts.
    assert not re.search(r"^  \S+ +missing$", text, flags=re.MULTILINE), text


def test_second_run_keeps_every_theme_id_and_logs_it(pipeline):
    con = pipeline["con"]
    runs = con.execute(
        "select run_id, min(run_at) as first_at from themes.theme_history group by run_id order by first_at"
    ).fetchall()
    assert len(runs) == 2
    first, second = (
        dict(
            con.execute(
                "select status, count(*) from themes.theme_history where run_id = ? group by status", [r]
            ).fetchall()
        )
        for r, _ in runs
    )
    n_themes = con.execute("select count(*) from dim_themes").fetchone()[0]
    # Same landing files, same themes: the second run continues every one under its old ID.
    assert first == {"new": n_themes}
    assert second == {"continued": n_themes}
    # The sample writes its own catalog: areas are its areas, or unassigned, never theme groups.
    sources = {s for (s,) in con.execute("select distinct area_source from dim_themes").fetchall()}
    assert sources <= {"catalog", "unassigned"} and "catalog" in sources
    assert 6 <= con.execute("select count(distinct area_id) from themes.theme_areas").fetchone()[0] <= 10


def test_marts_carry_their_row_counts_as_metadata(pipeline):
    materializations = pipeline["first"].asset_materializations_for_node("dbt_marts")
    counts = {m.asset_key.path[-1]: m.metadata["dagster/row_count"].value for m in materializations}
    expected = pipeline["con"].execute("select count(*) from roadmap_candidates").fetchone()[0]
    assert counts["roadmap_candidates"] == expected


def test_quarantine_is_an_asset_showing_the_rejected_rows(pipeline):
    materializations = pipeline["first"].asset_materializations_for_node("raw__quarantine")
    assert len(materializations) == 1
    expected = pipeline["con"].execute("select count(*) from raw.quarantine").fetchone()[0]
    assert materializations[0].metadata["dagster/row_count"].value == expected


def _published_snapshot(result) -> str:
    [materialization] = result.asset_materializations_for_node("serving_snapshot")
    return materialization.metadata["snapshot_id"].value


def test_readers_of_the_serving_snapshot_never_fail_during_a_run(pipeline):
    hold, reconnect = pipeline["readers"]["hold"], pipeline["readers"]["reconnect"]
    print(
        f"hold: {hold['reads']} reads, {len(hold['errors'])} errors; "
        f"reconnect: {reconnect['reads']} reads, {len(reconnect['errors'])} errors"
    )
    first, second = _published_snapshot(pipeline["first"]), _published_snapshot(pipeline["second"])
    for stats in (hold, reconnect):
        assert stats["errors"] == [] and stats["mismatches"] == 0 and stats["reads"] > 0
    assert hold["snapshots"] == [first]
    # Publishing is the run's last step, so the new snapshot may first appear at the
    # connection opened after the run; either way nothing else is ever seen.
    assert reconnect["snapshots"][0] == first and set(reconnect["snapshots"]) <= {first, second}
    assert reconnect["final_snapshot"] == second


def test_serving_snapshot_carries_every_mart_as_the_warehouse_has_it(pipeline):
    served = duckdb.connect(str(pipeline["settings"].serving_dir / "insights.duckdb"), read_only=True)
    readme = dict(served.execute("select table_name, row_count from readme").fetchall())
    served.close()
    # Every mart of the manifest is published; the list itself lives only in dbt's marts folder.
    assert set(readme) == set(mart_descriptions())
    assert {"fct_feedback", "dim_themes", "roadmap_candidates", "dim_accounts"} <= set(readme)
    for name, rows in readme.items():
        assert pipeline["con"].execute(f"select count(*) from {name}").fetchone()[0] == rows, name
        parquet = pipeline["settings"].serving_dir / "parquet" / f"{name}.parquet"
        assert duckdb.sql(f"select count(*) from '{parquet}'").fetchall() == [(rows,)], name


def test_every_serving_table_reflects_through_duckdb_engine_as_superset_does(pipeline):
    # docs/bi-tools.md: the dev extra's duckdb-engine and SQLAlchemy, on the real snapshot.
    served = pipeline["settings"].serving_dir / "insights.duckdb"
    reflected = reflect_like_superset(served)
    assert set(reflected) == set(mart_descriptions()) | {"readme"}
    with duckdb.connect(str(served), read_only=True) as con:
        for table, columns in reflected.items():
            expected = con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            assert columns == [c for (c,) in expected], table


def test_a_failed_mart_test_keeps_the_last_good_snapshot(pipeline, tmp_path, monkeypatch):
    # On a copy of the warehouse, so the other tests keep the good run's marts.
    data_dir = tmp_path / "data"
    shutil.copytree(pipeline["data_dir"], data_dir, symlinks=True, ignore=shutil.ignore_patterns("landing", "dagster"))
    monkeypatch.setenv("INSIGHTS_DATA_DIR", str(data_dir))
    settings = Settings.from_env()
    with duckdb.connect(str(settings.warehouse_path)) as con:
        # One feedback item in two themes: fct_feedback's unique feedback_id test fails.
        con.execute("insert into themes.feedback_themes select * from themes.feedback_themes limit 1")
    snapshot_file = settings.serving_dir / "insights.duckdb"
    before = (snapshot_file.stat().st_ino, sorted(p.name for p in settings.serving_dir.iterdir()))

    result = dg.materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        selection=dg.AssetSelection.assets(dbt_marts, serving_snapshot),
        resources=build_resources(settings),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )

    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert "unique_fct_feedback_feedback_id" in failed
    assert not result.success
    assert result.asset_materializations_for_node("serving_snapshot") == []
    assert (snapshot_file.stat().st_ino, sorted(p.name for p in settings.serving_dir.iterdir())) == before
    with duckdb.connect(str(snapshot_file), read_only=True) as served:
        assert served.execute("select distinct snapshot_id from readme").fetchall() == [
            (_published_snapshot(pipeline["second"]),)
        ]


def _metadata_by_model(result, node):
    return {m.asset_key.path[-1]: m.metadata for m in result.asset_materializations_for_node(node)}


def _columns(con, relation):
    return [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
            [relation],
        ).fetchall()
    ]


def test_roadmap_candidates_show_their_top_10_and_every_model_its_columns(pipeline):
    con = pipeline["con"]
    marts = _metadata_by_model(pipeline["second"], "dbt_marts")
    candidates = marts["roadmap_candidates"]
    rows = con.execute("select rank, label from roadmap_candidates order by rank limit 10").fetchall()
    assert candidates["dagster/row_count"].value == con.execute("select count(*) from roadmap_candidates").fetchone()[0]
    preview = candidates["top_candidates"].value.splitlines()
    assert preview[0].startswith("| rank | label | rice_score | reach | impact | confidence | effort |")
    assert len(preview) == 2 + len(rows) and len(rows) == 10
    assert preview[2].startswith(f"| 1 | {rows[0][1]} |")
    # Column names and types on a mart (a table) and on a staging model (a view), in table order.
    staging = _metadata_by_model(pipeline["second"], "dbt_staging")
    for model, metadata in (("roadmap_candidates", candidates), ("stg_jira__issues", staging["stg_jira__issues"])):
        schema = metadata["dagster/column_schema"].value
        assert [c.name for c in schema.columns] == _columns(con, model), model
        assert all(c.type for c in schema.columns)
    assert all("dagster/column_schema" in m for m in marts.values())


def test_theme_step_figures_and_checks_show_in_the_ui(pipeline):
    con = pipeline["con"]
    n_themes = con.execute("select count(*) from themes.themes").fetchone()[0]
    outliers, items = con.execute(
        "select count(*) filter (where is_outlier), count(*) from themes.feedback_themes"
    ).fetchone()
    for result, before, new, continued in (("first", 0, n_themes, 0), ("second", n_themes, 0, n_themes)):
        figures = {k: v.value for k, v in _metadata_by_model(pipeline[result], "feedback_themes")["themes"].items()}
        assert figures["dagster/row_count"] == n_themes and figures["themes_before_run"] == before
        assert (figures["new"], figures["continued"], figures["split"], figures["merged"], figures["retired"]) == (
            new,
            continued,
            0,
            0,
            0,
        )
        assert figures["outlier_share"] == round(outliers / items, 4) and figures["feedback_items"] == items
        assert "why_no_themes" not in figures
        checks = {
            e.check_name: e for e in pipeline[result].get_asset_check_evaluations() if e.asset_key.path[0] == "themes"
        }
        assert set(checks) == {"outlier_share", "theme_count_collapse", "labels_present", "labels_unique"}
        assert all(e.passed for e in checks.values())
    runs = con.execute(
        "select themes, themes_before, is_latest, why_no_themes from fct_theme_runs order by run_at"
    ).fetchall()
    assert runs == [(n_themes, 0, False, None), (n_themes, n_themes, True, None)]
