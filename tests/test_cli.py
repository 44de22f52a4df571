from insights.cli import main


def test_sample_data_command_writes_landing_and_answers(tmp_path, capsys):
    assert main(["sample-data", "--out", str(tmp_path), "--scale", "0.05", "--seed", "3"]) == 0
    assert (tmp_path / "landing" / "zendesk" / "tickets.json").exists()
    assert (tmp_path / "answers" / "feedback_themes.csv").exists()
    assert "feedback items" in capsys.readouterr().out


def test_summary_without_a_warehouse_says_so_and_fails(tmp_path, capsys):
    assert main(["summary", "--data-dir", str(tmp_path)]) == 1
    assert "run the pipeline first" in capsys.readouterr().err
