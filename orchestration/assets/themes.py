"""The theme step as assets: tonight's feedback themes, and each theme's closest features and
roadmap items. The logic lives in `insights.themes`; these bodies read, call, write, report."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pandas as pd
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource
from pydantic import Field

from insights.themes import NightlyThemes, ThemeSettings, build_nightly_themes
from insights.themes.cache import CachedEmbeddings, embed_with_cache
from insights.themes.curation import nightly_split_requests, overrides_path
from insights.themes.embed import embed_texts
from insights.themes.links import ThemeMatches, build_theme_matches
from insights.themes.runs import STATUSES, ThemeRun, summarise_run
from insights.themes.split import SplitRequests
from insights.themes.store import (
    drop_history_runs,
    history_run_ids,
    read_centroids,
    read_model_name,
    read_previous,
    read_split_lineage,
    write_matches,
    write_run,
)
from insights.themes.texts import read_feedback_texts
from orchestration.assets.transform import dbt_staging
from orchestration.dbt_project import model_relation
from orchestration.resources import EmbeddingModel

FEEDBACK_MODEL = "int_feedback__unified"
CATALOG_MODEL = "stg_catalog__features"
ROADMAP_MODEL = "stg_jira__issues"
THEME_TABLES = {
    "feedback_themes": "Which theme each feedback item belongs to (or that it is an outlier), with its similarity to the theme centre.",
    "themes": "Feedback themes found by embedding and clustering: label, keywords, representative quote, size, cohesion.",
    "theme_centroids": "Unit centroid of each theme and the model that made it; the next run matches its themes to these to keep theme IDs.",
    "theme_areas": "Product area of each theme: themes grouped by centroid similarity, area IDs kept across runs.",
    "theme_history": "Per run, what became of each theme: continued, new, split (from), merged (into), retired.",
    "theme_runs": "One row per run of the theme step: items, themes, outliers, lifecycle counts, and why it found no theme when it found none.",
}
_DEFAULTS = ThemeSettings()


class ThemeStepConfig(dg.Config):
    """The theme step's knobs, settable per run in the launchpad or in run config; the
    defaults are the library's (`insights.themes.ThemeSettings`). See docs/themes.md."""

    resolution: float = Field(
        default=_DEFAULTS.resolution,
        description="Two groups merge while the mean cosine between their texts is at least this fraction of the "
        "corpus's own cohesion (after removing the corpus mean); higher gives more, narrower themes.",
    )
    min_theme_size: int | None = Field(
        default=_DEFAULTS.min_theme_size,
        description="Smallest theme, in items; unset means max(3, round(sqrt(n) / 5)) for n items.",
    )
    min_similarity: float = Field(
        default=_DEFAULTS.min_similarity,
        description="An item less similar than this (cosine) to the centre of its theme's other members is an outlier.",
    )
    seed: int = Field(
        default=_DEFAULTS.random_state, description="Seed of every random choice, so a night is reproducible."
    )
    model: str | None = Field(
        default=None,
        description="Sentence-transformers model (local path or name); unset means the embedder resource's "
        "(INSIGHTS_EMBEDDING_MODEL, else the bundled all-MiniLM-L6-v2). Changing it starts every theme afresh.",
    )

    def settings(self) -> ThemeSettings:
        return ThemeSettings(self.resolution, self.min_theme_size, self.min_similarity, self.seed)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["themes", name],
            description=description,
            deps=[get_asset_key_for_model([dbt_staging], FEEDBACK_MODEL)],
            group_name="themes",
            kinds={"python", "duckdb"},
        )
        for name, description in THEME_TABLES.items()
    ]
)
def feedback_themes(
    context: dg.AssetExecutionContext, config: ThemeStepConfig, warehouse: DuckDBResource, embedder: EmbeddingModel
):
    name, model = embedder.key(config.model), embedder.load(config.model)
    with warehouse.get_connection() as con:
        items = read_feedback_texts(con, model_relation(FEEDBACK_MODEL))
        # Only texts no earlier run embedded with this model cost encoding time.
        embedded = embed_with_cache(con, items["text"].tolist(), model, name, show_progress=True)
        previous = read_previous(con, name)
        tonight = build_nightly_themes(
            previous,
            items[["feedback_id", "text"]],
            embedded.embeddings,
            config.settings(),
            embed=lambda t: embed_texts(t, model),
            splits=_split_requests(context, con, warehouse),
        )
        summary = summarise_run(tonight, previous)
        _drop_unfinished_history(context, con)
        write_run(
            con,
            tonight,
            model_name=name,
            run_id=context.run_id,
            run_at=datetime.now(UTC).replace(tzinfo=None),
            summary=summary,
        )
    if summary.why_no_themes:
        context.log.warning(f"no themes this run: {summary.why_no_themes}")
    yield from _theme_results(tonight, summary, embedded, int(items["text_truncated"].sum()))


