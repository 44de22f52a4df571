"""The landing sources this pipeline reads, one SourceSpec per tool export.

CRM and Jira specs live here; feedback, review and event specs in their own modules, all
collected in SOURCES. Adding a source is one SourceSpec (with a reader from readers.py or a
new one) plus one dbt staging model.
"""

from __future__ import annotations

from insights.sources.event_sources import AMPLITUDE_EVENTS, PRODUCT_EVENTS
from insights.sources.feedback_sources import FEATURE_REQUESTS, NPS_RESPONSES, SUPPORT_CONVERSATIONS, SUPPORT_TICKETS
from insights.sources.product_sources import FEATURE_CATALOG
from insights.sources.readers import csv_reader
from insights.sources.review_sources import APP_REVIEWS, GOOGLE_PLAY_REVIEWS
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
        Column("arr", "float", minimum=0, maximum=1e12),
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

ROADMAP_ITEMS = SourceSpec(
    name="roadmap_items",
    folder="jira",
    pattern="**/*.csv",
    description="Roadmap items from a Jira issues export: key, summary, status, type, epic, estimate.",
    key="issue_key",
    reader=csv_reader(
        {
            "Issue key": "issue_key",
            "Summary": "summary",
            "Status": "status",
            "Story Points": "story_points",
            "Custom field (Story Points)": "story_points",
            "Custom field (Story point estimate)": "story_points",
            "Labels": "labels",
            "Created": "created_at",
            "Resolved": "resolved_at",
            "Issue Type": "issue_type",
            "Status Category": "status_category",
            # The epic an issue belongs to: "Parent" in Jira Cloud since 2023, "Epic Link" before.
            "Parent": "parent_key",
            "Parent key": "parent_key",
            "Custom field (Epic Link)": "parent_key",
            "Component/s": "components",
            "Components": "components",
        },
        required=("issue_key", "summary"),
    ),
    columns=(
        Column("issue_key", required=True),
        Column("summary", required=True),
        Column("status"),
        Column("story_points", "float", minimum=0, maximum=1000),
        Column("labels"),
        Column("created_at", "timestamp"),
        Column("resolved_at", "timestamp"),
        Column("issue_type"),
        Column("status_category"),
        Column("parent_key"),
        Column("components"),
    ),
)

SOURCES: tuple[SourceSpec, ...] = (
    ACCOUNTS,
    USERS,
    PRODUCT_EVENTS,
    AMPLITUDE_EVENTS,
    SUPPORT_TICKETS,
    SUPPORT_CONVERSATIONS,
    NPS_RESPONSES,
    APP_REVIEWS,
    GOOGLE_PLAY_REVIEWS,
    FEATURE_REQUESTS,
    ROADMAP_ITEMS,
    FEATURE_CATALOG,
)

BY_FOLDER: dict[str, SourceSpec] = {spec.folder: spec for spec in SOURCES}
