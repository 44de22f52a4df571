"""Planned feedback as each tool exports it: IDs, scores, statuses and the tool's own fields."""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from insights.sample.bank import NOISE, Theme, people
from insights.sample.bank.roadmap import ITEMS, STATUS_CATEGORY, Item
from insights.sample.company import Company
from insights.sample.compose import Author, Composer
from insights.sample.feedback import LATE_THEME_DAYS, Planned

# Mean NPS score and star rating by what the item is about: bugs hurt, wishes barely.
MOOD_NPS = {"bug": 3.6, "gripe": 5.2, "wish": 7.4, NOISE: 8.4}
MOOD_STARS = {"bug": 1.6, "gripe": 2.4, "wish": 3.6, NOISE: 4.3}
PRIORITIES = ("low", "normal", "high", "urgent")
MOOD_PRIORITY = {"bug": (0.1, 0.5, 0.3, 0.1), "gripe": (0.25, 0.6, 0.12, 0.03), "wish": (0.5, 0.45, 0.05, 0.0)}
MOOD_BAD_RATING = {"bug": 0.45, "gripe": 0.35, "wish": 0.15, NOISE: 0.05}
CHANNELS = (("web", 0.45), ("email", 0.40), ("chat", 0.10), ("api", 0.05))
CANNY_STATUSES = (
    ("open", 0.70),
    ("under review", 0.12),
    ("planned", 0.08),
    ("in progress", 0.04),
    ("complete", 0.03),
    ("closed", 0.03),
)
SURVEYS = (("In-app NPS", 0.7), ("Quarterly email NPS", 0.3))
# A Jira Cloud issues export's columns (Jira names the epic link "Parent" since 2023).
JIRA_HEADER = (
    "Issue key",
    "Summary",
    "Status",
    "Story Points",
    "Labels",
    "Created",
    "Resolved",
    "Issue Type",
    "Status Category",
    "Parent",
    "Component/s",
)


@dataclass(frozen=True)
class Exported:
    """One tool's export: its records (a ticket dict or a CSV row) and the IDs in the same order."""

    records: list
    ids: list[str]


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _iso(at: datetime, suffix: str = "") -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S") + suffix


