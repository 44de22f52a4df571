"""The intent planted in each sample feedback item, read from where its words came from.

A themed item's core sentence is one of its theme's `problems` (tickets, NPS comments,
reviews) or `asks` (feature-board posts, which always carry the ask). What a problem sentence
is for follows the theme's mood: a bug is a bug, a wish is a feature request. Gripes differ
by theme, so they are named here one by one. Off-topic items get the intent of the stock text
they drew. Nothing here draws a random number, so planting intents changes no landing file.
"""

from __future__ import annotations

from insights.sample.bank import Theme, shared

MOOD_INTENT = {"bug": "bug", "gripe": "bug", "wish": "feature_request"}
# Gripes that are not reports of a problem with the product.
THEME_INTENT = {
    # "The permission model is too coarse; we need custom roles": a request in complaint's clothes.
    "permissions_too_coarse": "feature_request",
    # "Too expensive for what we use": an opinion about the deal, not a fault to fix or a feature.
    "pricing_too_expensive": "other",
}
FEATURE_BOARD_INTENT = "feature_request"

_QUESTIONS = {
    "Could you send me the recording of last week's webinar?",
    "Who is our account manager these days?",
    "Will your team be at the analytics summit in Berlin this year?",
    "Where can I see what's on the roadmap?",
}
_PRAISE = {
    "Keep it up",
    "Great team",
    "Good app",
    "Nice",
    "Cool app for work",
    "Does what it says",
    "Solid, no complaints",
    "No request, just wanted to say thanks to the team!",
    "Keep doing what you're doing.",
}


def theme_intent(theme: Theme) -> str:
    """The intent of a theme's `problems` sentences."""
    return THEME_INTENT.get(theme.slug, MOOD_INTENT[theme.mood])


def stock_intent(text: str) -> str:
    """The intent of one of the off-topic stock texts in `bank.shared` (question, praise or other)."""
    if text in _QUESTIONS:
        return "question"
    return "praise" if text in _PRAISE else "other"


def _stock_texts() -> set[str]:
    pairs = shared.NOISE_TICKETS + shared.NOISE_REVIEWS + shared.NOISE_CANNY
    return {body for _title, body in pairs} | set(shared.NOISE_NPS)


# A renamed stock text would silently fall back to "other"; fail at import instead.
_unknown = (_QUESTIONS | _PRAISE) - _stock_texts()
if _unknown:
    raise ValueError(f"intents planted for texts that are not in bank.shared: {sorted(_unknown)}")
