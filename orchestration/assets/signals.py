"""Intent and sentiment of every feedback item, as an asset. The logic is `insights.signals`."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from insights import warehouse as wh
from insights.signals.nightly import build_feedback_signals, team_examples
from insights.themes.cache import embed_with_cache
from insights.themes.texts import read_feedback_texts
from orchestration.assets.transform import dbt_staging
from orchestration.dbt_project import model_relation
from orchestration.resources import EmbeddingModel, LandingFolder

FEEDBACK_MODEL = "int_feedback__unified"
# The team's own labelled examples, `text,intent` CSVs, extend the bundled seed set.
EXAMPLES_FOLDER = "intent_examples"


@dg.asset(
    key=["signals", "feedback_signals"],
    description="Per feedback item, read from its words: intent (bug, feature_request, question, praise, other) "
    "with the classifier's confidence, and sentiment in [-1, 1] with the method that scored it.",
    deps=[get_asset_key_for_model([dbt_staging], FEEDBACK_MODEL)],
    group_name="themes",
    kinds={"python", "duckdb", "scikitlearn"},
)
def feedback_signals(warehouse: DuckDBResource, embedder: EmbeddingModel, landing: LandingFolder):
    model = embedder.load()
    examples_dir = landing.root / EXAMPLES_FOLDER
    extra = team_examples(examples_dir.glob("*.csv")) if examples_dir.is_dir() else None
    with warehouse.get_connection() as con:
        # Cut as the theme step cuts them: the same strings hit the same cache rows.
        items = read_feedback_texts(con, model_relation(FEEDBACK_MODEL), ("sentiment_score",))
        # The theme step embeds the same texts with the same model: one of the two pays, the other reads the cache.
        embedded = embed_with_cache(con, items["text"].tolist(), model, embedder.key())
        signals, sentiment, classifier = build_feedback_signals(items, embedded.embeddings, model, extra)
        with wh.transaction(con):
            wh.replace_table(con, "signals", "feedback_signals", signals)
    mix = signals["intent"].value_counts(normalize=True).round(3)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(signals),
            "texts_truncated": int(items["text_truncated"].sum()),
            "sentiment_method": sentiment.method,
            "sentiment_rated_items": sentiment.n_rated,
            **{f"sentiment_cv_spearman_{m}": round(v, 3) for m, v in sentiment.cv_spearman.items() if v is not None},
            "intent_examples": classifier.n_examples_,
            "intent_team_examples": 0 if extra is None else len(extra),
            **{f"intent_share_{intent}": float(share) for intent, share in mix.items()},
        }
    )
