"""What the fictional customers write about: planted themes and the phrases they are written in.

The bank is data only; `insights.sample.compose` decides how phrases are combined.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Mood = Literal["bug", "gripe", "wish"]
Trend = Literal["steady", "grow", "fade", "late"]


@dataclass(frozen=True)
class Theme:
    """One planted theme.

    `problems` are independent paraphrases of the core complaint or wish, each worded with
    its own vocabulary, because a clusterer that only has to match a repeated template
    proves nothing. `asks` are the same need phrased as a request (feature-request boards),
    `titles` are short subject lines, `details` add theme-specific colour and may hold
    `{slot}` placeholders filled per item.

    `sources`, `plans` and `regions` multiply the theme's volume for a landing folder, an
    account plan or an account region (default 1), so e.g. mobile crashes land mostly in
    app-store reviews and SSO trouble mostly comes from enterprise accounts.
    """

    slug: str
    mood: Mood
    trend: Trend
    volume: float
    titles: tuple[str, ...]
    problems: tuple[str, ...]
    asks: tuple[str, ...]
    details: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: Mapping[str, float] = field(default_factory=dict)
    plans: Mapping[str, float] = field(default_factory=dict)
    regions: Mapping[str, float] = field(default_factory=dict)
    board: str = "Feature Requests"


def _collect() -> tuple[Theme, ...]:
    from insights.sample.bank import access, commercial, data, mobile, reports

    themes = reports.THEMES + access.THEMES + data.THEMES + mobile.THEMES + commercial.THEMES
    slugs = [t.slug for t in themes]
    if len(slugs) != len(set(slugs)):
        raise ValueError("theme slugs must be unique")
    return themes


THEMES: tuple[Theme, ...] = _collect()
NOISE = "noise"
