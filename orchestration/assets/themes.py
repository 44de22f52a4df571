"""The theme step: embed every feedback text, group texts into themes, label them."""

from datetime import datetime, timezone

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from insights.themes import build_themes
from insights.themes.cache import embed_with_cache, model_key
from insights.themes.embed import embed_texts
from insights.themes.links import feature_texts, roadmap_texts, top_matches, write_matches
from insights.themes.store import carry_over, read_centroids, read_previous, write_run
from orchestration.assets.transform import dbt_staging
from orchestration.dbt_project import model_relation
from orchestration.resources import EmbeddingModel

FEEDBACK_MODEL = "int_feedback__unified"
CATALOG_SEED = "feature_catalog"
ROADMAP_MODEL = "stg_jira__issues"
THEME_LINEAGE_TABLES = {
    "theme_centroids": "Unit centroid of each theme; the next run matches its themes to these to keep theme IDs.",
    "theme_areas": "Product area of each theme: themes grouped by centroid similarity, area IDs kept across runs.",
    "theme_history": "Per run, what became of each theme: continued, new, split (from), merged (into), retired.",
}


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
        *[
            dg.AssetSpec(
                ["themes", name],
                description=description,
                deps=[get_asset_key_for_model([dbt_staging], FEEDBACK_MODEL)],
                group_name="themes",
                kinds={"python", "duckdb"},
            )
            for name, description in THEME_LINEAGE_TABLES.items()
        ],
    ]
)
def feedback_themes(context: dg.AssetExecutionContext, warehouse: DuckDBResource, embedder: EmbeddingModel):
    with warehouse.get_connection() as con:
        feedback = con.execute(
            f"select feedback_id, text from {model_relation(FEEDBACK_MODEL)} order by feedback_id"
        ).df()
    model = embedder.load()
    with warehouse.get_connection() as con:
        # Only texts no earlier run embedded with this model cost encoding time.
        embeddings, embeddings_new, embeddings_cached = embed_with_cache(
            con, feedback["text"].tolist(), model, model_key(embedder.name_or_path), show_progress=True
        )
    # Passing the model lets the labeller rank candidate phrases by meaning, not frequency alone.
    result = build_themes(feedback, embeddings, embed=lambda texts: embed_texts(texts, model))
    with warehouse.get_connection() as con:
        # Last run's IDs carry over to the themes that continue, so overrides keyed on them hold.
        result, history, areas = carry_over(result, *read_previous(con))
        write_run(con, result, history, areas, run_id=context.run_id, run_at=datetime.now(timezone.utc).replace(tzinfo=None))

    outliers = int(result.assignments["is_outlier"].sum())
    preview = result.themes.sort_values("size", ascending=False).head(10)[["theme_id", "label", "size"]]
    yield dg.MaterializeResult(
        asset_key=["themes", "feedback_themes"],
        metadata={
            "dagster/row_count": len(result.assignments),
            "outliers": outliers,
            "outlier_share": round(outliers / max(len(result.assignments), 1), 3),
            "embeddings_new": embeddings_new,
            "embeddings_cached": embeddings_cached,
        },
    )
    yield dg.MaterializeResult(
        asset_key=["themes", "themes"],
        metadata={
            "dagster/row_count": len(result.themes),
            "largest_themes": dg.MetadataValue.md(preview.to_markdown(index=False)),
        },
    )
    statuses = history["status"].value_counts()
    yield dg.MaterializeResult(asset_key=["themes", "theme_centroids"], metadata={"dagster/row_count": len(result.themes)})
    yield dg.MaterializeResult(
        asset_key=["themes", "theme_areas"],
        metadata={"dagster/row_count": len(areas), "areas": int(areas["area_id"].nunique())},
    )
    yield dg.MaterializeResult(
        asset_key=["themes", "theme_history"],
        metadata={"dagster/row_count": len(history), **{status: int(n) for status, n in statuses.items()}},
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["themes", "theme_feature_matches"],
            description="For each theme, the 3 catalog features whose name and description are closest in meaning to its centroid, with their cosine similarity.",
            deps=[["themes", "theme_centroids"], get_asset_key_for_model([dbt_staging], CATALOG_SEED)],
            group_name="themes",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["themes", "theme_roadmap_matches"],
            description="For each theme, the 3 roadmap items (Jira) whose summary and labels are closest in meaning to its centroid, with their cosine similarity.",
            deps=[["themes", "theme_centroids"], get_asset_key_for_model([dbt_staging], ROADMAP_MODEL)],
            group_name="themes",
            kinds={"python", "duckdb"},
        ),
    ]
)
def theme_matches(warehouse: DuckDBResource, embedder: EmbeddingModel):
    with warehouse.get_connection() as con:
        theme_ids, centroids = read_centroids(con)
        catalog = con.execute(f"select feature, name, description from {model_relation(CATALOG_SEED)} order by feature").df()
        items = con.execute(f"select issue_key, summary, labels from {model_relation(ROADMAP_MODEL)} order by issue_key").df()
        model = embedder.load()
        # Catalog and roadmap texts rarely change, so the cache makes this step nearly free.
        name = model_key(embedder.name_or_path)
        features = embed_with_cache(con, feature_texts(catalog), model, name).embeddings
        roadmap = embed_with_cache(con, roadmap_texts(items), model, name).embeddings
        feature_matches = top_matches(theme_ids, centroids, catalog["feature"].tolist(), features)
        roadmap_matches = top_matches(theme_ids, centroids, items["issue_key"].tolist(), roadmap)
        write_matches(con, "theme_feature_matches", feature_matches, "feature")
        write_matches(con, "theme_roadmap_matches", roadmap_matches, "issue_key")
    for key, matches, targets in (
        ("theme_feature_matches", feature_matches, len(catalog)),
        ("theme_roadmap_matches", roadmap_matches, len(items)),
    ):
        best = matches[matches["match_rank"] == 1]["similarity"]
        yield dg.MaterializeResult(
            asset_key=["themes", key],
            metadata={
                "dagster/row_count": len(matches),
                "targets": targets,
                "median_best_similarity": round(float(best.median()), 3) if len(best) else None,
            },
        )
