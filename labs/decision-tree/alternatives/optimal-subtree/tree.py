"""Decision trees (Li Hang ch. 5) with nodes as tuples and counts from np.bincount; pruning that
keeps, at every node, whichever is cheaper under C_alpha: the node as one leaf or its whole pruned
subtree (the subtree of least loss)."""

import numpy as np


def _probabilities(values):
    _, inverse = np.unique(values, return_inverse=True)
    counts = np.bincount(inverse.ravel())
    return counts / counts.sum()


def entropy(y):
    """H(D) in bits."""
    p = _probabilities(y)
    return float(-np.sum(p * np.log2(p)))


def information_gain(x, y):
    """H(D) minus the weighted entropy of the subsets."""
    _, inverse = np.unique(x, return_inverse=True)
    weights = np.bincount(inverse.ravel()) / len(x)
    return entropy(y) - float(sum(w * entropy(y[inverse.ravel() == i]) for i, w in enumerate(weights)))


def gain_ratio(x, y):
    """g(D, A) / H_A(D)."""
    split = entropy(x)
    return 0.0 if split <= 0 else information_gain(x, y) / split


def gini(y):
    """1 - sum p^2."""
    return float(1 - np.sum(_probabilities(y) ** 2))


def gini_index(x, y, a):
    """Weighted Gini of x == a against the rest."""
    mask = x == a
    n1 = mask.sum()
    n2 = len(x) - n1
    return (n1 * gini(y[mask]) if n1 else 0.0) / len(x) + (n2 * gini(y[~mask]) if n2 else 0.0) / len(x)


# A node is (label, counts, feature, children): feature is None for a leaf.


def fit_tree(X, y, criterion="gain", max_depth=None):
    """ID3 or C4.5."""
    score = information_gain if criterion == "gain" else gain_ratio

    def grow(X, y, features, depth):
        labels, inverse = np.unique(y, return_inverse=True)
        counts = np.bincount(inverse.ravel())
        label = labels[counts.argmax()]
        if len(labels) == 1 or not features or (max_depth is not None and depth >= max_depth):
            return (label, counts, None, {})
        scores = np.array([score(X[:, j], y) for j in features])
        best = features[int(scores.argmax())]
        others = [j for j in features if j != best]
        children = {v: grow(X[X[:, best] == v], y[X[:, best] == v], others, depth + 1) for v in np.unique(X[:, best])}
        return (label, counts, best, children)

    return grow(X, y, list(range(X.shape[1])), 0)


def predict(tree, X):
    """Follow the children while there is one for the row's value."""
    labels = []
    for row in X:
        label, _, feature, children = tree
        while feature is not None and row[feature] in children:
            label, _, feature, children = children[row[feature]]
        labels.append(label)
    return np.array(labels)


def n_leaves(tree):
    """|T|."""
    return 1 if tree[2] is None else sum(n_leaves(c) for c in tree[3].values())


def _leaf_loss(counts):
    p = counts[counts > 0] / counts.sum()
    return float(-counts.sum() * np.sum(p * np.log2(p)))


def _loss(tree, alpha):
    """C_alpha of a (sub)tree: its leaves' N_t H_t plus alpha per leaf."""
    if tree[2] is None:
        return _leaf_loss(tree[1]) + alpha
    return sum(_loss(child, alpha) for child in tree[3].values())


def prune(tree, alpha):
    """Bottom-up: each node becomes a leaf when that is no worse than its pruned subtree."""
    label, counts, feature, children = tree
    if feature is None:
        return tree
    pruned = (label, counts, feature, {v: prune(c, alpha) for v, c in children.items()})
    if _leaf_loss(counts) + alpha <= _loss(pruned, alpha):
        return (label, counts, None, {})
    return pruned
