"""A fictional B2B analytics vendor's tool exports, written as the landing folders expect them.

`generate` writes `landing/<tool>/...` in the shapes ARCHITECTURE.md fixes, plus
`answers/feedback_themes.csv`: the theme planted in every feedback item, for evaluating the
theme step, and `answers/roadmap_items.csv` / `answers/theme_features.csv`: the theme each
roadmap item answers and the catalog feature each theme is about, for evaluating the theme
links, and `answers/planted_effects.csv`: the usage effect planted for one theme, for checking
the theme_impact mart (the pipeline never reads them). The same seed, scale and end date give
byte-identical files: every random draw comes from streams derived from the seed, and
nothing reads the clock.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from insights.sample.bank import NOISE, THEMES
from insights.sample.bank.features import FEATURE_OF_THEME, catalog_csv
from insights.sample.bank.roadmap import ROADMAP
from insights.sample.company import Company, build_company
from insights.sample.exports import JIRA_HEADER, MOOD_STARS, Exporter, releases
from insights.sample.feedback import SOURCES, plan_feedback
from insights.sample.usage import event_lines, first_reports, planted_effect_rows, planted_shocks

WINDOW_DAYS = 90
THEME_MOODS = {theme.slug: theme.mood for theme in THEMES}

HEADERS = {
    "accounts": ("Account ID", "Account Name", "Plan", "ARR", "Segment", "Region", "Account Owner", "Created Date"),
    "users": ("User ID", "Account ID", "Email", "Full Name", "Role", "Created At"),
    # The survey tool appends respondent properties after its fixed columns; Plan is one.
    "surveys": ("Response ID", "Created At", "Email", "Score", "Comment", "Account ID", "Survey", "Plan"),
    "app_store": ("Review ID", "Date", "Rating", "Title", "Review", "Version", "Territory", "Nickname"),
    "canny": (
        "ID",
        "Title",
        "Details",
        "Status",
        "Score",
        "Author Name",
        "Author Email",
        "Company ID",
        "Board",
        "Created At",
    ),
    "jira": JIRA_HEADER,
    # Keyed as the landing files are (source and the source's own record ID): the feedback_id
    # built from them belongs to dbt (macro feedback_id), so a change there cannot orphan this.
    "answers": ("source", "source_record_id", "theme"),
    "intent_answers": ("source", "source_record_id", "intent", "planted_sentiment"),
    "roadmap_answers": ("issue_key", "theme"),
    "feature_answers": ("theme", "feature"),
    "effect_answers": ("theme", "effect", "size"),
}
FILES = {
    "accounts": "accounts/accounts.csv",
    "users": "users/users.csv",
    "zendesk": "zendesk/tickets.json",
    "surveys": "surveys/nps_responses.csv",
    "app_store": "app_store/reviews.csv",
    "canny": "canny/posts.csv",
    "jira": "jira/issues.csv",
    "catalog": "catalog/features.csv",
}
COUNT_NAMES = {
    "zendesk": "zendesk tickets",
    "surveys": "nps responses",
    "app_store": "app store reviews",
    "canny": "canny posts",
}


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _account_rows(company: Company):
    for a in company.accounts:
        yield [a.id, a.name, a.plan, f"{a.arr:.2f}", a.segment, a.region, a.owner, a.created.date().isoformat()]


def _user_rows(company: Company):
    for u in company.users:
        yield [u.id, company.accounts[u.account].id, u.email, u.full_name, u.role, u.created.isoformat()]


def _streams(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator, random.Random]:
    # Independent streams per part, so that e.g. more events never reshuffle the feedback.
    company, usage, feedback, text = np.random.SeedSequence(seed).spawn(4)
    text_seed = int(text.generate_state(1)[0])
    return (
        np.random.default_rng(company),
        np.random.default_rng(usage),
        np.random.default_rng(feedback),
        random.Random(text_seed),
    )


def _planted_intents(exporter: Exporter, exported: dict) -> dict[str, list[str]]:
    """Each source's planted intents, in record order: the composer logs one per text it writes,
    and the sources were written in the order of SOURCES."""
    logged = iter(exporter.composer.intents)
    intents = {source: [next(logged) for _ in exported[source].ids] for source in SOURCES}
    if next(logged, None) is not None:
        raise RuntimeError("the composer wrote more feedback texts than were exported")
    return intents


def planted_sentiment(theme_slug: str) -> float:
    """How an item on this theme feels, in [-1, 1]: the mean star rating its mood is drawn
    around (`MOOD_STARS`), mapped from 1-5. The same for every item of a theme."""
    mood = NOISE if theme_slug == NOISE else THEME_MOODS[theme_slug]
    return (MOOD_STARS[mood] - 3.0) / 2.0


def _effect_rng(seed: int) -> np.random.Generator:
    # A fifth stream beside _streams' four (the same children of the seed), so that the
    # planted effect's draws move nothing else.
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(4,)))


def generate(out_dir: Path, seed: int = 7, scale: float = 1.0, end_date: date = date(2026, 11, 27)) -> dict[str, int]:
    """Write the sample company's exports under `out_dir`; return how many records of each kind.

    Scale 1.0 is ~300 accounts, ~3,000 users, ~5,000 feedback items and ~200k events over
    the 90 days ending on `end_date`. Files with the names written here are overwritten;
    nothing else in `out_dir` is touched.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out_dir = Path(out_dir)
    landing = out_dir / "landing"
    start_date = end_date - timedelta(days=WINDOW_DAYS - 1)
    start = datetime(start_date.year, start_date.month, start_date.day)
    export_end = start + timedelta(days=WINDOW_DAYS) - timedelta(seconds=1)
    company_rng, usage_rng, feedback_rng, text_rng = _streams(seed)

    company = build_company(company_rng, scale, export_end, WINDOW_DAYS)
    _write_csv(landing / FILES["accounts"], HEADERS["accounts"], _account_rows(company))
    _write_csv(landing / FILES["users"], HEADERS["users"], _user_rows(company))
    # The company's own feature catalog, kept with its exports as a team keeps theirs.
    (landing / FILES["catalog"]).parent.mkdir(parents=True, exist_ok=True)
    (landing / FILES["catalog"]).write_text(catalog_csv(), encoding="utf-8")
    counts = {"accounts": len(company.accounts), "users": len(company.users)}

    # Feedback is planned before the events, because the planted usage effect follows it.
    planned = plan_feedback(feedback_rng, company, THEMES, start, WINDOW_DAYS, scale)
    shocks = planted_shocks(_effect_rng(seed), first_reports(planned, start), WINDOW_DAYS)
    segment = landing / "segment"
    segment.mkdir(parents=True, exist_ok=True)
    events = files = 0
    for day, lines in event_lines(usage_rng, company, start_date, WINDOW_DAYS, shocks):
        (segment / f"events-{day.isoformat()}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        events += len(lines)
        files += 1
    counts |= {"events": events, "event files": files}

    exporter = Exporter(text_rng, company, THEMES, export_end)
    by_source = {source: [p for p in planned if p.source == source] for source in SOURCES}
    exported = {
        "zendesk": exporter.zendesk(by_source["zendesk"]),
        "surveys": exporter.surveys(by_source["surveys"]),
        "app_store": exporter.app_store(by_source["app_store"], releases(start, WINDOW_DAYS)),
        "canny": exporter.canny(by_source["canny"]),
    }
    intents = _planted_intents(exporter, exported)
    tickets = exported["zendesk"].records
    document = {
        "tickets": tickets,
        "count": len(tickets),
        "end_time": int((export_end - datetime(1970, 1, 1)).total_seconds()),
    }
    path = landing / FILES["zendesk"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for source in ("surveys", "app_store", "canny"):
        _write_csv(landing / FILES[source], HEADERS[source], exported[source].records)
    for source in SOURCES:
        counts[COUNT_NAMES[source]] = len(exported[source].ids)

    roadmap = exporter.jira()
    _write_csv(landing / FILES["jira"], HEADERS["jira"], roadmap.records)
    counts["jira issues"] = len(roadmap.ids)

    answers = [
        (source, record_id, item.theme)
        for source in SOURCES
        for record_id, item in zip(exported[source].ids, by_source[source])
    ]
    _write_csv(out_dir / "answers" / "feedback_themes.csv", HEADERS["answers"], answers)
    theme_of_summary = {summary: theme for summary, _labels, theme in ROADMAP}
    _write_csv(
        out_dir / "answers" / "roadmap_items.csv",
        HEADERS["roadmap_answers"],
        [(row[0], theme_of_summary[row[1]] or "") for row in roadmap.records],
    )
    _write_csv(
        out_dir / "answers" / "theme_features.csv",
        HEADERS["feature_answers"],
        [(theme.slug, FEATURE_OF_THEME[theme.slug] or "") for theme in THEMES],
    )
    _write_csv(
        out_dir / "answers" / "feedback_intents.csv",
        HEADERS["intent_answers"],
        [
            (source, record_id, intent, f"{planted_sentiment(item.theme):.2f}")
            for source in SOURCES
            for record_id, item, intent in zip(exported[source].ids, by_source[source], intents[source])
        ],
    )
    _write_csv(out_dir / "answers" / "planted_effects.csv", HEADERS["effect_answers"], planted_effect_rows())
    counts["feedback items"] = len(answers)
    return counts
