"""Decision trees, Li Hang's 统计学习方法 (2nd ed.), chapter 5, in NumPy: entropy, information gain
(ID3), gain ratio (C4.5) and the Gini index (CART) as functions; a tree grown with ID3 or C4.5 on
categorical features; and pruning with the loss C_alpha(T) = sum_t N_t H_t(T) + alpha |T|.

Labels and feature values are integers (any integers: -1 / +1 are fine). Entropies are in bits
(log base 2), as in the book's examples.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check decision-tree` to
see which steps pass.
"""

import numpy as np


def entropy(y: np.ndarray) -> float:
    """y (N,) labels, N >= 1 -> H(D) = -sum_k p_k log2 p_k, with p_k the share of class k."""
    # TODO: the count of each class (np.unique with return_counts=True), p = counts / N, then -sum p log2 p.
    raise NotImplementedError


def information_gain(x: np.ndarray, y: np.ndarray) -> float:
    """x (N,) one feature's values, y (N,) labels -> g(D, A) = H(D) - H(D | A), where
    H(D | A) = sum_i |D_i| / |D| H(D_i) over the subsets D_i of samples with x = a_i (5.8)."""
    # TODO: H(D | A): for each value v of x, the share of samples with x == v times entropy(y[x == v]).
    raise NotImplementedError


def gain_ratio(x: np.ndarray, y: np.ndarray) -> float:
    """g_R(D, A) = g(D, A) / H_A(D), with H_A(D) = -sum_i |D_i| / |D| log2 (|D_i| / |D|), the
    entropy of the feature's own values (5.10). A feature with one value has H_A(D) = 0: return 0."""
    # TODO: H_A(D) is entropy(x), the feature's values treated like labels. Mind the feature with one value.
    raise NotImplementedError


def gini(y: np.ndarray) -> float:
    """y (N,) labels, N >= 1 -> Gini(D) = 1 - sum_k p_k ** 2 (5.24)."""
    # TODO: like entropy, with 1 - sum p ** 2.
    raise NotImplementedError


def gini_index(x: np.ndarray, y: np.ndarray, a) -> float:
    """CART's binary split on A = a: D1 = samples with x == a, D2 = the rest, and
    Gini(D, A = a) = |D1| / |D| Gini(D1) + |D2| / |D| Gini(D2) (5.25). An empty side adds 0."""
    # TODO: a boolean mask x == a; each side's share of the samples times its Gini; skip an empty side.
    raise NotImplementedError


def fit_tree(X: np.ndarray, y: np.ndarray, criterion: str = "gain", max_depth: int | None = None):
    """Grow a tree on categorical features: ID3 with criterion "gain" (information gain), C4.5
    with "ratio" (gain ratio). X (N, n) integer codes, y (N,) labels.

    A node becomes a leaf when its samples all have one class, when no feature is left, or at
    depth max_depth (the root has depth 0, so max_depth=1 is a single split). Otherwise split on
    the feature with the largest criterion (the first one on ties): one child for each value that
    feature takes in the node, and that feature is not used again below. Every node predicts its
    majority class (on ties, the smallest label), and remembers its class counts for prune().

    Return the tree in any form you like (nested dicts, a Node class); predict, n_leaves and prune
    are the only code that reads it."""
    # TODO: a recursive grow(rows, features, depth) that returns a node. A dict works: {"counts": ...,
    #       "label": ...} for a leaf, plus "feature" and "children" ({value: child}) for a split.
    raise NotImplementedError


def predict(tree, X: np.ndarray) -> np.ndarray:
    """X (M, n) -> (M,) labels. A value the tree never saw at a node gets that node's majority class."""
    # TODO: walk each row down from the root until a leaf, or a value the node has no child for.
    raise NotImplementedError


def n_leaves(tree) -> int:
    """The number of leaves |T|."""
    # TODO: 1 for a leaf, else the sum over the children.
    raise NotImplementedError


def prune(tree, alpha: float):
    """Li Hang's algorithm 5.4: the loss of a tree T is C_alpha(T) = sum over leaves t of
    N_t H_t(T) + alpha |T|, with N_t the training samples in leaf t and H_t their entropy in bits.
    Going up from the leaves, turn a node whose children are all leaves into a leaf whenever
    that does not increase the loss: N H(node) + alpha <= sum_children (N_t H_t) + alpha * (number
    of children). Repeat until no node changes. Returns the pruned tree (a new one or the same,
    changed in place)."""
    # TODO: prune the children first (recursion does it bottom-up); then, if every child is now a leaf, compare
    #       the two losses and maybe return a leaf with this node's counts and label.
    raise NotImplementedError
