"""Computed keys for the twelve core decks: each function recomputes one card's answer.

Shapes and parameter counts come from running the real PyTorch module on a dummy tensor; optimizer
steps from the real torch.optim classes; arithmetic from NumPy. check_numbers.py compares every
result with the deck's answer. pandas (a dev dependency) is imported inside the few functions that need
it; matplotlib's subplot layout is reproduced with NumPy, so no key needs matplotlib.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections import Counter

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

DECKS = {
    "classic-ml",
    "cnn-cv",
    "dl-fundamentals",
    "math-for-dl",
    "ml-competition",
    "nlp-tasks",
    "nlp-word-vectors",
    "optimization",
    "python-data-stack",
    "pytorch-basics",
    "rnn-seq2seq",
    "transformers",
}
KEYS = {}


def key(name):
    """Register a function as the computation of card `name` ("deck/card-id")."""

    def register(function):
        KEYS[name] = function
        return function

    return register


def n_params(*modules) -> int:
    return sum(p.numel() for m in modules for p in m.parameters())


def out_shape(module, *input_shape) -> tuple[int, ...]:
    with torch.no_grad():
        return tuple(module(torch.zeros(*input_shape)).shape)


def pick(choices: list[str], predicate) -> str:
    """The single choice text for which `predicate` holds (it may raise for wrong choices)."""
    good = []
    for choice in choices:
        try:
            if predicate(choice):
                good.append(choice)
        except Exception:  # a wrong option may not even run
            pass
    assert len(good) == 1, good
    return good[0]


def entropy_bits(*counts) -> float:
    p = np.array(counts, dtype=float) / sum(counts)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


# ---------------------------------------------------------------- classic-ml
@key("classic-ml/lasso-soft-threshold-typed")
def lasso_soft_threshold():
    w = np.linspace(-1, 1, 200_001)  # orthonormal X: each coordinate minimizes ½(z − w)² + λ|w|
    objective = 0.5 * (0.3 - w) ** 2 + 0.5 * np.abs(w)
    return round(float(w[objective.argmin()]), 6)


@key("classic-ml/bootstrap-oob-fraction-typed")
def bootstrap_oob():
    n = 1_000_000
    return (1 - 1 / n) ** n


@key("classic-ml/confusion-matrix-recall-typed")
def recall():
    tp, fn = 40, 20
    return tp / (tp + fn)


@key("classic-ml/confusion-matrix-f1-typed")
def f1():
    tp, fp, fn = 40, 10, 20
    p, r = tp / (tp + fp), tp / (tp + fn)
    return 2 * p * r / (p + r)


@key("classic-ml/accuracy-imbalance-baseline-typed")
def always_negative_accuracy():
    y = np.array([1] * 60 + [0] * 940)
    return float((np.zeros_like(y) == y).mean())


@key("classic-ml/auc-pairwise-typed")
def auc_pairwise():
    pos, neg = [0.9, 0.6, 0.4], [0.7, 0.3, 0.2]
    pairs = [(p > n) + 0.5 * (p == n) for p in pos for n in neg]
    return sum(pairs) / len(pairs)


@key("classic-ml/perceptron-update-typed")
def perceptron_two_updates():
    data = [((3, 3), 1), ((4, 3), 1), ((1, 1), -1)]  # 李航 例2.1
    w, b, updates = np.zeros(2), 0.0, 0
    while updates < 2:
        for x, y in data:
            if y * (w @ np.array(x) + b) <= 0:
                w, b, updates = w + y * np.array(x), b + y, updates + 1
                break
    return tuple(w)


@key("classic-ml/perceptron-distance-typed")
def point_hyperplane_distance():
    w, b, x0 = np.array([3.0, 4.0]), -5.0, np.array([3.0, 4.0])
    return float(abs(w @ x0 + b) / np.linalg.norm(w))


@key("classic-ml/naive-bayes-param-count-typed")
def full_class_conditional_params():
    n, k = 10, 2
    return k * (2**n - 1)


@key("classic-ml/laplace-smoothing-typed")
def laplace():
    count, n_class, n_values, lam = 0, 8, 3, 1
    return (count + lam) / (n_class + n_values * lam)


@key("classic-ml/naive-bayes-posterior-typed")
def nb_posterior():
    spam = 0.3 * 0.6 * 0.5
    ham = 0.7 * 0.1 * 0.2
    return spam / (spam + ham)


@key("classic-ml/entropy-arithmetic-typed")
def entropy_9_6():
    return entropy_bits(9, 6)


@key("classic-ml/information-gain-typed")
def information_gain():
    return entropy_bits(9, 6) - (6 / 15 * entropy_bits(6, 0) + 9 / 15 * entropy_bits(3, 6))


@key("classic-ml/gini-arithmetic-typed")
def gini():
    p = np.array([9, 6]) / 15
    return float(1 - (p**2).sum())


@key("classic-ml/logistic-odds-ratio-typed")
def odds_ratio():
    logit = lambda x: 0.7 * x - 0.2  # noqa: E731 - any intercept gives the same ratio
    odds = lambda x: math.exp(logit(x))  # noqa: E731
    return odds(3.0) / odds(2.0)


@key("classic-ml/maximum-entropy-example-typed")
def maxent_example():
    from scipy.optimize import minimize

    constraints = [{"type": "eq", "fun": lambda p: p.sum() - 1}, {"type": "eq", "fun": lambda p: p[0] + p[1] - 0.3}]
    result = minimize(lambda p: (p * np.log(p)).sum(), np.full(5, 0.2), constraints=constraints, bounds=[(1e-9, 1)] * 5)
    return float(result.x[2])


@key("classic-ml/adaboost-alpha-typed")
def adaboost_alpha():
    e = 0.3
    return 0.5 * math.log((1 - e) / e)


@key("classic-ml/adaboost-reweight-error-typed")
def adaboost_error_after_reweighting():
    w = np.full(10, 0.1)
    wrong = np.array([True] * 3 + [False] * 7)  # weighted error 0.3
    alpha = adaboost_alpha()
    w = w * np.exp(np.where(wrong, alpha, -alpha))
    w /= w.sum()
    return float(w[wrong].sum())


@key("classic-ml/gbdt-residual-step-typed")
def gbdt_step():
    y = np.array([2.0, 4.0, 9.0])
    f0 = np.full(3, y.mean())
    residual = y - f0
    leaves = [np.array([0, 1]), np.array([2])]
    f1 = f0.copy()
    for leaf in leaves:
        f1[leaf] += 0.1 * residual[leaf].mean()
    return float(f1[2])


@key("classic-ml/xgboost-leaf-weight-typed")
def xgb_leaf():
    G, H, lam = -4, 3, 1
    return -G / (H + lam)


@key("classic-ml/xgboost-split-gain-typed")
def xgb_gain():
    gl, hl, gr, hr, lam, gamma = -6, 2, 4, 3, 1, 0.5
    score = lambda g, h: g**2 / (h + lam)  # noqa: E731
    return 0.5 * (score(gl, hl) + score(gr, hr) - score(gl + gr, hl + hr)) - gamma


@key("classic-ml/forest-variance-typed")
def forest_variance():
    b, rho, var = 10, 0.3, 1.0
    cov = var * (rho * np.ones((b, b)) + (1 - rho) * np.eye(b))
    average = np.full(b, 1 / b)
    return float(average @ cov @ average)


@key("classic-ml/curse-of-dimensionality-typed")
def edge_length():
    return 0.1 ** (1 / 10)


@key("classic-ml/pca-explained-variance-typed")
def pca_ratio():
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(4, 4)))
    cov = q @ np.diag([5, 3, 1.5, 0.5]) @ q.T
    eig = np.sort(np.linalg.eigvalsh(cov))[::-1]
    return float(eig[:2].sum() / np.trace(cov))


# ---------------------------------------------------------------- cnn-cv
@key("cnn-cv/cross-correlation-by-hand")
def cross_correlation():
    x = torch.tensor([[1.0, 2, 0], [3, 1, 2], [0, 4, 1]])
    k = torch.tensor([[2.0, 0], [1, -1]])
    return float(F.conv2d(x[None, None], k[None, None])[0, 0, 0, 0])


@key("cnn-cv/conv-out-resnet-stem")
def resnet_stem():
    return out_shape(nn.Conv2d(1, 1, 7, stride=2, padding=3), 1, 1, 224, 224)[-2]


@key("cnn-cv/conv-out-alexnet-conv1")
def alexnet_conv1():
    return out_shape(nn.Conv2d(1, 1, 11, stride=4), 1, 1, 227, 227)[-2]


@key("cnn-cv/conv-out-stride-floor")
def stride_floor():
    return out_shape(nn.Conv2d(1, 1, 3, stride=2), 1, 1, 32, 32)[-2]


@key("cnn-cv/conv-out-dilation")
def dilation():
    return out_shape(nn.Conv2d(1, 1, 3, dilation=2), 1, 1, 32, 32)[-2]


@key("cnn-cv/maxpool-out-size")
def resnet_maxpool():
    return out_shape(nn.MaxPool2d(3, stride=2, padding=1), 1, 1, 112, 112)[-2]


@key("cnn-cv/conv-weight-shape")
def conv_weight_shape():
    return tuple(nn.Conv2d(3, 16, kernel_size=5).weight.shape)


@key("cnn-cv/conv-param-count-bias")
def conv_params():
    return n_params(nn.Conv2d(64, 128, kernel_size=3))


@key("cnn-cv/receptive-field-arith")
def receptive_field():
    convs = nn.Sequential(nn.Conv2d(1, 1, 3), nn.Conv2d(1, 1, 3, stride=2), nn.Conv2d(1, 1, 3))
    for conv in convs:
        nn.init.ones_(conv.weight)
    x = torch.zeros(1, 1, 40, 40, requires_grad=True)
    out = convs(x)
    out[0, 0, out.shape[-2] // 2, out.shape[-1] // 2].backward()
    rows = x.grad[0, 0].abs().sum(1).nonzero()
    return int(rows.max() - rows.min() + 1)


@key("cnn-cv/vgg-stack-vs-7x7-typed")
def vgg_ratio():
    c = 64
    stack = n_params(*[nn.Conv2d(c, c, 3, bias=False) for _ in range(3)])
    return stack / n_params(nn.Conv2d(c, c, 7, bias=False))


@key("cnn-cv/resnet-bottleneck-params")
def bottleneck():
    reduce, conv3x3, expand = (
        nn.Conv2d(256, 64, 1, bias=False),
        nn.Conv2d(64, 64, 3, padding=1, bias=False),
        nn.Conv2d(64, 256, 1, bias=False),
    )
    return n_params(reduce, conv3x3, expand)


@key("cnn-cv/depthwise-separable-params")
def depthwise_separable():
    return n_params(nn.Conv2d(128, 128, 3, groups=128, bias=False), nn.Conv2d(128, 256, 1, bias=False))


@key("cnn-cv/depthwise-groups-choice")
def depthwise_choice():
    choices = [
        "nn.Conv2d(64, 64, 3, padding=1, groups=64)",
        "nn.Conv2d(64, 64, 3, padding=1, groups=1)",
        "nn.Conv2d(64, 64, 1, groups=64)",
        "nn.Conv2d(64, 1, 3, padding=1)",
    ]

    def depthwise_3x3(text):
        conv = eval(text, {"nn": nn})
        return conv.kernel_size == (3, 3) and conv.groups == conv.in_channels == conv.out_channels == 64

    return pick(choices, depthwise_3x3)


def iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    area = lambda r: (r[2] - r[0]) * (r[3] - r[1])  # noqa: E731
    return inter / (area(a) + area(b) - inter)


@key("cnn-cv/iou-two-boxes")
def iou_two_boxes():
    return iou((0, 0, 4, 4), (2, 2, 6, 6))


@key("cnn-cv/nms-count")
def nms_survivors():
    scores = {"A": 0.9, "B": 0.8, "C": 0.7}
    overlap = {frozenset("AB"): 0.7, frozenset("AC"): 0.1, frozenset("BC"): 0.6}
    remaining, kept = sorted(scores, key=scores.get, reverse=True), []
    while remaining:
        best = remaining.pop(0)
        kept.append(best)
        remaining = [box for box in remaining if overlap[frozenset(best + box)] <= 0.5]
    return len(kept)


@key("cnn-cv/transposed-conv-out")
def transposed_conv():
    return out_shape(nn.ConvTranspose2d(1, 1, kernel_size=4, stride=2, padding=1), 1, 1, 16, 16)[-2]


# ---------------------------------------------------------------- dl-fundamentals
@key("dl-fundamentals/backprop-by-hand-typed")
def add_multiply_backprop():
    x, y, z = (torch.tensor(v, requires_grad=True) for v in (-2.0, 5.0, -4.0))
    ((x + y) * z).backward()
    return float(x.grad)


@key("dl-fundamentals/softmax-ce-gradient-typed")
def softmax_ce_gradient():
    logits = torch.log(torch.tensor([0.7, 0.2, 0.1])).requires_grad_()
    F.cross_entropy(logits[None], torch.tensor([1])).backward()
    return float(logits.grad[1])


@key("dl-fundamentals/he-init-std")
def he_std():
    fan_in = 512
    return nn.init.calculate_gain("relu") / math.sqrt(fan_in)


@key("dl-fundamentals/momentum-velocity-limit-typed")
def momentum_limit():
    v = 0.0
    for _ in range(1000):
        v = 0.9 * v + 1.0
    return v


@key("dl-fundamentals/initial-ce-loss-10-classes")
def initial_ce():
    return float(F.cross_entropy(torch.zeros(1, 10), torch.tensor([3])))


def multiclass_svm_loss(scores, correct, delta):
    scores = np.asarray(scores, dtype=float)
    margins = np.maximum(0, scores - scores[correct] + delta)
    margins[correct] = 0
    return float(margins.sum())


@key("dl-fundamentals/multiclass-svm-loss-typed")
def svm_loss():
    return multiclass_svm_loss([13, -7, 11], 0, 10)


@key("dl-fundamentals/svm-loss-at-init-typed")
def svm_loss_at_init():
    return multiclass_svm_loss(np.zeros(10), 0, 1)


@key("dl-fundamentals/gradient-check-relative-error-typed")
def relative_error():
    a, n = 2.0, 2.0004
    return abs(a - n) / max(abs(a), abs(n))


# ---------------------------------------------------------------- math-for-dl
@key("math-for-dl/matmul-chain-cost-typed")
def matmul_chain_cost():
    a, b, c = (8, 3), (3, 5), (5, 2)
    ab_first = a[0] * a[1] * b[1] + a[0] * b[1] * c[1]
    bc_first = b[0] * b[1] * c[1] + a[0] * a[1] * c[1]
    return min(ab_first, bc_first)


@key("math-for-dl/frobenius-norm-compute")
def frobenius():
    return float(np.linalg.norm(np.array([[1, 2], [-2, 4]]), "fro"))


@key("math-for-dl/matrix-rank-compute")
def rank():
    return int(np.linalg.matrix_rank(np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]])))


@key("math-for-dl/low-rank-factorization-params")
def lora_params():
    b, a = torch.zeros(4096, 8), torch.zeros(8, 4096)
    return b.numel() + a.numel()


@key("math-for-dl/eigenvalues-compute")
def largest_eigenvalue():
    return float(np.linalg.eigvalsh(np.array([[2.0, 1], [1, 2]])).max())


@key("math-for-dl/gradient-compute")
def gradient_at_point():
    x, y = torch.tensor(1.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)
    (x**2 * y + 3 * y).backward()
    return (float(x.grad), float(y.grad))


@key("math-for-dl/jacobian-shape")
def jacobian_shape():
    f = lambda v: torch.stack([v[0] * v[1], v[1] + v[2]])  # noqa: E731 - any ℝ³ → ℝ² map
    return tuple(torch.autograd.functional.jacobian(f, torch.ones(3)).shape)


@key("math-for-dl/die-variance")
def die_variance():
    return float(np.var(np.arange(1, 7)))


@key("math-for-dl/conditional-probability-dice")
def dice_conditional():
    outcomes = [(a, b) for a in range(1, 7) for b in range(1, 7) if a + b == 8]
    return sum(a == 3 for a, _ in outcomes) / len(outcomes)


@key("math-for-dl/bayes-medical-test")
def bayes_test():
    prior, sensitivity, false_positive = 0.01, 0.99, 0.05
    evidence = prior * sensitivity + (1 - prior) * false_positive
    return prior * sensitivity / evidence


@key("math-for-dl/kl-compute")
def kl():
    p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    return float((p * np.log(p / q)).sum())


# ---------------------------------------------------------------- ml-competition
@key("ml-competition/one-hot-column-count-typed")
def dummy_columns():
    months, weekdays = np.arange(1, 13), np.arange(7)
    grid = list(itertools.product(months, weekdays))
    return sum(len(set(column)) - 1 for column in zip(*grid, strict=True))


@key("ml-competition/target-encoding-smoothing-typed")
def smoothed_target_encoding():
    n, mean, m, prior = 4, 0.75, 6, 0.2
    return (n * mean + m * prior) / (n + m)


@key("ml-competition/frequency-encoding-typed")
def frequency_encoding():
    column = ["Shanghai"] * 300 + ["other"] * 900
    return Counter(column)["Shanghai"] / len(column)


@key("ml-competition/random-search-coverage-typed")
def random_search_hit():
    return 1 - 0.95**60


@key("ml-competition/ensemble-error-variance-typed")
def ensemble_variance():
    cov = np.array([[4.0, 0.5 * 2 * 2], [0.5 * 2 * 2, 4.0]])
    weights = np.array([0.5, 0.5])
    return float(weights @ cov @ weights)


@key("ml-competition/stacking-oof-shape-typed")
def oof_shape():
    n_train, n_models, k = 10_000, 3, 5
    oof = np.full((n_train, n_models), np.nan)
    for model in range(n_models):
        for fold in np.array_split(np.arange(n_train), k):
            oof[fold, model] = 0.0  # each row is predicted once, by the model that did not see it
    assert not np.isnan(oof).any()
    return oof.shape


# ---------------------------------------------------------------- nlp-tasks
@key("nlp-tasks/bpe-first-merge")
def bpe_first_merge():
    words = {"cat": 8, "cats": 4, "hat": 6, "that": 3}
    pairs = Counter()
    for word, count in words.items():
        for a, b in itertools.pairwise(word):
            pairs[a + b] += count
    return pairs.most_common(1)[0][0]


@key("nlp-tasks/bmes-tagging-typed")
def bmes_tags():
    tags = []
    for word in ["我", "爱", "北京"]:
        tags += ["S"] if len(word) == 1 else ["B"] + ["M"] * (len(word) - 2) + ["E"]
    return " ".join(tags)


@key("nlp-tasks/tfidf-arithmetic")
def tfidf():
    return 2 / 100 * math.log10(10_000 / 100)


@key("nlp-tasks/textcnn-conv-length")
def textcnn_length():
    return out_shape(nn.Conv1d(300, 100, kernel_size=3), 64, 300, 50)[-1]


@key("nlp-tasks/bio-tag-count")
def bio_tags():
    types = ["PER", "LOC", "ORG", "MISC"]
    return len(["O"] + [f"{prefix}-{t}" for t in types for prefix in "BI"])


@key("nlp-tasks/viterbi-arithmetic")
def viterbi_best():
    emission = {0: {"A": 1, "B": 0}, 1: {"A": 0, "B": 2}}
    transition = {("A", "A"): 0, ("A", "B"): 1, ("B", "A"): 0, ("B", "B"): 0}
    best = max(emission[0][a] + transition[a, b] + emission[1][b] for a, b in itertools.product("AB", repeat=2))
    return best


def f1_score(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn)


@key("nlp-tasks/macro-f1-arithmetic")
def macro_f1():
    return (f1_score(90, 10, 10) + f1_score(1, 9, 9)) / 2


@key("nlp-tasks/entity-level-f1-arithmetic")
def entity_f1():
    gold, predicted, exact = 4, 5, 3
    p, r = exact / predicted, exact / gold
    return 2 * p * r / (p + r)


@key("nlp-tasks/in-batch-negatives-typed")
def in_batch_negatives():
    batch = 32
    scores = torch.randn(batch, batch)  # query i against passage j; the diagonal holds the positives
    negatives = (~torch.eye(batch, dtype=torch.bool)).sum(dim=1)
    F.cross_entropy(scores, torch.arange(batch))  # the usual loss over the whole row
    return int(negatives[0])


def arc_standard_oracle(heads: dict[int, int]) -> list[str]:
    """Transitions of the static arc-standard oracle for a projective tree (word → head, 0 = ROOT)."""
    n = len(heads)
    stack, buffer, attached, transitions = [0], list(range(1, n + 1)), set(), []
    children = Counter(heads.values())
    done = Counter()
    while buffer or len(stack) > 1:
        if len(stack) >= 2 and heads.get(stack[-2]) == stack[-1]:
            dependent = stack.pop(-2)
            transitions.append("LEFT-ARC")
        elif len(stack) >= 2 and heads.get(stack[-1]) == stack[-2] and done[stack[-1]] == children[stack[-1]]:
            dependent = stack.pop()
            transitions.append("RIGHT-ARC")
        else:
            stack.append(buffer.pop(0))
            transitions.append("SHIFT")
            continue
        attached.add(dependent)
        done[heads[dependent]] += 1
    assert len(attached) == n
    return transitions


@key("nlp-tasks/arc-standard-step-count-typed")
def arc_standard_steps():
    heads = {i: i + 1 for i in range(1, 10)} | {10: 0}  # a 10-word chain, every tree takes 2n
    return len(arc_standard_oracle(heads))


@key("nlp-tasks/arc-standard-by-hand-typed")
def arc_standard_third():
    heads = {1: 2, 2: 0, 3: 2}  # I ← ate → fish, ate ← ROOT
    return arc_standard_oracle(heads)[2]


@key("nlp-tasks/uas-las-typed")
def las():
    correct_head, correct_head_and_label, words = 9, 8, 10
    assert correct_head_and_label <= correct_head
    return correct_head_and_label / words


# ---------------------------------------------------------------- nlp-word-vectors
@key("nlp-word-vectors/skipgram-pair-count")
def skipgram_pairs():
    n, window = 5, 2
    return sum(1 for c in range(n) for o in range(n) if o != c and abs(o - c) <= window)


@key("nlp-word-vectors/word2vec-param-count")
def word2vec_params():
    return n_params(nn.Embedding(10_000, 300), nn.Embedding(10_000, 300))


@key("nlp-word-vectors/unigram-power-075-arithmetic")
def noise_probability():
    weights = np.array([16.0, 1.0]) ** 0.75
    return float(weights[1] / weights.sum())


@key("nlp-word-vectors/subsampling-arithmetic")
def discard_probability():
    t, f = 1e-5, 1e-3
    return 1 - math.sqrt(t / f)


@key("nlp-word-vectors/hierarchical-softmax-depth")
def tree_depth():
    return math.ceil(math.log2(1_048_576))


@key("nlp-word-vectors/glove-weight-arithmetic")
def glove_weight():
    return (25 / 100) ** 0.75


@key("nlp-word-vectors/fasttext-trigram-count")
def trigrams():
    word = "<where>"
    return len([word[i : i + 3] for i in range(len(word) - 2)])


@key("nlp-word-vectors/cosine-similarity-arithmetic")
def cosine():
    return float(F.cosine_similarity(torch.tensor([[1.0, 2, 2]]), torch.tensor([[2.0, 1, 2]])))


@key("nlp-word-vectors/nn-embedding-output-shape")
def embedding_shape():
    return tuple(nn.Embedding(10_000, 300)(torch.zeros(32, 50, dtype=torch.long)).shape)


# ---------------------------------------------------------------- optimization
@key("optimization/iterations-per-epoch")
def steps_per_epoch():
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(50_000)), batch_size=128)
    return len(loader)


@key("optimization/permutation-symmetry-count-typed")
def permutation_copies():
    return math.factorial(3) ** 2


@key("optimization/max-stable-lr-quadratic")
def max_stable_lr():
    hessian = np.diag([10.0, 1.0])
    return 2 / np.linalg.eigvalsh(hessian).max()


def run_optimizer(optimizer_class, grads, start=1.0, **kwargs) -> list[float]:
    p = torch.tensor([start], requires_grad=True)
    optimizer = optimizer_class([p], **kwargs)
    values = []
    for g in grads:
        p.grad = torch.tensor([g])
        optimizer.step()
        values.append(p.detach().item())
    return values


@key("optimization/momentum-step-by-hand")
def momentum_steps():
    return run_optimizer(torch.optim.SGD, [1.0, 0.5], lr=0.1, momentum=0.9)[-1]


@key("optimization/adagrad-second-step")
def adagrad_step_two():
    values = run_optimizer(torch.optim.Adagrad, [3.0, 4.0], lr=0.1, eps=0.0)
    return values[0] - values[1]


@key("optimization/rmsprop-first-step")
def rmsprop_step():
    return run_optimizer(torch.optim.RMSprop, [2.0], lr=0.01, alpha=0.99)[0]


@key("optimization/adam-first-step-size")
def adam_step():
    return abs(run_optimizer(torch.optim.Adam, [-50.0], lr=1e-3)[0] - 1.0)


@key("optimization/adamw-step-value")
def adamw_step():
    return run_optimizer(torch.optim.AdamW, [0.0], start=2.0, lr=0.1, weight_decay=0.1)[0]


def lr_after(scheduler_class, steps, lr=0.1, **kwargs) -> float:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = scheduler_class(optimizer, **kwargs)
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
    return optimizer.param_groups[0]["lr"]


@key("optimization/step-lr-value")
def step_lr():
    return lr_after(torch.optim.lr_scheduler.StepLR, 65, step_size=30, gamma=0.1)


@key("optimization/cosine-lr-value")
def cosine_lr():
    return lr_after(torch.optim.lr_scheduler.CosineAnnealingLR, 25, T_max=100)


@key("optimization/noam-peak-lr")
def noam_peak():
    d_model, warmup = 512, 4000
    return max(d_model**-0.5 * min(step**-0.5, step * warmup**-1.5) for step in range(1, 20_000))


@key("optimization/global-norm-clip-two-tensors")
def clip_global():
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    a.grad, b.grad = torch.tensor([1.0, 2.0]), torch.tensor([2.0, 4.0])
    nn.utils.clip_grad_norm_([a, b], max_norm=2.5)
    return float(a.grad[0])


@key("optimization/newton-one-step")
def newton_step():
    x = torch.tensor(10.0, requires_grad=True)
    f = lambda v: 3 * v**2 - 12 * v + 5  # noqa: E731
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    (h,) = torch.autograd.grad(g, x)
    return (x - g / h).item()


@key("optimization/hessian-memory")
def hessian_terabytes():
    n, bytes_per_float = 10**6, torch.finfo(torch.float32).bits // 8
    return n * n * bytes_per_float / 1e12


# ---------------------------------------------------------------- python-data-stack
@key("python-data-stack/dtype-inference")
def dtype_inference():
    return str(np.array([1, 2, 3.0]).dtype)


@key("python-data-stack/uint8-overflow-choice")
def uint8_overflow():
    result = repr(np.array([200], dtype=np.uint8) + 100)
    return f"{result}, wrapped around"


@key("python-data-stack/slice-view-write-choice")
def slice_view_write():
    a = np.arange(5)
    b = a[1:3]
    b[:] = 0
    return str(a)


@key("python-data-stack/broadcast-shape-column-row")
def broadcast_column_row():
    return (np.ones((3, 1)) + np.ones(4)).shape


@key("python-data-stack/broadcast-shape-4d")
def broadcast_4d():
    return np.broadcast_shapes((8, 1, 6, 1), (7, 1, 5))


@key("python-data-stack/broadcast-error-choice")
def broadcast_error():
    pairs = {"(3, 4) and (4,)": ((3, 4), (4,)), "(3, 4) and (3,)": ((3, 4), (3,)),
             "(3, 1) and (1, 4)": ((3, 1), (1, 4)), "(2, 1, 4) and (3, 1)": ((2, 1, 4), (3, 1))}  # fmt: skip

    def fails(text):
        try:
            np.broadcast_shapes(*pairs[text])
        except ValueError:
            return True
        return False

    return pick(list(pairs), fails)


@key("python-data-stack/keepdims-row-normalize")
def keepdims_shape():
    return np.ones((4, 3)).sum(axis=1, keepdims=True).shape


@key("python-data-stack/multi-axis-sum-shape")
def multi_axis_sum():
    return np.ones((2, 3, 4)).sum(axis=(0, 2)).shape


@key("python-data-stack/fancy-index-pairs-choice")
def fancy_pairs():
    a = np.arange(12).reshape(3, 4)
    return repr(a[[0, 2], [1, 3]])


@key("python-data-stack/boolean-row-mask-shape")
def boolean_mask_shape():
    return np.ones((4, 3))[np.array([True, False, True, False])].shape


@key("python-data-stack/index-alignment-choice")
def index_alignment():
    import pandas as pd

    total = pd.Series([1, 2], index=["a", "b"]) + pd.Series([10, 20], index=["b", "c"])
    return ", ".join(f"{label}: {'NaN' if pd.isna(v) else int(v)}" for label, v in total.items())


@key("python-data-stack/merge-duplicate-keys-count")
def merge_rows():
    import pandas as pd

    return len(pd.merge(pd.DataFrame({"k": [1, 1, 2]}), pd.DataFrame({"k": [1, 1, 3]}), on="k"))


@key("python-data-stack/nan-skipping-mean")
def nan_mean():
    import pandas as pd

    return float(pd.Series([1, None, 3]).mean())


@key("python-data-stack/value-counts-normalize")
def value_counts_share():
    import pandas as pd

    return float(pd.Series(["a", "b", "a", "c", "a"]).value_counts(normalize=True)["a"])


def subplots_axes(nrows: int, ncols: int, squeeze: bool = True):
    """What plt.subplots returns as `axes`, without matplotlib: an object array of shape (nrows, ncols)
    whose length-1 dimensions squeeze=True drops (matplotlib.pyplot.subplots' documented rule), and a
    lone Axes (here a placeholder string) for a 1 × 1 grid."""
    axes = np.empty((nrows, ncols), dtype=object)
    axes[...] = [[f"Axes({r}, {c})" for c in range(ncols)] for r in range(nrows)]
    if not squeeze:
        return axes
    return axes.item() if axes.size == 1 else axes.squeeze()


@key("python-data-stack/subplots-axes-shape")
def subplots_shape():
    assert subplots_axes(1, 3).shape == (3,) and isinstance(subplots_axes(1, 1), str)  # the card's back
    assert subplots_axes(1, 3, squeeze=False).shape == (1, 3)
    return subplots_axes(2, 3).shape


@key("python-data-stack/imshow-chw-choice")
def imshow_layout():
    img = torch.arange(3 * 32 * 32, dtype=torch.float32).reshape(3, 32, 32)
    choices = ["img.numpy()", "img.permute(1, 2, 0).numpy()", "img.view(32, 32, 3).numpy()", "img.T.numpy()"]

    def is_hwc(text):
        with warnings.catch_warnings():  # img.T on a 3-D tensor is deprecated: that option is wrong anyway
            warnings.simplefilter("ignore")
            array = eval(text, {"img": img})
        return array.shape == (32, 32, 3) and all(
            array[h, w, c] == img[c, h, w] for h, w, c in [(0, 5, 1), (7, 2, 2), (31, 0, 0)]
        )

    return pick(choices, is_hwc)


# ---------------------------------------------------------------- pytorch-basics
@key("pytorch-basics/permute-nchw-to-nhwc")
def permute_shape():
    return tuple(torch.zeros(32, 3, 224, 224).permute(0, 2, 3, 1).shape)


@key("pytorch-basics/squeeze-batch-pitfall-choice")
def squeeze_shape():
    return str(tuple(torch.zeros(1, 1, 5).squeeze().shape))


@key("pytorch-basics/torch-broadcast-shape")
def torch_broadcast():
    return tuple((torch.zeros(32, 1, 5) * torch.zeros(4, 1)).shape)


@key("pytorch-basics/batched-matmul-shape")
def batched_matmul():
    return tuple((torch.randn(8, 10, 64) @ torch.randn(64, 20)).shape)


@key("pytorch-basics/grad-accumulation-value")
def grad_accumulation():
    x = torch.tensor(2.0, requires_grad=True)
    (x**2).backward()
    (x**2).backward()
    return float(x.grad)


@key("pytorch-basics/vjp-gradient-value")
def vjp():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x**2).backward(torch.tensor([1.0, 0.1, 0.01]))
    return float(x.grad[1])


@key("pytorch-basics/batchnorm-state-dict-entries")
def batchnorm_state_dict():
    return len(nn.BatchNorm2d(16).state_dict())


@key("pytorch-basics/linear-weight-shape")
def linear_weight_shape():
    return tuple(nn.Linear(128, 64).weight.shape)


@key("pytorch-basics/small-cnn-param-count")
def small_cnn():
    return n_params(nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 26 * 26, 10)))


@key("pytorch-basics/flatten-linear-in-features")
def flatten_features():
    body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.MaxPool2d(2), nn.Flatten())
    return out_shape(body, 2, 3, 32, 32)[1]


@key("pytorch-basics/frozen-layer-trainable-count")
def frozen_count():
    model = nn.Sequential(nn.Linear(10, 20), nn.Linear(20, 2))
    model[0].requires_grad_(False)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@key("pytorch-basics/dataloader-last-batch-size")
def last_batch():
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(1000)), batch_size=64)
    return len(list(loader)[-1][0])


@key("pytorch-basics/default-collate-label-shape")
def collate_labels():
    samples = [(torch.zeros(3, 28, 28), i % 10) for i in range(64)]
    _, labels = next(iter(torch.utils.data.DataLoader(samples, batch_size=32)))
    assert labels.dtype == torch.int64
    return tuple(labels.shape)


@key("pytorch-basics/cross-entropy-target-shape")
def ce_target_shape():
    target = torch.randint(0, 10, (32,))
    nn.CrossEntropyLoss()(torch.zeros(32, 10), target)  # accepted as-is
    return tuple(target.shape)


@key("pytorch-basics/cross-entropy-sequence-choice")
def ce_sequence_call():
    b, t, v = 2, 5, 7
    logits, targets, loss_fn = torch.randn(b, t, v), torch.randint(0, v, (b, t)), nn.CrossEntropyLoss()
    reference = F.cross_entropy(logits.permute(0, 2, 1), targets)
    choices = [
        "loss_fn(logits, targets)",
        "loss_fn(logits.reshape(-1, V), targets.reshape(-1))",
        "loss_fn(logits.softmax(-1), targets)",
        "loss_fn(logits.reshape(-1, V), targets)",
    ]
    scope = {"loss_fn": loss_fn, "logits": logits, "targets": targets, "V": v}
    return pick(choices, lambda text: torch.allclose(eval(text, scope), reference))


# ---------------------------------------------------------------- rnn-seq2seq
@key("rnn-seq2seq/rnn-gradient-decay-typed")
def rnn_gradient_decay():
    h0 = torch.tensor(1.0, requires_grad=True)
    h = h0
    for _ in range(50):
        h = 0.9 * h + 0.0
    h.backward()
    return float(h0.grad)


@key("rnn-seq2seq/lstm-cell-by-hand")
def lstm_cell():
    f, i, candidate, c_prev = 0.5, 0.8, 0.5, 2.0
    return f * c_prev + i * candidate


@key("rnn-seq2seq/lstm-param-count")
def lstm_params():
    return n_params(nn.LSTM(input_size=100, hidden_size=128))


@key("rnn-seq2seq/bilstm-two-layer-param-count")
def bilstm_params():
    return n_params(nn.LSTM(input_size=10, hidden_size=20, num_layers=2, bidirectional=True))


def lstm_outputs():
    lstm = nn.LSTM(32, 64, num_layers=2, batch_first=True)
    output, (h_n, _) = lstm(torch.zeros(8, 20, 32))
    return output, h_n


@key("rnn-seq2seq/lstm-output-shape-batch-first")
def lstm_output_shape():
    return tuple(lstm_outputs()[0].shape)


@key("rnn-seq2seq/lstm-hn-shape-batch-first")
def lstm_hn_shape():
    return tuple(lstm_outputs()[1].shape)


@key("rnn-seq2seq/bilstm-backward-final-state-choice")
def bilstm_backward_slice():
    torch.manual_seed(0)
    out, (h_n, _) = nn.LSTM(32, 64, batch_first=True, bidirectional=True)(torch.randn(8, 20, 32))
    choices = ["out[:, 0, 64:]", "out[:, -1, 64:]", "out[:, -1, :64]", "out[:, 0, :64]"]
    return pick(choices, lambda text: torch.allclose(eval(text, {"out": out}), h_n[1]))


@key("rnn-seq2seq/attention-weight-typed")
def attention_weight():
    return float(torch.softmax(torch.tensor([2.0, 1.0, 0.0]), dim=0)[0])


@key("rnn-seq2seq/beam-vs-greedy-typed")
def beam_search_result():
    first = {"A": 0.5, "B": 0.4, "C": 0.1}
    best_second = {"A": 0.4, "B": 0.9, "C": 0.1}  # probability of the best next token after each prefix
    beam = sorted(first, key=first.get, reverse=True)[:2]
    return max(first[token] * best_second[token] for token in beam)


@key("rnn-seq2seq/bleu-clipped-precision")
def clipped_unigram_precision():
    candidate, reference = ["the"] * 7, ["the", "cat", "is", "on", "the", "mat"]
    counts, ref_counts = Counter(candidate), Counter(reference)
    return sum(min(n, ref_counts[w]) for w, n in counts.items()) / len(candidate)


@key("rnn-seq2seq/bleu-brevity-penalty")
def brevity_penalty():
    c, r = 8, 10
    return 1.0 if c > r else math.exp(1 - r / c)


@key("rnn-seq2seq/packed-hn-choice")
def packed_hidden_state():
    torch.manual_seed(0)
    gru = nn.GRU(4, 3, batch_first=True)
    x = torch.randn(2, 5, 4)
    packed = nn.utils.rnn.pack_padded_sequence(x, [5, 2], batch_first=True)
    _, h_n = gru(packed)
    steps, _ = gru(x[1:2, :2])  # the second sequence alone, real tokens only
    choices = {
        "The hidden state right after its 2nd (last real) token": steps[0, -1],
        "The hidden state after step 5, having processed 3 padding steps": gru(x[1:2])[0][0, -1],
        "A zero vector, because the sequence ended early": torch.zeros(3),
        "The average of its hidden states over its 2 real steps": steps[0].mean(0),
    }
    return pick(list(choices), lambda text: torch.allclose(choices[text], h_n[0, 1], atol=1e-6))


# ---------------------------------------------------------------- transformers
@key("transformers/dot-product-std-dk64")
def dot_product_std():
    d_k = 64
    return math.sqrt(d_k * 1.0 * 1.0)  # Var(q·k) = Σ Var(qᵢ)Var(kᵢ) for independent zero-mean components


@key("transformers/attention-score-shape")
def score_shape():
    return tuple((torch.zeros(2, 8, 10, 64) @ torch.zeros(2, 8, 12, 64).transpose(-2, -1)).shape)


@key("transformers/split-heads-shape")
def split_heads():
    return tuple(torch.zeros(32, 50, 512).view(32, 50, 8, 64).transpose(1, 2).shape)


@key("transformers/mha-param-count")
def mha_params():
    return n_params(nn.MultiheadAttention(embed_dim=512, num_heads=8))


@key("transformers/encoder-layer-param-count")
def encoder_layer_params():
    return n_params(nn.TransformerEncoderLayer(d_model=512, nhead=8, dim_feedforward=2048))


@key("transformers/perplexity-arithmetic")
def perplexity():
    probabilities = torch.tensor([1 / 4, 1 / 2, 1 / 8])
    return float(torch.exp(-torch.log(probabilities).mean()))


@key("transformers/uniform-lm-perplexity-typed")
def uniform_perplexity():
    vocab = 10_000
    probabilities = torch.full((50,), 1 / vocab, dtype=torch.float64)
    return round(float(torch.exp(-torch.log(probabilities).mean())), 6)


@key("transformers/scaling-laws-choice")
def chinchilla_ratio():
    tokens, params = 1.4e12, 70e9  # Chinchilla: 70B parameters trained on 1.4T tokens
    choices = ["About 1", "About 20", "About 200", "About 2,000"]
    return min(choices, key=lambda c: abs(math.log(float(c.split()[1].replace(",", "")) / (tokens / params))))


@key("transformers/kv-cache-size")
def kv_cache_kib():
    layers, d_model = 32, 4096
    bytes_per_value = torch.finfo(torch.float16).bits // 8
    return 2 * layers * d_model * bytes_per_value / 1024
