"""The sample company: reproducible, shaped as the landing contracts say, and with planted
themes that are worth recovering (many wordings, trends, personal data to redact)."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from insights.sample.bank import NOISE, THEMES
from insights.sample.generator import generate
from insights.sample.usage import FEATURES, ONBOARDING
from insights.sources.catalog import SOURCES
from insights.sources.validate import validate
from insights.text.pii import redact

END = date(2026, 11, 27)
THEME_BY_SLUG = {t.slug: t for t in THEMES}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _utc(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _feedback(root: Path) -> dict[tuple[str, str], dict]:
    """Every feedback record of the landing folder by (source, record ID): its time, text and score."""
    landing = root / "landing"
    items = {}
    for t in json.loads((landing / "zendesk/tickets.json").read_text())["tickets"]:
        items["zendesk", str(t["id"])] = {"at": _utc(t["created_at"]), "text": f"{t['subject']}\n{t['description']}"}
    for r in _csv(landing / "surveys/nps_responses.csv"):
        items["surveys", r["Response ID"]] = {
            "at": _utc(r["Created At"]),
            "text": r["Comment"],
            "score": int(r["Score"]),
        }
    for r in _csv(landing / "app_store/reviews.csv"):
        items["app_store", r["Review ID"]] = {
            "at": _utc(r["Date"]),
            "text": f"{r['Title']}\n{r['Review']}",
            "score": int(r["Rating"]),
        }
    for r in _csv(landing / "canny/posts.csv"):
        items["canny", r["ID"]] = {"at": _utc(r["Created At"]), "text": f"{r['Title']}\n{r['Details']}"}
    return items


def _key(answer: dict[str, str]) -> tuple[str, str]:
    return answer["source"], answer["source_record_id"]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    counts = generate(root, seed=7, scale=0.1, end_date=END)
    answers = _csv(root / "answers/feedback_themes.csv")
    return {"root": root, "counts": counts, "answers": answers, "feedback": _feedback(root)}


def test_same_seed_writes_identical_bytes_and_another_seed_does_not(tmp_path):
    first = generate(tmp_path / "a", seed=11, scale=0.05)
    second = generate(tmp_path / "b", seed=11, scale=0.05)
    other = generate(tmp_path / "c", seed=12, scale=0.05)
    assert first == second
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    differing = [name for name, data in _tree(tmp_path / "c").items() if _tree(tmp_path / "a").get(name) != data]
    assert other["feedback items"] == first["feedback items"]
    assert "landing/zendesk/tickets.json" in differing and "answers/feedback_themes.csv" in differing


def test_counts_follow_the_scale(company, tmp_path):
    counts = company["counts"]
    assert counts["accounts"] == 30
    assert 250 <= counts["users"] <= 350
    assert counts["feedback items"] == 500
    # Support tickets 40%, NPS 25%, reviews 15%, feature requests 20%.
    assert (counts["zendesk tickets"], counts["nps responses"], counts["app store reviews"], counts["canny posts"]) == (
        200,
        125,
        75,
        100,
    )
    assert 10_000 <= counts["events"] <= 35_000
    full = generate(tmp_path, seed=7, scale=1.0)
    assert full["accounts"] == 300 and 2_700 <= full["users"] <= 3_300 and full["feedback items"] == 5_000
    assert 150_000 <= full["events"] <= 300_000
    assert full["event files"] == 90


def test_answer_key_and_landing_records_match_one_to_one(company):
    keys = [_key(row) for row in company["answers"]]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(company["feedback"])
    for row in company["answers"]:
        assert row["theme"] in THEME_BY_SLUG or row["theme"] == NOISE


def test_landing_files_have_the_contracted_columns(company):
    landing = company["root"] / "landing"
    headers = {
        "accounts/accounts.csv": "Account ID,Account Name,Plan,ARR,Segment,Region,Account Owner,Created Date",
        "users/users.csv": "User ID,Account ID,Email,Full Name,Role,Created At",
        "surveys/nps_responses.csv": "Response ID,Created At,Email,Score,Comment,Account ID,Survey",
        "app_store/reviews.csv": "Review ID,Date,Rating,Title,Review,Version,Territory,Nickname",
        "canny/posts.csv": "ID,Title,Details,Status,Score,Author Name,Author Email,Company ID,Board,Created At",
        "jira/issues.csv": "Issue key,Summary,Status,Story Points,Labels,Created,Resolved",
    }
    for name, header in headers.items():
        with (landing / name).open(newline="", encoding="utf-8") as f:
            assert next(csv.reader(f))[: len(header.split(","))] == header.split(","), name
    document = json.loads((landing / "zendesk/tickets.json").read_text())
    assert set(document) >= {"tickets", "count", "end_time"} and document["count"] == len(document["tickets"])
    ticket_keys = {
        "id",
        "created_at",
        "updated_at",
        "subject",
        "description",
        "status",
        "priority",
        "requester_id",
        "organization_id",
        "tags",
        "via",
        "satisfaction_rating",
    }
    assert all(
        set(t) == ticket_keys and "channel" in t["via"] and "score" in t["satisfaction_rating"]
        for t in document["tickets"]
    )
    day_files = sorted(p.name for p in (landing / "segment").glob("*.jsonl"))
    assert day_files[-1] == f"events-{END.isoformat()}.jsonl"
    assert day_files[0] >= f"events-{(END - timedelta(days=89)).isoformat()}.jsonl"
    first = json.loads((landing / "segment" / day_files[-1]).read_text().splitlines()[0])
    assert first["type"] == "track" and {"messageId", "event", "userId", "anonymousId", "timestamp"} <= set(first)
    assert "feature" in first["properties"] and first["context"]["groupId"].startswith("acc_")


# Export formats the sample company does not write; tests/fixtures/exports has one of each.
NOT_IN_SAMPLE = {"intercom", "google_play", "amplitude"}


def test_project_readers_load_every_record_without_quarantine(company):
    landing = company["root"] / "landing"
    for spec in SOURCES:
        if spec.folder in NOT_IN_SAMPLE:
            assert not spec.files(landing), spec.folder
            continue
        loaded = 0
        for path in spec.files(landing):
            rows, rejected = validate(spec, path.name, spec.reader(path))
            assert rejected == [], (spec.name, rejected[:3])
            loaded += len(rows)
        assert loaded > 0, spec.name


def test_events_belong_to_known_users_and_quieten_at_weekends(company):
    landing = company["root"] / "landing"
    account_of = {u["User ID"]: u["Account ID"] for u in _csv(landing / "users/users.csv")}
    ids, by_weekday = set(), Counter()
    for path in (landing / "segment").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            ids.add(event["messageId"])
            assert event["timestamp"].startswith(path.stem.removeprefix("events-"))
            if event["userId"] is not None:
                assert account_of[event["userId"]] == event["context"]["groupId"]
            by_weekday[_utc(event["timestamp"]).weekday()] += 1
    assert len(ids) == company["counts"]["events"]
    assert by_weekday[6] < 0.4 * by_weekday[2]


def test_feedback_names_real_users_of_its_account(company):
    landing = company["root"] / "landing"
    users = {u["User ID"]: u for u in _csv(landing / "users/users.csv")}
    by_email = {u["Email"]: u for u in users.values()}
    for t in json.loads((landing / "zendesk/tickets.json").read_text())["tickets"]:
        user = users[t["requester_id"]]
        assert user["Account ID"] == t["organization_id"]
        assert _utc(user["Created At"]) <= _utc(t["created_at"])
    for r in _csv(landing / "surveys/nps_responses.csv"):
        assert by_email[r["Email"]]["Account ID"] == r["Account ID"]
    for r in _csv(landing / "canny/posts.csv"):
        assert by_email[r["Author Email"]]["Account ID"] == r["Company ID"]
        assert by_email[r["Author Email"]]["Full Name"] == r["Author Name"]


def test_phrase_bank_words_each_theme_many_different_ways():
    assert 20 <= len(THEMES) <= 30
    words = lambda s: set(re.findall(r"[a-z']+", s.lower()))  # noqa: E731
    for theme in THEMES:
        assert len(set(theme.problems)) >= 10, theme.slug
        assert len({p.split()[0] for p in theme.problems}) >= 6, theme.slug
        for a, b in itertools.combinations(theme.problems, 2):
            overlap = len(words(a) & words(b)) / len(words(a) | words(b))
            assert overlap < 0.5, (theme.slug, a, b)


def test_generated_texts_of_a_theme_are_mostly_distinct(company):
    texts: dict[str, list[str]] = {}
    for row in company["answers"]:
        if row["theme"] != NOISE:
            texts.setdefault(row["theme"], []).append(company["feedback"][_key(row)]["text"])
    assert set(texts) == set(THEME_BY_SLUG)
    for slug, items in texts.items():
        assert len(set(items)) / len(items) > 0.8, slug
        lowered = [t.lower() for t in items]
        used = {p for p in THEME_BY_SLUG[slug].problems if any(p.lower() in t for t in lowered)}
        # Typos hide some paraphrases from an exact match, so only a third of the items count.
        assert len(used) >= min(6, len(items) // 3), slug


def test_late_themes_appear_only_in_the_last_weeks_and_trends_differ(company):
    window_end = datetime(END.year, END.month, END.day) + timedelta(days=1)
    cutoff = window_end - timedelta(days=28)
    first_third_end, last_third_start = window_end - timedelta(days=60), window_end - timedelta(days=30)
    thirds: dict[str, Counter] = {}
    for row in company["answers"]:
        if row["theme"] == NOISE:
            continue
        at = company["feedback"][_key(row)]["at"]
        trend = THEME_BY_SLUG[row["theme"]].trend
        if trend == "late":
            assert at >= cutoff, row
        third = "early" if at < first_third_end else "late" if at >= last_third_start else "middle"
        thirds.setdefault(trend, Counter())[third] += 1
    assert thirds["late"]["late"] >= 15
    assert thirds["grow"]["late"] > thirds["grow"]["early"]
    assert thirds["fade"]["early"] > thirds["fade"]["late"]
    # The curves put 3x as many items in one end third as in the other; pooled, 2x leaves room for chance.
    with_trend = thirds["grow"]["late"] + thirds["fade"]["early"]
    against = thirds["grow"]["early"] + thirds["fade"]["late"]
    assert with_trend > 2 * against
    assert 0.6 < thirds["steady"]["late"] / thirds["steady"]["early"] < 1.6


def test_some_texts_carry_an_email_or_phone_the_redactor_finds(company):
    texts = [item["text"] for item in company["feedback"].values()]
    redacted = [redact(t) for t in texts]
    with_email = sum("<EMAIL>" in t for t in redacted)
    with_phone = sum("<PHONE>" in t for t in redacted)
    assert with_email > 0 and with_phone > 0
    assert 0.02 <= (with_email + with_phone) / len(texts) <= 0.08


def test_scores_are_in_range_and_follow_the_theme(company):
    scores = {"surveys": {"bug": [], "wish": []}, "app_store": {"bug": [], "wish": []}}
    blanks = 0
    for row in company["answers"]:
        item = company["feedback"][_key(row)]
        if row["source"] == "surveys":
            assert 0 <= item["score"] <= 10
            blanks += item["text"] == ""
        if row["source"] == "app_store":
            assert 1 <= item["score"] <= 5
        mood = THEME_BY_SLUG[row["theme"]].mood if row["theme"] != NOISE else NOISE
        if row["source"] in scores and mood in ("bug", "wish"):
            scores[row["source"]][mood].append(item["score"])
    assert blanks >= 1
    assert np.mean(scores["surveys"]["wish"]) - np.mean(scores["surveys"]["bug"]) >= 2
    assert np.mean(scores["app_store"]["wish"]) - np.mean(scores["app_store"]["bug"]) >= 1
    votes = [int(r["Score"]) for r in _csv(company["root"] / "landing/canny/posts.csv")]
    assert min(votes) >= 1 and max(votes) >= 5 * np.median(votes)


def test_bigger_accounts_raise_more_feedback(company):
    landing = company["root"] / "landing"
    seats = Counter(u["Account ID"] for u in _csv(landing / "users/users.csv"))
    raised = Counter(
        t["organization_id"] for t in json.loads((landing / "zendesk/tickets.json").read_text())["tickets"]
    )
    raised.update(r["Account ID"] for r in _csv(landing / "surveys/nps_responses.csv"))
    big = [a for a, n in seats.items() if n >= np.percentile(list(seats.values()), 75)]
    small = [a for a, n in seats.items() if n <= np.percentile(list(seats.values()), 25)]
    assert np.mean([raised[a] for a in big]) > 3 * np.mean([raised[a] for a in small])


def test_roadmap_items_look_like_a_jira_export(company):
    rows = _csv(company["root"] / "landing/jira/issues.csv")
    assert 40 <= len(rows) <= 60
    assert all(re.fullmatch(r"ROAD-\d+", r["Issue key"]) for r in rows)
    assert {r["Status Category"] for r in rows} == {"To Do", "In Progress", "Done"}
    # Workflow names beyond the categories' own, as real Jira projects have them.
    assert {"Released", "Closed"} <= {r["Status"] for r in rows}
    assert all((r["Resolved"] != "") == (r["Status Category"] == "Done") for r in rows)
    by_key = {r["Issue key"]: r for r in rows}
    for r in rows:
        # Epics carry no points; stories, tasks and bugs carry Fibonacci points up to 13 (or none yet).
        if r["Issue Type"] == "Epic":
            assert r["Story Points"] == "" and r["Parent"] == ""
        else:
            assert r["Story Points"] in {"", "1", "2", "3", "5", "8", "13"}
        if r["Parent"]:
            assert by_key[r["Parent"]]["Issue Type"] == "Epic"
    types = [r["Issue Type"] for r in rows]
    assert {"Epic", "Story", "Task"} <= set(types) and sum(1 for r in rows if r["Parent"]) >= 10
    assert any(r["Story Points"] == "" and r["Issue Type"] != "Epic" for r in rows)


def test_link_answers_cover_the_roadmap_and_name_only_catalog_features(company):
    # The company's own catalog, written with its exports: every feature its events carry and
    # every feature an answer names must be in it, or link scores would measure a typo.
    catalog = {row["feature"] for row in _csv(company["root"] / "landing/catalog/features.csv")}
    assert {f.key for f in FEATURES} | {ONBOARDING.key} <= catalog
    features = _csv(company["root"] / "answers/theme_features.csv")
    assert {row["theme"] for row in features} == set(THEME_BY_SLUG)
    assert {row["feature"] for row in features} - {""} <= catalog
    issues = _csv(company["root"] / "answers/roadmap_items.csv")
    jira = _csv(company["root"] / "landing/jira/issues.csv")
    assert [row["issue_key"] for row in issues] == [row["Issue key"] for row in jira]
    assert {row["theme"] for row in issues} - {""} <= set(THEME_BY_SLUG)
    assert sum(1 for row in issues if row["theme"]) >= 10
