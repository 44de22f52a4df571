"""What the product is made of: the team's own feature catalog, a CSV they keep.

It lives with the other exports in the data folder (`landing/catalog/`), not in the package,
so the sample company's catalog is used only with the sample company's data.
"""

from __future__ import annotations

from insights.sources.readers import csv_reader
from insights.sources.spec import Column, SourceSpec

FEATURE_CATALOG = SourceSpec(
    name="feature_catalog",
    folder="catalog",
    pattern="**/*.csv",
    description="The product's features: key (as product events carry it), name, area and a description "
    "in customers' words; themes are linked to the feature whose name and description read closest.",
    key="feature",
    reader=csv_reader(
        {"Feature": "feature", "Name": "name", "Area": "area", "Description": "description"},
        required=("feature", "name"),
    ),
    columns=(
        Column("feature", required=True),
        Column("name", required=True),
        Column("area"),
        Column("description"),
    ),
)
