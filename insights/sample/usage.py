"""Product usage as Segment track events: who used which feature, when.

Activity is drawn per user and day with numpy rather than event by event, which keeps a
quarter of a million events to a couple of seconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from insights.sample.company import Company
from insights.sample.feedback import Planned

# The planted usage effect (answers/planted_effects.csv): accounts that report this theme use
# the product less from their first report on, and some of them leave. A broken sync is the
# kind of bug that makes a customer stop relying on the product, unlike a wish or a gripe.
PLANTED_THEME = "salesforce_sync_broken"
PLANTED_ACTIVITY_DROP = 0.4  # daily chance of each user being active falls by this share
PLANTED_CHURN_SHARE = 0.25  # of the reporting accounts, these stop all use...
PLANTED_CHURN_DAYS = (7, 28)  # ...this many days (uniform, lower inclusive) after the report


@dataclass(frozen=True)
class Feature:
    key: str
    event: str
    weight: float  # share of everyday use
    plans: tuple[str, ...] = ("free", "starter", "pro", "enterprise")
    mobile: bool = False


PAID = ("starter", "pro", "enterprise")
UPPER = ("pro", "enterprise")
FEATURES = (
    Feature("dashboards", "Dashboard Viewed", 30),
    Feature("filters", "Filter Applied", 14),
    Feature("chart_editor", "Chart Edited", 7),
    Feature("report_builder", "Report Created", 6),
    Feature("search", "Search Performed", 6),
    Feature("csv_export", "Report Exported", 5),
    Feature("sharing", "Report Shared", 3),
    Feature("comments", "Comment Added", 3),
    Feature("pdf_export", "PDF Exported", 2.5, PAID),
    Feature("scheduled_reports", "Report Scheduled", 1.5, PAID),
    Feature("data_import", "Data Imported", 1.5),
    Feature("alerts", "Alert Created", 1.2, PAID),
    Feature("salesforce_sync", "Salesforce Sync Run", 1.2, UPPER),
    Feature("user_management", "User Invited", 0.8),
    Feature("data_sources", "Data Source Connected", 0.6),
    Feature("permissions", "Role Changed", 0.4, UPPER),
    Feature("notifications", "Notification Settings Updated", 0.4),
    Feature("api", "API Key Created", 0.3, UPPER),
    Feature("billing", "Invoice Downloaded", 0.2, PAID),
    Feature("sso_login", "Signed In With SSO", 4, ("enterprise",)),
    Feature("mobile_app", "Mobile Dashboard Viewed", 4, mobile=True),
)
ONBOARDING = Feature("onboarding", "Onboarding Step Completed", 0)
SHARED_VIEW = "Shared Report Viewed"

WEEKDAY_ACTIVITY = (1.0, 1.0, 1.0, 0.97, 0.85, 0.2, 0.15)
DORMANT_SHARE = 0.12
TOURIST_SHARE = 0.45  # users who sign up inside the window and drift away, for retention curves
MOBILE_USER_SHARE = 0.3
SHARED_LINK_OPENED = 0.05  # share of shares whose link someone outside the account opens
WEB_LIBRARY = {"name": "analytics.js", "version": "4.4.1"}
MOBILE_LIBRARY = {"name": "analytics-ios", "version": "4.1.8"}


def _uuids(rng: np.random.Generator, count: int) -> list[str]:
    halves = rng.integers(0, 2**63, size=(count, 2), dtype=np.int64)
    out = []
    for a, b in halves.tolist():
        h = f"{a:016x}{b:016x}"
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}")
    return out


@dataclass(frozen=True)
class Shock:
    """A planted change in one account's usage: less from `day` (an index into the window) on,
    nothing from `churn_day` on when it churns."""

    account: int  # index into Company.accounts
    day: int
    churn_day: int | None


def first_reports(planned: Iterable[Planned], start: datetime) -> dict[int, int]:
    """Day index of each account's first feedback item on the planted theme (its main theme)."""
    first: dict[int, int] = {}
    for item in planned:
        if item.theme == PLANTED_THEME and item.account is not None:
            day = (item.at - start).days
            first[item.account] = min(day, first.get(item.account, day))
    return first


def planted_effect_rows() -> list[tuple[str, str, float]]:
    """answers/planted_effects.csv: (theme, effect, size) for the theme_impact mart's check."""
    return [
        (PLANTED_THEME, "activity_drop", PLANTED_ACTIVITY_DROP),
        (PLANTED_THEME, "churn_share", PLANTED_CHURN_SHARE),
    ]


