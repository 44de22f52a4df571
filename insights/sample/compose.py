"""Write the text of a planned feedback item in the voice of the tool it was left in."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from insights.sample.bank import NOISE, Theme, people, shared
from insights.sample.feedback import Planned
from insights.sample.intents import FEATURE_BOARD_INTENT, stock_intent, theme_intent

TYPO_CHANCE = 0.12
SECOND_TYPO_CHANCE = 0.25  # of the items that already have one
CASUAL_CHANCE = 0.12  # short survey answers typed in lowercase without a full stop
# How many theme details an item carries, by how talkative its tool is (tickets say most).
DETAIL_COUNTS = {1: (0, 0, 1, 1), 2: (0, 0, 1, 1, 1, 2)}


@dataclass(frozen=True)
class Author:
    first: str
    email: str
    plan: str
    domain: str


def _shorten(sentence: str) -> str:
    """A subject line from a sentence: its first clause, at most eight words."""
    clause = re.split(r"[,;:]| because | but | and then ", sentence, maxsplit=1)[0]
    words = clause.rstrip(".!?").split()
    return " ".join(words[:8])


def _title_from_ask(ask: str) -> str:
    text = ask.removeprefix("Please ").rstrip(".?!")
    return text[:1].upper() + text[1:]


class Composer:
    """Turns plans into texts; every random choice comes from the one `rng` it is given.

    `intents` gets the planted intent of every text written, in the order they were written.
    """

    def __init__(self, rng: random.Random, themes: Sequence[Theme]):
        self.rng = rng
        self.themes: Mapping[str, Theme] = {t.slug: t for t in themes}
        self.intents: list[str] = []

    # -- building blocks ---------------------------------------------------------------------

    def _choice(self, options):
        return options[self.rng.randrange(len(options))]

    def _slots(self, author: Author | None) -> dict[str, object]:
        r = self.rng
        return {
            "rows": self._choice((40, 60, 85, 120, 150, 200, 260, 400, 750)),
            "widgets": r.randint(8, 40),
            "city": self._choice(people.CITIES),
            "weekday": self._choice(people.WEEKDAYS),
            "dashboards": r.randint(5, 120),
            "reports": self._choice((200, 450, 900, 1500, 3000)),
            "seats": r.randint(12, 400),
            "days": r.randint(3, 30),
            "calls": r.randint(5, 200) * 100,
            "minutes": self._choice((5, 10, 15, 30)),
            "channels": r.randint(3, 40),
            "iphone": r.randint(12, 16),
            "hours": r.randint(6, 12),
            "invoice": r.randint(10_000, 99_999),
            "amount": r.randint(40, 4_800),
            "emails": r.randint(20, 150),
            "clients": r.randint(5, 80),
            "years": r.randint(2, 6),
            "plan": (author.plan if author else "Pro").capitalize(),
        }

    def _fill(self, text: str, author: Author | None) -> str:
        return text.format_map(self._slots(author)) if "{" in text else text

    def _typos(self, text: str) -> str:
        if self.rng.random() >= TYPO_CHANCE:
            return text
        text = self._typo(text)
        return self._typo(text) if self.rng.random() < SECOND_TYPO_CHANCE else text

    def _typo(self, text: str) -> str:
        # Only plain words: a typo inside an address or number would change what it is.
        words = [m for m in re.finditer(r"(?<![\w@.])[A-Za-z]{5,}(?![\w@])", text)]
        if not words:
            return text
        m = self._choice(words)
        word, i = m.group(0), self.rng.randrange(1, len(m.group(0)) - 2)
        kind = self.rng.random()
        if kind < 0.45:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
        elif kind < 0.85:
            word = word[:i] + word[i + 1 :]  # dropped letter
        else:
            word = word[:i] + word[i] + word[i:]  # doubled letter
        return text[: m.start()] + word + text[m.end() :]

    def _contact(self, item: Planned, author: Author | None) -> str:
        if item.contact == "email":
            if author is not None and self.rng.random() < 0.6:
                address = author.email
            else:
                nick = self._choice(people.NICKNAME_WORDS)
                address = f"{nick}.{self._choice(people.NICKNAME_WORDS)}{self.rng.randint(1, 99)}@mail.example"
            return self._choice(shared.EMAIL_LINES).format(email=address)
        r = self.rng
        phone = self._choice(shared.PHONE_FORMATS).format(
            us_area=self._choice((212, 312, 415, 512, 617, 646, 720)),
            d2=f"{r.randint(0, 99):02d}",
            d2b=f"{r.randint(0, 99):02d}",
            d3=f"{r.randint(0, 999):03d}",
            d4=f"{r.randint(0, 9999):04d}",
        )
        return self._choice(shared.PHONE_LINES).format(phone=phone)

    def _core(self, theme: Theme) -> str:
        return self._choice(theme.problems)

    def _details(self, theme: Theme, author: Author | None, most: int) -> list[str]:
        count = min(len(theme.details), self._choice(DETAIL_COUNTS[most]))
        return [self._fill(d, author) for d in self.rng.sample(list(theme.details), count)]

    def _aside(self, item: Planned, pool: str = "problems") -> list[str]:
        if item.second is None:
            return []
        second = self.themes[item.second]
        options = second.problems + second.asks if pool == "both" else second.problems
        return [f"{self._choice(shared.CONNECTORS)} {self._choice(options)}"]

    # -- one method per tool -----------------------------------------------------------------

    def ticket(self, item: Planned, author: Author | None) -> tuple[str, str]:
        r = self.rng
        if item.theme == NOISE:
            subject, body = self._choice(shared.NOISE_TICKETS)
            self.intents.append(stock_intent(body))
            parts = [body] + ([self._contact(item, author)] if item.contact else [])
            return subject, self._typos(" ".join(parts))
        theme = self.themes[item.theme]
        self.intents.append(theme_intent(theme))
        core = self._core(theme)
        subject = self._choice(theme.titles) if r.random() < 0.8 else _shorten(core)
        if theme.mood == "bug" and r.random() < 0.08:
            subject = self._choice(shared.URGENT_PREFIXES) + subject
        body = [self._choice(shared.LEAD_INS)] if r.random() < 0.35 else []
        body.append(core)
        if r.random() < 0.2:
            # People often describe the same problem twice, in other words.
            body.append(self._choice([p for p in theme.problems if p != core]))
        body += self._details(theme, author, most=2)
        if r.random() < 0.3:
            body.append(self._fill(self._choice(shared.CONTEXTS), author))
        if theme.mood != "wish" and r.random() < 0.3:
            body.append(self._fill(self._choice(shared.IMPACTS), author))
        body += self._aside(item)
        if item.contact:
            body.append(self._contact(item, author))
        paragraphs = [self._choice(shared.GREETINGS)] if r.random() < 0.6 else []
        paragraphs.append(self._typos(" ".join(body)))
        if r.random() < 0.45:
            paragraphs.append(self._choice(shared.CLOSERS))
        if author is not None and r.random() < 0.45:
            paragraphs.append(f"{self._choice(shared.SIGN_OFFS)}\n{author.first}")
        return subject, "\n\n".join(paragraphs)

    def nps(self, item: Planned, author: Author | None, score: int) -> str:
        r = self.rng
        if item.blank:
            self.intents.append("other")
            return ""
        if item.theme == NOISE:
            text = self._choice(shared.NOISE_NPS)
            self.intents.append(stock_intent(text))
            return text
        theme = self.themes[item.theme]
        self.intents.append(theme_intent(theme))
        band = "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
        parts = [self._choice(shared.NPS_VERDICTS[band])] if r.random() < 0.4 or band == "promoter" else []
        core = self._core(theme)
        if band != "detractor" and r.random() < 0.6:
            core = f"{self._choice(shared.NPS_PIVOTS)} {core}"
        parts.append(core)
        parts += self._details(theme, author, most=1)
        parts += self._aside(item)
        if item.contact:
            parts.append(self._contact(item, author))
        text = self._typos(" ".join(parts))
        if r.random() < CASUAL_CHANCE:
            text = text.lower().rstrip(".")
        return text

    def review(self, item: Planned, rating: int) -> tuple[str, str]:
        r = self.rng
        if item.theme == NOISE:
            title, body = self._choice(shared.NOISE_REVIEWS)
            self.intents.append(stock_intent(body))
            return title, body
        theme = self.themes[item.theme]
        self.intents.append(theme_intent(theme))
        title = self._choice(theme.titles) if r.random() < 0.65 else self._choice(shared.REVIEW_TITLES[rating])
        body = [self._core(theme)] + self._details(theme, None, most=1)
        if r.random() < 0.25:
            body.append(self._fill(self._choice(shared.REVIEW_CONTEXTS), None))
        body += self._aside(item)
        if item.contact:
            body.append(self._contact(item, None))
        if rating != 3 and r.random() < 0.35:
            body.append(self._choice(shared.REVIEW_CLOSERS["low" if rating <= 2 else "high"]))
        text = self._typos(" ".join(body))
        if r.random() < CASUAL_CHANCE / 2:
            text = text.lower()
        return title, text

    def canny(self, item: Planned, author: Author | None) -> tuple[str, str]:
        r = self.rng
        if item.theme == NOISE:
            title, body = self._choice(shared.NOISE_CANNY)
            self.intents.append(stock_intent(body))
            return title, body
        theme = self.themes[item.theme]
        # Every themed post carries one of the theme's asks, whatever else it says.
        self.intents.append(FEATURE_BOARD_INTENT)
        ask = self._choice(theme.asks)
        from_ask = r.random() < 0.5
        title = _title_from_ask(ask) if from_ask else self._choice(theme.titles)
        if r.random() < 0.1 and item.contact is None and item.second is None:
            return title, ""
        parts = [self._choice(shared.CANNY_LEADS)] if r.random() < 0.3 else []
        if not from_ask:
            parts.append(ask)
        if from_ask or r.random() < 0.5:
            parts.append(self._core(theme))
        parts += self._details(theme, author, most=1)
        if r.random() < 0.2:
            parts.append(self._fill(self._choice(shared.CONTEXTS), author))
        parts += self._aside(item, pool="both")
        if item.contact:
            parts.append(self._contact(item, author))
        return title, self._typos(" ".join(parts))
