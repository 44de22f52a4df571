"""The fictional company's roadmap: Jira epics, some answering a planted theme, most not.

Each entry is (summary, labels, theme slug or None). Summaries are worded the way engineers
write them, not the way customers do, so linking a theme to an item is not string matching.
"""

from __future__ import annotations

ROADMAP = (
    ("Stream CSV exports and deliver large files asynchronously", "export reporting", "csv_export_large_reports"),
    ("SAML: support IdP-initiated flow and certificate rollover", "auth sso enterprise", "sso_saml_login"),
    ("Dashboard query caching layer", "performance dashboards", "slow_dashboards"),
    ("Dark theme for web and mobile", "ui design", "dark_mode"),
    ("Slack app: alerts and scheduled snapshots", "integrations slack", "slack_integration"),
    ("Salesforce connector v2 (bulk API, retries, sync log)", "integrations salesforce", "salesforce_sync_broken"),
    ("Custom roles and folder-level permissions", "permissions enterprise", "permissions_too_coarse"),
    ("Workspace audit log with SIEM export", "compliance enterprise", "audit_log"),
    ("Per-schedule timezone and DST handling", "scheduled-reports", "scheduled_report_timezone"),
    ("Upsert by key column for file imports", "data-import", "import_duplicates"),
    ("Notification preferences centre and daily digest", "notifications", "notification_spam"),
    ("Chart formatting panel: palettes, axes, number formats", "charts", "chart_customization"),
    ("Raise API limits for Pro and Enterprise; bulk endpoints", "api platform", "api_rate_limits"),
    ("Search index rebuild with fuzzy matching", "search", "search_not_finding"),
    ("Migrate transactional email to new provider", "email infrastructure", "password_reset_email"),
    ("Upgrade Postgres cluster to 16", "infrastructure", None),
    ("SOC 2 Type II evidence automation", "compliance security", None),
    ("Refactor billing service onto new ledger", "billing tech-debt", None),
    ("Usage-based pricing experiment for Starter", "pricing growth", None),
    ("Kubernetes autoscaling for report workers", "infrastructure performance", None),
    ("Rewrite onboarding checklist", "growth onboarding", "onboarding_confusing"),
    ("Public API docs portal", "api docs", None),
    ("Deprecate legacy v1 embed SDK", "tech-debt", None),
    ("Accessibility audit fixes (WCAG 2.2 AA)", "ui accessibility", None),
    ("Snowflake connector beta", "integrations", None),
    ("HubSpot connector", "integrations", None),
)
