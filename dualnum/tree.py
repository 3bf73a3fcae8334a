"""Nested parameters: flatten lists / tuples / dicts of arrays into leaves and back.

Networks keep their parameters as ``{"W1": ..., "b1": ...}`` or ``[(W, b), (W, b)]``; the
derivative APIs accept such trees and return gradients with the same structure. This is the
only tree module: ``models`` and ``comparisons`` use it too (:func:`tree_map`,
:func:`tree_leaves`, :func:`flatten_with_path` for each leaf's keys, :func:`ravel` for one flat
vector of all the parameters and the function back).

Conventions: dicts are nodes in insertion order (and are matched by key, not position, when
two trees are paired); lists, tuples and namedtuples are nodes (rebuilt as list / tuple / the
same namedtuple type, as in JAX); everything else is a leaf (None included: where JAX reads
None as an empty subtree, the derivative APIs refuse it as an output, since it is most often a
forgotten ``return``). A list of plain numbers is *one* array leaf, like
``np.asarray`` sees it (``dn.grad(f)([1.0, 2.0])`` is an array); ``leaf_lists=False`` makes
every list a node instead, as in JAX (``[1.0, 2.0]`` is two scalar leaves). Every walk is
iterative: deep trees cannot hit the recursion limit.

>>> leaves, spec = flatten({"W": [[1.0, 2.0]], "b": (3.0, 4.0)})
>>> leaves
[[[1.0, 2.0]], 3.0, 4.0]
>>> unflatten(spec, [10, 30, 40])
{'W': 10, 'b': (30, 40)}
>>> flatten([1.0, 2.0])[0], flatten([1.0, 2.0], leaf_lists=False)[0]
([[1.0, 2.0]], [1.0, 2.0])
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dualnum.primitive import Box, shape_of

__all__ = ["flatten", "flatten_like", "unflatten", "tree_map", "tree_leaves", "flatten_with_path",
           "ravel", "ravel_pytree", "as_float_leaf", "TreeSpec", "DictKey", "SequenceKey",
           "GetAttrKey"]


class TreeSpec:
    """The shape of a tree: node kinds and keys; leaves are placeholders.

    ``kind`` is ``"leaf"``, ``"dict"`` (``keys``: the keys in order), ``"list"``, ``"tuple"``
    or ``"namedtuple"`` (``keys``: the namedtuple class, so the node is rebuilt as one).
    """

    __slots__ = ("kind", "keys", "children", "flat")

    def __init__(self, kind: str, keys: Any = None, children: list | None = None,
                 flat: bool = False) -> None:
        self.kind = kind
        self.keys = keys
        self.children = children or []
        self.flat = flat        # every child a leaf (set by flatten): rebuilt in one step

    def __repr__(self) -> str:
        if self.kind == "leaf":
            return "*"
        if self.kind == "dict":
            return "{" + ", ".join(f"{k!r}: {c!r}" for k, c in zip(self.keys, self.children)) + "}"
        inner = ", ".join(map(repr, self.children))
        if self.kind == "namedtuple":
            return f"{self.keys.__name__}(" + ", ".join(
                f"{k}={c!r}" for k, c in zip(self.keys._fields, self.children)) + ")"
        return f"[{inner}]" if self.kind == "list" else f"({inner})"

    def paths(self) -> list[tuple]:
        """The path of every leaf, in leaf order: a tuple of :class:`DictKey` /
        :class:`SequenceKey` / :class:`GetAttrKey` (a namedtuple's field) entries from the
        root down (``()`` for a tree that is one leaf).

        >>> flatten({"W": 1.0, "heads": [2.0, 3.0]}, leaf_lists=False)[1].paths()[1]
        (DictKey(key='heads'), SequenceKey(index=0))
        """
        out: list[tuple] = []
        stack: list = [(self, ())]
        while stack:
            s, path = stack.pop()
            if s.kind == "leaf":
                out.append(path)
            elif s.kind == "dict":
                stack.extend((c, path + (DictKey(k),))
                             for k, c in zip(reversed(s.keys), reversed(s.children)))
            elif s.kind == "namedtuple":
                stack.extend((c, path + (GetAttrKey(k),))
                             for k, c in zip(reversed(s.keys._fields), reversed(s.children)))
            else:
                stack.extend((s.children[i], path + (SequenceKey(i),))
                             for i in range(len(s.children) - 1, -1, -1))
        return out


class DictKey(NamedTuple):
    """A path entry: the value under ``key`` of a dict."""

    key: Any


class SequenceKey(NamedTuple):
    """A path entry: entry ``index`` of a list or tuple."""

    index: int


class GetAttrKey(NamedTuple):
    """A path entry: the field ``name`` of a namedtuple."""

    name: str


_LEAF = TreeSpec("leaf")


_NUMBER = (int, float, complex, np.number)


def _is_leaf_list(x: list) -> bool:
    # a list of plain numbers (or of such lists) is one array-like leaf, like np.asarray sees it;
    # an explicit stack, so that deeply nested lists cannot hit the recursion limit either
    stack = [x]
    while stack:
        node = stack.pop()
        if not node:
            return False
        for v in node:
            if isinstance(v, list):
                stack.append(v)
            elif not isinstance(v, _NUMBER) or isinstance(v, bool):
                return False
    return True


def flatten(tree: Any, leaf_lists: bool = True) -> tuple[list, TreeSpec]:
    """Leaves in a fixed order (dicts in insertion order) and the spec to rebuild the tree.

    A list of plain numbers is a single leaf (an array), like ``np.asarray`` would see it;
    with ``leaf_lists=False`` it is a list of scalar leaves.
    """
    t = type(tree)
    if t is np.ndarray or t is float or isinstance(tree, Box):
        return [tree], _LEAF                    # the common single-array argument
    if t is dict or t is tuple or t is list and not (leaf_lists and _is_leaf_list(tree)):
        shallow = _flatten_shallow(tree, t)     # the parameters' usual shapes, directly
        if shallow is not None:
            return shallow
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
        elif isinstance(node, tuple):           # a namedtuple: a node rebuilt as its class
            spec = TreeSpec("namedtuple", t, [None] * len(node))
            items = node
        elif isinstance(node, list) and not (leaf_lists and _is_leaf_list(node)):
            spec = TreeSpec("list", None, [None] * len(node))
            items = node
        else:
            parent[slot] = _LEAF
            leaves.append(node)
            continue
        parent[slot] = spec
        for v in items:
            tv = type(v)
            if tv is not np.ndarray and tv is not float:
                break
        else:       # every child a plain leaf (a layer's (W, b), a dict of arrays): no stack
            spec.children = [_LEAF] * len(items)
            spec.flat = True
            leaves.extend(items)
            continue
        kids = spec.children
        for i in range(len(items) - 1, -1, -1):
            stack.append((items[i], kids, i))
    return leaves, root_holder[0]


_KINDS = {dict: "dict", tuple: "tuple", list: "list"}


def _flatten_shallow(tree: Any, t: type) -> tuple[list, TreeSpec] | None:
    """:func:`flatten` of a dict, tuple or list whose entries are plain leaves (float64
    arrays, floats) or dicts/tuples/lists of plain leaves (``{"W": ..., "b": ...}``,
    ``[(W1, b1), (W2, b2)]``): the same leaves and spec, without the general walk. None for
    any other tree (a deeper one, another type of node or leaf, a list of numbers)."""
    items = list(tree.values()) if t is dict else tree
    for v in items:
        tv = type(v)
        if tv is not np.ndarray and tv is not float:
            break
    else:                       # every entry a plain leaf: one flat node
        return list(items), TreeSpec(_KINDS[t], list(tree.keys()) if t is dict else None,
                                     [_LEAF] * len(items), True)
    leaves: list = []
    kids: list = []
    for v in items:
        tv = type(v)
        if tv is np.ndarray or tv is float:
            leaves.append(v)
            kids.append(_LEAF)
            continue
        if tv is not dict and tv is not tuple and tv is not list:
            return None
        sub = list(v.values()) if tv is dict else v
        for w in sub:
            tw = type(w)
            if tw is not np.ndarray and (tw is not float or tv is list):
                return None         # deeper, another leaf, or a list holding numbers
        leaves.extend(sub)
        kids.append(TreeSpec(_KINDS[tv], list(v.keys()) if tv is dict else None,
                             [_LEAF] * len(sub), True))
    flat = all(k is _LEAF for k in kids)
    return leaves, TreeSpec(_KINDS[t], list(tree.keys()) if t is dict else None, kids, flat)


def _node(s: TreeSpec, kids: list) -> Any:
    """The node of spec ``s`` holding ``kids`` (a fresh list)."""
    k = s.kind
    if k == "dict":
        return dict(zip(s.keys, kids))
    if k == "list":
        return kids
    return s.keys(*kids) if k == "namedtuple" else tuple(kids)


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
        elif s.kind == "namedtuple":
            if type(node) is not s.keys:
                raise ValueError(f"{path}: expected a {s.keys.__name__} (a namedtuple), got "
                                 f"{type(node).__name__}")
            kids = [(v, c, f"{path}.{k}") for k, v, c in zip(s.keys._fields, node, s.children)]
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
    if type(leaves) is not list:
        leaves = list(leaves)
    if spec.flat and len(leaves) >= len(spec.children):    # a dict / tuple / list of leaves
        return _node(spec, leaves[:len(spec.children)])
    kids: list = []
    pos = 0
    for c in spec.children:     # children leaves or nodes of leaves (flatten's common trees)
        if c is _LEAF:
            kids.append(leaves[pos] if pos < len(leaves) else None)
            pos += 1
        elif c.flat:
            n = len(c.children)
            kids.append(_node(c, leaves[pos:pos + n]))
            pos += n
        else:
            break
    else:
        if pos <= len(leaves):
            return _node(spec, kids)
    # deeper trees (or too few leaves, which the walk below reports as it always did)
    it = iter(leaves)
    root: list = [None]
    containers = []                      # pre-order: every parent before its children
    stack = [(spec, root, 0)]
    while stack:
        s, parent, slot = stack.pop()
        if s.kind == "leaf":
            parent[slot] = next(it)
            continue
        ch = s.children
        for c in ch:
            if c is not _LEAF:
                break
        else:       # every child a leaf: the next leaves, in order (no stack)
            containers.append((s, [next(it) for _ in ch], parent, slot))
            continue
        kids: list = [None] * len(ch)
        containers.append((s, kids, parent, slot))
        for i in range(len(ch) - 1, -1, -1):
            stack.append((ch[i], kids, i))
    for s, kids, parent, slot in reversed(containers):      # children first
        parent[slot] = (dict(zip(s.keys, kids)) if s.kind == "dict"
                        else kids if s.kind == "list"
                        else s.keys(*kids) if s.kind == "namedtuple" else tuple(kids))
    return root[0]


def tree_map(f: Any, tree: Any, *rest: Any, leaf_lists: bool = True) -> Any:
    """Apply ``f`` leafwise to one or more trees of the same structure (the structure of
    ``tree``; dict entries of the others are matched by key, and a different structure raises
    a ``ValueError`` naming where).

    >>> tree_map(lambda a, b: a + b, {"w": 1.0, "v": 2.0}, {"v": 20.0, "w": 10.0})
    {'w': 11.0, 'v': 22.0}
    >>> tree_map(lambda a, b: a * b, [1.0, 2.0], [3.0, 4.0], leaf_lists=False)
    [3.0, 8.0]
    """
    leaves, spec = flatten(tree, leaf_lists=leaf_lists)
    others = [flatten_like(r, spec, f"tree_map: tree {i}") for i, r in enumerate(rest, 1)]
    return unflatten(spec, [f(*xs) for xs in zip(leaves, *others)])


def tree_leaves(tree: Any, *, leaf_lists: bool = True) -> list:
    """The leaves of ``tree`` in :func:`flatten` order.

    >>> tree_leaves({"a": [np.zeros(2), 1.0], "b": 3.0})
    [array([0., 0.]), 1.0, 3.0]
    """
    return flatten(tree, leaf_lists=leaf_lists)[0]


def flatten_with_path(tree: Any, *, leaf_lists: bool = True) -> tuple[list, TreeSpec]:
    """``(path, leaf)`` pairs in :func:`flatten` order, and the spec: a path is a tuple of
    :class:`DictKey` / :class:`SequenceKey` entries (as ``jax.tree_util.tree_flatten_with_path``).

    >>> pairs, _ = flatten_with_path({"W": 1.0, "b": (2.0,)})
    >>> [(tuple(e[0] for e in path), leaf) for path, leaf in pairs]
    [(('W',), 1.0), (('b', 0), 2.0)]
    """
    leaves, spec = flatten(tree, leaf_lists=leaf_lists)
    return list(zip(spec.paths(), leaves)), spec


def ravel(tree: Any, *, leaf_lists: bool = True) -> tuple[np.ndarray, Any]:
    """All the leaves as one flat vector, and ``unravel``, its inverse (as
    ``jax.flatten_util.ravel_pytree``).

    The vector is float64 (complex128 if a leaf is complex); leaves must be numbers or arrays
    of numbers. ``unravel(v)`` rebuilds the tree from any 1-D value of the right length —
    an array, a tape variable, a dual, a sympy object array — by slicing and
    ``dnp.reshape`` only, so it can run inside a function being differentiated; a scalar leaf
    comes back as ``v[i]``.

    >>> v, unravel = ravel({"W": np.eye(2), "c": 5.0})
    >>> v.tolist()
    [1.0, 0.0, 0.0, 1.0, 5.0]
    >>> unravel(np.arange(5.0))
    {'W': array([[0., 1.],
           [2., 3.]]), 'c': np.float64(4.0)}
    """
    import dualnum.numpy as dnp   # here, not at the top: the namespace sits above this module

    leaves, spec = flatten(tree, leaf_lists=leaf_lists)
    arrays = []
    for path, leaf in zip(spec.paths(), leaves):
        if isinstance(leaf, Box):
            raise TypeError(f"ravel: the leaf at {_path_text(path)} is a boxed value; ravel "
                            f"takes numbers (unravel takes boxes)")
        arrays.append(np.asarray(as_float_leaf(leaf, f"ravel: the leaf at {_path_text(path)}")))
    vec = (np.concatenate([a.reshape(-1) for a in arrays]) if arrays else np.zeros(0))
    slots, at = [], 0
    for a in arrays:
        slots.append((at, at + a.size, a.shape))
        at += a.size
    reshape = dnp.reshape

    def unravel(v: Any) -> Any:
        # captures data only (no reference back to itself: no cycle keeping results alive)
        if tuple(shape_of(v)) != (at,):
            raise ValueError(f"unravel: expected a vector of {at} entries, got shape "
                             f"{tuple(shape_of(v))}")
        plain = type(v) is np.ndarray
        return unflatten(spec, [v[a] if shape == () else v[a:b].reshape(shape) if plain
                                else reshape(v[a:b], shape) for a, b, shape in slots])

    return vec, unravel


def ravel_pytree(tree: Any, *, leaf_lists: bool = True) -> tuple[np.ndarray, Any]:
    """``(flat_vector, unravel)``: JAX's name (``jax.flatten_util.ravel_pytree``) for
    :func:`ravel`. Handy to hand a tree of parameters to code that wants one vector (an
    optimizer, a finite-difference check), and to differentiate through ``unravel``:

    >>> import dualnum as dn, dualnum.numpy as dnp
    >>> params = {"w": np.array([1.0, 2.0]), "b": 0.5}
    >>> flat, unravel = dn.ravel_pytree(params)
    >>> flat.tolist()
    [1.0, 2.0, 0.5]
    >>> loss = lambda p: dnp.sum(p["w"] ** 2) + 3.0 * p["b"]
    >>> dn.grad(lambda v: loss(unravel(v)))(flat).tolist()        # one flat gradient
    [2.0, 4.0, 3.0]

    As everywhere in dualnum (and unlike JAX), a list of plain numbers is one array leaf;
    ``leaf_lists=False`` makes it a list of scalar leaves.
    """
    return ravel(tree, leaf_lists=leaf_lists)


def _path_text(path: tuple) -> str:
    return "tree" + "".join(f".{e[0]}" if type(e) is GetAttrKey else f"[{e[0]!r}]"
                            for e in path)


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
