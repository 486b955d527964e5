"""Computed keys for the feature-engineering deck: every number it asks for.

Sampling results are also checked by simulation with a fixed seed. Several cards share one worked
example, so the keys come from one group function (GROUPS); check_numbers.py compares them with the
deck: `python decks/tools/check_numbers.py feature-engineering`.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

DECKS = {"feature-engineering"}
RNG = np.random.default_rng(0)


# ---------------------------------------------------------------- normalization
def condition_number(variances) -> float:
    """Least squares on uncorrelated centred features: the Hessian is proportional to diag(variances)."""
    eig = np.linalg.eigvalsh(np.diag(np.asarray(variances, dtype=float)))
    return float(eig.max() / eig.min())


# ---------------------------------------------------------------- categorical features and crosses
def hash_collision_probability(categories: int, buckets: int) -> float:
    """P(a given category shares its bucket with at least one of the others)."""
    return 1 - (1 - 1 / buckets) ** (categories - 1)


def fm_pairwise(v: np.ndarray, x: np.ndarray) -> float:
    direct = sum(v[i] @ v[j] * x[i] * x[j] for i in range(len(x)) for j in range(i + 1, len(x)))
    fast = 0.5 * float(((v.T @ x) ** 2 - (v**2).T @ (x**2)).sum())  # O(kn) identity
    assert math.isclose(direct, fast)
    return fast


def smooth_idf(n_docs: int, df: int) -> float:
    """scikit-learn's TfidfVectorizer default (smooth_idf=True): ln((1 + n) / (1 + df)) + 1."""
    value = math.log((1 + n_docs) / (1 + df)) + 1
    try:  # cross-check against scikit-learn itself when it is installed
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = ["rare common", "common", "common", "common"]
        vectorizer = TfidfVectorizer().fit(docs)
        assert math.isclose(vectorizer.idf_[vectorizer.vocabulary_["rare"]], value)
    except ImportError:
        pass
    return value


# ---------------------------------------------------------------- sampling
def rejection_acceptance(m: float = 1.5, n: int = 200_000) -> float:
    """Beta(2, 2) target p(x) = 6x(1 - x) <= 1.5 on [0, 1], uniform proposal: accept with p / (M q)."""
    x, u = RNG.random(n), RNG.random(n)
    simulated = float((u < 6 * x * (1 - x) / m).mean())
    assert abs(simulated - 1 / m) < 0.01
    return 1 / m


def inverse_transform_exponential(u: float, rate: float) -> float:
    value = -math.log(1 - u) / rate
    samples = -np.log(1 - RNG.random(200_000)) / rate
    assert abs(samples.mean() - 1 / rate) < 0.01  # the transform really yields Exp(rate)
    return value


def effective_sample_size(weights) -> float:
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum())


# ---------------------------------------------------------------- class imbalance
def undersampling_correction(p_s: float, beta: float) -> float:
    """Dal Pozzolo et al. 2015: negatives kept with probability beta; p = beta p_s / (beta p_s - p_s + 1)."""
    return beta * p_s / (beta * p_s - p_s + 1)


def precision_at(tpr: float, fpr: float, prevalence: float) -> float:
    tp, fp = tpr * prevalence, fpr * (1 - prevalence)
    return tp / (tp + fp)


# ---------------------------------------------------------------- evaluation
def f1_scores(y_true, y_pred):
    labels = sorted(set(y_true) | set(y_pred))
    per_class = []
    for c in labels:
        tp = sum(t == c and p == c for t, p in zip(y_true, y_pred, strict=True))
        fp = sum(t != c and p == c for t, p in zip(y_true, y_pred, strict=True))
        fn = sum(t == c and p != c for t, p in zip(y_true, y_pred, strict=True))
        per_class.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    micro = sum(t == p for t, p in zip(y_true, y_pred, strict=True)) / len(y_true)
    return sum(per_class) / len(per_class), micro