class Exporter:
    def __init__(self, rng: random.Random, company: Company, themes: Sequence[Theme], export_end: datetime):
        self.rng = rng
        self.company = company
        self.themes = {t.slug: t for t in themes}
        self.end = export_end
        self.composer = Composer(rng, themes)

    def _mood(self, item: Planned) -> str:
        return NOISE if item.theme == NOISE else self.themes[item.theme].mood

    def _author(self, item: Planned) -> Author | None:
        if item.user is None:
            return None
        user = self.company.users[item.user]
        account = self.company.accounts[user.account]
        return Author(first=user.first, email=user.email, plan=account.plan, domain=account.domain)

    def zendesk(self, items: list[Planned]) -> Exported:
        r = self.rng
        next_id = 31_000 + r.randrange(500)
        tickets, ids = [], []
        for item in items:
            next_id += 1 + (r.randrange(4) if r.random() < 0.2 else 0)  # deleted spam leaves gaps
            mood = self._mood(item)
            account = self.company.accounts[item.account]
            subject, description = self.composer.ticket(item, self._author(item))
            age_days = (self.end - item.at).total_seconds() / 86_400
            if r.random() < min(0.92, 0.2 + age_days / 20):
                status = "closed" if age_days > 14 and r.random() < 0.6 else "solved"
            else:
                status = r.choice(("new", "open", "open", "pending", "hold"))
            updated = min(item.at + timedelta(hours=r.expovariate(1 / 30)), self.end)
            priority_index = PRIORITIES.index(r.choices(PRIORITIES, MOOD_PRIORITY.get(mood, (0.5, 0.5, 0, 0)))[0])
            if account.plan == "enterprise" and r.random() < 0.3:
                priority_index = min(priority_index + 1, 3)
            if status in ("solved", "closed") and r.random() < 0.6:
                rating = "bad" if r.random() < MOOD_BAD_RATING[mood] else "good"
            else:
                rating = "offered" if status in ("solved", "closed") else "unoffered"
            theme_tags = [] if mood == NOISE else [t for t in self.themes[item.theme].tags if r.random() < 0.7]
            tickets.append(
                {
                    "id": next_id,
                    "created_at": _iso(item.at, "Z"),
                    "updated_at": _iso(updated, "Z"),
                    "subject": subject,
                    "description": description,
                    "status": status,
                    "priority": PRIORITIES[priority_index],
                    "requester_id": self.company.users[item.user].id,
                    "organization_id": account.id,
                    "tags": theme_tags + [f"plan_{account.plan}"],
                    "via": {"channel": _weighted(r, CHANNELS)},
                    "satisfaction_rating": {"score": rating},
                }
            )
            ids.append(str(next_id))
        return Exported(tickets, ids)

    def surveys(self, items: list[Planned]) -> Exported:
        r = self.rng
        rows, ids, taken = [], [], set()
        for item in items:
            user = self.company.users[item.user]
            account = self.company.accounts[user.account]
            mean = MOOD_NPS[self._mood(item)] - (1.2 if account.declining else 0.0)
            score = int(np.clip(round(r.gauss(mean, 1.9)), 0, 10))
            comment = self.composer.nps(item, self._author(item), score)
            response_id = ""
            while not response_id or response_id in taken:
                response_id = "R_" + "".join(r.choices(string.ascii_letters + string.digits, k=15))
            taken.add(response_id)
            rows.append(
                [
                    response_id,
                    item.at.strftime("%Y-%m-%d %H:%M:%S"),
                    user.email,
                    score,
                    comment,
                    account.id,
                    _weighted(r, SURVEYS),
                    account.plan,
                ]
            )
            ids.append(response_id)
        return Exported(rows, ids)

    def app_store(self, items: list[Planned], releases: Sequence[tuple[datetime, str]]) -> Exported:
        r = self.rng
        ids = sorted(r.sample(range(10_000_000_000, 19_999_999_999), len(items)))
        territories = list(people.TERRITORIES)
        foreign = [t for t in territories if t not in people.ENGLISH_TERRITORIES]
        rows = []
        for item, review_id in zip(items, ids):
            rating = int(np.clip(round(r.gauss(MOOD_STARS[self._mood(item)], 0.8)), 1, 5))
            title, body = self.composer.review(item, rating)
            shipped = [version for released, version in releases if released <= item.at]
            late = item.theme != NOISE and self.themes[item.theme].trend == "late"
            # Most reviewers run the newest build; a regression is only ever seen on it.
            version = shipped[-1] if late or len(shipped) < 2 or r.random() < 0.8 else shipped[-2]
            if item.theme == "localization":
                territory = r.choice(foreign)
            else:
                territory = r.choices(territories, weights=list(people.TERRITORIES.values()))[0]
            nickname = f"{r.choice(people.NICKNAME_WORDS)}{r.choice(people.NICKNAME_WORDS)}{r.randint(1, 999)}"
            local = item.at - timedelta(hours=8)
            rows.append([str(review_id), _iso(local, "-08:00"), rating, title, body, version, territory, nickname])
        return Exported(rows, [str(i) for i in ids])

    def canny(self, items: list[Planned]) -> Exported:
        r = self.rng
        rows, ids, taken = [], [], set()
        epoch = datetime(1970, 1, 1)
        for item in items:
            user = self.company.users[item.user]
            account = self.company.accounts[user.account]
            title, details = self.composer.canny(item, self._author(item))
            # Canny IDs are MongoDB ObjectIds: creation time in seconds, then random bytes.
            post_id = ""
            while not post_id or post_id in taken:
                post_id = f"{int((item.at - epoch).total_seconds()):08x}{r.getrandbits(64):016x}"
            taken.add(post_id)
            age_days = (self.end - item.at).days
            popularity = 1.0 if item.theme == NOISE else self.themes[item.theme].volume
            votes = 1 + int(r.lognormvariate(0.6, 1.2) * popularity * (1 + age_days / 45))
            board = "Feature Requests" if item.theme == NOISE else self.themes[item.theme].board
            rows.append(
                [
                    post_id,
                    title,
                    details,
                    _weighted(r, CANNY_STATUSES),
                    votes,
                    user.full_name,
                    user.email,
                    account.id,
                    board,
                    _iso(item.at) + ".000Z",
                ]
            )
            ids.append(post_id)
        return Exported(rows, ids)

    def jira(self) -> Exported:
        """The roadmap as a Jira issues CSV (columns JIRA_HEADER): each epic's stories follow it
        with the next keys, gaps between keys as other projects and deleted drafts leave them."""
        r = self.rng
        order = list(ITEMS)
        r.shuffle(order)
        rows, ids, key = [], [], 8
        for item in order:
            key += r.randint(1, 9)
            epic_key = f"ROAD-{key}"
            resolved = None
            if item.resolved_days_ago is not None:
                resolved = self.end - timedelta(days=item.resolved_days_ago, hours=r.uniform(4, 14))
            # Opened well before it shipped (or at any time in the last ten months while open).
            before = (item.resolved_days_ago or 0) + r.uniform(20, 120)
            opened = (self.end - timedelta(days=min(before, 300), minutes=r.randrange(600))).replace(microsecond=0)
            rows.append(_jira_row(epic_key, item.summary, item.status, item.points, item, opened, resolved, ""))
            ids.append(epic_key)
            for i, story in enumerate(item.stories):
                key += r.randint(1, 3)
                status, story_resolved = _story_status(item.status, i, resolved, opened, self.end, r)
                story_opened = opened + timedelta(days=r.uniform(1, 10))
                rows.append(
                    _jira_row(
                        f"ROAD-{key}",
                        story.summary,
                        status,
                        story.points,
                        item,
                        story_opened,
                        story_resolved,
                        epic_key,
                        issue_type=story.issue_type,
                    )
                )
                ids.append(f"ROAD-{key}")
        return Exported(rows, ids)


