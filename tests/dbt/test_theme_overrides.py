"""The theme_overrides model on hand-edited files, run by real dbt: whatever a person leaves in
the CSV (spaces for blanks, " true", a theme twice, the columns in another order, the old
seed's seven columns), the model reads it and its tests pass, so no edit can stop the night."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.slow  # a dbt parse and build of one model


def _build(tmp_path, dbt, text: str) -> list[tuple]:
    overrides = tmp_path / "curation" / "theme_overrides.csv"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(text)
    # cautious: only the model's own tests; the singular ones also need the marts.
    dbt(tmp_path, "build", "--select", "theme_overrides", "--indirect-selection", "cautious")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "select theme_id, label, merge_into, hidden, split, note from main.theme_overrides order by theme_id"
        ).fetchall()


def test_spaces_padded_flags_a_duplicate_and_another_column_order_still_read(tmp_path, dbt):
    text = (
        "theme_id,merge_into,label,hidden,split,note,roadmap_item_key,feature,hidden_reason\n"
        "thm_a,, First A , , true,,,,\n"
        "thm_b,thm_c,,,,  why ,,,\n"
        "thm_a,,Last A,TRUE,,,,,noise\n"
        " , ,,,,,,,\n"
    )
    assert _build(tmp_path, dbt, text) == [
        # The last of thm_a's two rows wins, whole: its split is blank.
        ("thm_a", "Last A", None, True, False, None),
        ("thm_b", None, "thm_c", False, False, "why"),
    ]


def test_the_old_seeds_seven_columns_read_with_the_later_ones_null(tmp_path, dbt):
    text = "theme_id,label,merge_into,hidden,roadmap_item_key,feature,note\nthm_a,Renamed,,yes,,,old\n"
    assert _build(tmp_path, dbt, text) == [("thm_a", "Renamed", None, True, False, "old")]


def test_no_file_means_no_overrides(tmp_path, dbt):
    dbt(tmp_path, "build", "--select", "theme_overrides", "--indirect-selection", "cautious")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from main.theme_overrides").fetchone() == (0,)
