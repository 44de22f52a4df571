"""Feedback sources people write into: support tickets and conversations, surveys, a request board.

App-store reviews are in review_sources.py; product events in event_sources.py.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from insights.sources.intercom import flatten_conversation
from insights.sources.readers import by_extension, csv_reader, json_document_reader, json_lines_reader
from insights.sources.spec import Column, RawRecord, SourceSpec

_ZENDESK_FIELDS = {
    "ticket_id": "id",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "subject": "subject",
    "description": "description",
    "status": "status",
    "priority": "priority",
    "requester_id": "requester_id",
    "organization_id": "organization_id",
    "tags": "tags",
    "channel": "via.channel",
    "satisfaction_score": "satisfaction_rating.score",
}

SUPPORT_TICKETS = SourceSpec(
    name="support_tickets",
    folder="zendesk",
    pattern=("**/*.json", "**/*.jsonl"),
    description="Support tickets from a Zendesk ticket export (JSON document or JSON lines).",
    key="ticket_id",
    reader=by_extension(
        {
            ".json": json_document_reader(_ZENDESK_FIELDS, list_key="tickets"),
            ".jsonl": json_lines_reader(_ZENDESK_FIELDS),
        }
    ),
    columns=(
        Column("ticket_id", required=True),
        Column("created_at", "timestamp", required=True),
        Column("updated_at", "timestamp"),
        Column("subject"),
        Column("description"),
        Column("status"),
        Column("priority"),
        Column("requester_id"),
        Column("organization_id"),
        Column("tags"),
        Column("channel"),
        Column("satisfaction_score"),
    ),
    redact=("subject", "description", "tags"),
)

_INTERCOM_FIELDS = {
    "conversation_id": "id",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "subject": "source.subject",
    "state": "state",
    "priority": "priority",
    "channel": "source.delivered_as",
    "rating": "conversation_rating.rating",
    "rating_remark": "conversation_rating.remark",
}

SUPPORT_CONVERSATIONS = SourceSpec(
    name="support_conversations",
    folder="intercom",
    pattern=("**/*.json", "**/*.jsonl"),
    description="Intercom conversations, the customer's messages joined into one text.",
    key="conversation_id",
    reader=by_extension(
        {
            ".json": json_document_reader(_INTERCOM_FIELDS, list_key="conversations", derived=flatten_conversation),
            ".jsonl": json_lines_reader(_INTERCOM_FIELDS, derived=flatten_conversation),
        }
    ),
    columns=(
        Column("conversation_id", required=True),
        Column("created_at", "timestamp", required=True),
        Column("updated_at", "timestamp"),
        Column("user_id"),
        Column("subject"),
        Column("customer_text"),
        Column("conversation_text"),
        Column("author_types"),
        Column("part_count", "int", minimum=0, maximum=1e6),
        Column("state"),
        Column("priority"),
        Column("channel"),
        Column("tags"),
        Column("rating", "int", minimum=1, maximum=5),
        Column("rating_remark"),
    ),
    redact=("subject", "customer_text", "conversation_text", "rating_remark", "tags"),
)

# Survey tools name the same things differently; the first of these present wins.
_SURVEY_FIELDS = {
    "Response ID": "response_id",
    "ID": "response_id",
    "Created At": "created_at",
    "Created Date": "created_at",
    "Date": "created_at",
    "Submitted At": "created_at",
    "Email": "email",
    "Respondent Email": "email",
    "Score": "score",
    "NPS Score": "score",
    "CSAT Score": "score",
    "Rating": "score",
    "Comment": "comment",
    "Feedback": "comment",
    "Reason": "comment",
    "Account ID": "account_id",
    "Survey": "survey",
    "Survey Type": "survey_type",
}


def _survey_type(values: Mapping[str, str | None], header: list[str]) -> dict[str, str | None]:
    """NPS or CSAT: the export's own type column if it has one, else told by the score header."""
    given = (values.get("survey_type") or "").strip().lower()
    if given:
        return {"survey_type": given}  # an unknown type is quarantined by name by the row rule
    names = " ".join(h.lower() for h in header)
    return {"survey_type": "csat" if "csat" in names or "satisfaction" in names else "nps"}


# What a response is when the export has no ID column: every mapped field as the file writes
# it. The same row in tonight's and tomorrow's export gets the same ID, so re-exports replace
# it rather than add it twice; a response whose score or comment was edited becomes a new one.
# Two anonymous people may give the same answer on the same day: the 2nd, 3rd... identical row
# of a file adds its occurrence number, so each is its own response and a re-export of the file
# numbers them the same; the first keeps the ID it had before occurrences were counted.
_SURVEY_ROW_FIELDS = ("survey", "created_at", "email", "account_id", "score", "comment")

_read_survey_csv = csv_reader(_SURVEY_FIELDS, required=("score",), extras="properties", derived=_survey_type)


def _read_surveys(path: Path) -> Iterator[RawRecord]:
    seen: Counter[tuple[str, ...]] = Counter()
    for record in _read_survey_csv(path):
        # An empty ID cell in a file with the column is left to be quarantined by the loader.
        if record.error is None and "response_id" not in record.values:
            parts = tuple((record.values.get(name) or "").strip() for name in _SURVEY_ROW_FIELDS)
            seen[parts] += 1
            content = "\x1f".join(parts) + (f"\x1e{seen[parts]}" if seen[parts] > 1 else "")
            record.values["response_id"] = "sv_" + hashlib.sha256(content.encode()).hexdigest()[:16]
        yield record


_SCORE_RANGE = {"nps": (0, 10), "csat": (1, 5)}


def _score_in_range(row: dict) -> tuple[str, str] | None:
    survey_type = row.get("survey_type")
    if survey_type not in _SCORE_RANGE:
        return "survey_type", f"unknown survey type {survey_type!r}; expected nps or csat"
    low, high = _SCORE_RANGE[survey_type]
    if not low <= row["score"] <= high:
        return "score", f"{survey_type} score {row['score']} outside {low}-{high}"
    return None


NPS_RESPONSES = SourceSpec(
    name="nps_responses",
    folder="surveys",
    pattern="**/*.csv",
    description="Survey responses, NPS (0-10) or CSAT (1-5): the score and the respondent's comment.",
    key="response_id",
    reader=_read_surveys,
    columns=(
        Column("response_id", required=True),
        Column("created_at", "timestamp", required=True),
        Column("email"),
        Column("score", "int", required=True, minimum=0, maximum=10),
        Column("comment"),
        Column("account_id"),
        Column("survey"),
        Column("survey_type"),
        Column("properties"),
    ),
    redact=("comment",),
    row_rule=_score_in_range,
)

FEATURE_REQUESTS = SourceSpec(
    name="feature_requests",
    folder="canny",
    pattern="**/*.csv",
    description="Feature-request posts from a Canny board export, with their vote counts.",
    key="post_id",
    reader=csv_reader(
        {
            "ID": "post_id",
            "Title": "title",
            "Details": "details",
            "Status": "status",
            "Score": "votes",
            "Author Name": "author_name",
            "Author Email": "author_email",
            "Company ID": "company_id",
            "Board": "board",
            "Created At": "created_at",
        },
        required=("post_id", "title"),
    ),
    columns=(
        Column("post_id", required=True),
        Column("created_at", "timestamp", required=True),
        Column("title", required=True),
        Column("details"),
        Column("status"),
        Column("votes", "int", minimum=0, maximum=1e9),
        Column("author_name"),
        Column("author_email"),
        Column("company_id"),
        Column("board"),
    ),
    redact=("title", "details"),
)
