"""The rule table, part 3: reductions (sum, prod, max, min) and the numerically stable
log-sum-exp family (logsumexp, softmax, log_softmax).

Each declares a JVP ``jvp(tangents, ans, args, kwargs, lead)`` and a VJP
``vjp(needs, g, ans, args, kwargs, lead)``, written with the toolkit's own ops so they are
differentiable again; ``lead`` is the number of leading batch axes.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from dualnum.primitive import Box, Kink, Primitive, shape_of, unbox_all
from dualnum.rules._declare import REAL, _apply_sym, _sympy, numeric_or_symbolic
from dualnum.rules.elementwise import exp, where
from dualnum.rules.shape import (
    _broadcast_to_impl, _expand, _shift, _sym_reduce, broadcast_to, getitem, norm_axes, reshape,
    transpose,
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


def _spread(g, args, kw, lead, mean: bool):
    """The VJP of a sum (``mean``: of a mean) over ``kw``'s axis: ``g`` (divided by the
    count for a mean) given back to every element of its block."""
    xs = getattr(args[0], "shape", None)     # an array, a lean tape's stand-in
    if type(xs) is not tuple:
        xs = shape_of(args[0])
    if not kw.get("keepdims", False) and type(g) is not float:
        g = _expand(g, xs, norm_axes(kw.get("axis"), len(xs)), False, lead)
    if mean:
        g = g / float(_count(xs, kw.get("axis")))
    if lead:
        xs = shape_of(g)[:lead] + xs
    if isinstance(g, Box):
        return (broadcast_to(g, xs),)
    # a plain adjoint: the implementation the primitive would call, without its dispatch
    return (_broadcast_to_impl(g, xs),)


def _sum_vjp(needs, g, ans, args, kw, lead):
    return _spread(g, args, kw, lead, False)


sum = Primitive("sum", _sum_impl, jvp=_sum_jvp, vjp=_sum_vjp, params=("axis", "keepdims"),
                domain=(REAL,), family="reduction", nargs=1, reads="")


def _count(shape: tuple, axis: Any) -> int:
    """How many elements each result of a reduction over ``axis`` combines (1 for 0-D)."""
    if axis is None:
        return math.prod(shape)
    return math.prod(shape[a] for a in norm_axes(axis, len(shape)) if a < len(shape))


def _mean_impl(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    # sum / count, as numpy's mean (and dnp.mean before it was one row: the same numbers)
    s = _sum_impl(x, axis, keepdims)
    return s / float(_count(x.shape if type(x) is np.ndarray else np.shape(x), axis))


def _mean_jvp(ts, ans, args, kw, lead):
    axes = norm_axes(kw.get("axis"), len(shape_of(args[0])))
    return mean(ts[0], axis=_shift(axes, lead), keepdims=kw.get("keepdims", False))


def _mean_vjp(needs, g, ans, args, kw, lead):
    # the sum's VJP of g / count: every element of a block gets its result's share
    return _spread(g, args, kw, lead, True)


# one entry for dnp.mean (a sum and a division were two: the loss of every network)
mean = Primitive("mean", _mean_impl, jvp=_mean_jvp, vjp=_mean_vjp, params=("axis", "keepdims"),
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


_SLICES: dict[tuple, list] = {}     # (shape, axes) -> one index tuple per reduced element


def _slices(shape: tuple, axes: tuple) -> list:
    """One basic index per element of the reduced block: ``x[i]`` is a view with ``axes``
    dropped, so a reduction over them is a chain of elementwise ufunc calls."""
    key = (shape, axes)
    idxs = _SLICES.get(key)
    if idxs is None:
        idxs = []
        for combo in np.ndindex(*(shape[a] for a in axes)):
            idx = [slice(None)] * len(shape)
            for a, i in zip(axes, combo):
                idx[a] = i
            idxs.append(tuple(idx))
        if len(_SLICES) > 256:
            _SLICES.clear()
        _SLICES[key] = idxs
    return idxs


def small_block(x: Any, axes: tuple) -> bool:
    """Whether reducing the float array ``x`` over ``axes`` is faster as elementwise calls over
    the block's slices: a small block (<= 16 elements) and many results. numpy's reduction
    runs its inner loop along the reduced axes there (a 2×2 max-pool window: ~5× slower than
    four slices and three ``np.maximum``; measured on numpy 2.4)."""
    if type(x) is not np.ndarray or x.dtype.char == "O" or not axes:
        return False
    block = 1
    for a in axes:
        block *= x.shape[a]
    return 2 <= block <= 16 and x.size >= 32 * block * block


def block_reduce(ufunc: Any, x: np.ndarray, axes: tuple, keepdims: bool = False) -> np.ndarray:
    """``ufunc.reduce(x, axis=axes)`` as ``ufunc`` over the slices of the reduced block (see
    :func:`small_block`); the same values for ``maximum``/``minimum`` (nan propagates), and
    exact for counts.

    >>> x = np.arange(24.0).reshape(2, 2, 3, 2)
    >>> bool((block_reduce(np.maximum, x, (1, 3)) == np.max(x, axis=(1, 3))).all())
    True
    """
    idxs = _slices(x.shape, axes)
    out = ufunc(x[idxs[0]], x[idxs[1]])
    for idx in idxs[2:]:
        ufunc(out, x[idx], out=out)
    if keepdims:
        out = out.reshape(tuple(1 if i in axes else n for i, n in enumerate(x.shape)))
    return out


def block_count(mask: np.ndarray, axes: tuple) -> np.ndarray:
    """How many ``True`` per block of a boolean ``mask`` (keepdims), by the slices of
    :func:`block_reduce` (a block has <= 16 elements: ``uint8`` counts are exact).

    >>> block_count(np.array([[True, True], [False, True]]), (1,)).ravel().tolist()
    [2, 1]
    """
    idxs = _slices(mask.shape, axes)
    out = np.add(mask[idxs[0]], mask[idxs[1]], dtype=np.uint8)
    for idx in idxs[2:]:
        np.add(out, mask[idx], out=out)
    return out.reshape(tuple(1 if i in axes else n for i, n in enumerate(mask.shape)))


def _extremum(name: str, np_fn: Any, ufunc: Any, sym_name: str) -> Primitive:
    def numeric(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        if type(x) is np.ndarray and x.ndim > 1:
            axes = norm_axes(axis, x.ndim)
            if small_block(x, axes):
                return block_reduce(ufunc, x, axes, keepdims)
            if x.dtype.char in "dD":    # what np_fn calls, without its Python wrapper
                return ufunc.reduce(x, axis=axes, keepdims=keepdims)
        return np_fn(x, axis=axis, keepdims=keepdims)

    def symbolic(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        return _sym_reduce(x, norm_axes(axis, np.ndim(x)), keepdims,
                           getattr(_sympy(), sym_name))

    impl = numeric_or_symbolic(numeric, symbolic)

    def share(x, ans, kw):
        # the gradient is split evenly between tied extrema (PyTorch's amax/amin): returns
        # the mask of the extrema (bool, x's shape) and 1/count per result where some result
        # has ties (else None); piecewise constant, so computed on the values themselves
        xv, av = unbox_all(x), unbox_all(ans)
        xs = shape_of(xv)
        axes = norm_axes(kw.get("axis"), len(xs))
        keep = kw.get("keepdims", False)
        av = np.asarray(av)
        kept = av if keep else av.reshape(_kept(xs, axes))
        mask = np.asarray(xv == kept)
        if np.count_nonzero(mask) == av.size and not np.count_nonzero(np.isnan(av)):
            return mask, None, axes, keep           # one extremum each: no tie to split
        if small_block(mask, axes):
            count = block_count(mask, axes)
        else:
            count = np.sum(mask, axis=axes, keepdims=True)
        return mask, 1.0 / count, axes, keep

    def weights(x, ans, kw):
        mask, inv, axes, keep = share(x, ans, kw)
        return (mask.astype(float) if inv is None else mask * inv), axes, keep

    def jvp(ts, ans, args, kw, lead):
        w, axes, keep = weights(args[0], ans, kw)
        return sum(ts[0] * w, axis=_shift(axes, lead), keepdims=keep)

    def vjp(needs, g, ans, args, kw, lead):
        x = args[0]
        mask, inv, axes, keep = share(x, ans, kw)
        g = _expand(g, shape_of(x), axes, keep, lead)
        if inv is not None:
            g = g * inv                 # each result's share, before it is spread out
        # a plain adjoint takes the boolean mask as is; a boxed one a float constant
        return (g * (mask if type(g) is np.ndarray else mask.astype(float)),)

    def tie(x, axis=None, keepdims=False):
        x = np.asarray(unbox_all(x))
        axes = norm_axes(axis, x.ndim)
        top = np_fn(x, axis=axes, keepdims=True)
        return np.sum(x == top, axis=axes) > 1

    return Primitive(name, impl, sym=lambda sp, *xs: getattr(sp, sym_name)(*xs), jvp=jvp,
                     vjp=vjp, domain=(REAL,), analytic=False, family="reduction", nargs=1,
                     params=("axis", "keepdims"), reads="args ans", on_arrays=numeric,
                     kink=Kink(tie, f"{name} at a tie splits the derivative evenly (PyTorch)"))


def _kept(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


max = _extremum("max", np.max, np.maximum, "Max")
min = _extremum("min", np.min, np.minimum, "Min")

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
                      params=("axis", "keepdims"), reads="args ans", on_arrays=_lse_np)


def _softmax_sym(x: Any, axis: Any = -1) -> Any:
    e = _apply_sym(lambda sp, v: sp.exp(v), np.asarray(x, dtype=object))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_num(x: Any, axis: Any = -1) -> Any:
    x = np.asarray(x)
    e = x - np.maximum.reduce(x.real if x.dtype.kind == "c" else x, axis=axis, keepdims=True)
    if type(e) is np.ndarray and e.dtype.char in "dD":
        np.exp(e, out=e)            # the same operations, in the one fresh array
        e /= np.add.reduce(e, axis=axis, keepdims=True)
        return e
    e = np.exp(e)
    return e / np.add.reduce(e, axis=axis, keepdims=True)


def _softmax_axes(args, kw, lead):
    return _shift(norm_axes(kw.get("axis", -1), len(shape_of(args[0]))), lead)


def _softmax_vjp(g: Any, ans: Any, axes: tuple) -> Any:
    """``y * (g - <g, y>)`` along ``axes`` (J = diag(y) - y yᵀ is symmetric)."""
    if type(g) is np.ndarray and type(ans) is np.ndarray and g.dtype.char in "dD" \
            and ans.dtype.char in "dD":
        # plain arrays: the same three operations in numpy, into one fresh array
        t = g * ans
        np.subtract(g, np.add.reduce(t, axis=axes, keepdims=True), out=t)
        t *= ans
        return t
    return ans * (g - sum(g * ans, axis=axes, keepdims=True))


softmax = Primitive(
    "softmax", numeric_or_symbolic(_softmax_num, _softmax_sym), sym=None,
    # J = diag(y) - y y^T along the axis: J t = y * (t - <y, t>)
    jvp=lambda ts, ans, args, kw, lead: ans * (
        ts[0] - sum(ans * ts[0], axis=_softmax_axes(args, kw, lead), keepdims=True)),
    vjp=lambda needs, g, ans, args, kw, lead: (
        _softmax_vjp(g, ans, _softmax_axes(args, kw, lead)),),
    domain=(REAL,), family="softmax", nargs=1, params=("axis",), reads="ans",
    on_arrays=_softmax_num)


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
    domain=(REAL,), family="softmax", nargs=1, params=("axis",), reads="ans",
    on_arrays=_log_softmax_num)

REDUCE = (sum, mean, prod, max, min, logsumexp, softmax, log_softmax)

__all__ = [p.name for p in REDUCE]
