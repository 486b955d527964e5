"""Decision trees (Li Hang ch. 5) with a Node class and Counters, in plain Python loops; pruning
exactly as algorithm 5.4 words it: collapse a node whose children are all leaves when the loss
does not grow, and repeat until nothing changes."""

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np


def _entropy_of(counts) -> float:
    total = sum(counts)
    return -sum(c / total * math.log2(c / total) for c in counts if c)


def entropy(y):
    """H(D) in bits."""
    return _entropy_of(Counter(y.tolist()).values())


def information_gain(x, y):
    """H(D) - sum_i |D_i| / |D| H(D_i)."""
    groups: dict = {}
    for value, label in zip(x.tolist(), y.tolist(), strict=True):
        groups.setdefault(value, []).append(label)
    conditional = sum(len(g) / len(y) * _entropy_of(Counter(g).values()) for g in groups.values())
    return entropy(y) - conditional


def gain_ratio(x, y):
    """g(D, A) / H_A(D), 0 for a one-valued feature."""
    split = entropy(x)
    return information_gain(x, y) / split if split > 0 else 0.0


def gini(y):
    """1 - sum p_k^2."""
    counts = Counter(y.tolist()).values()
    return 1 - sum((c / len(y)) ** 2 for c in counts)


def gini_index(x, y, a):
    """Weighted Gini of the two sides x == a and x != a."""
    left = [label for value, label in zip(x.tolist(), y.tolist(), strict=True) if value == a]
    right = [label for value, label in zip(x.tolist(), y.tolist(), strict=True) if value != a]
    total = 0.0
    for side in (left, right):
        if side:
            total += len(side) / len(y) * (1 - sum((c / len(side)) ** 2 for c in Counter(side).values()))
    return total


@dataclass
class Node:
    counts: Counter
    feature: int | None = None
    children: dict = field(default_factory=dict)

    @property
    def label(self):
        return self.counts.most_common(1)[0][0]

    @property
    def is_leaf(self) -> bool:
        return self.feature is None


def fit_tree(X, y, criterion="gain", max_depth=None):
    """ID3 ("gain") or C4.5 ("ratio")."""
    score = information_gain if criterion == "gain" else gain_ratio
    rows_all = [list(row) for row in X.tolist()]
    labels_all = y.tolist()

    def grow(index, features, depth):
        node = Node(Counter(labels_all[i] for i in index))
        if len(node.counts) == 1 or not features or (max_depth is not None and depth >= max_depth):
            return node
        sub_y = np.array([labels_all[i] for i in index])
        best, best_score = None, -math.inf
        for j in features:
            s = score(np.array([rows_all[i][j] for i in index]), sub_y)
            if s > best_score:
                best, best_score = j, s
        node.feature = best
        for value in sorted({rows_all[i][best] for i in index}):
            child_index = [i for i in index if rows_all[i][best] == value]
            node.children[value] = grow(child_index, [j for j in features if j != best], depth + 1)
        return node

    return grow(list(range(len(labels_all))), list(range(len(rows_all[0]))), 0)


def predict(tree, X):
    """Walk each row down to a leaf (or to a node without a child for its value)."""
    out = []
    for row in X.tolist():
        node = tree
        while not node.is_leaf and row[node.feature] in node.children:
            node = node.children[row[node.feature]]
        out.append(node.label)
    return np.array(out)


def n_leaves(tree):
    """|T|."""
    return 1 if tree.is_leaf else sum(n_leaves(child) for child in tree.children.values())


def _leaf_loss(node) -> float:
    return sum(node.counts.values()) * _entropy_of(node.counts.values())


def prune(tree, alpha):
    """Algorithm 5.4, in place, until no node can be collapsed."""
    changed = True
    while changed:
        changed = False
        stack = [tree]
        while stack:
            node = stack.pop()
            if node.is_leaf:
                continue
            children = list(node.children.values())
            if all(child.is_leaf for child in children):
                before = sum(_leaf_loss(child) for child in children) + alpha * len(children)
                if _leaf_loss(node) + alpha <= before:
                    node.feature, node.children = None, {}
                    changed = True
            else:
                stack.extend(children)
    return tree
