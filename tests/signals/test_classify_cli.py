"""`insights classify`: one output row per input row, in order, and clear errors."""

from __future__ import annotations

import csv
import json

import pytest

import insights.themes.embed as embed
from insights.cli import main

ROWS = [
    ("t-1", "the export crashes every time I click it", "1"),
    ("t-2", "please add a dark mode", "4"),
    ("t-3", "", ""),
    ("t-4", "How do I invite a colleague?", ""),
    ("t-5", "Love it, thank you!", "5"),
    ("t-6", "ok", "3"),
]


@pytest.fixture(autouse=True)
def _session_model(monkeypatch, model):
    # The CLI loads the model itself; hand it the session's, so the seed is embedded once.
    monkeypatch.setattr(embed, "load_model", lambda *_args, **_kwargs: model)


@pytest.fixture
def input_csv(tmp_path):
    path = tmp_path / "feedback.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["ticket", "body", "stars"])
        writer.writerows(ROWS)
    return path


def test_csv_round_trip_keeps_rows_order_and_id(input_csv, tmp_path, seed_classifier):
    out = tmp_path / "out.csv"
    args = ["classify", "--input", str(input_csv), "--text-column", "body", "--id-column", "ticket"]
    assert main([*args, "--output", str(out), "--rating-column", "stars"]) == 0
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["ticket"] for r in rows] == [r[0] for r in ROWS]
    assert list(rows[0]) == ["ticket", "intent", "intent_confidence", "sentiment", "sentiment_method"]
    assert [r["intent"] for r in rows][:2] == ["bug", "feature_request"]
    assert rows[3]["intent"] == "question"
    # Four rated rows are far below the threshold, so sentiment is the lexicon's.
    assert {r["sentiment_method"] for r in rows} == {"vader"}
    assert all(-1 <= float(r["sentiment"]) <= 1 for r in rows)
    assert not list(tmp_path.glob(".out.csv.*"))  # no staged file left behind


def test_jsonl_goes_to_stdout_one_object_per_row(input_csv, capsys, seed_classifier):
    assert main(["classify", "--input", str(input_csv), "--text-column", "body", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(ROWS)
    assert {json.loads(line)["intent"] for line in lines} <= {"bug", "feature_request", "question", "praise", "other"}


def test_a_team_examples_file_is_used_and_a_bad_one_is_refused(input_csv, tmp_path, capsys, seed_classifier):
    good = tmp_path / "mine.csv"
    good.write_text("text,intent\nok,praise\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert (
        main(
            [
                "classify",
                "--input",
                str(input_csv),
                "--text-column",
                "body",
                "--examples",
                str(good),
                "--output",
                str(out),
            ]
        )
        == 0
    )
    with out.open(newline="", encoding="utf-8") as f:
        assert list(csv.DictReader(f))[5]["intent"] == "praise"
    bad = tmp_path / "bad.csv"
    bad.write_text("text,intent\nok,kudos\n", encoding="utf-8")
    assert main(["classify", "--input", str(input_csv), "--text-column", "body", "--examples", str(bad)]) == 2
    assert "bad.csv, row 2: unknown intent 'kudos'" in capsys.readouterr().err


def test_missing_file_or_column_is_a_clear_error(input_csv, tmp_path, capsys):
    assert main(["classify", "--input", str(tmp_path / "absent.csv"), "--text-column", "body"]) == 2
    assert "no input file" in capsys.readouterr().err
    assert main(["classify", "--input", str(input_csv), "--text-column", "comment"]) == 2
    assert "has no column comment; it has ticket, body, stars" in capsys.readouterr().err
