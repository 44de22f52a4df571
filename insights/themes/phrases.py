"""Phrases a person would write as a theme's name, cut from the theme's own texts.

A label is a contiguous run of 3 to 8 words from one of the theme's texts, so it reads the way
customers wrote it ("CSV export times out on large reports"), never words glued from two
places. This module finds the runs that can stand alone as a name (`candidate_phrases`) and
says whether a label does (`reads_as_phrase`, the grammar check `insights evaluate` reports);
`label.py` picks among them by meaning.

There is no part-of-speech tagger here on purpose: every English tagger needs a model download
at run time. Word lists do the work instead: a name does not start with a conjunction or end in
an article, preposition, auxiliary or possessive ("filters reset on the", "search doesn't"),
which catches the dangling fragments that matter, and the rules are small enough to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MIN_WORDS, MAX_WORDS = 3, 8


def _word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated list: word lists stay readable as prose, a line each."""
    return frozenset(words.split())


_WORD_RE = re.compile(r"[^\W_](?:[\w']|[-.](?=\w))*", re.UNICODE)
# Clause boundaries: a name never spans two sentences or a list of things.
_CLAUSE_RE = re.compile(
    r"[.!?;:,()\[\]{}\"\n\u2026\u2013\u2014]+|\s-\s|\s/\s|<[A-Z_]+>|\{\{[^}]*\}\}|\b(?:but|because|although|however)\b",
    re.IGNORECASE,
)

# Words a name cannot start with: it would continue something said before.
BAD_START = _word_set(
    """and or but so because although though than then which who whom whose of nor yet also too
    as either neither plus"""
)
# Words a name cannot end with: something must follow them.
BAD_END = _word_set(
    """a an the this that these those my your our their his her its some any every no each and
    or but so because if than then as of to for with in on at from by about into onto over
    under after before through without within between during via per like is are was were be
    been being am do does did doesn't don't didn't isn't aren't wasn't can can't cannot
    could couldn't would wouldn't will won't shall should shouldn't may might must has have
    had hasn't haven't i we you they he she it me us them very really just not quite also
    too when where while how what why whether which who far near next more less most such
    own same other another several many much few able unable going trying want need wants
    needs mr mrs ms dr"""
)
# A name may end in one of these only after a verb they complete ("can't log in", "sign up").
_PARTICLES = _word_set("in on up out off down over back")
_PHRASAL_VERBS = _word_set(
    """log logs logged logging sign signs signed signing set sets setting check checks checked
    checking opt opted top topped pay paid back turn turns turned shut lock locks locked
    kick kicks kicked pick picks sync syncs synced cancel roll rolls rolled time times timed
    freeze freezes froze slow slows sort sorts sorted pop pops popped go goes went come
    comes came show shows showed zoom break breaks broke load loads sold sell fill fills
    filled sign-up"""
)
# Openers and closers that are politeness, not content: never a label, stripped from quotes.
_GREETING_RE = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b[^.!?,\n]{0,30}?[,.!:\n-]+\s*)+",
    re.IGNORECASE,
)
_SIGN_OFF_RE = re.compile(
    # Only after a sentence end, a comma or a dash: "the app is the best" keeps its "best".
    r"(?:(?<=[.!?\n])\s*|\s*[,\n]\s*|\s+-\s*)(?:\b(?:many |much )?(?:thanks|thank you|thx|cheers|regards|best regards|kind regards|best|"
    r"br|sincerely|all the best)\b(?:\s+(?:in advance|again|so much|a lot|team))?[\s,.!-]*"
    r"(?:\b[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)?)?[\s.!]*)$",
    re.IGNORECASE,
)


