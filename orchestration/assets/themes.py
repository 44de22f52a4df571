"""The theme step: embed every feedback text, group texts into themes, label them."""


import json

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from insights.themes import build_themes
from insights.themes.embed import embed_texts
from insights.warehouse import replace_tables
from orchestration.assets.transform import dbt_staging
from orchestration.dbt_project import dbt_project
from orchestration.resources import EmbeddingModel

FEEDBACK_MODEL = "int_feedback__unified"


def model_relation(model_name: str) -> str:
    """`schema.table` of a dbt model, from the manifest, so a schema change in dbt is followed."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model_name:
            return f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
    raise KeyError(f"dbt model {model_name} is not in {dbt_project.manifest_path}")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["themes", "feedback_themes"],
            description="Which theme each feedback item belongs to (or that it is an outlier), with its similarity to the theme centre.",
            deps=[get_asset_key_for_model([dbt_staging], FEEDBACK_MODEL)],
            group_name="themes",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["themes", "themes"],
            description="Feedback themes found by embedding and clustering: label, keywords, representative quote, size, cohesion.",
            deps=[get_asset_key_for_model([dbt_staging], FEEDBACK_MODEL)],
            group_name="themes",
            kinds={"python", "duckdb"},
        ),
    ]
)
def feedback_themes(context: dg.AssetExecutionContext, warehouse: DuckDBResource, embedder: EmbeddingModel):
    with warehouse.get_connection() as con:
        feedback = con.execute(
            f"select feedback_id, text from {model_relation(FEEDBACK_MODEL)} order by feedback_id"
        ).df()
    model = embedder.load()
    embeddings = embed_texts(feedback["text"].tolist(), model, show_progress=True)
    # Passing the model lets the labeller rank candidate phrases by meaning, not frequency alone.
    result = build_themes(feedback, embeddings, embed=lambda texts: embed_texts(texts, model))
    with warehouse.get_connection() as con:
        replace_tables(con, "themes", {"feedback_themes": result.assignments, "themes": result.themes})

    outliers = int(result.assignments["is_outlier"].sum())
    preview = result.themes.sort_values("size", ascending=False).head(10)[["theme_id", "label", "size"]]
    yield dg.MaterializeResult(
        asset_key=["themes", "feedback_themes"],
        metadata={
            "dagster/row_count": len(result.assignments),
            "outliers": outliers,
            "outlier_share": round(outliers / max(len(result.assignments), 1), 3),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["themes", "themes"],
        metadata={
            "dagster/row_count": len(result.themes),
            "largest_themes": dg.MetadataValue.md(preview.to_markdown(index=False)),
        },
    )
