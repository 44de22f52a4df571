"""The theme step's knobs reach the library unchanged, with the library's own defaults."""

from insights.themes import ThemeSettings
from insights.themes.cluster import ThemeClusterer
from orchestration.assets.themes import ThemeStepConfig, feedback_themes


def test_the_launchpad_shows_every_knob_with_the_library_default():
    fields = feedback_themes.op.config_schema.as_field().config_type.fields
    assert set(fields) == {"resolution", "min_theme_size", "min_similarity", "seed", "model"}
    library = ThemeClusterer().get_params()
    assert fields["resolution"].default_value == library["resolution"]
    assert fields["min_similarity"].default_value == library["min_similarity"]
    assert fields["seed"].default_value == library["random_state"]
    # Unset means "derive from the data" (size) or "the embedder resource's model".
    assert not fields["min_theme_size"].is_required and not fields["model"].is_required


def test_a_configured_knob_reaches_the_clusterer():
    settings = ThemeStepConfig(resolution=0.5, min_theme_size=7, min_similarity=0.3, seed=11).settings()
    assert settings == ThemeSettings(resolution=0.5, min_theme_size=7, min_similarity=0.3, random_state=11)
    params = settings.clusterer().get_params()
    assert (params["resolution"], params["min_theme_size"], params["min_similarity"], params["random_state"]) == (
        0.5,
        7,
        0.3,
        11,
    )
    assert ThemeStepConfig().settings() == ThemeSettings()
