"""Replace personal data in free text with typed placeholders before it leaves the raw layer.

Placeholders are typed (`<EMAIL>`, `<PHONE>`, ...) rather than blanked so that a reader of a
quote still understands the sentence ("send it to <EMAIL>"), and so that clustering sees the
same token wherever an address appeared instead of thousands of unique strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = "<EMAIL>"
PHONE = "<PHONE>"
CARD = "<CARD>"
IP_ADDRESS = "<IP_ADDRESS>"
URL_SECRET = "<SECRET>"

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Query parameters whose values are credentials, as pasted in support tickets.
_URL_SECRET_RE = re.compile(
    r"(?i)[?&](?:token|access_token|api_key|apikey|key|secret|password|sig|signature)=(?P<value>[^&\s#]+)"
)

_IPV4_RE = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")

# 13-19 digits, optionally grouped by single spaces or dashes; Luhn decides.
_CARD_CANDIDATE_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")

# A phone number: optional +country code, then digit groups split by spaces, dots, dashes or
# a bracketed area code. Separators are required unless the number starts with +, so that
# order numbers, years and version strings are left alone; a match must be the whole run of
# digit groups, so part of a failed card number or an IBAN is not taken for a phone.
_PHONE_RE = re.compile(
    r"""
    (?<![\w+])
    (?<!\d[\s.-])  # not the tail of a longer run of digit groups (a reference, an IBAN)
    (?:
        \+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}
      | \(\d{2,4}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}
      | \d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}
      | 0\d{1,4}[\s/-]\d{5,8}
    )
    (?![\w])
    (?![\s.-]?\d)  # nor its head
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


@dataclass(frozen=True)
class PiiSpan:
    """Where personal data was found in the original text, and its placeholder."""

    start: int
    end: int
    placeholder: str


def _is_card(text: str) -> bool:
    return _luhn_valid(re.sub(r"\D", "", text))


def _is_phone(text: str) -> bool:
    digit_count = sum(ch.isdigit() for ch in text)
    # Dates such as 2024-01-15 or 15.01.2024 match the shape but are not phone numbers.
    if digit_count < 7 or digit_count > 15:
        return False
    return not re.fullmatch(r"\d{4}[-.]\d{2}[-.]\d{2}|\d{2}[-.]\d{2}[-.]\d{4}", text)


# Detection order matters: e-mails and URL secrets first (they contain digits a phone pattern
# would eat), cards before phones (a grouped card number looks like a long phone number).
_DETECTORS = (
    (_EMAIL_RE, EMAIL, None),
    (_URL_SECRET_RE, URL_SECRET, None),
    (_IPV4_RE, IP_ADDRESS, None),
    (_CARD_CANDIDATE_RE, CARD, _is_card),
    (_PHONE_RE, PHONE, _is_phone),
)


def find_pii(text: str) -> list[PiiSpan]:
    """Spans of personal data in `text`, in order, never overlapping."""
    spans: list[PiiSpan] = []
    # Found spans are masked with a character no pattern matches, keeping offsets, so a
    # later pattern cannot claim part of an earlier find.
    masked = text
    for pattern, placeholder, accept in _DETECTORS:
        for match in pattern.finditer(masked):
            group = "value" if "value" in pattern.groupindex else 0
            start, end = match.span(group)
            if accept is not None and not accept(match.group(group)):
                continue
            spans.append(PiiSpan(start, end, placeholder))
            masked = masked[:start] + "\x00" * (end - start) + masked[end:]
    return sorted(spans, key=lambda span: span.start)


def redact(text: str | None) -> str | None:
    """Return `text` with e-mails, URL secrets, IP addresses, card numbers and phones replaced."""
    if text is None:
        return None
    pieces, cursor = [], 0
    for span in find_pii(text):
        pieces += [text[cursor : span.start], span.placeholder]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
