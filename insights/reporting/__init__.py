"""The weekly insights report: HTML pages with charts, rendered from the serving snapshot."""

from insights.reporting.render import render_report

__all__ = ["render_report"]