def planted_shocks(rng: np.random.Generator, first_reports: dict[int, int], days: int) -> list[Shock]:
    """The planted theme's effect on each account that reported it, from the day index of its
    first report; accounts in index order so that the draws do not depend on dict order."""
    shocks = []
    for account in sorted(first_reports):
        day = first_reports[account]
        churns = rng.random() < PLANTED_CHURN_SHARE
        after = int(rng.integers(*PLANTED_CHURN_DAYS))
        churn_day = day + after if churns and day + after < days else None
        shocks.append(Shock(account, day, churn_day))
    return shocks


def _shock_factor(shocks: list[Shock], n_accounts: int, days: int) -> np.ndarray:
    factor = np.ones((n_accounts, days))
    for shock in shocks:
        factor[shock.account, shock.day :] *= 1.0 - PLANTED_ACTIVITY_DROP
        if shock.churn_day is not None:
            factor[shock.account, shock.churn_day :] = 0.0
    return factor


def _activity(
    rng: np.random.Generator, company: Company, start: datetime, days: int, shocks: list[Shock]
) -> tuple[np.ndarray, np.ndarray]:
    """Events per user per day (users x days) and each user's signup day index (-1 if before)."""
    n_users = len(company.users)
    account_of = np.array([u.account for u in company.users])
    joined = np.array([(u.created - start).total_seconds() / 86_400 for u in company.users])
    signup_day = np.where(joined >= 0, np.floor(joined), -1).astype(int)
    day = np.arange(days)

    engaged = rng.beta(1.4, 2.6, n_users)
    engaged[rng.random(n_users) < DORMANT_SHARE] *= 0.03
    intensity = rng.lognormal(np.log(1.9), 0.8, n_users)
    weekday = np.array([WEEKDAY_ACTIVITY[(start + timedelta(days=int(d))).weekday()] for d in day])

    decline = np.ones((len(company.accounts), days))
    for index, account in enumerate(company.accounts):
        if account.declining:
            onset = int(rng.integers(days // 2, days - 20))
            decline[index, onset:] = np.linspace(1.0, 0.03, days - onset)

    since = day[None, :] - joined[:, None]
    alive = since > -1  # from the signup day on
    tourist = (signup_day >= 0) & (rng.random(n_users) < TOURIST_SHARE)
    retention = np.where(tourist[:, None], np.exp(-np.clip(since, 0, None) / 9.0) + 0.02, 1.0)

    # The shock only scales the chances: who is active on which day, in every account without
    # a shock, stays what it would be without the plant.
    decline *= _shock_factor(shocks, len(company.accounts), days)
    chance = engaged[:, None] * weekday[None, :] * decline[account_of] * retention * alive
    active = rng.random((n_users, days)) < chance
    first_day = (day[None, :] == signup_day[:, None]) & (signup_day[:, None] >= 0)
    active |= first_day
    counts = active * (1 + rng.poisson(intensity[:, None], (n_users, days)))
    return counts, signup_day


def _feature_preferences(rng: np.random.Generator, company: Company) -> np.ndarray:
    base = np.array([f.weight for f in FEATURES])
    plan_allowed = {
        plan: np.array([plan in f.plans for f in FEATURES], dtype=float)
        for plan in ("free", "starter", "pro", "enterprise")
    }
    mobile = np.array([f.mobile for f in FEATURES])
    prefs = np.empty((len(company.users), len(FEATURES)))
    mobile_users = rng.random(len(company.users)) < MOBILE_USER_SHARE
    for index, user in enumerate(company.users):
        plan = company.accounts[user.account].plan
        taste = rng.gamma(0.8, size=len(FEATURES))
        weights = base * plan_allowed[plan] * taste * np.where(mobile, 1.0 if mobile_users[index] else 0.02, 1.0)
        prefs[index] = weights / weights.sum()
    return prefs


def event_lines(
    rng: np.random.Generator, company: Company, start_date: date, days: int, shocks: list[Shock] = ()
) -> Iterator[tuple[date, list[str]]]:
    """Yield (day, JSON lines of that day's events in time order) for every day with events."""
    start = datetime(start_date.year, start_date.month, start_date.day)
    counts, signup_day = _activity(rng, company, start, days, list(shocks))
    prefs = _feature_preferences(rng, company)
    n_users = len(company.users)

    per_user = counts.sum(axis=1)
    user = np.repeat(np.arange(n_users), per_user)
    day = np.repeat(np.tile(np.arange(days), n_users), counts.ravel())
    feature = np.empty(len(user), dtype=int)
    offsets = np.concatenate([[0], np.cumsum(per_user)])
    for u in range(n_users):
        if per_user[u]:
            feature[offsets[u] : offsets[u + 1]] = rng.choice(len(FEATURES), size=per_user[u], p=prefs[u])

    # Onboarding steps on a new user's first day, marked with feature index -1.
    newcomers = np.flatnonzero(signup_day >= 0)
    steps = rng.integers(2, 6, size=len(newcomers))
    user = np.concatenate([user, np.repeat(newcomers, steps)])
    day = np.concatenate([day, np.repeat(signup_day[newcomers], steps)])
    feature = np.concatenate([feature, np.full(int(steps.sum()), -1)])
    step_number = np.concatenate(
        [np.zeros(len(user) - int(steps.sum()), dtype=int)] + [np.arange(1, s + 1) for s in steps]
    )

    offset_hours = np.array([company.accounts[u.account].utc_offset for u in company.users])[user]
    local = np.where(rng.random(len(user)) < 0.6, rng.normal(10.5, 2.0, len(user)), rng.normal(15.0, 2.2, len(user)))
    millis = (((np.clip(local, 0, 23.99) - offset_hours) % 24) * 3_600_000).astype(np.int64)
    joined_ms = np.array([int((u.created - start).total_seconds() * 1000) for u in company.users])
    first_day = day == signup_day[user]
    # Nothing a user does on their signup day may come before the signup itself.
    after_signup = joined_ms[user] - day.astype(np.int64) * 86_400_000
    room = 86_400_000 - after_signup
    millis = np.where(first_day, after_signup + (rng.random(len(user)) * room).astype(np.int64), millis)

    order = np.lexsort((millis, day))
    user, day, feature, millis, step_number = user[order], day[order], feature[order], millis[order], step_number[order]
    message_ids = _uuids(rng, len(user))
    anonymous_ids = _uuids(rng, n_users)
    shared_viewers = rng.random(len(user)) < SHARED_LINK_OPENED
    stamps = np.datetime_as_string(
        np.datetime64(start, "ms") + (day.astype(np.int64) * 86_400_000 + millis).astype("timedelta64[ms]"), unit="ms"
    )
    extra = rng.lognormal(7.5, 1.4, len(user)).astype(int)
    platforms = np.where(rng.random(n_users) < 0.7, "ios", "android")

    by_day: list[list[str]] = [[] for _ in range(days)]
    for i in range(len(user)):
        u = int(user[i])
        account_id = company.accounts[company.users[u].account].id
        f = int(feature[i])
        spec = ONBOARDING if f < 0 else FEATURES[f]
        properties: dict = {"feature": spec.key}
        if f < 0:
            properties["step"] = int(step_number[i])
        elif spec.key == "csv_export":
            properties["rows"] = int(extra[i])
        elif spec.key == "dashboards":
            properties["dashboard_id"] = f"dsh_{int(extra[i]) % 500:04d}"
        elif spec.key == "mobile_app":
            properties["platform"] = str(platforms[u])
        event = {
            "type": "track",
            "messageId": message_ids[i],
            "event": spec.event,
            "userId": company.users[u].id,
            "anonymousId": anonymous_ids[u],
            "timestamp": f"{stamps[i]}Z",
            "properties": properties,
            "context": {"groupId": account_id, "library": MOBILE_LIBRARY if spec.mobile else WEB_LIBRARY},
        }
        lines = by_day[int(day[i])]
        lines.append(json.dumps(event, ensure_ascii=False))
        if spec.key == "sharing" and shared_viewers[i]:
            # Someone outside the account opens the shared link: no user, only a device ID.
            viewer = dict(
                event,
                messageId=f"{message_ids[i][:-4]}view",
                event=SHARED_VIEW,
                userId=None,
                anonymousId=f"anon-{message_ids[i][:13]}",
            )
            lines.append(json.dumps(viewer, ensure_ascii=False))
    for d in range(days):
        if by_day[d]:
            yield start_date + timedelta(days=d), by_day[d]
