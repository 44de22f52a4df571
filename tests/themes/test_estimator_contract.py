"""The theme step's estimators keep scikit-learn's contract, checked by scikit-learn itself."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from insights.themes.cluster import ThemeClusterer

# Every check runs; a check that cannot apply to a clusterer of unit-length text embeddings
# would be listed here by name with the reason. None needs to be today: ThemeClusterer passes
# all of them, including check_clustering on scikit-learn's 2-D blobs.
EXPECTED_FAILED_CHECKS: dict[str, str] = {}


@parametrize_with_checks([ThemeClusterer()], expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS)
def test_theme_clusterer_follows_the_scikit_learn_contract(estimator, check):
    check(estimator)
