"""The real bundled model, loaded once per session, and the seed-trained intent classifier."""

from __future__ import annotations

import pytest

from insights.signals.intent import IntentClassifier
from insights.themes.embed import load_model


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture(scope="session")
def seed_classifier(model):
    # Embeds the ~340 seed texts once; later fit_seed calls with this model reuse the vectors.
    return IntentClassifier.fit_seed(model)
