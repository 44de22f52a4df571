"""Precision and recall of the redactor on realistic, tricky feedback text.

Each case marks its personal data inline as [[TYPE:value]]; text without marks must come
through untouched. Scoring is by span: a find counts when it overlaps a marked span of the
same type. Run `.venv/bin/pytest -q -s tests/text/test_pii_quality.py` to see the figures.
"""

from __future__ import annotations

import re

from insights.text.pii import CARD, EMAIL, IBAN, IP_ADDRESS, PHONE, URL_SECRET, find_pii, redact

PLACEHOLDERS = {"EMAIL": EMAIL, "PHONE": PHONE, "CARD": CARD, "IP": IP_ADDRESS, "SECRET": URL_SECRET, "IBAN": IBAN}

# Floors: first set at the figures measured when this was written (precision 0.970 = 32/33,
# recall 0.865 = 32/37, on 55 texts); since the rewrite of issue 13 the redactor finds all 38
# marked items here with no false alarm, and issue 13 asks for 0.95 on both. They move up when
# the redactor improves, never down to pass. The larger labelled set, with every type issue 13
# names, is tests/fixtures/redaction/cases.txt (tests/text/test_redaction_quality.py).
MIN_PRECISION = 0.95
MIN_RECALL = 0.95

CASES = [
    # e-mail: plain, angle brackets as mail clients quote them, sub-domains, plus-addressing
    "Please reply to [[EMAIL:jane.doe@acme.co.uk]], not the shared inbox.",
    'From: "Ops Team" <[[EMAIL:ops+billing@example.com]]>',
    "cc <[[EMAIL:Max.Mustermann@firma-gmbh.de]]>; <[[EMAIL:r.lee@mail.uni.edu.au]]>",
    "my login is [[EMAIL:first_last99@sub.example.io]]. Thanks!",
    "(contact: [[EMAIL:o'brien@example.ie]])",
    # phones: international formats
    "Call me on [[PHONE:+44 20 7946 0958]] after 3pm",
    "US office [[PHONE:(415) 555-0132]], ext. 12",
    "mobile [[PHONE:+49 151 23456789]]",
    "Festnetz [[PHONE:030 1234567]]",
    "Tel: [[PHONE:+33 1 42 68 53 00]]",
    "WhatsApp [[PHONE:+91 98765 43210]] anytime",
    "ring [[PHONE:415.555.0132]] or [[PHONE:+1-800-555-0199]]",
    "Sydney desk [[PHONE:+61 2 9374 4000]]",
    "call [[PHONE:+353 (0)1 234 5678]] in Dublin",
    "my cell is [[PHONE:07700 900123]]",
    # cards: Luhn-valid, grouped or not
    "I was charged twice on [[CARD:4111 1111 1111 1111]]",
    "card [[CARD:5500-0000-0000-0004]] declined",
    "amex [[CARD:378282246310005]] expired",
    # IPs and secrets in URLs
    "Login blocked from [[IP:203.0.113.42]] and [[IP:10.0.0.7]]",
    "Link https://app.acme.io/reset?token=[[SECRET:9f8e7d6c5b4a]]&lang=en broke",
    "webhook https://hooks.example.com/x?api_key=[[SECRET:sk_live_51HxYz]] returns 500",
    # numbers that are not personal data
    "Order 4111 1111 1111 1112 was refunded",
    "Export of report 123456 failed on 2024-01-15 at 10:32",
    "We upgraded to version 3.12.1 on 15.01.2024",
    "ticket #48213 mentions 12 dashboards and a 2026 budget",
    "ARR went from 120000 to 135000 (+12.5%)",
    "Invoice INV-2026-000123 shows 1,234.56 EUR",
    "The build 20261127.3 crashes on Android 14",
    "Error code 0x80070005 when syncing 3 of 250 files",
    "Tracking number 1Z999AA10123456784 never updated",
    # Was a negative before issue 13; DE89 3704 0044 0532 0130 00 passes the IBAN checksum, so it is one.
    "IBAN-like reference [[IBAN:DE89 3704 0044 0532 0130 00]] is not ours",
    "CPU at 99.9% for 3600 seconds, 2 cores, 16 GB",
    "Use the @mention feature, e.g. @team-lead, in comments",
    "The URL https://docs.acme.io/api?page=2&sort=asc is fine",
    "Python 3.11.4 and pandas 2.2.1 on macOS 14.5",
    "Between 09:00-17:30 CET, Mon-Fri",
    "Release 2026.11.27 fixed it",
    "timestamps like 1732700000 in the CSV",
    # written after the redactor was tuned to the cases above, to keep the figures honest
    "email me at [[EMAIL:john dot doe at gmail dot com]] please",
    "E-Mail: [[EMAIL:anna.schmidt(at)example.de]]",
    "<[[EMAIL:bob@example.com]]> wrote: the export is broken",
    "Phone: [[PHONE:+1 (212) 555-0198]]",
    "my direct line is [[PHONE:555-0134]]",
    "Call [[PHONE:020 7946 0958]] (UK)",
    "Tokyo office [[PHONE:+81-3-1234-5678]]",
    "tel:[[PHONE:+4915123456789]]",
    "Reach me on [[PHONE:(0)20 7946 0958]]",
    "card number [[CARD:4242424242424242]] was charged",
    "card ending 4242, expiry 12/27",
    "blocked from [[IP:2001:db8::1]] (IPv6)",
    "Server 192.168.1.300 is not a valid address",
    "version 1.2.3.4 of the SDK",
    "login with password=[[SECRET:hunter2]] then https://a.io/login?user=bob&password=[[SECRET:hunter2]]",
    "Account no. 12345678 on the invoice",
    "Date 2026-11-27 10:15:00 UTC",
]