def _split_requests(context: dg.AssetExecutionContext, con, warehouse: DuckDBResource) -> SplitRequests:
    """Themes a person asked to split (`insights themes split`), from the overrides file in the
    data root beside the warehouse, with the split lineage that lets their parts stand for them.
    A file the CLI would refuse warns and splits nothing: a hand edit may not stop the night."""
    path = overrides_path(Path(warehouse.database).parent)
    requested = nightly_split_requests(path, context.log.warning)
    return SplitRequests(requested, read_split_lineage(con) if requested else {})


def unfinished_runs(instance: dg.DagsterInstance, run_ids: list[str], current_run_id: str) -> list[str]:
    """Of `run_ids`, those this instance knows that did not succeed (killed, failed, canceled).

    Runs the instance does not know (another DAGSTER_HOME, a hand run) are left alone.
    """
    # One query for all of them: the history holds a run per night, and grows.
    known = instance.get_runs(filters=dg.RunsFilter(run_ids=list(run_ids))) if run_ids else []
    return [run.run_id for run in known if run.run_id != current_run_id and run.status != dg.DagsterRunStatus.SUCCESS]


def _drop_unfinished_history(context: dg.AssetExecutionContext, con) -> None:
    dead = unfinished_runs(context.instance, history_run_ids(con), context.run_id)
    if dead:
        dropped = drop_history_runs(con, dead)
        context.log.info(f"theme_history: dropped {dropped} rows of {len(dead)} runs that did not finish: {dead}")


def theme_run_metadata(summary: ThemeRun) -> dict[str, object]:
    """The run's figures on themes/themes, all numbers (0, never missing) so each plots night after
    night in the UI; `why_no_themes` only on a night without themes."""
    metadata: dict[str, object] = {
        "dagster/row_count": summary.themes,
        "themes_before_run": summary.themes_before,
        "feedback_items": summary.feedback_items,
        "outlier_share": summary.outlier_share,
        "min_theme_size": summary.min_theme_size,
        **{status: getattr(summary, status) for status in STATUSES},
    }
    if summary.why_no_themes:
        metadata["why_no_themes"] = summary.why_no_themes
    return {k: v for k, v in metadata.items() if v is not None}


def _theme_results(tonight: NightlyThemes, summary: ThemeRun, embedded: CachedEmbeddings, truncated: int):
    largest = tonight.themes.sort_values("size", ascending=False).head(10)[["theme_id", "label", "size"]]
    metadata = {
        "feedback_themes": {
            "dagster/row_count": summary.feedback_items,
            "outliers": summary.outliers,
            "outlier_share": summary.outlier_share,
            "embeddings_new": embedded.n_new,
            "embeddings_cached": embedded.n_cached,
            "texts_truncated": truncated,
        },
        "themes": {
            **theme_run_metadata(summary),
            "largest_themes": dg.MetadataValue.md(largest.to_markdown(index=False)),
        },
        "theme_centroids": {"dagster/row_count": len(tonight.themes)},
        "theme_areas": {"dagster/row_count": len(tonight.areas), "areas": int(tonight.areas["area_id"].nunique())},
        "theme_history": {
            "dagster/row_count": len(tonight.history),
            **{status: getattr(summary, status) for status in STATUSES},
        },
        "theme_runs": {k: v for k, v in theme_run_metadata(summary).items() if k != "dagster/row_count"},
    }
    for name, values in metadata.items():
        yield dg.MaterializeResult(asset_key=["themes", name], metadata=values)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["themes", "theme_feature_matches"],
            description="For each theme, the 3 catalog features whose name and description are closest in meaning to its centroid, with their cosine similarity.",
            deps=[["themes", "theme_centroids"], get_asset_key_for_model([dbt_staging], CATALOG_MODEL)],
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
        # The centroids' own model, whichever run config made them: cosines across models mean nothing.
        name = read_model_name(con) or embedder.key()
        model = embedder.load(name)
        catalog = con.execute(
            f"select feature, name, description from {model_relation(CATALOG_MODEL)} order by feature"
        ).df()
        items = con.execute(
            f"select issue_key, summary, labels from {model_relation(ROADMAP_MODEL)} order by issue_key"
        ).df()
        # Catalog and roadmap texts rarely change, so the cache makes this step nearly free.
        matches = build_theme_matches(
            theme_ids, centroids, catalog, items, lambda texts: embed_with_cache(con, texts, model, name).embeddings
        )
        write_matches(con, "theme_feature_matches", matches.features, "feature")
        write_matches(con, "theme_roadmap_matches", matches.roadmap_items, "issue_key")
    yield from _match_results(matches, len(catalog), len(items))


def _match_results(matches: ThemeMatches, n_features: int, n_items: int):
    for key, frame, targets in (
        ("theme_feature_matches", matches.features, n_features),
        ("theme_roadmap_matches", matches.roadmap_items, n_items),
    ):
        best: pd.Series = frame[frame["match_rank"] == 1]["similarity"]
        yield dg.MaterializeResult(
            asset_key=["themes", key],
            metadata={
                "dagster/row_count": len(frame),
                "targets": targets,
                "median_best_similarity": round(float(best.median()), 3) if len(best) else None,
            },
        )
