"""Replace personal data in free text with typed placeholders before it leaves the raw layer.

Placeholders are typed (`<EMAIL>`, `<PHONE>`, ...) rather than blanked so that a reader of a
quote still understands the sentence ("send it to <EMAIL>"), and so that clustering sees the
same token wherever an address appeared instead of thousands of unique strings.

How it stays linear on hostile text (200 KB without a space, thousands of `@` or digits):
every pattern starts at a fixed anchor (`@`, `://`, `?token=`, a token prefix such as `ghp_`)
or at the start of a run that a look-behind proves is a run start, and every quantifier is
bounded, so each character is looked at a bounded number of times. Candidates are then
confirmed by checksums and validators (Luhn, mod 97, `ipaddress`, `phonenumbers`), which is
what keeps order numbers, versions, dates and UUIDs out. Method and measured figures:
`docs/redaction.md`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from insights.text.pii_checks import IBAN_LENGTHS, iban_valid, ipv4_valid, ipv6_valid, is_card, ssn_valid

EMAIL = "<EMAIL>"
PHONE = "<PHONE>"
CARD = "<CARD>"
IP_ADDRESS = "<IP_ADDRESS>"  # IPv4 and IPv6
URL_SECRET = "<SECRET>"  # credentials: URL query secrets, user:pass@, API keys and tokens
SECRET = URL_SECRET
IBAN = "<IBAN>"
SSN = "<SSN>"

PLACEHOLDERS = (EMAIL, PHONE, CARD, IP_ADDRESS, URL_SECRET, IBAN, SSN)

_MASK = "\x00"  # replaces found spans while detecting, so later detectors cannot claim them


@dataclass(frozen=True)
class PiiSpan:
    """Where personal data was found in the original text, and its placeholder."""

    start: int
    end: int
    placeholder: str


Finder = Callable[[str], Iterator[tuple[int, int]]]


def _group_spans(pattern: re.Pattern[str], group: str | int = 0) -> Finder:
    def find(text: str) -> Iterator[tuple[int, int]]:
        for match in pattern.finditer(text):
            yield match.span(group)

    return find


# --- secrets -------------------------------------------------------------------------------

# Values of credential parameters in URLs and config-style text (`?token=`, `&sig=`, `password=`).
_SECRET_KEYS = (
    r"access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|private[_-]?token|token"
    r"|api[_-]?key|apikey|api[_-]?secret|client[_-]?secret|secret[_-]?key|secret|key"
    r"|password|passwd|pwd|pass|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token"
    r"|session[_-]?id|sessionid|session|sid|auth|code|aws_secret_access_key"
)
_QUERY_SECRET_RE = re.compile(
    rf"(?i)[?&;](?:{_SECRET_KEYS})=(?P<value>[^&\s#\"'<>\x00]{{1,2048}})",
)
# Outside a URL, `key=value` (and `password: value`) as pasted from a config file or a curl line.
_ASSIGNED_SECRET_RE = re.compile(
    r"(?i)(?<![\w?&;.\-])(?:access[_-]?token|api[_-]?key|apikey|client[_-]?secret|secret[_-]?key"
    r"|aws_secret_access_key|auth[_-]?token|api[_-]?token|x-api-key|password|passwd|pwd)"
    r"(?:[ \t]{0,3}=[ \t]{0,3}|:[ \t]{0,3})[\"']?(?P<value>[^\s&#\"'<>,;\x00]{3,512})"
)
_ASSIGNED_WORD_SECRET_RE = re.compile(
    r"(?i)(?<![\w?&;.\-])(?:secret|token)[ \t]{0,3}=[ \t]{0,3}[\"']?(?P<value>[^\s&#\"'<>,;\x00]{3,512})"
)
# user:password@ in a URL; the whole userinfo goes, the user name is often an e-mail or a person.
_URL_USERINFO_RE = re.compile(r"://(?P<value>[^\s/@:?#\x00]{1,128}:[^\s/@?#\x00]{1,256})@")
# The same without a scheme (`admin:s3cret@db.internal`), not `mailto:`/`Re:` before an e-mail.
_BARE_USERINFO_RE = re.compile(
    r"(?<![\w.:/@%+\-])(?P<value>(?P<user>[A-Za-z0-9._%+\-]{1,64}):[^\s/@:\x00]{1,128})@(?=[A-Za-z0-9\-]{1,63}[.:])"
)
_NOT_USERS = {"mailto", "email", "e-mail", "mail", "re", "fw", "fwd", "aw", "cc", "bcc", "to", "from", "contact", "sip"}

_T = r"A-Za-z0-9_\-"  # characters of a token; a look-behind on them makes each match a run start
_TOKEN_RE = re.compile(
    rf"(?<![{_T}])(?:"
    r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}"  # AWS key IDs
    r"|gh[pousr]_[A-Za-z0-9]{20,255}"  # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{20,255}"  # GitHub fine-grained tokens
    r"|xox[abposr]-[A-Za-z0-9\-]{10,255}"  # Slack tokens
    r"|(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,255}"  # Stripe keys
    r"|whsec_[A-Za-z0-9]{16,255}"  # Stripe webhook secrets
    r"|sk-(?:proj-)?[A-Za-z0-9_\-]{20,255}"  # OpenAI-style secret keys
    r"|AIza[A-Za-z0-9_\-]{35}"  # Google API keys
    r"|glpat-[A-Za-z0-9_\-]{20,255}"  # GitLab tokens
    r"|eyJ[A-Za-z0-9_\-]{5,4096}\.[A-Za-z0-9_\-]{2,4096}\.[A-Za-z0-9_\-]{0,4096}"  # JWT
    rf")(?![{_T}])"
)
_SLACK_WEBHOOK_RE = re.compile(r"hooks\.slack\.com/services/(?P<value>[A-Za-z0-9/]{8,128})")
# `Authorization: Bearer <token>` / `Basic <base64>`: a token has a digit or a symbol, or is long,
# so "the bearer authentication" stays.
_BEARER_RE = re.compile(
    r"(?<![\w])(?:[Bb]earer|BEARER|[Bb]asic|[Tt]oken)[ \t]{1,3}(?P<value>[A-Za-z0-9._~+/\-]{8,4096}=*)(?![\w])"
)


def _bearer_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _BEARER_RE.finditer(text):
        value = match.group("value")
        word = text[match.start() : match.start("value")].strip().lower()
        has_mark = any(c.isdigit() or c in "._~+/-=" for c in value)
        if (word == "bearer" and (has_mark or len(value) >= 20)) or (
            has_mark and len(value) >= 12 and sum(c.isdigit() for c in value) >= 2
        ):
            yield match.span("value")


def _word_secret_spans(text: str) -> Iterator[tuple[int, int]]:
    """`secret=`/`token=` in prose: only a value with a digit ("the secret = sauce" stays)."""
    for match in _ASSIGNED_WORD_SECRET_RE.finditer(text):
        if any(c.isdigit() for c in match.group("value")):
            yield match.span("value")


def _bare_userinfo_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _BARE_USERINFO_RE.finditer(text):
        if match.group("user").lower() not in _NOT_USERS:
            yield match.span("value")


# --- e-mail --------------------------------------------------------------------------------

_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-'")
_DOMAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_AT_RE = re.compile(
    r"(?<=[A-Za-z0-9._%+'\-])@(?=[A-Za-z0-9\-]{1,63}\.[A-Za-z0-9])|\s?[(\[{]at[)\]}]\s?|\s?\(@\)\s?", re.IGNORECASE
)


def _email_spans(text: str) -> Iterator[tuple[int, int]]:
    """Expand from each `@` (or `(at)`): at most 64 characters left, 255 right."""
    last_end = 0
    for at in _AT_RE.finditer(text):
        at_start, at_end = at.span()
        if at_start < last_end:
            continue
        start = at_start
        floor = max(last_end, at_start - 64)
        while start > floor and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        while start < at_start and text[start] in ".'-+":
            start += 1
        if start == at_start:
            continue
        end, ceiling = at_end, min(len(text), at_end + 255)
        while end < ceiling and text[end] in _DOMAIN_CHARS:
            end += 1
        while end > at_end and text[end - 1] in ".-":
            end -= 1
        domain = text[at_end:end]
        labels = domain.split(".")
        if len(labels) < 2 or not all(labels) or not _tld_ok(labels[-1]):
            continue
        if any(len(label) > 63 or label[0] == "-" or label[-1] == "-" for label in labels):
            continue
        yield start, end
        last_end = end


def _tld_ok(tld: str) -> bool:
    return (2 <= len(tld) <= 24 and tld.isalpha()) or (tld.startswith("xn--") and len(tld) > 5)


# Spelled out to dodge scrapers: "john dot doe at gmail dot com".
_SPELLED_EMAIL_RE = re.compile(
    r"(?i)(?<![\w.])[a-z0-9][a-z0-9._+\-]{0,63}(?: dot [a-z0-9][a-z0-9_+\-]{0,63}){0,3}"
    r" at [a-z0-9][a-z0-9\-]{0,62}(?: dot [a-z0-9][a-z0-9\-]{0,62}){0,3} dot "
    r"(?:com|net|org|io|co|de|uk|fr|nl|es|it|edu|gov|info|biz|me|us|ca|au|ch|at|be|se|dk|no|fi|ie|pl|in|jp)(?![\w])"
)

# --- numbers -------------------------------------------------------------------------------

# 13-19 digits, optionally grouped by single spaces or dashes; the issuer prefix and Luhn decide.
_CARD_RE = re.compile(r"(?<![\w\-.,])\d(?:[ \-]?\d){12,18}(?![\w\-]|[.,]\d)")


def _card_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _CARD_RE.finditer(text):
        candidate = match.group()
        separators = {c for c in candidate if not c.isdigit()}
        if len(separators) > 1:  # "4111 1111-1111 1111" is two numbers written together, not a card
            continue
        if is_card(candidate.replace(" ", "").replace("-", "")):
            yield match.span()


# Country code, two check digits, then groups of up to four letters or digits, optionally spaced.
_IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])(?:IBAN:?\s?)?([A-Z]{2})(\d{2})(?=[ ]?[A-Z0-9])")


def _iban_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _IBAN_START_RE.finditer(text):
        length = IBAN_LENGTHS.get(match.group(1))
        if length is None:
            continue
        chars, position, limit = [match.group(1), match.group(2)], match.end(2), len(text)
        count = 4
        while count < length and position < limit:
            char = text[position]
            if char == " " and position + 1 < limit and text[position + 1] != " " and text[position - 1] != " ":
                position += 1
                continue
            if not ("A" <= char <= "Z" or "0" <= char <= "9"):
                break
            chars.append(char)
            count += 1
            position += 1
        if count != length or (position < limit and text[position].isalnum()):
            continue
        if iban_valid("".join(chars)):
            yield match.start(1), position


_SSN_RE = re.compile(r"(?<![\w\-./])(\d{3})([\- ])(\d{2})\2(\d{4})(?![\w\-]|[./]\d)")
_SSN_BARE_RE = re.compile(
    r"(?i)(?:ssn|social security(?: number| no\.?)?|ss#)[:#]?\s{0,3}(?:is\s{1,3})?(?P<value>(\d{3})(\d{2})(\d{4}))(?!\d)"
)
_SSN_CONTEXT_RE = re.compile(r"(?i)ssn|social|security|ss#|tax|taxpayer|itin")


def _ssn_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _SSN_RE.finditer(text):
        area, sep, group, serial = match.groups()
        if not ssn_valid(area, group, serial):
            continue
        # Dashed 3-2-4 is the SSN's own shape; with spaces it needs the word nearby.
        if sep == " " and not _SSN_CONTEXT_RE.search(text, max(0, match.start() - 40), match.start()):
            continue
        yield match.span()
    for match in _SSN_BARE_RE.finditer(text):
        if ssn_valid(match.group(2), match.group(3), match.group(4)):
            yield match.span("value")


_IPV4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_VERSION_BEFORE_RE = re.compile(
    r"(?i)(?<![a-z])(?:version|ver\.?|v|build|release|rel\.?|sdk|firmware|fw|android|ios|macos|windows|chrome|app|"
    r"python|node|java|update|upgrade[ds]?(?: to)?|patch|rev\.?|r)\s?:?\s?$"
)


def _ipv4_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _IPV4_RE.finditer(text):
        if not ipv4_valid(match.group()):
            continue
        if _VERSION_BEFORE_RE.search(text[max(0, match.start() - 16) : match.start()]):
            continue
        if text[max(0, match.start() - 2) : match.start()][:1].isalpha() and text[match.start() - 1] == "/":
            continue  # a product/version token in a user agent: Chrome/131.0.0.0
        yield match.span()


# Maximal runs of hex digits, colons and dots: one pass, no backtracking; `ipaddress` decides.
_IPV6_RUN_RE = re.compile(r"[0-9A-Fa-f:.]{2,64}(?:%[A-Za-z0-9._\-]{1,15})?")


def _ipv6_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _IPV6_RUN_RE.finditer(text):
        start, end = match.span()
        run = match.group()
        if run.count(":") < 2:
            continue
        if run.startswith(":") and not run.startswith("::"):
            start += 1
        while end > start and text[end - 1] in ".:" and not text[start:end].endswith("::"):
            end -= 1
        if (start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")) or (
            end < len(text) and (text[end].isalnum() or text[end] == "_")
        ):
            continue
        if ipv6_valid(text[start:end]):
            yield start, end


# A phone candidate: + or 00 and digit groups, or a national number with a trunk 0 or a
# bracketed area code, or the North American 3-3-4 shape. Groups are split by one or two
# separators (never none, so no ambiguous splits to backtrack over) or by brackets.
_PHONE_RE = re.compile(
    r"""
    (?:
        (?<![\w+])\+\d{6,15}(?![\w])                                 # +4915123456789
      | (?:(?<![\w+])\+|(?<![\w.\-/,:#+])00[ ]?)\d{1,4}              # +44 / 0044, then groups
        (?:(?:[ .\-]{1,2}|[ ]?(?=\())(?:\(\d{1,5}\)|\d{1,8})|(?<=\))[ .\-]?\d{1,8}){1,7}
      | (?<![\w.\-/,:#+(])(?:\(\d{1,5}\)|\d{1,5})                    # national: (0)20, 030, (415), 415
        (?:(?:[ .\-]{1,2}|(?<=\))[ ]?)(?:\(\d{1,5}\)|\d{1,8})){1,5}
    )
    (?![\w\-/]|[.,:]\d)
    """,
    re.VERBOSE,
)
_DATE_OR_TIME_RE = re.compile(
    r"(?<!\d)(?:\d{4}[\-./ ]\d{1,2}[\-./ ]\d{1,2}|\d{1,2}[\-./ ]\d{1,2}[\-./ ](?:19|20)\d{2})(?!\d)"
)
_NANP_RE = re.compile(r"(?:1[ .\-])?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}")
_LOCAL7_RE = re.compile(r"(?<!\d\) )(?<!\d\))(?<!\d )(?<![\w\-./,:#+])\d{3}-\d{4}(?![\w\-/]|[.,:]\d)")
_PHONE_CONTEXT_RE = re.compile(
    r"(?i)phone|call|tel|line|ring|mobile|cell|fax|whats ?app|dial|number|direct|sms|text me"
)
# Regions tried for a national number written with a trunk 0, most common in our feedback first.
_TRUNK_REGIONS = ("GB", "DE", "FR", "IE", "AU", "NL", "AT", "CH", "BE", "IN", "NZ", "ZA", "JP", "BR")


# `phonenumbers` takes about 0.1 ms a number. Past this many look-ups in one text (200 KB of
# nothing but phone numbers), the rest are judged by shape alone: a known country code and a
# plausible length, so the time stays linear with a small constant.
PHONE_LOOKUP_BUDGET = 3000


@lru_cache(maxsize=4096)
def _phone_region_match(candidate: str, region: str, leniency: int) -> tuple[int, int] | None:
    """The span of `candidate` that `phonenumbers` recognises as one whole number, or None."""
    for found in phonenumbers.PhoneNumberMatcher(candidate, region, leniency=leniency, max_tries=4):
        if found.end - found.start >= len(candidate) - 1:
            return found.start, found.end
    return None


def _country_code_known(digits: str) -> bool:
    return any(int(digits[:n]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE for n in (1, 2, 3) if len(digits) > n)


class _PhoneJudge:
    def __init__(self) -> None:
        self.lookups = 0

    def _match(self, candidate: str, region: str, leniency: int) -> tuple[int, int] | None | bool:
        """A `phonenumbers` verdict, or False once the budget is spent."""
        self.lookups += 1
        if self.lookups > PHONE_LOOKUP_BUDGET:
            return False
        return _phone_region_match(candidate, region, leniency)

    def accept(self, candidate: str) -> tuple[int, int] | None:
        digits = "".join(c for c in candidate if c.isdigit())
        if not 7 <= len(digits) <= 15 or _DATE_OR_TIME_RE.search(candidate):
            return None
        whole = (0, len(candidate))
        if candidate.startswith(("+", "00")):
            international = "+" + candidate[2:].lstrip() if candidate.startswith("00") else candidate
            found = self._match(international, "ZZ", phonenumbers.Leniency.POSSIBLE)
            if found is False:
                number = digits[2:] if candidate.startswith("00") else digits
                return whole if len(number) >= 8 and _country_code_known(number) else None
            if found is None:
                return None
            shift = len(candidate) - len(international)
            return (found[0] + shift if found[0] else 0), found[1] + shift
        if "." in candidate and not re.fullmatch(r"\d{3}\.\d{3}\.\d{4}|0\d(?:\.\d{2}){4}", candidate):
            return None  # dotted numbers are versions and amounts unless in a phone's own shape
        if _NANP_RE.fullmatch(candidate):
            # The 3-3-4 shape is a phone's own; invented numbers such as (555) 123-4567 are not
            # VALID for libphonenumber but still somebody's placeholder for a phone.
            found = self._match(candidate, "US", phonenumbers.Leniency.POSSIBLE)
            return whole if found is False else found
        if candidate.lstrip("(").startswith("0"):
            for region in _TRUNK_REGIONS:
                found = self._match(candidate, region, phonenumbers.Leniency.VALID)
                if found is False:
                    return whole if len(digits) >= 9 else None
                if found is not None:
                    return found
        return None


def _phone_spans(text: str) -> Iterator[tuple[int, int]]:
    judge = _PhoneJudge()
    for match in _PHONE_RE.finditer(text):
        start = match.start()
        found = judge.accept(match.group())
        if found is not None:
            yield start + found[0], start + found[1]
    # A bare local number (555-0134) is a phone only when the sentence says so.
    for match in _LOCAL7_RE.finditer(text):
        if _PHONE_CONTEXT_RE.search(text, max(0, match.start() - 30), match.start()):
            yield match.span()


# Detection order matters: secrets first (a URL's user:pass@host looks like an e-mail, a token
# holds digits), then e-mails, IBANs and cards (long digit runs a phone pattern would eat), SSNs,
# IP addresses (IPv6 before IPv4, which an IPv6 may embed), phones last.
_DETECTORS: tuple[tuple[Finder, str], ...] = (
    (_group_spans(_URL_USERINFO_RE, "value"), URL_SECRET),
    (_bare_userinfo_spans, URL_SECRET),
    (_group_spans(_QUERY_SECRET_RE, "value"), URL_SECRET),
    (_group_spans(_SLACK_WEBHOOK_RE, "value"), URL_SECRET),
    (_group_spans(_TOKEN_RE), URL_SECRET),
    (_bearer_spans, URL_SECRET),
    (_group_spans(_ASSIGNED_SECRET_RE, "value"), URL_SECRET),
    (_word_secret_spans, URL_SECRET),
    (_email_spans, EMAIL),
    (_group_spans(_SPELLED_EMAIL_RE), EMAIL),
    (_iban_spans, IBAN),
    (_card_spans, CARD),
    (_ssn_spans, SSN),
    (_ipv6_spans, IP_ADDRESS),
    (_ipv4_spans, IP_ADDRESS),
    (_phone_spans, PHONE),
)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            start = cursor
        pieces += [text[cursor:start], _MASK * (end - start)]
        cursor = max(cursor, end)
    pieces.append(text[cursor:])
    return "".join(pieces)


def find_pii(text: str) -> list[PiiSpan]:
    """Spans of personal data in `text`, in order, never overlapping."""
    spans: list[PiiSpan] = []
    # Found spans are masked with a character no pattern matches, keeping offsets, so a later
    # detector cannot claim part of an earlier find. One rebuild per detector keeps it linear.
    masked = text
    for finder, placeholder in _DETECTORS:
        found: list[tuple[int, int]] = []
        for start, end in sorted(finder(masked)):
            if start < end and _MASK not in masked[start:end] and not (found and start < found[-1][1]):
                found.append((start, end))
        if found:
            spans += [PiiSpan(start, end, placeholder) for start, end in found]
            masked = _mask(masked, found)
    return sorted(spans, key=lambda span: span.start)


def redact(text: str | None) -> str | None:
    """Return `text` with e-mails, phones, cards, IBANs, SSNs, IP addresses and secrets replaced."""
    if text is None:
        return None
    pieces, cursor = [], 0
    for span in find_pii(text):
        pieces += [text[cursor : span.start], span.placeholder]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
