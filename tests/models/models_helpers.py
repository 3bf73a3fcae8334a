"""Independent references for the models tests: central differences and sympy, plus tree helpers.

Nothing here uses dualnum's rule table: central differences only evaluate the function on
floats, and the symbolic gradient is sympy's own ``diff`` of the expression the model builds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy


def flatten(tree: Any) -> tuple[list, Any]:
    """Leaves (as float arrays) and a rebuild function; dicts in insertion order."""
    if isinstance(tree, dict):
        keys = sorted(tree)  # sorted, so trees built in different orders line up
        parts = [flatten(tree[k]) for k in keys]
        order = tuple(tree)

        def rebuild(leaves, parts=parts, keys=keys, order=order):
            out, i = {}, 0
            for k, (lv, rb) in zip(keys, parts):
                out[k] = rb(leaves[i : i + len(lv)])
                i += len(lv)
            return {k: out[k] for k in order}  # the caller's key order

        return [leaf for lv, _ in parts for leaf in lv], rebuild
    if isinstance(tree, (list, tuple)):
        parts = [flatten(v) for v in tree]
        typ = type(tree)

        def rebuild(leaves, parts=parts, typ=typ):
            out, i = [], 0
            for lv, rb in parts:
                out.append(rb(leaves[i : i + len(lv)]))
                i += len(lv)
            return typ(out)

        return [leaf for lv, _ in parts for leaf in lv], rebuild
    return [tree], lambda leaves: leaves[0]


def central_grad(f, params: Any, *rest: Any, h: float = 1e-6) -> Any:
    """∂f/∂params by central differences ``(f(θ + h e_i) − f(θ − h e_i)) / 2h``, leaf by leaf."""
    leaves, rebuild = flatten(params)
    arrays = [np.array(v, dtype=float) for v in leaves]
    grads = []
    for li, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            vals = []
            for s in (+1.0, -1.0):
                pert = [b.copy() for b in arrays]
                pert[li][idx] += s * h
                vals.append(float(f(rebuild([_leaf(p, leaves[k]) for k, p in enumerate(pert)]),
                                    *rest)))
            g[idx] = (vals[0] - vals[1]) / (2 * h)
        grads.append(g)
    return rebuild([_leaf(g, leaves[k]) for k, g in enumerate(grads)])


def _leaf(a: np.ndarray, like: Any) -> Any:
    return float(a) if np.ndim(like) == 0 and not isinstance(like, np.ndarray) else a


def symbolic_grad(f, params: Any, *rest: Any, max_symbols: int | None = None) -> tuple:
    """Run ``f`` on sympy object arrays in place of the parameters and differentiate with
    sympy's ``diff``; returns ``(value, {(leaf, index): derivative})`` at the numeric point.

    Every entry becomes a ``Symbol`` (``max_symbols=None``), or only ``max_symbols`` entries
    spread over the leaves, the others staying sympy numbers inside the object arrays (this
    keeps the expressions of the larger networks small enough to differentiate quickly)."""
    leaves, rebuild = flatten(params)
    positions = [(li, idx) for li, v in enumerate(leaves) for idx in np.ndindex(np.shape(v))]
    if max_symbols is not None and len(positions) > max_symbols:
        pick = np.linspace(0, len(positions) - 1, max_symbols).round().astype(int)
        positions = [positions[i] for i in sorted(set(pick.tolist()))]
    chosen = set(positions)
    sym_leaves, subs, syms = [], {}, {}
    for li, v in enumerate(leaves):
        a = np.asarray(v, dtype=float)
        obj = np.empty(a.shape, dtype=object)
        for idx in np.ndindex(a.shape):
            if (li, idx) in chosen:
                s = sympy.Symbol(f"p{li}_{'_'.join(map(str, idx))}", real=True)
                obj[idx], subs[s], syms[(li, idx)] = s, float(a[idx]), s
            else:
                obj[idx] = sympy.Float(float(a[idx]))
        sym_leaves.append(obj.item() if np.ndim(v) == 0 and not isinstance(v, np.ndarray)
                          else obj)
    expr = f(rebuild(sym_leaves), *rest)
    if isinstance(expr, np.ndarray):
        expr = expr.item()
    expr = sympy.sympify(expr)
    point = {s: sympy.Float(v, 30) for s, v in subs.items()}  # xreplace: far faster than subs
    value = float(expr.xreplace(point).evalf())
    grads = {key: float(sympy.diff(expr, s).xreplace(point).evalf()) for key, s in syms.items()}
    return value, grads


def pick(tree: Any, keys: list) -> list:
    """The entries ``(leaf, index)`` of a tree, in the order of ``keys`` (for symbolic_grad)."""
    leaves, _ = flatten(tree)
    return [float(np.asarray(leaves[li], dtype=float)[idx]) for li, idx in keys]


def max_rel_err(a: Any, b: Any) -> float:
    """max |a − b| over all entries, relative to max |b| (the reference), floor 1e-300."""
    la, _ = flatten(a)
    lb, _ = flatten(b)
    assert len(la) == len(lb), f"trees differ: {len(la)} vs {len(lb)} leaves"
    diff = max((float(np.max(np.abs(np.asarray(x, float) - np.asarray(y, float))))
                if np.size(y) else 0.0) for x, y in zip(la, lb))
    scale = max((float(np.max(np.abs(np.asarray(y, float)))) if np.size(y) else 0.0)
                for y in lb)
    return diff / max(scale, 1e-300)


def random_like(params: Any, seed: int = 1) -> Any:
    """A random direction with the structure of ``params``."""
    rng = np.random.default_rng(seed)
    leaves, rebuild = flatten(params)
    return rebuild([_leaf(rng.normal(size=np.shape(v)), v) for v in leaves])


def vdot(a: Any, b: Any) -> float:
    """Σ a ⊙ b over two trees of the same structure."""
    la, _ = flatten(a)
    lb, _ = flatten(b)
    return float(sum(np.sum(np.asarray(x, float) * np.asarray(y, float)) for x, y in zip(la, lb)))
