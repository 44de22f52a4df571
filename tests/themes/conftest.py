"""Shared fixtures: the real bundled model, loaded once per session, and a hand-written corpus.

The corpus is feedback in four clearly different topics, paraphrased the way customers write
(varied wording, typos, PII placeholders, different lengths), plus texts that fit no topic.
No topic shares its key nouns with another, so a correct clustering has no excuse to mix them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from insights.themes.embed import embed_texts, load_model

TOPICS: dict[str, list[str]] = {
    "csv_export": [
        "CSV export times out when the report has more than 50k rows",
        "Exporting a large report to CSV never finishes, the download just spins",
        "The export to csv button fails for big reports, please fix",
        "Our monthly report is huge and the CSV export crashes every time",
        "csv export of large reports is broken, we get a timeout error",
        "Can't export my big report as a CSV file, it hangs forever",
        "Large report CSV downloads fail halfway through",
        "Export to CSV stopped working for reports with many rows",
        "When I export a report with lots of rows to CSV it times out",
        "CSV export is too slow on large reports, takes over ten minutes and then errors",
        "Please make CSV export work for large reports, it keeps timing out",
    ],
    "sso_login": [
        "SSO login with Okta fails with an invalid SAML response",
        "We can't sign in through single sign-on since yesterday",
        "Single sign-on via Azure AD keeps redirecting back to the login page",
        "Our team is locked out, SAML SSO login is broken",
        "Login with SSO gives error 'assertion expired', please help",
        "Okta single sign on stopped working for all our users",
        "SSO sign-in loops forever, users can't log into the workspace",
        "After enabling SAML our employees cannot log in anymore, contact <EMAIL>",
        "Single sign-on login fails intermittently with Google Workspace",
        "SAML SSO authentication error when logging in from the company portal",
        "Users get a 403 after the SSO redirect and never reach the app",
    ],
    "billing_invoice": [
        "We were charged twice on our last invoice",
        "The invoice shows the wrong amount, we got billed for 40 seats instead of 25",
        "Double charge on my credit card this month, please refund",
        "Billing overcharged us after we downgraded our plan",
        "Our invoice still lists users we removed months ago, we are paying too much",
        "Please refund the duplicate payment taken from our card",
        "I was billed for the annual plan although we chose monthly billing",
        "Incorrect invoice amount, we need a corrected invoice for accounting",
        "You charged our company card twice for the same subscription",
        "The billing page shows a charge we never authorised, call me at <PHONE>",
        "Why did our bill go up? We were overcharged for seats we do not use",
    ],
    "mobile_crash": [
        "The iOS app crashes as soon as I open it",
        "App keeps crashing on my iPhone after the latest update",
        "Android app force closes when I tap on notifications",
        "Mobile app crashes on launch since version 4.2",
        "The app freezes and then crashes on my Samsung phone",
        "Every time I open the iPad app it closes immediately",
        "Crash on startup in the mobile app, reinstalling did not help",
        "The phone app shuts down whenever I try to upload a photo",
        "iPhone app crashes constantly, totally unusable on mobile",
        "Since the update the Android application crashes after a few seconds",
        "mobile app crashes randomly while scrolling the feed",
    ],
}

# Texts that belong to no product topic: keyboard mashing and unrelated chatter.
OFF_TOPIC: list[str] = [
    "asdf qwer zxcv lkjh",
    "The weather in Lisbon was lovely on our holiday",
    "My grandmother's lasagna recipe uses three cheeses",
    "xkcd 927 lol",
]


def labelled_texts() -> tuple[list[str], list[str]]:
    """(texts, truth) with off-topic items labelled 'noise', in a fixed interleaved order."""
    texts, truth = [], []
    longest = max(len(items) for items in TOPICS.values())
    # Interleaving means no topic arrives as one block, as in a real export.
    for i in range(longest):
        for topic, items in TOPICS.items():
            if i < len(items):
                texts.append(items[i])
                truth.append(topic)
        if i < len(OFF_TOPIC):
            texts.append(OFF_TOPIC[i])
            truth.append("noise")
    return texts, truth


@dataclass(frozen=True)
class Corpus:
    texts: list[str]
    truth: np.ndarray
    embeddings: np.ndarray


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture(scope="session")
def corpus(model) -> Corpus:
    texts, truth = labelled_texts()
    embeddings = embed_texts(texts, model)
    # Shared by every test in the session: a test that modified it would poison the others.
    embeddings.setflags(write=False)
    return Corpus(texts, np.array(truth), embeddings)
