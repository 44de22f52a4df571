"""Recall and precision of PII redaction per type and overall, and its time on 200 KB inputs.

Run: `.venv/bin/python bench/redaction.py` (about 15 s). Figures go in docs/redaction.md.
The labelled sets are tests/fixtures/redaction/cases.txt and heldout.txt; the timing inputs
include ordinary prose with PII and hostile text (no spaces at all, thousands of '@' or
digits, token prefixes), each timed as the best of three runs.
"""

from __future__ import annotations

import random
import string
import time
from pathlib import Path

from insights.text.pii import redact
from insights.text.pii_eval import format_report, load_cases, measure

ROOT = Path(__file__).resolve().parents[1]

SETS = ROOT / "tests" / "fixtures" / "redaction"
SIZE = 200_000


def timing_inputs(size: int = SIZE) -> dict[str, str]:
    rng = random.Random(13)

    def rnd(chars: str) -> str:
        return "".join(rng.choices(chars, k=size))

    prose = (
        "Hi, mail jane.doe@acme.co.uk or call +44 20 7946 0958, card 4111 1111 1111 1111, ip 10.0.0.7, "
        "IBAN DE89 3704 0044 0532 0130 00, https://a.io/x?token=abc123 order 4829301 v2.13.0 on 2024-03-05. "
    )
    phones = " ".join(
        f"+1 {rng.randint(200, 999)} {rng.randint(200, 999)} {rng.randint(0, 9999):04d}" for _ in range(size // 16)
    )
    inputs = {
        "prose with PII": prose * (size // len(prose) + 1),
        "no spaces, letters": rnd(string.ascii_letters),
        "no spaces, mixed": rnd(string.ascii_letters + string.digits + ".-_:@/?=&%+"),
        "many @": "@" * size,
        "a@ repeated": "a@" * size,
        "a.@ mixed": rnd("a.@"),
        "digits": rnd(string.digits),
        "digits and spaces": rnd(string.digits + " "),
        "digits and dashes": "-".join(rnd(string.digits)),
        "digits, brackets, +": rnd("0123456789() -+"),
        "only phone numbers": phones,
        "hex and colons": rnd("0123456789abcdef:"),
        "eyJ / ghp_ prefixes": "eyJ" * size + "ghp_" * size,
        "?token= repeated": "?token=" * size,
        ":// repeated": "://" * size,
    }
    return {name: text[:size] for name, text in inputs.items()}


def main() -> None:
    for name in ("cases", "heldout"):
        report = measure(load_cases(SETS / f"{name}.txt"))
        print(f"{name}.txt: {report.texts} texts")
        print(format_report(report))
        for mistake in report.mistakes:
            print("  " + mistake)
        print()
    print(f"time to redact {SIZE // 1000} KB (best of 3)")
    worst = 0.0
    for name, text in timing_inputs().items():
        best = min(_time(text) for _ in range(3))
        worst = max(worst, best)
        print(f"  {name:<22} {best:6.3f} s")
    print(f"  {'worst':<22} {worst:6.3f} s")


def _time(text: str) -> float:
    started = time.perf_counter()
    redact(text)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
