"""Tiny helpers over parameter trees (nested dicts / lists / tuples whose leaves are arrays).

Kept local so the optimizers stay plain numpy and independent of the core's own tree module.

>>> tree_map(lambda a, b: a + b, {"W": [1, 2]}, {"W": [10, 20]})
{'W': [11, 22]}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def tree_map(f: Callable, tree: Any, *rest: Any) -> Any:
    """Apply ``f`` leaf-wise to one or more trees of the same structure.

    >>> tree_map(lambda x: 2 * x, (1, [2, {"a": 3}]))
    (2, [4, {'a': 6}])
    """
    if isinstance(tree, dict):
        for r in rest:
            if not isinstance(r, dict) or set(r) != set(tree):
                raise ValueError(
                    f"tree_map: dict keys differ: {sorted(tree)} vs "
                    f"{sorted(r) if isinstance(r, dict) else type(r).__name__}"
                )
        return {k: tree_map(f, tree[k], *(r[k] for r in rest)) for k in tree}
    if isinstance(tree, (list, tuple)):
        for r in rest:
            if not isinstance(r, (list, tuple)) or len(r) != len(tree):
                raise ValueError("tree_map: sequences of different length or type in the trees")
        out = [tree_map(f, t, *(r[i] for r in rest)) for i, t in enumerate(tree)]
        return type(tree)(out)
    return f(tree, *rest)


def tree_map_with_key(f: Callable, tree: Any, *rest: Any, key: Any = None) -> Any:
    """Like :func:`tree_map`, but ``f(key, leaf, *other_leaves)`` also sees the nearest dict key.

    >>> tree_map_with_key(lambda k, x: (k, x), {"W1": 1, "b": [2]})
    {'W1': ('W1', 1), 'b': [('b', 2)]}
    """
    if isinstance(tree, dict):
        return {
            k: tree_map_with_key(f, tree[k], *(r[k] for r in rest), key=k) for k in tree
        }
    if isinstance(tree, (list, tuple)):
        out = [
            tree_map_with_key(f, t, *(r[i] for r in rest), key=key) for i, t in enumerate(tree)
        ]
        return type(tree)(out)
    return f(key, tree, *rest)


def tree_leaves(tree: Any) -> list:
    """The leaves in a deterministic order (dict insertion order).

    >>> tree_leaves({"a": [1, 2], "b": 3})
    [1, 2, 3]
    """
    if isinstance(tree, dict):
        return [leaf for k in tree for leaf in tree_leaves(tree[k])]
    if isinstance(tree, (list, tuple)):
        return [leaf for t in tree for leaf in tree_leaves(t)]
    return [tree]


def tree_keyed_leaves(tree: Any, key: Any = None) -> list:
    """``(nearest dict key, leaf)`` pairs in the order of :func:`tree_leaves`.

    >>> tree_keyed_leaves({"W": [1, 2], "b": 3})
    [('W', 1), ('W', 2), ('b', 3)]
    """
    if isinstance(tree, dict):
        return [p for k in tree for p in tree_keyed_leaves(tree[k], k)]
    if isinstance(tree, (list, tuple)):
        return [p for t in tree for p in tree_keyed_leaves(t, key)]
    return [(key, tree)]


def is_bias_key(key: Any) -> bool:
    """True for parameters that weight decay leaves alone: biases ``b…`` and the shift ``beta``.

    >>> [is_bias_key(k) for k in ("W1", "b1", "b", "beta", "gamma", None)]
    [False, True, True, True, False, False]
    """
    return isinstance(key, str) and key.startswith("b")
