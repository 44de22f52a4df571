"""The sample company's feature catalog (`feature_catalog.csv`, written to
`landing/catalog/features.csv` with the rest of its exports) and which feature each planted
theme is about, for scoring the theme-to-feature links. None: the theme is about no single
feature of the catalog (pricing, translations, a feature that does not exist yet)."""

from __future__ import annotations

from importlib import resources

CATALOG_FILE = "feature_catalog.csv"


def catalog_csv() -> str:
    """The catalog as the team would keep it: a CSV of feature, name, area, description."""
    return (resources.files("insights.sample.bank") / CATALOG_FILE).read_text(encoding="utf-8")


FEATURE_OF_THEME = {
    "csv_export_large_reports": "csv_export",
    "slow_dashboards": "dashboards",
    "scheduled_report_timezone": "scheduled_reports",
    "filters_reset_after_update": "filters",
    "chart_customization": "chart_editor",
    "search_not_finding": "search",
    "sso_saml_login": "sso_login",
    "password_reset_email": None,
    "permissions_too_coarse": "permissions",
    "audit_log": None,
    "api_rate_limits": "api",
    "salesforce_sync_broken": "salesforce_sync",
    "import_duplicates": "data_import",
    "data_refresh_frequency": "data_sources",
    "slack_integration": "alerts",
    "mobile_crash_on_launch": "mobile_app",
    "offline_mobile": "mobile_app",
    "dark_mode": None,
    "localization": None,
    "billing_invoice_errors": "billing",
    "pricing_too_expensive": None,
    "onboarding_confusing": "onboarding",
    "notification_spam": "notifications",
    "white_label_branding": None,
}
