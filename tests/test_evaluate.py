"""Scoring the theme step against known labels, and the `insights evaluate` command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from insights.cli import main
from insights.evaluate import METRIC_KEYS, evaluate_themes, score

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
    assert {"n_items", "n_labels", *METRIC_KEYS} <= report.keys()
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


@pytest.fixture(scope="module")
def model():
    from insights.themes.embed import load_model

    return load_model()