def _gold(case: str) -> tuple[str, list[tuple[int, int, str]]]:
    text, spans, cursor = "", [], 0
    for match in re.finditer(r"\[\[(\w+):(.*?)\]\]", case):
        text += case[cursor : match.start()]
        spans.append((len(text), len(text) + len(match.group(2)), PLACEHOLDERS[match.group(1)]))
        text += match.group(2)
        cursor = match.end()
    return text + case[cursor:], spans


def measure(cases: list[str]) -> tuple[float, float, list[str]]:
    """(precision, recall, descriptions of every miss and false alarm)."""
    found_total = gold_total = found_right = gold_found = 0
    mistakes = []
    for case in cases:
        text, gold = _gold(case)
        found = [(s.start, s.end, s.placeholder) for s in find_pii(text)]

        def overlaps(a, b):
            return a[0] < b[1] and b[0] < a[1] and a[2] == b[2]

        found_total += len(found)
        gold_total += len(gold)
        for span in found:
            if any(overlaps(span, g) for g in gold):
                found_right += 1
            else:
                mistakes.append(f"false alarm {span[2]} {text[span[0] : span[1]]!r} in {text!r}")
        for g in gold:
            if any(overlaps(g, span) for span in found):
                gold_found += 1
            else:
                mistakes.append(f"missed {g[2]} {text[g[0] : g[1]]!r} in {text!r}")
    return found_right / max(found_total, 1), gold_found / max(gold_total, 1), mistakes


def test_precision_and_recall_of_the_redactor():
    precision, recall, mistakes = measure(CASES)
    gold = sum(len(_gold(c)[1]) for c in CASES)
    print(f"\nPII redactor on {len(CASES)} texts, {gold} marked items: precision {precision:.3f}, recall {recall:.3f}")
    for mistake in mistakes:
        print("  " + mistake)
    assert precision >= MIN_PRECISION, mistakes
    assert recall >= MIN_RECALL, mistakes


def test_angle_bracket_address_keeps_its_brackets():
    assert redact('From: "Ops" <ops+billing@example.com>') == 'From: "Ops" <<EMAIL>>'
