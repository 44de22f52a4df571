"""customer-insights: turn customer feedback and product usage into roadmap candidates.

The library never imports Dagster; `orchestration/` wires it into assets.
"""

__version__ = "0.1.0"