def auc_from_ranking(labels_by_score) -> float:
    pos = [i for i, y in enumerate(labels_by_score) if y == 1]
    neg = [i for i, y in enumerate(labels_by_score) if y == 0]
    return sum(p < n for p in pos for n in neg) / (len(pos) * len(neg))


# ---------------------------------------------------------------- A/B testing
def two_proportion_z(x1, n1, x2, n2) -> float:
    p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
    return (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


def sample_size_per_group(p1, p2, z_alpha=1.96, z_beta=0.84) -> int:
    pooled = (p1 + p2) / 2
    return math.ceil(2 * (z_alpha + z_beta) ** 2 * pooled * (1 - pooled) / (p2 - p1) ** 2)


def srm_chi_square(a: int, b: int) -> float:
    expected = (a + b) / 2
    return (a - expected) ** 2 / expected + (b - expected) ** 2 / expected


# ---------------------------------------------------------------- dimensionality reduction, clustering
def lda_direction(s_w, mean_diff) -> np.ndarray:
    return np.linalg.solve(np.asarray(s_w, dtype=float), np.asarray(mean_diff, dtype=float))


def pca_reconstruction_error(eigenvalues, keep: int) -> float:
    """Mean squared reconstruction error of PCA keeping `keep` components, checked on sampled data."""
    eig = np.asarray(eigenvalues, dtype=float)
    x = RNG.normal(size=(100_000, len(eig))) * np.sqrt(eig)
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    top = vt[:keep]
    error = ((x - x @ top.T @ top) ** 2).sum(axis=1).mean()
    exact = float(np.sort(eig)[::-1][keep:].sum())
    assert abs(error - exact) / exact < 0.02
    return exact


def gmm_parameter_count(k: int, d: int) -> int:
    return k * d + k * d * (d + 1) // 2 + (k - 1)


def plsa_topic_posterior(p_z_given_d, p_w_given_z) -> np.ndarray:
    """pLSA's E-step for one (document, word) pair: P(z | d, w) ∝ P(w | z) P(z | d)."""
    joint = np.asarray(p_z_given_d) * np.asarray(p_w_given_z)
    return joint / joint.sum()


def lda_gibbs_probability() -> float:
    """Collapsed Gibbs conditional for topic 1 of 2: (n_dk + alpha)(n_kw + beta) / (n_k + V beta)."""
    alpha, beta, vocab = 0.5, 0.1, 100
    n_dk, n_kw, n_k = np.array([3, 1]), np.array([2, 6]), np.array([20, 30])
    weights = (n_dk + alpha) * (n_kw + beta) / (n_k + vocab * beta)
    return float(weights[0] / weights.sum())


def feature_engineering_keys() -> dict[str, object]:
    """Every key of the feature-engineering deck, as {"deck/card-id": key}."""
    macro, micro = f1_scores([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1])
    assert round(macro, 4) == 0.2667  # the competition's own f1_score example (average='macro')
    lda_w = lda_direction([[1, 0], [0, 4]], [2, 2])
    z_975, z_80 = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.8)
    assert (round(z_975, 2), round(z_80, 2)) == (1.96, 0.84)
    z = two_proportion_z(1000, 10_000, 1100, 10_000)
    p_value = 2 * (1 - NormalDist().cdf(z))
    assert 0.02 < p_value < 0.03
    n_mde = sample_size_per_group(0.10, 0.11)
    n_half = sample_size_per_group(0.10, 0.105)
    keys = {
        # normalization
        "minmax-test-outside-range-typed": (95 - 20) / (80 - 20),
        "condition-number-typed": condition_number([100, 1]),
        "knn-scale-share-typed": round(30**2 / (1000**2 + 30**2), 4),
        # categorical features, crosses
        "binary-encoding-columns-typed": math.ceil(math.log2(1000)),
        "hashing-collision-typed": round(hash_collision_probability(1000, 1024), 3),
        "cross-low-rank-params-typed": (1_000_000 + 100_000) * 10,
        "pairwise-cross-count-typed": math.comb(50, 2),
        "fm-pairwise-typed": fm_pairwise(np.array([[1, 2], [3, -1], [0, 1]], dtype=float), np.array([1.0, 2.0, 1.0])),
        "gbdt-lr-dimension-typed": 100 * 8,
        # text
        "char-bigram-space-typed": 6869**2,
        "tfidf-smooth-idf-typed": round(smooth_idf(4, 1), 3),
        # sampling
        "inverse-transform-typed": round(inverse_transform_exponential(0.5, 2.0), 4),
        "rejection-acceptance-typed": round(rejection_acceptance(), 3),
        "importance-ess-typed": round(effective_sample_size([1, 1, 1, 5]), 3),
        "mh-acceptance-typed": min(1.0, 0.5 * 1.2),
        "smote-point-typed": tuple(float(v) for v in np.array([1, 2]) + 0.25 * (np.array([3, 6]) - np.array([1, 2]))),
        # class imbalance
        "class-weight-balanced-typed": 1000 / (2 * 50),
        "undersampling-calibration-typed": round(undersampling_correction(0.5, 0.1), 3),
        "cost-threshold-typed": 1 / (1 + 9),
        "precision-prevalence-typed": round(precision_at(0.8, 0.1, 0.01), 3),
        "balanced-accuracy-typed": round((40 / 50 + 900 / 950) / 2, 3),
        # evaluation
        "rmse-outlier-typed": round(math.sqrt(np.mean(np.square([1, 1, 1, 1, 10]))), 2),
        "auc-from-ranking-typed": round(auc_from_ranking([1, 1, 0, 1, 0, 0]), 3),
        "cosine-to-euclid-typed": round(math.sqrt(2 * (1 - 0.8)), 3),
        "nested-cv-fits-typed": 5 * (3 * 10 + 1),
        "macro-f1-example-typed": round(macro, 3),
        "micro-f1-example-typed": round(micro, 3),
        "macro-f1-rare-class-typed": round((13 * 0.95 + 0.5) / 14, 3),
        "mean-log-loss-typed": round(-np.mean(np.log([0.9, 0.6, 0.2])), 3),
        # A/B testing
        "ab-z-statistic-typed": round(z, 2),
        "ab-sample-size-typed": n_mde,
        "ab-halve-mde-typed": round(n_half / n_mde),
        "ab-multiple-testing-typed": round(1 - 0.95**5, 3),
        "ab-srm-chi-square-typed": round(srm_chi_square(10_000, 10_400), 2),
        # PCA / LDA
        "lda-max-components-typed": 14 - 1,
        "lda-direction-ratio-typed": float(lda_w[1] / lda_w[0]),
        "pca-reconstruction-error-typed": pca_reconstruction_error([4, 2, 1, 0.5, 0.5], 2),
        # clustering
        "kmeanspp-probability-typed": round(9 / (1 + 4 + 9), 3),
        "silhouette-typed": (5 - 2) / max(2, 5),
        "gmm-parameter-count-typed": gmm_parameter_count(3, 2),
        # topic models
        "plsa-parameter-count-typed": 1000 * 20 + 20 * 10_000,
        "dirichlet-posterior-typed": round((1 + 3) / (3 + 4), 3),
        "lda-gibbs-conditional-typed": round(lda_gibbs_probability(), 3),
        "perplexity-typed": round(math.exp(5), 1),
        "plsa-posterior-typed": round(plsa_topic_posterior([0.7, 0.3], [0.01, 0.05])[0], 3),
        # the two Tianchi tasks
        "news-imbalance-ratio-typed": round(38_918 / 908, 1),
        "svhn-output-units-typed": 6 * 11,
        "svhn-code-accuracy-typed": round(0.97**4, 3),
    }
    return {f"feature-engineering/{card_id}": key for card_id, key in keys.items()}


GROUPS = [feature_engineering_keys]
