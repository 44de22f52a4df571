"""The fictional vendor's customer base: CRM accounts and the product users in them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from insights.sample.bank import people

PLANS = ("free", "starter", "pro", "enterprise")
PLAN_SHARES = (0.30, 0.30, 0.28, 0.12)
# (median ARR, lognormal sigma): the spread inside a plan is what makes ARR heavy-tailed.
PLAN_ARR = {"starter": (2_400, 0.45), "pro": (18_000, 0.6), "enterprise": (95_000, 0.8)}
PLAN_SEATS = {"free": 2, "starter": 5, "pro": 13, "enterprise": 40}
PLAN_SEGMENTS = {
    "free": (0.95, 0.05, 0.0),
    "starter": (0.85, 0.15, 0.0),
    "pro": (0.25, 0.60, 0.15),
    "enterprise": (0.0, 0.20, 0.80),
}
SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
REGIONS = ("NA", "EMEA", "APAC", "LATAM")
REGION_SHARES = (0.45, 0.30, 0.15, 0.10)
# Hours from UTC of the places customers work in, used to put their activity in office hours.
REGION_OFFSETS = {"NA": (-8, -7, -6, -5), "EMEA": (0, 1, 2), "APAC": (5.5, 8, 9, 10), "LATAM": (-5, -3)}
ROLES = ("Admin", "Editor", "Viewer")
ROLE_SHARES = (0.12, 0.38, 0.50)

USERS_PER_ACCOUNT = 10
DECLINING_SHARE = 0.08
OLDEST_ACCOUNT_DAYS = 2_900


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    plan: str
    arr: float
    segment: str
    region: str
    owner: str
    created: datetime
    domain: str
    utc_offset: float
    declining: bool  # usage fades over the last weeks, as before a churn


@dataclass(frozen=True)
class User:
    id: str
    account: int  # index into Company.accounts
    first: str
    last: str
    email: str
    role: str
    created: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Company:
    accounts: list[Account]
    users: list[User]
    users_by_account: list[list[int]]  # user indexes, oldest first


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _ascii(text: str) -> str:
    # NFKD leaves letters such as Ł and ø whole, so they are mapped by hand first.
    text = text.translate(str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss"}))
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _account_names(rng: np.random.Generator, count: int) -> list[str]:
    taken: set[str] = set()
    names = []
    for _ in range(count):
        for _attempt in range(40):
            name = f"{_pick(rng, people.COMPANY_STEMS)} {_pick(rng, people.COMPANY_KINDS)}"
            if name not in taken:
                break
        else:
            # More accounts than stem/kind pairs (very large scales): number the repeats.
            suffix = 2
            while f"{name} {suffix}" in taken:
                suffix += 1
            name = f"{name} {suffix}"
        taken.add(name)
        names.append(name)
    return names


def _arr(rng: np.random.Generator, plan: str) -> float:
    if plan == "free":
        return 0.0
    median, sigma = PLAN_ARR[plan]
    return float(round(rng.lognormal(np.log(median), sigma), -2))


def build_company(rng: np.random.Generator, scale: float, end: datetime, window_days: int) -> Company:
    count = max(5, round(300 * scale))
    # Skewed toward recent sign-ups, as for a growing vendor; a few land inside the window.
    ages = np.sort(20 + OLDEST_ACCOUNT_DAYS * rng.random(count) ** 1.3)[::-1]
    created = [end - timedelta(days=float(age)) for age in ages]
    created = [c.replace(microsecond=0) for c in created]
    names = _account_names(rng, count)
    plans = rng.choice(len(PLANS), size=count, p=PLAN_SHARES)
    regions = rng.choice(len(REGIONS), size=count, p=REGION_SHARES)
    can_decline = ages > window_days * 2
    declining = can_decline & (rng.random(count) < DECLINING_SHARE / max(can_decline.mean(), 1e-9))

    accounts = []
    for i in range(count):
        plan = PLANS[plans[i]]
        region = REGIONS[regions[i]]
        accounts.append(
            Account(
                id=f"acc_{i + 1:04d}",
                name=names[i],
                plan=plan,
                arr=_arr(rng, plan),
                segment=SEGMENTS[int(rng.choice(3, p=PLAN_SEGMENTS[plan]))],
                region=region,
                # Self-serve free accounts have no account executive in the CRM.
                owner="" if plan == "free" else _pick(rng, people.ACCOUNT_OWNERS),
                created=created[i],
                domain=f"{_ascii(names[i])}.example",
                utc_offset=float(_pick(rng, REGION_OFFSETS[region])),
                declining=bool(declining[i]),
            )
        )
    users = _build_users(rng, accounts, round(USERS_PER_ACCOUNT * 300 * scale), end)
    by_account: list[list[int]] = [[] for _ in accounts]
    for index, user in enumerate(users):
        by_account[user.account].append(index)
    return Company(accounts=accounts, users=users, users_by_account=by_account)


def _build_users(rng: np.random.Generator, accounts: list[Account], target: int, end: datetime) -> list[User]:
    raw = np.array([rng.lognormal(np.log(PLAN_SEATS[a.plan]), 0.7) for a in accounts])
    sizes = np.maximum(1, np.round(raw * max(target, len(accounts)) / raw.sum())).astype(int)
    drafts = []
    for index, (account, size) in enumerate(zip(accounts, sizes)):
        used_locals: set[str] = set()
        span = (end - account.created).total_seconds()
        for k in range(size):
            first, last = _pick(rng, people.FIRST_NAMES), _pick(rng, people.LAST_NAMES)
            local = f"{_ascii(first)}.{_ascii(last)}"
            candidate, n = local, 2
            while candidate in used_locals:
                candidate, n = f"{local}{n}", n + 1
            used_locals.add(candidate)
            if k == 0:
                # The person who signed the account up is its first user.
                joined = account.created + timedelta(minutes=int(rng.integers(1, 90)))
                role = "Owner"
            else:
                # Seats are added over an account's life, more of them recently.
                joined = account.created + timedelta(seconds=float(span * rng.random()))
                role = ROLES[int(rng.choice(3, p=ROLE_SHARES))]
            joined = min(joined.replace(microsecond=0), end - timedelta(seconds=1))
            drafts.append((joined, index, first, last, f"{candidate}@{account.domain}", role))
    drafts.sort(key=lambda d: (d[0], d[1], d[4]))
    return [
        User(id=f"usr_{n + 1:05d}", account=acc, first=first, last=last, email=email, role=role, created=joined)
        for n, (joined, acc, first, last, email, role) in enumerate(drafts)
    ]
