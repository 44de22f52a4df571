"""A labelled corpus of customer requests written for the tests: 12 intents, templates with slots.

Real enough for the real model (varied wording, shared domain words across intents, such as
"report" in export and scheduling requests), small enough to embed in seconds.
"""

from __future__ import annotations

import itertools
import random

SLOTS = {
    "report": ["the sales report", "our monthly report", "the revenue dashboard", "the churn report", "this report"],
    "device": ["my iPhone", "Android", "the iPad app", "my Pixel phone", "the mobile app"],
    "tool": ["Slack", "Teams", "Salesforce", "HubSpot", "Jira"],
    "when": ["since Monday", "after the last update", "every morning", "again today", "for a week now"],
}

INTENTS = {
    "csv_export": [
        "Exporting {report} to CSV times out {when}",
        "CSV export of {report} never finishes",
        "The csv download fails for {report}",
        "Can't export {report} as a spreadsheet {when}",
        "Export to CSV hangs on {report}",
    ],
    "login_sso": [
        "SSO login fails with a SAML error {when}",
        "We can't sign in through Okta single sign-on {when}",
        "Single sign-on keeps redirecting to the login page",
        "SAML authentication broken for our team {when}",
        "Okta SSO stopped letting us log in",
    ],
    "billing_double_charge": [
        "We were charged twice on our invoice {when}",
        "Double charge on the company card this month",
        "Please refund the duplicate payment",
        "The invoice shows two identical charges",
        "You billed us twice for the same subscription",
    ],
    "mobile_crash": [
        "The app crashes on launch on {device}",
        "{device} closes itself as soon as I open it",
        "Crash on startup {when} on {device}",
        "The mobile app keeps crashing {when}",
        "Opening the app on {device} crashes it",
    ],
    "dark_mode": [
        "Please add a dark mode",
        "A dark theme would be easier on the eyes at night",
        "Any plans for dark mode on {device}?",
        "I'd love a night mode for the dashboard",
        "Dark mode please, the white screen is blinding",
    ],
    "slack_integration": [
        "Send alerts to {tool} when a metric drops",
        "We want notifications in our {tool} channel",
        "A {tool} integration for alerts would help a lot",
        "Post daily summaries to {tool}",
        "Connect alerts with {tool} please",
    ],
    "slow_dashboard": [
        "{report} takes forever to load {when}",
        "Dashboards are painfully slow {when}",
        "Loading {report} takes over a minute",
        "Charts on {report} spin for ages before showing",
        "The dashboard is sluggish {when}",
    ],
    "password_reset": [
        "The password reset email never arrives",
        "I did not receive the reset password link",
        "Forgot my password and the reset mail is missing",
        "Reset password link expired before I could use it",
        "No email when I click forgot password",
    ],
    "scheduled_timezone": [
        "Scheduled reports arrive at the wrong time for our timezone",
        "The schedule ignores my time zone {when}",
        "Report emails come at 3am because of the timezone",
        "Please let us pick the timezone for scheduled sends",
        "Scheduled delivery uses UTC instead of local time",
    ],
    "audit_log": [
        "We need an audit log of who changed what",
        "Compliance asks for a history of user actions",
        "Please add an audit trail for admin changes",
        "Is there a log of permission changes?",
        "An activity log for security reviews would help",
    ],
    "import_duplicates": [
        "Importing the CSV file creates duplicate rows",
        "The import doubled all our contacts",
        "Every re-import adds the same records again",
        "Duplicates appear after each data import",
        "Uploading the spreadsheet twice duplicates everything",
    ],
    "api_rate_limit": [
        "The API rate limit is far too low for us",
        "We hit 429 errors from the API {when}",
        "API requests get throttled during our nightly sync",
        "Please raise the API rate limits",
        "Too many requests errors from the REST API",
    ],
}


def labelled_requests(intents: list[str], per_intent: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """`per_intent` distinct texts for each named intent, shuffled; the texts and their intents."""
    rng = random.Random(seed)
    rows = []
    for intent in intents:
        texts = []
        for template in INTENTS[intent]:
            names = [n for n in SLOTS if "{" + n + "}" in template]
            for values in itertools.product(*(SLOTS[n] for n in names)):
                texts.append(template.format(**dict(zip(names, values))))
        rng.shuffle(texts)
        rows += [(t, intent) for t in (texts * (per_intent // max(len(texts), 1) + 1))[:per_intent]]
    rng.shuffle(rows)
    texts, labels = zip(*rows) if rows else ((), ())
    return list(texts), list(labels)
