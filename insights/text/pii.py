"""Replace personal data in free text with typed placeholders before it leaves the raw layer.

Placeholders are typed (`<EMAIL>`, `<PHONE>`, ...) rather than blanked so that a reader of a
quote still understands the sentence ("send it to <EMAIL>"), and so that clustering sees the
same token wherever an address appeared instead of thousands of unique strings.
"""

from __future__ import annotations

import re

EMAIL = "<EMAIL>"
PHONE = "<PHONE>"
CARD = "<CARD>"
IP_ADDRESS = "<IP_ADDRESS>"
URL_SECRET = "<SECRET>"

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Query parameters whose values are credentials, as pasted in support tickets.
_URL_SECRET_RE = re.compile(
    r"(?i)([?&](?:token|access_token|api_key|apikey|key|secret|password|sig|signature)=)[^&\s#]+"
)

_IPV4_RE = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")

# 13-19 digits, optionally grouped by single spaces or dashes; Luhn decides.
_CARD_CANDIDATE_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")

# A phone number: optional +country code, then digit groups split by spaces, dots, dashes or
# a bracketed area code. Separators are required unless the number starts with +, so that
# order numbers, years and version strings are left alone.
_PHONE_RE = re.compile(
    r"""
    (?<![\w+])
    (?:
        \+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}
      | \(\d{2,4}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}
      | \d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}
      | 0\d{1,4}[\s/-]\d{5,8}
    )
    (?![\w])
    """,
    re.VERBOSE,
)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _replace_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return CARD if _luhn_valid(digits) else match.group(0)


def _replace_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digit_count = sum(ch.isdigit() for ch in text)
    # Dates such as 2024-01-15 or 15.01.2024 match the shape but are not phone numbers.
    if digit_count < 7 or digit_count > 15 or re.fullmatch(r"\d{4}[-.]\d{2}[-.]\d{2}|\d{2}[-.]\d{2}[-.]\d{4}", text):
        return text
    return PHONE


def redact(text: str | None) -> str | None:
    """Return `text` with e-mails, URL secrets, IP addresses, card numbers and phones replaced.

    Order matters: e-mails and URL secrets first (they contain digits a phone pattern would
    eat), cards before phones (a grouped card number looks like a long phone number).
    """
    if text is None:
        return None
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _URL_SECRET_RE.sub(lambda m: m.group(1) + URL_SECRET, text)
    text = _IPV4_RE.sub(IP_ADDRESS, text)
    text = _CARD_CANDIDATE_RE.sub(_replace_card, text)
    return _PHONE_RE.sub(_replace_phone, text)
