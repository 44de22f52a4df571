"""Dagster deployment of customer-insights (`dagster job execute -m orchestration -j nightly`)."""

from orchestration.definitions import defs

__all__ = ["defs"]
