"""The rule table, part 3: reductions (sum, prod, max, min) and the numerically stable
log-sum-exp family (logsumexp, softmax, log_softmax).

Each declares a JVP ``jvp(tangents, ans, args, kwargs, lead)`` and a VJP
``vjp(needs, g, ans, args, kwargs, lead)``, written with the toolkit's own ops so they are
differentiable again; ``lead`` is the number of leading batch axes.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.primitive import Kink, Primitive, shape_of, unbox_all
from dualnum.rules._declare import REAL, _apply_sym, _sympy, numeric_or_symbolic
from dualnum.rules.elementwise import exp, where
from dualnum.rules.shape import (
    _expand, _shift, _sym_reduce, broadcast_to, getitem, norm_axes, reshape, transpose,
)

# ============================== reductions ==============================


def _sum_impl(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if type(x) is np.ndarray and x.dtype.char != "O":
        return np.add.reduce(x, axis=axis, keepdims=keepdims)   # np.sum without its wrapper
    return np.sum(x, axis=axis, keepdims=keepdims)


def _sum_jvp(ts, ans, args, kw, lead):
    x = args[0]
    axes = norm_axes(kw.get("axis"), len(shape_of(x)))
    return sum(ts[0], axis=_shift(axes, lead), keepdims=kw.get("keepdims", False))


def _sum_vjp(needs, g, ans, args, kw, lead):
    xs = shape_of(args[0])
    axes = norm_axes(kw.get("axis"), len(xs))
    g = _expand(g, xs, axes, kw.get("keepdims", False), lead)
    return (broadcast_to(g, shape_of(g)[:lead] + xs),)


sum = Primitive("sum", _sum_impl, jvp=_sum_jvp, vjp=_sum_vjp, params=("axis", "keepdims"),
                domain=(REAL,), family="reduction", nargs=1, reads="")


def _prod_impl(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return np.prod(x, axis=axis, keepdims=keepdims)


def _prod_others(x: Any, axes: tuple, ans_k: Any) -> Any:
    """d prod / d x_i = product of the other elements (exact even where x has zeros)."""
    if np.all(np.asarray(unbox_all(x)) != 0):
        return ans_k / x
    xs = shape_of(x)
    rest = [i for i in range(len(xs)) if i not in axes]
    n = int(np.prod([xs[i] for i in axes]))
    xm = reshape(transpose(x, rest + list(axes)), tuple(xs[i] for i in rest) + (n,))
    diag = np.eye(n, dtype=bool)
    others = prod(where(diag, 1.0, getitem(xm, (Ellipsis, None, slice(None)))), axis=-1)
    inv = np.argsort(rest + list(axes))
    return transpose(reshape(others, tuple(xs[i] for i in rest) + tuple(xs[i] for i in axes)),
                     tuple(inv))


def _prod_jvp(ts, ans, args, kw, lead):
    x = args[0]
    xs = shape_of(x)
    axes = norm_axes(kw.get("axis"), len(xs))
    keep = kw.get("keepdims", False)
    d = _prod_others(x, axes, _expand(ans, xs, axes, keep, 0))
    return sum(ts[0] * d, axis=_shift(axes, lead), keepdims=keep)


def _prod_vjp(needs, g, ans, args, kw, lead):
    x = args[0]
    xs = shape_of(x)
    axes = norm_axes(kw.get("axis"), len(xs))
    keep = kw.get("keepdims", False)
    d = _prod_others(x, axes, _expand(ans, xs, axes, keep, 0))
    return (_expand(g, xs, axes, keep, lead) * d,)


prod = Primitive("prod", _prod_impl, jvp=_prod_jvp, vjp=_prod_vjp, params=("axis", "keepdims"),
                 domain=(REAL,), family="reduction", nargs=1, reads="args ans")


def _extremum(name: str, np_fn: Any, sym_name: str) -> Primitive:
    def numeric(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        return np_fn(x, axis=axis, keepdims=keepdims)

    def symbolic(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        return _sym_reduce(x, norm_axes(axis, np.ndim(x)), keepdims,
                           getattr(_sympy(), sym_name))

    impl = numeric_or_symbolic(numeric, symbolic)

    def share(x, ans, kw):
        # the gradient is split evenly between tied extrema (PyTorch's amax/amin)
        xs = shape_of(x)
        axes = norm_axes(kw.get("axis"), len(xs))
        keep = kw.get("keepdims", False)
        mask = np.asarray(x == _expand(ans, xs, axes, keep, 0), dtype=float)
        return mask / np.sum(mask, axis=axes, keepdims=True), axes, keep

    def jvp(ts, ans, args, kw, lead):
        w, axes, keep = share(args[0], ans, kw)
        return sum(ts[0] * w, axis=_shift(axes, lead), keepdims=keep)

    def vjp(needs, g, ans, args, kw, lead):
        x = args[0]
        w, axes, keep = share(x, ans, kw)
        return (_expand(g, shape_of(x), axes, keep, lead) * w,)

    def tie(x, axis=None, keepdims=False):
        x = np.asarray(unbox_all(x))
        axes = norm_axes(axis, x.ndim)
        top = np_fn(x, axis=axes, keepdims=True)
        return np.sum(x == top, axis=axes) > 1

    return Primitive(name, impl, sym=lambda sp, *xs: getattr(sp, sym_name)(*xs), jvp=jvp,
                     vjp=vjp, domain=(REAL,), analytic=False, family="reduction", nargs=1,
                     params=("axis", "keepdims"), reads="args ans",
                     kink=Kink(tie, f"{name} at a tie splits the derivative evenly (PyTorch)"))


max = _extremum("max", np.max, "Max")
min = _extremum("min", np.min, "Min")

# ============================== stable log-sum-exp family ==============================


def _lse_np(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    # numpy's ufunc methods rather than np.max/np.sum: the same reductions without the
    # Python wrappers, which cost more than the arithmetic on small arrays
    x = np.asarray(x)
    m = np.maximum.reduce(x.real, axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        m = np.where(np.isfinite(m), m, 0.0)
    s = np.log(np.add.reduce(np.exp(x - m), axis=axis, keepdims=True)) + m
    if keepdims:
        return s
    s = s.squeeze(axis=axis)
    return s[()] if s.ndim == 0 else s      # a full reduction is a scalar, as scipy's


def _logsumexp_sym(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    # axis=None, all axes, by default: scipy.special.logsumexp's (and numpy's reductions')
    if not np.ndim(x):
        sp = _sympy()
        return sp.log(sp.exp(x))
    e = _apply_sym(lambda sp, v: sp.exp(v), np.asarray(x, dtype=object))
    return _apply_sym(lambda sp, v: sp.log(v), np.sum(e, axis=axis, keepdims=keepdims))


def _lse_weights(x, ans, kw):
    xs = shape_of(x)
    axes = norm_axes(kw.get("axis"), len(xs))     # the impl's default: None, all axes
    keep = kw.get("keepdims", False)
    return exp(x - _expand(ans, xs, axes, keep, 0)), axes, keep


def _logsumexp_jvp(ts, ans, args, kw, lead):
    w, axes, keep = _lse_weights(args[0], ans, kw)
    return sum(ts[0] * w, axis=_shift(axes, lead), keepdims=keep)


def _logsumexp_vjp(needs, g, ans, args, kw, lead):
    w, axes, keep = _lse_weights(args[0], ans, kw)
    return (_expand(g, shape_of(args[0]), axes, keep, lead) * w,)


logsumexp = Primitive("logsumexp", numeric_or_symbolic(_lse_np, _logsumexp_sym), sym=None,
                      jvp=_logsumexp_jvp,
                      vjp=_logsumexp_vjp, domain=(REAL,), family="softmax", nargs=1,
                      params=("axis", "keepdims"), reads="args ans")


def _softmax_sym(x: Any, axis: Any = -1) -> Any:
    e = _apply_sym(lambda sp, v: sp.exp(v), np.asarray(x, dtype=object))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_num(x: Any, axis: Any = -1) -> Any:
    x = np.asarray(x)
    e = np.exp(x - np.maximum.reduce(x.real, axis=axis, keepdims=True))
    return e / np.add.reduce(e, axis=axis, keepdims=True)


def _softmax_axes(args, kw, lead):
    return _shift(norm_axes(kw.get("axis", -1), len(shape_of(args[0]))), lead)


softmax = Primitive(
    "softmax", numeric_or_symbolic(_softmax_num, _softmax_sym), sym=None,
    # J = diag(y) - y y^T along the axis: J t = y * (t - <y, t>)
    jvp=lambda ts, ans, args, kw, lead: ans * (
        ts[0] - sum(ans * ts[0], axis=_softmax_axes(args, kw, lead), keepdims=True)),
    vjp=lambda needs, g, ans, args, kw, lead: (ans * (
        g - sum(g * ans, axis=_softmax_axes(args, kw, lead), keepdims=True)),),
    domain=(REAL,), family="softmax", nargs=1, params=("axis",), reads="ans")


def _log_softmax_sym(x: Any, axis: Any = -1) -> Any:
    return _apply_sym(lambda sp, v: sp.log(v), _softmax_sym(x, axis))


def _log_softmax_num(x: Any, axis: Any = -1) -> Any:
    return np.asarray(x) - _lse_np(x, axis, True)


log_softmax = Primitive(
    "log_softmax", numeric_or_symbolic(_log_softmax_num, _log_softmax_sym), sym=None,
    jvp=lambda ts, ans, args, kw, lead: ts[0] - sum(
        exp(ans) * ts[0], axis=_softmax_axes(args, kw, lead), keepdims=True),
    vjp=lambda needs, g, ans, args, kw, lead: (g - exp(ans) * sum(
        g, axis=_softmax_axes(args, kw, lead), keepdims=True),),
    domain=(REAL,), family="softmax", nargs=1, params=("axis",), reads="ans")

REDUCE = (sum, prod, max, min, logsumexp, softmax, log_softmax)

__all__ = [p.name for p in REDUCE]
