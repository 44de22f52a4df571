"""The grammar check and the phrase cutter behind theme labels (no model needed)."""

import pytest

from insights.themes.phrases import as_label, candidate_phrases, leading_openers, reads_as_phrase, strip_pleasantries


@pytest.mark.parametrize(
    "label",
    [
        # The shapes the old labeller produced (issue 11).
        "search doesn't / reports in the workspace",
        "app is extremely / mornings when everyone logs",
        "use my card / visa or mastercard",
        "filters reset on the",
        "search doesn't",
        "and reports in the workspace",
        "csv",  # too short
        "export",
        "one two three four five six seven eight nine",  # too long
        "refund for order 370795561790",  # a case number, not a theme
        "email <EMAIL> bounced back",
        "the app is very",
    ],
)
def test_the_grammar_check_rejects_fragments(label):
    assert not reads_as_phrase(label)


@pytest.mark.parametrize(
    "label",
    [
        "CSV export times out on large reports",
        "Issue logging in on Android",
        "Can't log in",
        "Password reset email not received",
        "Add a dark mode",
        "Sign up fails with Google",
        "When will my card arrive",
    ],
)
def test_the_grammar_check_accepts_names(label):
    assert reads_as_phrase(label)


def test_phrases_are_cut_at_seams_of_the_sentence():
    phrases = set(candidate_phrases("The CSV export times out when the report is big, please fix"))
    assert "The CSV export times out" in phrases
    # Stopping inside a noun phrase leaves an adjective dangling.
    assert not any(p.endswith("is big") is False and p.endswith("the report") for p in phrases)
    assert "CSV export times" not in phrases
    assert all(reads_as_phrase(p) for p in phrases)
    # Never across a clause boundary.
    assert not any("big please" in p or "big, please" in p for p in phrases)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi team, the export fails every night. Thanks, José", "the export fails every night."),
        ("Hello! Search is broken.\nBest regards,\nAnna Smith", "Search is broken."),
        ("Hey there - dark mode please. Cheers", "dark mode please."),
        ("Dear support, my invoice is wrong. Thank you in advance!", "my invoice is wrong."),
        ("Thanks to the new filter we save hours", "Thanks to the new filter we save hours"),
        ("Thanks!", "Thanks!"),  # nothing but politeness stays as it was
    ],
)
def test_greetings_and_sign_offs_are_cut_from_the_edges_only(text, expected):
    assert strip_pleasantries(text) == expected


def test_labels_keep_the_customers_capitals_but_not_shouting():
    assert as_label("export to CSV fails") == "Export to CSV fails"
    assert as_label("ALARM IS SET") == "Alarm is set"


def test_request_openers_are_counted():
    assert leading_openers("Please add dark mode") == 1
    assert leading_openers("I need help checking payment methods") == 3
    assert leading_openers("Dark mode") == 0


def test_a_sign_off_word_inside_the_last_sentence_is_content():
    assert strip_pleasantries("Honestly this app is the best") == "Honestly this app is the best"
    assert strip_pleasantries("Please fix the export, thanks") == "Please fix the export"
