"""Scoring the theme step against known labels, and the `insights evaluate` command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from insights.cli import main
from insights.evaluate import (
    ASSIGNMENT_FILE_COLUMNS,
    BY_LABEL_COLUMNS,
    LABEL_KEYS,
    METRIC_KEYS,
    by_label,
    evaluate_themes,
    format_report,
    label_name,
    names_are_words,
    score,
)

TOPICS = {
    "export": [
        "CSV export times out on big reports",
        "Exporting a large report to CSV never finishes",
        "The csv export fails for big reports",
        "CSV download of the monthly report crashes",
        "Export to CSV hangs when the report has many rows",
    ],
    "sso": [
        "SSO login with Okta fails",
        "We can't sign in through single sign-on",
        "SAML SSO login is broken for our team",
        "Okta single sign on stopped working",
        "Single sign-on keeps redirecting to the login page",
    ],
    "billing": [
        "We were charged twice on our invoice",
        "Double charge on my credit card this month",
        "The invoice shows the wrong amount",
        "Please refund the duplicate payment",
        "Billing overcharged us after we downgraded",
    ],
}
ROWS = [(text, topic) for topic, texts in TOPICS.items() for text in texts]


def test_outliers_count_as_one_group():
    truth = ["a", "a", "b", "b"]
    # Two outliers from different true themes are one predicted group: that costs ARI.
    assert score(truth, np.array([0, -1, 1, -1]))["ari"] < 1.0
    assert score(truth, np.array([0, 0, 1, 1]))["ari"] == pytest.approx(1.0)
    assert score(truth, np.array([0, -1, 1, -1]))["outlier_share"] == 0.5
    assert score(truth, np.array([0, -1, 1, -1]))["n_themes"] == 2


def test_clear_topics_are_recovered_by_the_theme_step_and_the_baseline(model):
    texts, truth = zip(*ROWS)
    report = evaluate_themes(texts, truth, model)
    assert (report["n_items"], report["n_labels"], report["n_themes"]) == (15, 3, 3)
    assert report["ari"] == pytest.approx(1.0) and report["nmi"] == pytest.approx(1.0)
    assert report["baseline"]["ari"] == pytest.approx(1.0)
    assert report["seconds"] >= report["embed_seconds"] >= 0


def test_evaluate_command_prints_json_with_every_metric(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    frame = pd.DataFrame(ROWS + [("a text nobody labelled", "")], columns=["comment", "topic"])
    frame.to_csv(path, index=False)
    assert (
        main(
            [
                "evaluate",
                "--input",
                str(path),
                "--text-column",
                "comment",
                "--label-column",
                "topic",
                "--format",
                "json",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert {"n_items", "n_labels", *METRIC_KEYS, *LABEL_KEYS} <= report.keys()
    assert set(METRIC_KEYS) <= report["baseline"].keys()
    assert report["n_items"] == 15  # the unlabelled row is left out
    assert report["ari"] == pytest.approx(1.0)


def test_evaluate_command_prints_a_table_and_rejects_a_missing_column(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    pd.DataFrame(ROWS, columns=["comment", "topic"]).to_csv(path, index=False)
    assert main(["evaluate", "--input", str(path), "--text-column", "comment", "--label-column", "topic"]) == 0
    out = capsys.readouterr().out
    assert "kmeans(k=3)" in out and "ari" in out
    assert main(["evaluate", "--input", str(path), "--text-column", "body", "--label-column", "topic"]) == 2
    assert "no column body" in capsys.readouterr().err


def test_by_label_reports_the_main_theme_purity_splits_and_outliers():
    truth = ["a"] * 4 + ["b"] * 4 + ["c"] * 2
    # a: 3 in t1, 1 outlier. b: 2 in t2, 1 in t1, 1 in t3. c: both outliers (NaN and "" too).
    theme_ids = ["t1", "t1", "t1", None, "t2", "t2", "t1", "t3", float("nan"), ""]
    table = by_label(truth, theme_ids, {"t1": "csv export", "t2": "sso login", "t3": "refunds"})
    assert list(table.columns) == BY_LABEL_COLUMNS
    rows = table.set_index("label")
    assert rows.loc["a", ["items", "theme_id", "theme_label", "n_themes"]].tolist() == [4, "t1", "csv export", 1]
    assert rows.loc["a", "purity"] == pytest.approx(0.75) and rows.loc["a", "outlier_share"] == pytest.approx(0.25)
    assert rows.loc["b", ["theme_id", "theme_label", "n_themes"]].tolist() == ["t2", "sso login", 3]
    assert rows.loc["b", "purity"] == pytest.approx(0.5) and rows.loc["b", "outlier_share"] == 0.0
    # Outliers are no theme: a label with nothing placed has no main theme and purity 0.
    assert rows.loc["c", "theme_label"] == "(outlier)" and pd.isna(rows.loc["c", "theme_id"])
    assert (rows.loc["c", "purity"], rows.loc["c", "n_themes"], rows.loc["c", "outlier_share"]) == (0.0, 0, 1.0)
    assert table["label"].tolist() == ["c", "b", "a"]  # the worst first


def test_by_label_settles_a_tie_by_theme_id_and_checks_lengths():
    table = by_label(["a", "a"], ["t2", "t1"], {"t1": "one", "t2": "two"})
    assert table.loc[0, ["theme_id", "purity", "n_themes"]].tolist() == ["t1", 0.5, 2]
    with pytest.raises(ValueError, match="3 labels but 2 theme ids"):
        by_label(["a", "a", "b"], ["t1", "t1"], {})


def test_label_names_are_words_only_when_they_have_letters():
    assert label_name("lost_or_stolen-phone") == "lost or stolen phone"
    assert names_are_words(["card_arrival", "sso"])
    assert not names_are_words(["3", "17"]) and not names_are_words(["card_arrival", "42"])


def test_label_figures_on_clear_topics(model):
    texts, truth = zip(*ROWS)
    report = evaluate_themes(texts, truth, model)
    assert isinstance(report["label_similarity"], float) and -1.0 <= report["label_similarity"] <= 1.0
    assert report["label_unique_share"] == pytest.approx(len(set(report["theme_labels"].values())) / 3)
    grammar = report["label_grammar_share"]
    assert grammar is None or 0.0 <= grammar <= 1.0
    assert len(report["item_theme_ids"]) == len(report["item_similarities"]) == 15
    assert set(report["item_theme_ids"]) == set(report["theme_labels"])  # no outliers on these topics
    assert "label_similarity" in format_report(report)


def test_label_similarity_is_none_without_a_model_or_for_numeric_labels(model):
    texts, truth = zip(*ROWS)
    embeddings = evaluate_embeddings(texts, model)
    assert evaluate_themes(texts, truth, None, embeddings=embeddings)["label_similarity"] is None
    codes = {"export": "1", "sso": "2", "billing": "3"}
    numeric = evaluate_themes(texts, [codes[t] for t in truth], model, embeddings=embeddings)
    assert numeric["label_similarity"] is None and numeric["label_unique_share"] is not None


def evaluate_embeddings(texts, model):
    from insights.themes.embed import embed_texts

    return embed_texts(list(texts), model)


def test_evaluate_command_writes_assignments_and_prints_a_row_per_label(tmp_path, capsys):
    path, out = tmp_path / "labelled.csv", tmp_path / "assignments.csv"
    frame = pd.DataFrame(ROWS + [("a text nobody labelled", "")], columns=["comment", "topic"])
    frame.to_csv(path, index=False)
    args = ["evaluate", "--input", str(path), "--text-column", "comment", "--label-column", "topic"]
    assert main([*args, "--by-label", "--assignments", str(out)]) == 0
    printed = capsys.readouterr().out
    table = printed.split("\n\n")[-1].strip().splitlines()
    assert table[0].split() == BY_LABEL_COLUMNS
    assert sorted(line.split()[0] for line in table[1:]) == ["billing", "export", "sso"]

    written = pd.read_csv(out, dtype={"theme_id": str})
    assert list(written.columns) == ASSIGNMENT_FILE_COLUMNS
    assert written["text"].tolist() == [text for text, _ in ROWS]  # labelled rows only, input order
    assert written["true_label"].tolist() == [topic for _, topic in ROWS]
    assert written["theme_id"].str.startswith("thm_").all() and written["theme_label"].notna().all()
    assert written["similarity"].between(-1, 1).all()
    # One theme per topic here, so the file pairs each topic with exactly one theme.
    assert (written.groupby("true_label")["theme_id"].nunique() == 1).all()
    assert not list(tmp_path.glob(".assignments.csv.*"))  # no temporary file left behind


def test_evaluate_command_json_with_by_label_is_one_valid_object(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    pd.DataFrame(ROWS, columns=["comment", "topic"]).to_csv(path, index=False)
    args = ["evaluate", "--input", str(path), "--text-column", "comment", "--label-column", "topic"]
    assert main([*args, "--by-label", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {row["label"] for row in report["by_label"]} == {"billing", "export", "sso"}
    assert set(BY_LABEL_COLUMNS) <= report["by_label"][0].keys()


@pytest.fixture(scope="module")
def model():
    from insights.themes.embed import load_model

    return load_model()
