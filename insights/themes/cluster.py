"""Group feedback embeddings into themes without being told how many there are.

Two stages keep memory bounded at any size (no n-by-n matrix over all items):

1. Over-cluster: k-means cuts the items into many small micro-clusters (about `sqrt(n)`), more
   than there are themes, so each micro-cluster holds one idea.
2. Merge: average-linkage agglomeration over the micro-clusters, weighted by their sizes, joins
   two groups while the mean cosine between their texts is at least a threshold. Only the
   micro-clusters' k-by-k matrix is built.

The threshold follows the data instead of being a fixed cosine. A corpus of banking questions
is close to itself everywhere (every text is "about my card"), a corpus of assistant commands
is not, so one fixed cosine merges the first into a few themes and splits the second into too
many. Two measurements on the corpus itself remove that:

- Similarities are taken after subtracting the corpus's mean vector, so what every text shares
  (the domain) does not count as a reason to merge; only what sets texts apart does.
- The merge threshold is `resolution` times the corpus's own cohesion: the mean cosine between
  two texts of the same micro-cluster. Two groups merge when their texts are, on average, at
  least that fraction as alike as near-paraphrases in this corpus are; a corpus of templated
  requests (very alike) needs more likeness to merge than one of free-form utterances.

Then the groups are cleaned: an item is re-assigned to its nearest theme centre, groups smaller
than `min_theme_size` are dissolved, and an item whose cosine to its theme centre (in the
embedding space as given) stays below `min_similarity` is an outlier (label -1) rather than
forced into a theme it does not fit.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClusterMixin, _fit_context
from sklearn.cluster import KMeans, MiniBatchKMeans, kmeans_plusplus
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from insights.themes.embed import normalize_rows

OUTLIER = -1

# Rows scored against the centres at a time: bounds the (rows x themes) similarity block.
_CHUNK = 8192
# Above this many distinct texts, full k-means costs minutes; mini-batches keep it linear.
_FULL_KMEANS_LIMIT = 20_000


def default_min_theme_size(n_items: int) -> int:
    """Smallest group worth calling a theme: 3 for a handful of items, growing like sqrt(n)/5.

    A fixed size either floods a large corpus with tiny themes or hides every theme of a small
    one; a square root grows with the corpus but much slower than it, so a real minority
    complaint (say 0.5% of 5,000 items) still clears the bar.
    """
    return max(3, round(math.sqrt(max(n_items, 0)) / 5))


class ThemeClusterer(ClusterMixin, BaseEstimator):
    """Cluster unit-length embeddings into themes plus outliers.

    Parameters
    ----------
    resolution : two groups merge while the mean (mean-centred) cosine between their texts is at
        least `resolution` times the corpus's cohesion (`cohesion_`). Higher gives more,
        narrower themes; lower gives fewer, broader ones. The default 0.45 was chosen on four
        labelled sets of different kinds at once (docs/themes.md) and is not tuned per set.
    min_theme_size : groups smaller than this are dissolved; None means `default_min_theme_size(n)`.
    min_similarity : an item less similar than this to its theme centre is an outlier. Members
        average about 0.6-0.7 with all-MiniLM-L6-v2; 0.3 only drops items that barely relate to
        any theme (0.4 left 13 % of long forum posts out, against the 10 % the step allows).
    n_micro : number of k-means micro-clusters; None means `default_n_micro(n)`, about `sqrt(n)`.
    n_refine : rounds of re-assigning items to the nearest theme centre after the merge.
    random_state : seed for k-means, so the same input gives the same themes.

    Attributes
    ----------
    labels_ : theme of each item (0 is the largest theme), -1 for an outlier.
    n_themes_ : number of themes found.
    centroids_ : unit-length centre of each theme, (n_themes_, n_features_in_).
    similarities_ : cosine of each item to its theme centre (NaN for outliers).
    mean_ : the corpus's mean vector, subtracted before clustering (and before `predict`).
    cohesion_ : mean cosine between two texts of one micro-cluster, after centring.
    merge_threshold_ : the cosine at which groups merged, `resolution * cohesion_`.
    min_theme_size_ : the minimum theme size used (resolved from `min_theme_size`).
    largest_group_ : items in the largest group once the items below `min_similarity` are set
        aside, before groups smaller than `min_theme_size_` are dissolved (0 when there were
        too few items to group); `why_no_themes` tells from it a night of unrelated texts from
        one of too few.
    n_features_in_ : number of features seen in `fit`.
    """

    # Checked by scikit-learn before `fit` runs, so a bad deployment setting fails at once
    # with the parameter's name rather than deep inside k-means.
    _parameter_constraints: dict = {
        "resolution": [Interval(Real, 0, None, closed="neither")],
        "min_theme_size": [Interval(Integral, 1, None, closed="left"), None],
        "min_similarity": [Interval(Real, -1, 1, closed="both")],
        "n_micro": [Interval(Integral, 1, None, closed="left"), None],
        "n_refine": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        resolution: float = 0.45,
        min_theme_size: int | None = None,
        min_similarity: float = 0.3,
        n_micro: int | None = None,
        n_refine: int = 2,
        batch_size: int = 4096,
        random_state: int | None = 0,
    ):
        self.resolution = resolution
        self.min_theme_size = min_theme_size
        self.min_similarity = min_similarity
        self.n_micro = n_micro
        self.n_refine = n_refine
        self.batch_size = batch_size
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None) -> ThemeClusterer:
        """Find the themes of `X` (n_samples, n_features); any row length works, rows are
        normalised to unit length first. `y` is ignored."""
        X = normalize_rows(validate_data(self, X, dtype=[np.float32, np.float64]).astype(np.float32, copy=False))
        n = X.shape[0]
        self.min_theme_size_ = self.min_theme_size if self.min_theme_size is not None else default_min_theme_size(n)
        self.mean_ = X.mean(axis=0)
        centred = normalize_rows(X - self.mean_)
        labels = np.full(n, OUTLIER, dtype=np.int64)
        self.cohesion_, self.merge_threshold_ = float("nan"), float("nan")
        self.largest_group_ = 0
        if n >= max(self.min_theme_size_, 1):
            labels = self._merge(centred, *self._micro_labels(centred))
            labels = self._clean(centred, X, labels)
        self._finish(X, labels)
        self.centred_centroids_ = _centroids(centred, self.labels_, self.n_themes_)
        return self

    def predict(self, X) -> np.ndarray:
        """Theme of new items by nearest learned centre, or -1 below `min_similarity`."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float32, np.float64], reset=False).astype(np.float32, copy=False)
        X = normalize_rows(X)
        labels, _ = _nearest(normalize_rows(X - self.mean_), self.centred_centroids_)
        if labels.size and self.n_themes_:
            similarity = np.einsum("ij,ij->i", X, self.centroids_[labels])
            labels[similarity < self.min_similarity] = OUTLIER
        return labels

    # -- stages ---------------------------------------------------------------------------

    def _micro_labels(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Micro-cluster of every row, and the index of one row per distinct vector."""
        # Identical texts give identical vectors; k-means sees each vector once, weighted by
        # how often it occurs, so duplicates neither slow it down nor leave empty clusters.
        unique, first, inverse, counts = np.unique(
            X, axis=0, return_index=True, return_inverse=True, return_counts=True
        )
        inverse = inverse.reshape(-1)
        wanted = self.n_micro if self.n_micro is not None else default_n_micro(X.shape[0])
        k = int(min(max(wanted, 1), unique.shape[0]))
        if k == unique.shape[0]:
            return inverse, first
        init = self._seed_centres(unique, counts, k)
        if unique.shape[0] <= _FULL_KMEANS_LIMIT:
            model = KMeans(n_clusters=k, init=init, n_init=1, random_state=self.random_state)
        else:
            model = MiniBatchKMeans(
                n_clusters=k, init=init, n_init=1, batch_size=self.batch_size, random_state=self.random_state
            )
        micro = model.fit_predict(unique, sample_weight=counts.astype(np.float64))
        # Mini-batch k-means can leave a cluster empty; renumber so every label has members.
        return np.unique(micro, return_inverse=True)[1].reshape(-1)[inverse], first

    def _seed_centres(self, unique: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
        # k-means++ seeding on a bounded sample, in float64: scikit-learn would otherwise seed
        # on float32 data by up-casting chunk after chunk, which costs more than the clustering.
        rng = np.random.default_rng(self.random_state)
        size = min(unique.shape[0], max(3 * self.batch_size, 10 * k))
        sample = np.sort(rng.choice(unique.shape[0], size, replace=False))
        centres, _ = kmeans_plusplus(
            unique[sample].astype(np.float64),
            k,
            sample_weight=counts[sample].astype(np.float64),
            random_state=int(rng.integers(2**31 - 1)),
        )
        return centres.astype(unique.dtype)

    def _merge(self, X: np.ndarray, micro: np.ndarray, distinct: np.ndarray) -> np.ndarray:
        k = int(micro.max()) + 1
        sums = np.asarray(_membership(micro, k, X.shape[0]) @ X, dtype=np.float64)
        counts = np.bincount(micro, minlength=k).astype(np.float64)
        # Cohesion over distinct texts: a complaint pasted ten times is not ten paraphrases,
        # and counting its copies would make the corpus look tighter than its wording is.
        self.cohesion_ = cohesion(
            np.asarray(_membership(micro[distinct], k, distinct.size) @ X[distinct], dtype=np.float64),
            np.bincount(micro[distinct], minlength=k),
        )
        self.merge_threshold_ = self.resolution * self.cohesion_
        return merge_groups(sums, counts, self.merge_threshold_)[micro]

    def _clean(self, centred: np.ndarray, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        # Nearest centre in the centred space the themes were found in; the outlier test in
        # the space as given, so `min_similarity` keeps its plain meaning.
        for _ in range(self.n_refine):
            labels = self._reassign(centred, X, labels, keep=np.ones(labels.max() + 1, dtype=bool))
        members = labels[labels >= 0]
        self.largest_group_ = int(np.bincount(members).max()) if members.size else 0
        # Dissolving a small theme can pull another below the bar (its fringe items leave), so
        # repeat until the set of themes is stable.
        for _ in range(10):
            sizes = np.bincount(labels[labels >= 0], minlength=max(labels.max() + 1, 0))
            keep = sizes >= self.min_theme_size_
            if not keep.any():
                return np.full_like(labels, OUTLIER)
            before = labels
            labels = self._reassign(centred, X, labels, keep=keep)
            if np.array_equal(before, labels):
                return labels
        # Still moving after that many rounds: whatever is small now is not a theme.
        sizes = np.bincount(labels[labels >= 0], minlength=max(labels.max() + 1, 0))
        return np.where((labels >= 0) & (sizes[np.maximum(labels, 0)] >= self.min_theme_size_), labels, OUTLIER)

    def _reassign(self, centred: np.ndarray, X: np.ndarray, labels: np.ndarray, keep: np.ndarray) -> np.ndarray:
        themes = np.flatnonzero(keep & (np.bincount(labels[labels >= 0], minlength=keep.size) > 0))
        if themes.size == 0:
            return np.full_like(labels, OUTLIER)
        remap = np.full(keep.size, OUTLIER, dtype=np.int64)
        remap[themes] = np.arange(themes.size)
        members = labels.copy()
        members[members >= 0] = remap[members[members >= 0]]
        nearest, _ = _nearest(centred, _centroids(centred, members, themes.size))
        nearest[_leave_one_out_similarity(X, members, nearest, themes.size) < self.min_similarity] = OUTLIER
        return nearest

    def _finish(self, X: np.ndarray, labels: np.ndarray) -> None:
        # Number themes by size (largest first), ties by first member, so output order is stable.
        themes = np.unique(labels[labels >= 0])
        order = sorted(themes, key=lambda t: (-np.count_nonzero(labels == t), np.argmax(labels == t)))
        remap = np.full(labels.max() + 2 if labels.size else 1, OUTLIER, dtype=np.int64)
        remap[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
        final = np.where(labels >= 0, remap[labels], OUTLIER) if labels.size else labels
        self.labels_ = final.astype(np.int64)
        self.n_themes_ = len(order)
        self.centroids_ = _centroids(X, self.labels_, self.n_themes_)
        self.similarities_ = np.full(X.shape[0], np.nan, dtype=np.float64)
        inside = self.labels_ >= 0
        self.similarities_[inside] = np.einsum("ij,ij->i", X[inside], self.centroids_[self.labels_[inside]])


def why_no_themes(n_items: int, min_theme_size: int, min_similarity: float, largest_group: int) -> str | None:
    """Why a fit found no theme, in words a user can act on.

    Four ways a night ends with no theme, told apart by what the fit saw: nothing to group,
    fewer items than one theme needs, no group of texts alike enough that is big enough, or
    groups that were big enough until dissolving smaller ones pulled them below the bar.
    """
    if n_items == 0:
        return "no feedback items to group into themes"
    if n_items < min_theme_size:
        return (
            f"only {n_items} feedback items: a theme needs at least {min_theme_size} (min_theme_size), "
            "so every item is an outlier until more feedback arrives"
        )
    if largest_group < min_theme_size:
        return (
            f"{n_items} feedback items, but no {min_theme_size} of them (min_theme_size) are alike enough to be a "
            f"theme (each at least {min_similarity:g} similar to the rest of its group, min_similarity): the largest "
            f"such group had {largest_group}; every item is an outlier"
        )
    return (
        f"{n_items} feedback items formed groups of up to {largest_group} alike texts, but as groups smaller than "
        f"{min_theme_size} (min_theme_size) were dissolved the rest lost members below it; every item is an outlier"
    )


def default_n_micro(n_items: int) -> int:
    """About sqrt(n) micro-clusters; for a small corpus up to 20, of about 4 texts each.

    Fewer micro-clusters would force distinct small themes together before the merge sees them;
    many more would make each so small that its cohesion measures paraphrase noise (a cluster
    of one text has no pair to measure at all).
    """
    return min(n_items, max(math.ceil(math.sqrt(n_items)), min(20, math.ceil(n_items / 4))))


def cohesion(sums: np.ndarray, counts: np.ndarray) -> float:
    """Mean cosine between two different texts of one group, over all groups (size-weighted).

    For unit vectors, `|sum|^2 - n` is the sum of cosines over the n(n-1) ordered pairs of
    distinct members, so no pairwise matrix is needed. Groups of one have no pairs.
    """
    counts = np.asarray(counts, dtype=np.float64)
    pairs = counts * (counts - 1)
    if not np.any(pairs > 0):
        return 1.0
    within = (np.einsum("ij,ij->i", sums, sums) - counts) / np.where(pairs > 0, pairs, 1.0)
    return float(np.average(within[pairs > 0], weights=counts[pairs > 0]))


def merge_groups(sums: np.ndarray, counts: np.ndarray, resolution: float) -> np.ndarray:
    """Average-linkage agglomeration of groups given by their vector sums and sizes.

    The mean cosine over all pairs of items across two groups is `sums[a] @ sums[b] / (n_a * n_b)`,
    so merging on that value is exactly item-level average linkage with the groups kept whole,
    at the cost of a groups-by-groups matrix. Weighting by size matters: a micro-cluster of 200
    texts is not outvoted by one of 3, and the threshold means the same at any corpus size.
    Returns a group label per input group, numbered from 0.

    Each step joins the most similar pair (ties: lowest row, then lowest column, as an argmax
    over the whole matrix would pick) while it is at least `resolution`. Searching the whole
    k-by-k matrix every step made the merge O(k^3) (2 s at k = 2,000, 18 s at 4,000:
    docs/performance.md); instead every row keeps its best column, so a step reads k row
    maxima, and only the rows whose best partner was one of the two just merged are searched
    again (a few per step on clustered data). When a quarter of the rows must be, one pass over
    the matrix does it, so the worst case (one group nearly everyone's nearest) costs what the
    full search did. The matrix holds the same values as before (sums add, and a merged row is
    recomputed from them), so the merges are the same; tests/themes/test_merge_groups.py checks
    it against the full search.
    """
    sums = np.array(sums, dtype=np.float64)
    counts = np.array(counts, dtype=np.float64)
    k = sums.shape[0]
    owner = np.arange(k)
    active = np.ones(k, dtype=bool)
    similarity = (sums @ sums.T) / np.outer(counts, counts)
    np.fill_diagonal(similarity, -np.inf)
    # First argmax of every row and its value: the pair an argmax over the matrix would pick
    # is (first row holding the largest row maximum, that row's best column).
    best_col = similarity.argmax(axis=1) if k else np.zeros(0, dtype=np.int64)
    best_val = similarity[np.arange(k), best_col]
    while k > 1:
        a = int(np.argmax(best_val))
        b = int(best_col[a])
        if best_val[a] < resolution:
            break
        # Fold b into a (a < b); b's row and column are retired rather than deleted to keep indices.
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
        _update_best(similarity, best_col, best_val, row, a, b)
        k -= 1
    return np.unique(owner, return_inverse=True)[1].reshape(-1)


def _update_best(similarity, best_col, best_val, row, a: int, b: int) -> None:
    """Keep every row's first argmax after row/column a changed to `row` and b was retired."""
    best_val[b], best_col[b] = -np.inf, -1
    stale = (best_col == a) | (best_col == b)
    stale[a] = True
    # A row whose best was elsewhere only gains a: take it if larger, or equal and earlier.
    fresh = ~stale
    fresh[b] = False
    better = fresh & ((row > best_val) | ((row == best_val) & (a < best_col)))
    best_val[better], best_col[better] = row[better], a
    # A row that lost its best partner (a's value changed, b is gone) is searched again.
    rows = np.flatnonzero(stale)
    if rows.size * 4 > similarity.shape[0]:
        # Many rows lost their partner: one pass over the matrix, the full search's cost, is
        # cheaper than copying those rows out.
        rows = np.flatnonzero(best_col >= 0)  # every live row; a retired row keeps -1
        cols = similarity.argmax(axis=1)[rows]
    else:
        cols = similarity[rows].argmax(axis=1)
    best_col[rows], best_val[rows] = cols, similarity[rows, cols]


def _leave_one_out_similarity(X: np.ndarray, members: np.ndarray, nearest: np.ndarray, k: int) -> np.ndarray:
    """Cosine of each row to the centre of its nearest theme without the row itself.

    A centre includes its own members, which flatters them in a small theme: three unrelated
    texts (cosine 0.2 to each other) are each 0.68 from their common centre, but only 0.26 from
    the centre of the other two. Leaving the row out makes the outlier test mean the same at
    any theme size. With S the theme's vector sum and x a member, that centre is S - x, so
    the cosine is (x.S - 1) / |S - x| and no centre is recomputed.
    """
    sums = np.asarray(_membership(members, k, X.shape[0]) @ X, dtype=np.float64)
    dot = np.einsum("ij,ij->i", X, sums[nearest])
    own = (members == nearest).astype(np.float64)
    norm_sq = np.einsum("ij,ij->i", sums, sums)[nearest] - 2 * own * dot + own
    with np.errstate(invalid="ignore", divide="ignore"):
        similarity = (dot - own) / np.sqrt(np.maximum(norm_sq, 0))
    # A theme of one has no other members: nothing supports the row being there.
    return np.where(norm_sq > 1e-12, similarity, -1.0)


def _membership(labels: np.ndarray, k: int, n: int) -> sparse.csr_matrix:
    """k-by-n 0/1 matrix of which row belongs to which label (label -1 ignored)."""
    inside = np.flatnonzero(labels >= 0)
    return sparse.csr_matrix((np.ones(inside.size, dtype=np.float32), (labels[inside], inside)), shape=(k, n))


def _centroids(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit-length mean of each label's rows (label -1 ignored), without densifying anything n-by-k."""
    return normalize_rows(np.asarray(_membership(labels, k, X.shape[0]) @ X))


def _nearest(X: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of and cosine to the nearest centre for every row, scored a chunk at a time."""
    labels = np.full(X.shape[0], OUTLIER, dtype=np.int64)
    similarity = np.full(X.shape[0], -np.inf, dtype=np.float32)
    if centres.shape[0] == 0:
        return labels, similarity
    for start in range(0, X.shape[0], _CHUNK):
        block = X[start : start + _CHUNK] @ centres.T
        labels[start : start + _CHUNK] = block.argmax(axis=1)
        similarity[start : start + _CHUNK] = block.max(axis=1)
    return labels, similarity
