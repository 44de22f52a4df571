"""Which feedback items exist: their source, planted theme, day, account and author.

Texts are written later (`compose`); planning first keeps the answer key independent of
wording, and lets the volume of each theme follow its trend over the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from insights.sample.bank import NOISE, Theme
from insights.sample.company import Company

SOURCES = ("zendesk", "surveys", "app_store", "canny")
SOURCE_SHARES = {"zendesk": 0.40, "surveys": 0.25, "app_store": 0.15, "canny": 0.20}
ITEMS_AT_SCALE_ONE = 5_000
NOISE_SHARE = 0.05
EMPTY_COMMENT_SHARE = 0.03  # NPS respondents who give a score and leave the comment blank
SECOND_THEME_SHARE = 0.065
CONTACT_DETAIL_SHARE = 0.04
LATE_THEME_DAYS = 21
# Weekend volume relative to a weekday: support and boards follow office hours, reviews don't.
WEEKEND_VOLUME = {"zendesk": 0.3, "surveys": 0.5, "app_store": 0.85, "canny": 0.4}
# How much more a paying, larger account writes than its user count alone suggests.
PLAN_VOICE = {"free": 0.4, "starter": 0.8, "pro": 1.2, "enterprise": 1.6}
ADMIN_ROLES = ("Owner", "Admin")
_EPOCH = datetime(1970, 1, 1)


def _seconds(at: datetime) -> float:
    # datetime.timestamp() would read these naive UTC values as local time.
    return (at - _EPOCH).total_seconds()


@dataclass(frozen=True)
class Planned:
    source: str
    theme: str  # a theme slug or NOISE
    second: str | None  # a second theme the item also mentions
    at: datetime
    account: int | None  # index into Company.accounts; None for anonymous app-store reviews
    user: int | None
    contact: str | None  # "email" or "phone": the text carries that personal detail
    blank: bool = False  # an NPS response with no comment


def trend_curve(trend: str, days: int) -> np.ndarray:
    """Relative daily volume of a theme over the window."""
    x = np.linspace(0.0, 1.0, days)
    # Grow and fade triple from one end of the window to the other.
    if trend == "grow":
        return 0.25 + 1.5 * x
    if trend == "fade":
        return 1.75 - 1.5 * x
    if trend == "late":
        # A regression shipped three weeks before the end: nothing before, a burst after.
        return np.where(np.arange(days) >= days - LATE_THEME_DAYS, 2.6, 0.0)
    return np.ones(days)


def source_counts(scale: float) -> dict[str, int]:
    total = max(len(SOURCES) * 5, round(ITEMS_AT_SCALE_ONE * scale))
    counts = {s: round(total * SOURCE_SHARES[s]) for s in SOURCES[:-1]}
    counts[SOURCES[-1]] = total - sum(counts.values())
    return counts


class _Authors:
    """Picks the account and person behind an item: bigger, paying accounts speak more."""

    def __init__(self, company: Company):
        self.company = company
        sizes = np.array([len(u) for u in company.users_by_account], dtype=float)
        voice = np.array([PLAN_VOICE[a.plan] * (1.6 if a.declining else 1.0) for a in company.accounts])
        self.base = sizes**0.8 * voice
        self.first_user_at = np.array(
            [_seconds(company.users[u[0]].created) if u else np.inf for u in company.users_by_account]
        )
        self.plan = [a.plan for a in company.accounts]
        self.region = [a.region for a in company.accounts]

    def pick(self, rng: np.random.Generator, theme: Theme | None, at: datetime, prefer_admins: bool) -> tuple[int, int]:
        weights = self.base * (self.first_user_at <= _seconds(at))
        if theme is not None:
            bias = np.array(
                [theme.plans.get(p, 1.0) * theme.regions.get(r, 1.0) for p, r in zip(self.plan, self.region)]
            )
            weights = weights * bias
        if weights.sum() <= 0:
            weights = (self.first_user_at <= _seconds(at)).astype(float)
        account = int(rng.choice(len(weights), p=weights / weights.sum()))
        members = [u for u in self.company.users_by_account[account] if self.company.users[u].created <= at]
        user_weights = np.array(
            [2.0 if prefer_admins and self.company.users[u].role in ADMIN_ROLES else 1.0 for u in members]
        )
        user = members[int(rng.choice(len(members), p=user_weights / user_weights.sum()))]
        return account, user


def _time_of_day(rng: np.random.Generator, source: str) -> timedelta:
    hours = rng.uniform(0, 24) if source == "app_store" else float(np.clip(rng.normal(14.0, 4.0), 0.0, 23.99))
    return timedelta(seconds=int(hours * 3600))


def plan_feedback(
    rng: np.random.Generator, company: Company, themes: Sequence[Theme], start: datetime, days: int, scale: float
) -> list[Planned]:
    """Every feedback item of the window, by source then time."""
    curves = np.array([trend_curve(t.trend, days) for t in themes]).T  # days x themes
    weekend = np.array([(start + timedelta(days=d)).weekday() >= 5 for d in range(days)])
    authors = _Authors(company)
    earliest_user = min(u.created for u in company.users)
    planned: list[Planned] = []
    for source, count in source_counts(scale).items():
        day_volume = np.where(weekend, WEEKEND_VOLUME[source], 1.0)
        mix = np.array([t.volume * t.sources.get(source, 1.0) for t in themes])
        cells = day_volume[:, None] * curves * mix[None, :]
        n_noise = round(count * NOISE_SHARE)
        n_blank = round(count * EMPTY_COMMENT_SHARE) if source == "surveys" else 0
        n_themed = count - n_noise - n_blank
        picks = rng.choice(cells.size, size=n_themed, p=(cells / cells.sum()).ravel())
        drafts = [(int(p // len(themes)), int(p % len(themes)), False) for p in picks]
        off_topic = rng.choice(days, size=n_noise + n_blank, p=day_volume / day_volume.sum())
        drafts += [(int(d), -1, k >= n_noise) for k, d in enumerate(off_topic)]

        # An exact share rather than a coin per item: at small scales a coin can leave almost none.
        can_carry = [k for k, (_, t, blank) in enumerate(drafts) if not blank and (t >= 0 or source == "zendesk")]
        carriers = set(
            rng.choice(can_carry, size=min(len(can_carry), round(count * CONTACT_DETAIL_SHARE)), replace=False).tolist()
        )
        items = []
        for k, (day, theme_index, blank) in enumerate(drafts):
            at = start + timedelta(days=day) + _time_of_day(rng, source)
            if at < earliest_user:
                at = earliest_user + timedelta(minutes=5)
            theme = themes[theme_index] if theme_index >= 0 else None
            second = None
            if theme is not None and rng.random() < SECOND_THEME_SHARE:
                # Only a theme that is being talked about that day can be the aside.
                others = curves[day] * mix * (np.arange(len(themes)) != theme_index)
                if others.sum() > 0:
                    second = themes[int(rng.choice(len(themes), p=others / others.sum()))].slug
            account = user = None
            if source != "app_store":
                account, user = authors.pick(rng, theme, at, prefer_admins=source in ("zendesk", "canny"))
            contact = None
            if k in carriers:
                contact = "email" if rng.random() < 0.5 else "phone"
            items.append(Planned(source, theme.slug if theme else NOISE, second, at, account, user, contact, blank))
        items.sort(key=lambda p: (p.at, p.theme))
        planned.extend(items)
    return planned
