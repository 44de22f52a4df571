"""Score the redactor on a labelled set: recall and precision per type and overall.

A labelled text marks its personal data inline as `[[TYPE:value]]`; unmarked text must come
through untouched. A find is right when it overlaps a marked span whose type redacts to the
same placeholder; a marked span is found when some find of its placeholder overlaps it.
Used by `tests/text/test_redaction_quality.py` and `bench/redaction.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from insights.text.pii import CARD, EMAIL, IBAN, IP_ADDRESS, PHONE, SSN, URL_SECRET, find_pii

# Labelled type -> the placeholder the redactor must put there.
TYPES = {
    "EMAIL": EMAIL,
    "PHONE": PHONE,
    "CARD": CARD,
    "IBAN": IBAN,
    "SSN": SSN,
    "IPV4": IP_ADDRESS,
    "IPV6": IP_ADDRESS,
    "URL_SECRET": URL_SECRET,
    "API_KEY": URL_SECRET,
}
_MARK_RE = re.compile(r"\[\[(\w+):(.*?)\]\]")


@dataclass
class Score:
    found: int = 0  # finds attributed to the type
    found_right: int = 0
    gold: int = 0
    gold_found: int = 0

    @property
    def precision(self) -> float:
        return self.found_right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0


@dataclass
class Report:
    per_type: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in TYPES})
    overall: Score = field(default_factory=Score)
    mistakes: list[str] = field(default_factory=list)
    texts: int = 0


def parse_case(case: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The plain text of a labelled case and its marked spans (start, end, type)."""
    text, spans, cursor = "", [], 0
    for match in _MARK_RE.finditer(case):
        kind = match.group(1)
        if kind not in TYPES:
            raise ValueError(f"unknown type {kind!r} in {case!r}")
        text += case[cursor : match.start()]
        spans.append((len(text), len(text) + len(match.group(2)), kind))
        text += match.group(2)
        cursor = match.end()
    return text + case[cursor:], spans


def load_cases(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _guess_type(text: str, start: int, end: int, placeholder: str) -> str:
    """The labelled type a false alarm would have been, to charge it to that type's precision."""
    if placeholder == IP_ADDRESS:
        return "IPV6" if ":" in text[start:end] else "IPV4"
    if placeholder == URL_SECRET:
        before = text[max(0, start - 1) : start]
        return "URL_SECRET" if before in ("=", "/") or text[end : end + 1] == "@" else "API_KEY"
    return next(kind for kind, value in TYPES.items() if value == placeholder)


def measure(cases: list[str]) -> Report:
    report = Report(texts=len(cases))
    for case in cases:
        text, gold = parse_case(case)
        found = [(s.start, s.end, s.placeholder) for s in find_pii(text)]
        for start, end, placeholder in found:
            match = next((g for g in gold if g[0] < end and start < g[1] and TYPES[g[2]] == placeholder), None)
            kind = match[2] if match else _guess_type(text, start, end, placeholder)
            for score in (report.per_type[kind], report.overall):
                score.found += 1
                score.found_right += match is not None
            if match is None:
                report.mistakes.append(f"false alarm {kind} {text[start:end]!r} in {text!r}")
        for start, end, kind in gold:
            hit = any(s < end and start < e and p == TYPES[kind] for s, e, p in found)
            for score in (report.per_type[kind], report.overall):
                score.gold += 1
                score.gold_found += hit
            if not hit:
                report.mistakes.append(f"missed {kind} {text[start:end]!r} in {text!r}")
    return report


def format_report(report: Report) -> str:
    rows = [f"{'type':<11} {'gold':>5} {'found':>6} {'recall':>7} {'precision':>10}"]
    for kind, score in [*report.per_type.items(), ("overall", report.overall)]:
        rows.append(f"{kind:<11} {score.gold:>5} {score.found:>6} {score.recall:>7.3f} {score.precision:>10.3f}")
    return "\n".join(rows)
