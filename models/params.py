"""Parameter trees as the models see them, on top of :mod:`dualnum.tree`.

A parameter tree is a nest of dicts / lists / tuples whose leaves are arrays or numbers. The
optimizers and penalties walk it with :mod:`dualnum.tree` under one convention of their own:
every list is a node, so ``[1.0, 2.0]`` is two scalar parameters (``dualnum.tree`` by default
reads a list of numbers as one array). What is model-specific lives here: which parameters
weight decay and the penalties leave alone (:func:`is_bias_key`).

>>> tree_map(lambda a, b: a + b, {"W": [1, 2]}, {"W": [10, 20]})
{'W': [11, 22]}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dualnum import tree as _tree

__all__ = ["tree_map", "tree_map_with_key", "keyed_leaves", "nearest_dict_key", "is_bias_key"]


def tree_map(f: Callable, tree: Any, *rest: Any) -> Any:
    """Apply ``f`` leaf-wise to trees of the same structure (dicts matched by key; a
    different structure raises ``ValueError``).

    >>> tree_map(lambda x: 2 * x, (1, [2, {"a": 3}]))
    (2, [4, {'a': 6}])
    """
    return _tree.tree_map(f, tree, *rest, leaf_lists=False)


def nearest_dict_key(path: tuple) -> Any:
    """The innermost dict key on a :func:`dualnum.tree.flatten_with_path` path (``None`` if
    the leaf is under no dict).

    >>> [nearest_dict_key(p) for p, _ in _tree.flatten_with_path({"b": [1.0]}, leaf_lists=False)[0]]
    ['b']
    """
    for entry in reversed(path):
        if isinstance(entry, _tree.DictKey):
            return entry.key
    return None


def keyed_leaves(tree: Any) -> list:
    """``(nearest dict key, leaf)`` pairs in leaf order.

    >>> keyed_leaves({"W": [1, 2], "b": 3})
    [('W', 1), ('W', 2), ('b', 3)]
    """
    pairs, _ = _tree.flatten_with_path(tree, leaf_lists=False)
    return [(nearest_dict_key(path), leaf) for path, leaf in pairs]


def tree_map_with_key(f: Callable, tree: Any, *rest: Any) -> Any:
    """Like :func:`tree_map`, but ``f(key, leaf, *other_leaves)`` also sees the nearest dict key.

    >>> tree_map_with_key(lambda k, x: (k, x), {"W1": 1, "b": [2]})
    {'W1': ('W1', 1), 'b': [('b', 2)]}
    """
    pairs, spec = _tree.flatten_with_path(tree, leaf_lists=False)
    others = [_tree.flatten_like(r, spec, f"tree_map_with_key: tree {i}")
              for i, r in enumerate(rest, 1)]
    return _tree.unflatten(spec, [f(nearest_dict_key(path), leaf, *xs)
                                  for (path, leaf), *xs in zip(pairs, *others)])


def is_bias_key(key: Any) -> bool:
    """True for parameters that weight decay leaves alone: biases ``b…`` and the shift ``beta``.

    >>> [is_bias_key(k) for k in ("W1", "b1", "b", "beta", "gamma", None)]
    [False, True, True, True, False, False]
    """
    return isinstance(key, str) and key.startswith("b")
