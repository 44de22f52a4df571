"""The fictional company's roadmap as its Jira holds it: epics with their stories, standalone
stories and tasks, some answering a planted theme, most not.

Summaries are worded the way engineers write them, not the way customers do, so linking a
theme to an item is not string matching; child stories name implementation steps, so a theme
finds the epic that answers it rather than one of its parts.

Estimates follow a Scrum team's habits: stories, tasks and bugs carry Fibonacci story points
(1-13), a few are not estimated yet; epics carry none (their size is their stories'). Shipped
items say how many days before the end of the export they were resolved, so the feedback
window holds weeks on both sides of a release; the themes they answer that fade (the sample's
"fade" trend) show the effect, the steady ones show a fix that did not stop the complaints.
`audience` is the truth the thin-evidence check is scored against: internal work (platform,
tech debt, compliance plumbing) is not meant to have customer demand behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Audience = Literal["customer", "internal"]


@dataclass(frozen=True)
class Story:
    """A child issue of an epic: an implementation step, estimated or not yet."""

    summary: str
    points: int | None
    issue_type: str = "Story"


@dataclass(frozen=True)
class Item:
    """A top-level roadmap item. `points` only on stories, tasks and bugs; `resolved_days_ago`
    (days before the export's end) only on a done one."""

    summary: str
    labels: str
    component: str
    theme: str | None
    issue_type: str
    status: str
    audience: Audience = "customer"
    points: int | None = None
    resolved_days_ago: int | None = None
    stories: tuple[Story, ...] = ()


# Jira's own status categories; the export carries both the workflow status and its category.
STATUS_CATEGORY = {
    "To Do": "To Do",
    "Selected for Development": "To Do",
    "In Progress": "In Progress",
    "In Review": "In Progress",
    "Done": "Done",
    "Released": "Done",
    "Closed": "Done",
}

ITEMS = (
    Item(
        "Stream CSV exports and deliver large files asynchronously",
        "export reporting",
        "Reports",
        "csv_export_large_reports",
        "Epic",
        "Selected for Development",
        stories=(
            Story("Chunked writer for the export service", 5),
            Story("Move export jobs onto the worker queue", 8),
            Story("Signed download links with expiry", 3),
        ),
    ),
    Item(
        "SAML: support IdP-initiated flow and certificate rollover",
        "auth sso enterprise",
        "Access",
        "sso_saml_login",
        "Epic",
        "In Progress",
        stories=(
            Story("Accept unsolicited assertions from the IdP", 8),
            Story("Two active signing certificates per connection", 5),
            Story("Metadata XML upload in workspace settings", None),
        ),
    ),
    Item(
        "Dashboard query caching layer",
        "performance dashboards",
        "Dashboards",
        "slow_dashboards",
        "Epic",
        "In Progress",
        stories=(
            Story("Result cache keyed by query and filter hash", 8),
            Story("Evict cached results when a source changes", 5),
            Story("Prefill the result cache for popular tiles", 3),
        ),
    ),
    Item("Dark theme for web and mobile", "ui design", "Web app", "dark_mode", "Epic", "To Do"),
    Item(
        "Slack app: alerts and scheduled snapshots",
        "integrations slack",
        "Integrations",
        "slack_integration",
        "Epic",
        "In Progress",
        stories=(
            Story("OAuth install flow for the Slack app", 3),
            Story("Channel picker and message formatter", 5),
            Story("Render tile images for snapshots", 5),
        ),
    ),
    Item(
        "Salesforce connector v2 (bulk API, retries, sync log)",
        "integrations salesforce",
        "Integrations",
        "salesforce_sync_broken",
        "Epic",
        "To Do",
    ),
    Item(
        "Custom roles and folder-level permissions",
        "permissions enterprise",
        "Access",
        "permissions_too_coarse",
        "Epic",
        "To Do",
        stories=(
            Story("Permission sets stored per role", 8),
            Story("Folder ACL checks in the query service", 8),
            Story("Roles admin page", 5),
        ),
    ),
    Item("Workspace audit log with SIEM export", "compliance enterprise", "Access", "audit_log", "Epic", "To Do"),
    Item(
        "Per-schedule timezone and DST handling",
        "scheduled-reports",
        "Reports",
        "scheduled_report_timezone",
        "Story",
        "Done",
        points=8,
        resolved_days_ago=45,
    ),
    Item(
        "Upsert by key column for file imports",
        "data-import",
        "Data",
        "import_duplicates",
        "Story",
        "Done",
        points=5,
        resolved_days_ago=40,
    ),
    Item(
        "Notification preferences centre and daily digest",
        "notifications",
        "Web app",
        "notification_spam",
        "Epic",
        "To Do",
        stories=(
            Story("Per-user preference store", 3),
            Story("Digest batching job", 5),
        ),
    ),
    Item(
        "Chart formatting panel: palettes, axes, number formats",
        "charts",
        "Dashboards",
        "chart_customization",
        "Story",
        "Released",
        points=5,
        resolved_days_ago=30,
    ),
    Item(
        "Raise API limits for Pro and Enterprise; bulk endpoints",
        "api platform",
        "API",
        "api_rate_limits",
        "Story",
        "To Do",
        points=3,
    ),
    Item("Search index rebuild with fuzzy matching", "search", "Search", "search_not_finding", "Story", "To Do"),
    Item(
        "Migrate transactional email to new provider",
        "email infrastructure",
        "Platform",
        "password_reset_email",
        "Task",
        "To Do",
        audience="internal",
        points=8,
    ),
    Item(
        "Upgrade Postgres cluster to 16",
        "infrastructure",
        "Platform",
        None,
        "Task",
        "Done",
        audience="internal",
        points=8,
        resolved_days_ago=200,
    ),
    Item(
        "SOC 2 Type II evidence automation",
        "compliance internal",
        "Internal tools",
        None,
        "Epic",
        "Closed",
        audience="internal",
        resolved_days_ago=130,
    ),
    Item(
        "Refactor billing service onto new ledger",
        "billing tech-debt",
        "Billing",
        None,
        "Epic",
        "To Do",
        audience="internal",
    ),
    Item("Usage-based pricing experiment for Starter", "pricing growth", "Billing", None, "Story", "To Do", points=5),
    Item(
        "Kubernetes autoscaling for report workers",
        "infrastructure performance",
        "Platform",
        None,
        "Task",
        "In Progress",
        audience="internal",
        points=13,
    ),
    Item(
        "Rewrite onboarding checklist",
        "growth onboarding",
        "Web app",
        "onboarding_confusing",
        "Epic",
        "Done",
        resolved_days_ago=50,
        stories=(
            Story("Checklist steps driven by workspace setup state", 5),
            Story("Starter dashboard for new workspaces", 3),
        ),
    ),
    Item("Public API docs portal", "api docs", "API", None, "Story", "To Do", points=5),
    Item(
        "Deprecate legacy v1 embed SDK",
        "tech-debt",
        "Embedding",
        None,
        "Task",
        "Done",
        audience="internal",
        points=3,
        resolved_days_ago=20,
    ),
    Item("Accessibility audit fixes (WCAG 2.2 AA)", "ui accessibility", "Web app", None, "Epic", "To Do"),
    Item(
        "Snowflake connector beta",
        "integrations",
        "Integrations",
        None,
        "Epic",
        "In Progress",
        stories=(
            Story("Key-pair authentication for Snowflake", 5),
            Story("Incremental table sync from Snowflake", 8),
        ),
    ),
    Item("HubSpot connector", "integrations", "Integrations", None, "Story", "To Do", points=8),
)

# Every issue of the export as (summary, labels, theme slug or None), children after their
# epic: the answer key names the theme each issue answers (a child answers none on its own).
ROADMAP = tuple(
    row
    for item in ITEMS
    for row in ((item.summary, item.labels, item.theme), *((s.summary, item.labels, None) for s in item.stories))
)
