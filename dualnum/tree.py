"""Nested parameters: flatten lists / tuples / dicts of arrays into leaves and back.

Networks keep their parameters as ``{"W1": ..., "b1": ...}`` or ``[(W, b), (W, b)]``; the
derivative APIs accept such trees and return gradients with the same structure.

>>> leaves, spec = flatten({"W": [[1.0, 2.0]], "b": (3.0, 4.0)})
>>> leaves
[[[1.0, 2.0]], 3.0, 4.0]
>>> unflatten(spec, [10, 30, 40])
{'W': 10, 'b': (30, 40)}
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.primitive import Box

__all__ = ["flatten", "flatten_like", "unflatten", "tree_map", "as_float_leaf", "TreeSpec"]


class TreeSpec:
    """The shape of a tree: node kinds and keys; leaves are placeholders."""

    __slots__ = ("kind", "keys", "children")

    def __init__(self, kind: str, keys: Any = None, children: list | None = None) -> None:
        self.kind = kind
        self.keys = keys
        self.children = children or []

    def __repr__(self) -> str:
        if self.kind == "leaf":
            return "*"
        if self.kind == "dict":
            return "{" + ", ".join(f"{k!r}: {c!r}" for k, c in zip(self.keys, self.children)) + "}"
        inner = ", ".join(map(repr, self.children))
        return f"[{inner}]" if self.kind == "list" else f"({inner})"


_LEAF = TreeSpec("leaf")


def _is_leaf_list(x: list) -> bool:
    # a list of plain numbers (or of such lists) is one array-like leaf, like np.asarray sees it
    return all(isinstance(v, (int, float, complex, np.number)) and not isinstance(v, bool)
               or (isinstance(v, list) and _is_leaf_list(v)) for v in x) and len(x) > 0


def flatten(tree: Any) -> tuple[list, TreeSpec]:
    """Leaves in a fixed order (dicts in insertion order) and the spec to rebuild the tree.

    A list of plain numbers is a single leaf (an array), like ``np.asarray`` would see it.
    """
    t = type(tree)
    if t is np.ndarray or t is float or isinstance(tree, Box):
        return [tree], _LEAF                    # the common single-array argument
    leaves: list = []
    # explicit stack instead of recursion: deep trees cannot hit the recursion limit
    root_holder: list = [None]
    stack = [(tree, root_holder, 0)]
    while stack:
        node, parent, slot = stack.pop()
        t = type(node)
        if t is np.ndarray or t is float:       # the usual leaves, without the checks below
            parent[slot] = _LEAF
            leaves.append(node)
            continue
        if t is dict or isinstance(node, dict):
            spec = TreeSpec("dict", list(node.keys()), [None] * len(node))
            items = list(node.values())
        elif t is tuple or isinstance(node, tuple) and not hasattr(node, "_fields"):
            spec = TreeSpec("tuple", None, [None] * len(node))
            items = node
        elif isinstance(node, list) and not _is_leaf_list(node):
            spec = TreeSpec("list", None, [None] * len(node))
            items = node
        else:
            parent[slot] = _LEAF
            leaves.append(node)
            continue
        parent[slot] = spec
        kids = spec.children
        for i in range(len(items) - 1, -1, -1):
            stack.append((items[i], kids, i))
    return leaves, root_holder[0]


def flatten_like(tree: Any, spec: TreeSpec, what: str = "tree") -> list:
    """The leaves of ``tree`` in the order ``spec`` prescribes: dict entries are matched by
    key (not position); a different structure raises an error naming where it differs.

    >>> _, spec = flatten({"a": 1.0, "b": 2.0})
    >>> flatten_like({"b": 20.0, "a": 10.0}, spec)
    [10.0, 20.0]
    """
    leaves: list = []
    stack = [(tree, spec, what)]
    while stack:
        node, s, path = stack.pop()
        if s.kind == "leaf":
            leaves.append(node)
            continue
        if s.kind == "dict":
            if not isinstance(node, dict) or set(node) != set(s.keys):
                got = sorted(map(str, node)) if isinstance(node, dict) else type(node).__name__
                raise ValueError(f"{path}: expected a dict with keys "
                                 f"{sorted(map(str, s.keys))}, got {got}")
            kids = [(node[k], c, f"{path}[{k!r}]") for k, c in zip(s.keys, s.children)]
        else:
            kind = list if s.kind == "list" else tuple
            if not isinstance(node, kind) or len(node) != len(s.children):
                raise ValueError(f"{path}: expected a {s.kind} of {len(s.children)} entries, "
                                 f"got {type(node).__name__}")
            kids = [(v, c, f"{path}[{i}]") for i, (v, c) in enumerate(zip(node, s.children))]
        stack.extend(reversed(kids))
    return leaves


def unflatten(spec: TreeSpec, leaves: list) -> Any:
    """Rebuild a tree of the given spec from leaves in ``flatten`` order.

    Iterative, like ``flatten`` (no recursion limit), and without a self-referencing closure:
    such a closure is a reference cycle that would keep the leaves (often the gradient arrays
    just returned) alive until the cyclic garbage collector runs.

    >>> _, spec = flatten([(1.0, 2.0), {"b": 3.0}])
    >>> unflatten(spec, ["W", "b1", "b2"])
    [('W', 'b1'), {'b': 'b2'}]
    """
    if spec.kind == "leaf":
        return leaves[0]
    it = iter(leaves)
    root: list = [None]
    containers = []                      # pre-order: every parent before its children
    stack = [(spec, root, 0)]
    while stack:
        s, parent, slot = stack.pop()
        if s.kind == "leaf":
            parent[slot] = next(it)
            continue
        kids: list = [None] * len(s.children)
        containers.append((s, kids, parent, slot))
        for i in range(len(s.children) - 1, -1, -1):
            stack.append((s.children[i], kids, i))
    for s, kids, parent, slot in reversed(containers):      # children first
        parent[slot] = (dict(zip(s.keys, kids)) if s.kind == "dict"
                        else kids if s.kind == "list" else tuple(kids))
    return root[0]


def tree_map(f: Any, tree: Any, *rest: Any) -> Any:
    """Apply ``f`` leafwise to one or more trees of the same structure.

    >>> tree_map(lambda a, b: a + b, {"w": 1.0}, {"w": 2.0})
    {'w': 3.0}
    """
    leaves, spec = flatten(tree)
    others = [flatten(r)[0] for r in rest]
    return unflatten(spec, [f(*xs) for xs in zip(leaves, *others)])


def as_float_leaf(x: Any, where: str = "argument") -> Any:
    """A leaf as float64 (or complex128) data; boxes pass through (nested derivatives)."""
    if type(x) is np.ndarray and x.dtype.char in "dD":
        return x                                # float64 / complex128 data: used as is
    if isinstance(x, Box):
        return x
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{where}: expected a number or array of numbers, got a bool")
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    if isinstance(x, (complex, np.complexfloating)):
        return complex(x)
    try:
        a = np.asarray(x)
    except Exception as e:  # pragma: no cover - unusual array-likes
        raise TypeError(f"{where}: cannot use {type(x).__name__} as an array ({e})") from None
    if a.dtype.kind in "iuf":
        return a.astype(float, copy=False)     # float64 input is used as is, never copied
    if a.dtype.kind == "c":
        return a.astype(complex, copy=False)
    raise TypeError(f"{where}: expected numbers, got an array of dtype {a.dtype}")
