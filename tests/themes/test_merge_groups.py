"""merge_groups keeps each row's best partner instead of searching the whole matrix every step;
it must join exactly the groups the full search joined, ties included."""

import numpy as np
import pytest

from insights.themes.cluster import merge_groups


def full_search_merge_groups(sums: np.ndarray, counts: np.ndarray, resolution: float) -> np.ndarray:
    """The O(k^3) implementation merge_groups replaced (argmax over the whole matrix per step),
    kept verbatim as the reference."""
    sums = np.array(sums, dtype=np.float64)
    counts = np.array(counts, dtype=np.float64)
    k = sums.shape[0]
    owner = np.arange(k)
    active = np.ones(k, dtype=bool)
    similarity = (sums @ sums.T) / np.outer(counts, counts)
    np.fill_diagonal(similarity, -np.inf)
    while k > 1:
        flat = int(np.argmax(similarity))
        a, b = divmod(flat, similarity.shape[1])
        if similarity[a, b] < resolution:
            break
        sums[a] += sums[b]
        counts[a] += counts[b]
        owner[owner == b] = a
        active[b] = False
        row = np.where(active, (sums @ sums[a]) / (counts * counts[a]), -np.inf)
        row[a] = -np.inf
        similarity[a, :] = row
        similarity[:, a] = row
        similarity[b, :] = -np.inf
        similarity[:, b] = -np.inf
        k -= 1
    return np.unique(owner, return_inverse=True)[1].reshape(-1)


def _clustered_groups(rng, k: int, dim: int = 16):
    """Group sums and sizes as the clusterer passes them: micro-clusters around a few centres."""
    centres = rng.normal(size=(max(2, k // 8), dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    counts = rng.integers(1, 60, size=k).astype(np.float64)
    means = centres[rng.integers(0, len(centres), size=k)] + rng.normal(scale=0.6, size=(k, dim)) / np.sqrt(dim)
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    return means * counts[:, None] * rng.uniform(0.3, 1.0, size=(k, 1)), counts


@pytest.mark.parametrize("seed", range(60))
def test_same_merges_as_the_full_search_on_clustered_groups(seed):
    rng = np.random.default_rng(seed)
    sums, counts = _clustered_groups(rng, k=int(rng.integers(2, 150)))
    for resolution in (-0.2, 0.05, 0.2, 0.4, 0.7):
        np.testing.assert_array_equal(
            merge_groups(sums, counts, resolution), full_search_merge_groups(sums, counts, resolution)
        )


@pytest.mark.parametrize("seed", range(200))
def test_same_merges_as_the_full_search_when_similarities_tie(seed):
    # Group means on a small integer lattice, repeated, sizes 1 to 4: many pairs share a
    # similarity exactly, and a merged group's mean often lands on another group's, so the
    # pair chosen among equals (lowest row, then column) decides the result.
    rng = np.random.default_rng(1000 + seed)
    k = int(rng.integers(2, 80))
    dim = int(rng.integers(2, 5))
    lattice = rng.integers(-2, 3, size=(max(1, k // 3), dim)).astype(np.float64)
    counts = rng.integers(1, 5, size=k).astype(np.float64)
    sums = lattice[rng.integers(0, len(lattice), size=k)] * counts[:, None]
    for resolution in (-1.0, 0.0, 0.5, 1.0, 2.0):
        np.testing.assert_array_equal(
            merge_groups(sums, counts, resolution), full_search_merge_groups(sums, counts, resolution)
        )


def test_one_group_and_none_at_all():
    np.testing.assert_array_equal(merge_groups(np.ones((1, 3)), np.ones(1), 0.1), [0])
    assert merge_groups(np.zeros((0, 3)), np.zeros(0), 0.1).size == 0
