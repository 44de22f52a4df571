"""The landing sources this pipeline reads, one SourceSpec per tool export.

Adding a source is one entry here (or a new reader in readers.py) plus one dbt staging model.
"""

from __future__ import annotations

from insights.sources.readers import csv_reader, json_document_reader, json_lines_reader
from insights.sources.spec import Column, SourceSpec

ACCOUNTS = SourceSpec(
    name="accounts",
    folder="accounts",
    pattern="**/*.csv",
    description="Customer accounts from the CRM export: plan, ARR, segment, region.",
    key="account_id",
    reader=csv_reader(
        {
            "Account ID": "account_id",
            "Account Name": "account_name",
            "Plan": "plan",
            "ARR": "arr",
            "Segment": "segment",
            "Region": "region",
            "Account Owner": "owner",
            "Created Date": "created_at",
        },
        required=("account_id",),
    ),
    columns=(
        Column("account_id", required=True),
        Column("account_name"),
        Column("plan"),
        Column("arr", "float", minimum=0),
        Column("segment"),
        Column("region"),
        Column("owner"),
        Column("created_at", "timestamp"),
    ),
)

USERS = SourceSpec(
    name="users",
    folder="users",
    pattern="**/*.csv",
    description="Product users and the account each belongs to.",
    key="user_id",
    reader=csv_reader(
        {
            "User ID": "user_id",
            "Account ID": "account_id",
            "Email": "email",
            "Full Name": "full_name",
            "Role": "role",
            "Created At": "created_at",
        },
        required=("user_id", "account_id"),
    ),
    columns=(
        Column("user_id", required=True),
        Column("account_id", required=True),
        Column("email"),
        Column("full_name"),
        Column("role"),
        Column("created_at", "timestamp"),
    ),
)

PRODUCT_EVENTS = SourceSpec(
    name="product_events",
    folder="segment",
    pattern="**/*.jsonl",
    description="Product usage events as Segment track calls, one JSON object per line.",
    key="message_id",
    reader=json_lines_reader(
        {
            "message_id": "messageId",
            "event_type": "type",
            "event_name": "event",
            "user_id": "userId",
            "anonymous_id": "anonymousId",
            "account_id": "context.groupId",
            "feature": "properties.feature",
            "occurred_at": "timestamp",
            "properties": "properties",
        }
    ),
    columns=(
        Column("message_id", required=True),
        Column("event_type"),
        Column("event_name", required=True),
        Column("user_id"),
        Column("anonymous_id"),
        Column("account_id"),
        Column("feature"),
        Column("occurred_at", "timestamp", required=True),
        Column("properties"),
    ),
)

SUPPORT_TICKETS = SourceSpec(
    name="support_tickets",
    folder="zendesk",
    pattern="**/*.json",
    description="Support tickets from a Zendesk ticket export.",
    key="ticket_id",
    reader=json_document_reader(
        {
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
        },
        list_key="tickets",
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
    redact=("subject", "description"),
)

NPS_RESPONSES = SourceSpec(
    name="nps_responses",
    folder="surveys",
    pattern="**/*.csv",
    description="NPS survey responses: a 0-10 score and the respondent's comment.",
    key="response_id",
    reader=csv_reader(
        {
            "Response ID": "response_id",
            "Created At": "created_at",
            "Email": "email",
            "Score": "score",
            "Comment": "comment",
            "Account ID": "account_id",
            "Survey": "survey",
        },
        required=("response_id", "score"),
    ),
    columns=(
        Column("response_id", required=True),
        Column("created_at", "timestamp", required=True),
        Column("email"),
        Column("score", "int", required=True, minimum=0, maximum=10),
        Column("comment"),
        Column("account_id"),
        Column("survey"),
    ),
    redact=("comment",),
)

APP_REVIEWS = SourceSpec(
    name="app_reviews",
    folder="app_store",
    pattern="**/*.csv",
    description="App Store reviews: 1-5 stars, title and body.",
    key="review_id",
    reader=csv_reader(
        {
            "Review ID": "review_id",
            "Date": "reviewed_at",
            "Rating": "rating",
            "Title": "title",
            "Review": "review",
            "Version": "app_version",
            "Territory": "territory",
            "Nickname": "nickname",
        },
        required=("review_id", "rating"),
    ),
    columns=(
        Column("review_id", required=True),
        Column("reviewed_at", "timestamp", required=True),
        Column("rating", "int", required=True, minimum=1, maximum=5),
        Column("title"),
        Column("review"),
        Column("app_version"),
        Column("territory"),
        Column("nickname"),
    ),
    redact=("title", "review"),
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
        Column("votes", "int", minimum=0),
        Column("author_name"),
        Column("author_email"),
        Column("company_id"),
        Column("board"),
    ),
    redact=("title", "details"),
)

ROADMAP_ITEMS = SourceSpec(
    name="roadmap_items",
    folder="jira",
    pattern="**/*.csv",
    description="Roadmap items from a Jira issues export: key, summary, status, estimate.",
    key="issue_key",
    reader=csv_reader(
        {
            "Issue key": "issue_key",
            "Summary": "summary",
            "Status": "status",
            "Story Points": "story_points",
            "Labels": "labels",
            "Created": "created_at",
            "Resolved": "resolved_at",
        },
        required=("issue_key", "summary"),
    ),
    columns=(
        Column("issue_key", required=True),
        Column("summary", required=True),
        Column("status"),
        Column("story_points", "float", minimum=0),
        Column("labels"),
        Column("created_at", "timestamp"),
        Column("resolved_at", "timestamp"),
    ),
)

SOURCES: tuple[SourceSpec, ...] = (
    ACCOUNTS,
    USERS,
    PRODUCT_EVENTS,
    SUPPORT_TICKETS,
    NPS_RESPONSES,
    APP_REVIEWS,
    FEATURE_REQUESTS,
    ROADMAP_ITEMS,
)
