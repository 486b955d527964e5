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
    _, counts = np.unique(y, return_counts=True)
    p = counts / len(y)
    return float(-(p * np.log2(p)).sum())


def information_gain(x: np.ndarray, y: np.ndarray) -> float:
    """x (N,) one feature's values, y (N,) labels -> g(D, A) = H(D) - H(D | A), where
    H(D | A) = sum_i |D_i| / |D| H(D_i) over the subsets D_i of samples with x = a_i (5.8)."""
    conditional = sum(np.mean(x == v) * entropy(y[x == v]) for v in np.unique(x))
    return float(entropy(y) - conditional)


def gain_ratio(x: np.ndarray, y: np.ndarray) -> float:
    """g_R(D, A) = g(D, A) / H_A(D), with H_A(D) = -sum_i |D_i| / |D| log2 (|D_i| / |D|), the
    entropy of the feature's own values (5.10). A feature with one value has H_A(D) = 0: return 0."""
    split_entropy = entropy(y)
    return 0.0 if split_entropy == 0 else information_gain(x, y) / split_entropy


def gini(y: np.ndarray) -> float:
    """y (N,) labels, N >= 1 -> Gini(D) = 1 - sum_k p_k ** 2 (5.24)."""
    _, counts = np.unique(y, return_counts=True)
    return float(1 - ((counts / len(y)) ** 2).sum())


def gini_index(x: np.ndarray, y: np.ndarray, a) -> float:
    """CART's binary split on A = a: D1 = samples with x == a, D2 = the rest, and
    Gini(D, A = a) = |D1| / |D| Gini(D1) + |D2| / |D| Gini(D2) (5.25). An empty side adds 0."""
    left = x == a
    return float(sum(np.mean(side) * gini(y[side]) for side in (left, ~left) if side.any()))


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
    score = information_gain if criterion == "gain" else gain_ratio

    def grow(rows: np.ndarray, features: list[int], depth: int) -> dict:
        labels, counts = np.unique(y[rows], return_counts=True)
        node = {"counts": counts, "label": labels[np.argmax(counts)]}
        if len(labels) == 1 or not features or (max_depth is not None and depth >= max_depth):
            return node
        best = features[int(np.argmax([score(X[rows, j], y[rows]) for j in features]))]
        rest = [j for j in features if j != best]
        node["feature"] = best
        node["children"] = {v: grow(rows[X[rows, best] == v], rest, depth + 1) for v in np.unique(X[rows, best])}
        return node

    return grow(np.arange(len(y)), list(range(X.shape[1])), 0)


def predict(tree, X: np.ndarray) -> np.ndarray:
    """X (M, n) -> (M,) labels. A value the tree never saw at a node gets that node's majority class."""
    out = []
    for x in X:
        node = tree
        while "feature" in node and x[node["feature"]] in node["children"]:
            node = node["children"][x[node["feature"]]]
        out.append(node["label"])
    return np.array(out)


def n_leaves(tree) -> int:
    """The number of leaves |T|."""
    return 1 if "feature" not in tree else sum(n_leaves(child) for child in tree["children"].values())


def _loss(counts: np.ndarray) -> float:
    """N_t H_t: a leaf's samples times their entropy in bits."""
    p = counts[counts > 0] / counts.sum()
    return float(-counts.sum() * (p * np.log2(p)).sum())


def prune(tree, alpha: float):
    """Li Hang's algorithm 5.4: the loss of a tree T is C_alpha(T) = sum over leaves t of
    N_t H_t(T) + alpha |T|, with N_t the training samples in leaf t and H_t their entropy in bits.
    Going up from the leaves, turn a node whose children are all leaves into a leaf whenever
    that does not increase the loss: N H(node) + alpha <= sum_children (N_t H_t) + alpha * (number
    of children). Repeat until no node changes. Returns the pruned tree (a new one or the same,
    changed in place)."""
    if "feature" not in tree:
        return tree
    children = {value: prune(child, alpha) for value, child in tree["children"].items()}
    if all("feature" not in child for child in children.values()):
        kept = sum(_loss(child["counts"]) for child in children.values()) + alpha * len(children)
        if _loss(tree["counts"]) + alpha <= kept:
            return {"counts": tree["counts"], "label": tree["label"]}
    return {**tree, "children": children}
