import pytest

from insights.text.pii import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jane.doe@acme.co.uk today", "write to <EMAIL> today"),
        ("Contact: <ops+billing@example.com>", "Contact: <<EMAIL>>"),
        ("call +44 20 7946 0958 please", "call <PHONE> please"),
        ("my number is (415) 555-0132", "my number is <PHONE>"),
        ("ring 415.555.0132", "ring <PHONE>"),
        ("Festnetz 030 1234567", "Festnetz <PHONE>"),
        ("+1-800-555-0199 is support", "<PHONE> is support"),
        ("paid with 4111 1111 1111 1111", "paid with <CARD>"),
        ("from 192.168.10.4 at night", "from <IP_ADDRESS> at night"),
        ("https://app.io/x?token=abc123&page=2", "https://app.io/x?token=<SECRET>&page=2"),
    ],
)
def test_personal_data_is_replaced_by_its_type(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Export of report 123456 failed on 2024-01-15",
        "We upgraded to version 3.12.1 on 15.01.2024",
        "ticket #48213 mentions 12 dashboards and 2026 budget",
        "ARR went from 120000 to 135000",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert redact(text) == text


def test_card_shaped_number_failing_luhn_is_not_a_card():
    assert "<CARD>" not in redact("reference 4111 1111 1111 1112")


def test_none_passes_through():
    assert redact(None) is None