def _story_status(epic_status: str, index: int, epic_resolved, opened, end, r: random.Random):
    """A story's status under its epic: all done under a done epic (resolved before it), the
    first done under an epic in progress, none under one still to do."""
    if STATUS_CATEGORY[epic_status] == "Done":
        return "Done", epic_resolved - timedelta(days=r.uniform(1, 10))
    if STATUS_CATEGORY[epic_status] == "In Progress":
        if index == 0:
            return "Done", min(opened + timedelta(days=r.uniform(15, 40)), end - timedelta(hours=r.uniform(4, 30)))
        return ("In Progress" if index == 1 else "To Do"), None
    return "To Do", None


def _jira_row(key, summary, status, points, item: Item, opened, resolved, parent, issue_type=None) -> list:
    return [
        key,
        summary,
        status,
        "" if points is None else points,
        item.labels,
        _iso(opened),
        "" if resolved is None else _iso(resolved.replace(microsecond=0)),
        issue_type or item.issue_type,
        STATUS_CATEGORY[status],
        parent,
        item.component,
    ]


def releases(start: datetime, days: int) -> list[tuple[datetime, str]]:
    """App versions by release time; 5.0.0 ships the day the late regression themes start."""
    late = days - LATE_THEME_DAYS
    schedule = (
        (-20, "4.8.2"),
        (9, "4.9.0"),
        (23, "4.9.1"),
        (38, "4.10.0"),
        (55, "4.10.2"),
        (late, "5.0.0"),
        (late + 9, "5.0.1"),
    )
    return [(start + timedelta(days=d), version) for d, version in schedule]