# Where a name may start: after a subject, modal or request word ("I | can't log in", "please |
# add dark mode", "how to | reset my password"), so the name is the verb phrase that follows.
_START_SEAMS = _word_set(
    """please pls kindly i we you they it me us can could would will to how and or so then also
    just want need like help i'm i'd we'd we're i've we've it's there's when why but that"""
)
_OPENERS = _word_set("""need needs trying try have has do does get""")
# Where a name may stop: before a word that opens a new part of the sentence ("the export
# fails | when ...", "slack alerts | for every deal"), never before one that completes it
# ("rate limits are far | too low", "restaurants near | me").
_END_SEAMS = _word_set(
    """for when with in on at from by after before since because so and or but if while as than
    to please again now today yet anymore every all whenever once until unless though
    although even instead without during via which who where that"""
)


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def strip_pleasantries(text: str) -> str:
    """The text without a leading greeting ("Hi team,") or a trailing sign-off ("Thanks, José").

    Only the edges are touched: "thanks to the new filter" inside a sentence is content. A text
    that is nothing but politeness is returned as it was, so no quote ever becomes empty.
    """
    stripped = _GREETING_RE.sub("", text, count=1)
    stripped = _SIGN_OFF_RE.sub("", stripped, count=1).strip()
    return stripped if words(stripped) else text.strip()


def leading_openers(phrase: str) -> int:
    """How many words at the start are request openers ("Please", "I need help", "Trying to")."""
    count = 0
    for word in words(phrase):
        if word.lower() not in _START_SEAMS and word.lower() not in _OPENERS:
            break
        count += 1
    return count


def reads_as_phrase(label: str) -> bool:
    """The grammar check: 3-8 words, one run of text, no dangling first or last word.

    Rejects what the old labels looked like: two halves glued by " / ", a placeholder, a
    fragment that ends in a word needing a follower ("app is extremely", "search doesn't"),
    or one that continues an earlier clause ("and reports in the workspace").
    """
    if " / " in label or re.search(r"<[A-Z_]+>|\{\{", label):
        return False
    # An order or ticket number names one case, not a theme.
    if re.search(r"\d{4,}", label):
        return False
    if label.count("(") != label.count(")") or label.count('"') % 2:
        return False
    tokens = [w.lower() for w in words(label)]
    if not MIN_WORDS <= len(tokens) <= MAX_WORDS:
        return False
    if tokens[0] in BAD_START:
        return False
    last = tokens[-1]
    if last in _PARTICLES:
        return tokens[-2] in _PHRASAL_VERBS
    return last not in BAD_END


def candidate_phrases(text: str) -> Iterator[str]:
    """Every run of 3-8 words inside one clause of `text` that passes `reads_as_phrase` and is
    cut at a seam of the sentence (`_START_SEAMS`, `_END_SEAMS`).

    A seam is a clause edge or a function word: "the export fails | when the report is big"
    cuts cleanly, "permissions on different | teams" does not, because a word after the
    cut means the phrase stopped inside a noun phrase ("different" what?). The same holds at the
    start ("add this | song to my music" starts mid-phrase less often than after a content word).
    Without a tagger this is the test that keeps adjectives and verbs from dangling.
    """
    for clause in _CLAUSE_RE.split(strip_pleasantries(text)):
        if not clause:
            continue
        matches = list(_WORD_RE.finditer(clause))
        lower = [m.group().lower() for m in matches]
        for i in range(len(matches)):
            if i > 0 and lower[i - 1] not in _START_SEAMS:
                continue
            for j in range(i + MIN_WORDS - 1, min(i + MAX_WORDS, len(matches))):
                if j + 1 < len(matches) and lower[j + 1] not in _END_SEAMS:
                    continue
                phrase = clause[matches[i].start() : matches[j].end()]
                if reads_as_phrase(phrase):
                    yield phrase


def as_label(phrase: str) -> str:
    """Sentence case, keeping the customer's own capitals ("CSV", "Okta") after the first letter."""
    phrase = " ".join(phrase.split())
    if phrase.isupper() and len(phrase.split()) > 1:
        # A shouted text ("ALARM IS SET") is not a name's capitals.
        phrase = phrase.lower()
    return phrase[:1].upper() + phrase[1:]
