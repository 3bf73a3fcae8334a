"""The rule table, part 2: shapes and indexing (transpose, reshape, broadcast_to,
concatenate, pad, getitem and its transpose index_add).

These primitives are linear: their JVP applies the same operation to the tangent, their VJP the
transposed operation to the adjoint. Rules take ``lead``, the number of leading batch axes on
tangents/adjoints (1 when ``jacfwd``/``jacrev`` push many directions through at once).
Adjoints are *not* summed back to broadcast input shapes here: the tape does that once, where
they accumulate.
"""
from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from dualnum.primitive import Box, Primitive, shape_of
from dualnum.rules._declare import REAL, as_objects, numeric_or_symbolic

# ------------------------------------------------------------------ helpers


def norm_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """Normalise ``axis`` (None, int, tuple; negatives allowed) to sorted non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int:           # the common case, without building lists
        n = ndim if ndim > 1 else 1
        if -n <= axis < n:
            return (axis % n,)
        raise ValueError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -builtins.max(ndim, 1) <= a < builtins.max(ndim, 1):
            raise ValueError(f"axis {a} is out of bounds for an array of dimension {ndim}")
        out.append(int(a) % builtins.max(ndim, 1))
    return tuple(sorted(out))


def _shift(axes: tuple[int, ...], lead: int) -> tuple[int, ...]:
    return tuple(a + lead for a in axes)


def _kept_shape(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _expand(g: Any, shape: tuple, axes: tuple, keepdims: bool, lead: int) -> Any:
    """Reshape a reduced value (with ``lead`` batch axes) so it broadcasts against ``shape``."""
    if keepdims or type(g) is float:    # a Python float broadcasts against anything as is
        return g
    return reshape(g, shape_of(g)[:lead] + _kept_shape(shape, axes))


def lead_axes(t: Any, xshape: tuple, out_ndim: int) -> Any:
    """A batched tangent/adjoint ``(k, *xshape)`` with unit axes inserted after ``k`` so that
    numpy broadcasting against an ``out_ndim``-dimensional result keeps ``k`` in front."""
    pad = out_ndim - len(xshape)
    return t if pad <= 0 else reshape(t, shape_of(t)[:1] + (1,) * pad + tuple(xshape))


def _zeros_like_batched(x: Any, t_like: Any, lead: int) -> np.ndarray:
    return np.zeros(shape_of(t_like)[:lead] + shape_of(x))


def _sym_reduce(x: Any, axes: tuple, keepdims: bool, fn: Any) -> Any:
    x = np.asarray(x, dtype=object)
    rest = [i for i in range(x.ndim) if i not in axes]
    moved = np.transpose(x, rest + list(axes)).reshape(
        [x.shape[i] for i in rest] + [-1])
    flat = moved.reshape(-1, moved.shape[-1])
    out = np.array([fn(*row) for row in flat], dtype=object).reshape(moved.shape[:-1])
    if keepdims:
        out = out.reshape(_kept_shape(x.shape, axes))
    return out if out.ndim else out[()]


# ============================== shapes ==============================


def _transpose_impl(x: Any, axes: Any = None) -> Any:
    if type(x) is np.ndarray:
        return x.transpose(axes)        # the method: np.transpose without its wrapper
    return np.transpose(x, axes)


def _perm(x: Any, axes: Any) -> tuple[int, ...]:
    n = len(shape_of(x))
    return tuple(range(n))[::-1] if axes is None else tuple(int(a) % n for a in axes)


def _transpose_jvp(ts, ans, args, kw, lead):
    p = _perm(args[0], kw.get("axes"))
    return transpose(ts[0], tuple(range(lead)) + _shift(p, lead))


def _inverse(p: tuple[int, ...]) -> tuple[int, ...]:
    """The inverse permutation (``np.argsort(p)`` for a permutation, as Python ints)."""
    inv = [0] * len(p)
    for i, a in enumerate(p):
        inv[a] = i
    return tuple(inv)


def _transpose_vjp(needs, g, ans, args, kw, lead):
    axes = kw.get("axes")
    if axes is None and lead == 0 and type(g) is np.ndarray:
        return (g.transpose(),)     # a reversal is its own inverse: the view, no dispatch
    perm = tuple(range(lead)) + _shift(_inverse(_perm(args[0], axes)), lead)
    if isinstance(g, Box):
        return (transpose(g, perm),)
    return (_transpose_impl(g, perm),)  # a plain adjoint: what the primitive would call


transpose = Primitive("transpose", _transpose_impl, sym=None, jvp=_transpose_jvp,
                      vjp=_transpose_vjp, domain=(REAL,), family="shape", nargs=1,
                      params=("axes",), reads="")


def _reshape_impl(x: Any, shape: Any) -> Any:
    try:
        if type(x) is np.ndarray:
            return x.reshape(shape)
        if type(x) is float:
            return np.array(x).reshape(shape)
        return np.reshape(x, shape)
    except ValueError:
        raise ValueError(f"reshape: cannot reshape an array of shape {np.shape(x)} "
                         f"(size {np.size(x)}) into shape {shape}") from None


reshape = Primitive(
    "reshape", _reshape_impl, sym=None,
    jvp=lambda ts, ans, args, kw, lead: reshape(ts[0], shape_of(ts[0])[:lead] + shape_of(ans)),
    vjp=lambda needs, g, ans, args, kw, lead: (reshape(g, shape_of(g)[:lead] + shape_of(args[0])),),
    domain=(REAL,), family="shape", nargs=1, reads="")


_SMALL = 4096     # elements: below this a filled copy is cheaper than numpy's broadcast view


def _broadcast_to_impl(x: Any, shape: Any) -> Any:
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    try:
        tx = type(x)
        if (tx is float or tx is np.ndarray and x.dtype.char in "dD") and \
                math.prod(shape) <= _SMALL:
            out = np.empty(shape, dtype=float if tx is float else x.dtype)
            out[...] = x                # raises like broadcast_to on incompatible shapes
            return out
        return np.broadcast_to(x, shape)
    except ValueError:
        raise ValueError(f"broadcast_to: shape {np.shape(x)} cannot be broadcast to "
                         f"{tuple(shape)}") from None


def _broadcast_to_jvp(ts, ans, args, kw, lead):
    t, xs, shape = ts[0], shape_of(args[0]), tuple(shape_of(ans))
    lead = shape_of(t)[:lead]
    t = reshape(t, lead + (1,) * (len(shape) - len(xs)) + xs)
    return broadcast_to(t, lead + shape)


broadcast_to = Primitive(
    "broadcast_to", _broadcast_to_impl, sym=None, jvp=_broadcast_to_jvp,
    # the tape sums the adjoint back to the input's shape where it accumulates
    vjp=lambda needs, g, ans, args, kw, lead: (g,),
    domain=(REAL,), family="shape", nargs=1, reads="")


def _concat_impl(*xs: Any, axis: int = 0) -> Any:
    try:
        return np.concatenate(xs, axis=axis)
    except ValueError as e:
        raise ValueError(f"concatenate: shapes {[np.shape(x) for x in xs]} along axis {axis}: "
                         f"{e}") from None


def _concat_jvp(ts, ans, args, kw, lead):
    ax = norm_axes(kw.get("axis", 0), len(shape_of(ans)))[0] + lead
    ref = next(t for t in ts if t is not None)
    parts = [t if t is not None else _zeros_like_batched(x, ref, lead) for t, x in zip(ts, args)]
    return concatenate(*parts, axis=ax)


def _concat_vjp(needs, g, ans, args, kw, lead):
    ax = norm_axes(kw.get("axis", 0), len(shape_of(g)) - lead)[0]   # g has ans's shape (+ b)
    out, start = [], 0
    for need, x in zip(needs, args):
        n = shape_of(x)[ax]
        if need:
            out.append(getitem(g, (slice(None),) * (ax + lead) + (slice(start, start + n),)))
        else:
            out.append(None)
        start += n
    return tuple(out)


concatenate = Primitive("concatenate", numeric_or_symbolic(
                            _concat_impl, lambda *xs, axis=0: _concat_impl(*as_objects(*xs),
                                                                           axis=axis)),
                        sym=None, jvp=_concat_jvp,
                        vjp=_concat_vjp, domain=(REAL, REAL), family="shape", reads="")
# concatenate takes its arrays variadically: its axis is keyword-only


def _pad_width(pw: Any, ndim: int) -> tuple:
    return tuple(tuple(int(v) for v in row)
                 for row in np.broadcast_to(np.asarray(pw, dtype=int), (ndim, 2)))


def _pad_impl(x: Any, pad_width: Any) -> Any:
    return np.pad(x, _pad_width(pad_width, np.ndim(x)), mode="constant", constant_values=0)


def _pad_vjp(needs, g, ans, args, kw, lead):
    xs = shape_of(args[0])
    pw = _pad_width(kw["pad_width"], len(xs))
    idx = (slice(None),) * lead + tuple(slice(lo, lo + n) for (lo, _), n in zip(pw, xs))
    return (getitem(g, idx),)


pad = Primitive(
    "pad", numeric_or_symbolic(_pad_impl, lambda x, pad_width: _pad_impl(*as_objects(x),
                                                                       pad_width)), sym=None,
    jvp=lambda ts, ans, args, kw, lead: pad(
        ts[0], pad_width=((0, 0),) * lead + _pad_width(kw["pad_width"], len(shape_of(args[0])))),
    vjp=_pad_vjp, domain=(REAL,), family="shape", nargs=1, params=("pad_width",), reads="")

# ============================== indexing ==============================


def normalize_index(idx: Any, core_ndim: int) -> tuple:
    """An index as a tuple with ``...`` spelled out, so trailing batch axes are never touched."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    idx = tuple(np.asarray(i) if isinstance(i, list) else i for i in idx)
    used = 0
    for i in idx:
        if i is None or i is Ellipsis:
            continue
        if isinstance(i, np.ndarray) and i.dtype == bool:
            used += i.ndim
        else:
            used += 1
    if Ellipsis in [i for i in idx if not isinstance(i, np.ndarray)]:
        k = next(j for j, i in enumerate(idx) if not isinstance(i, np.ndarray) and i is Ellipsis)
        idx = idx[:k] + (slice(None),) * (core_ndim - used) + idx[k + 1:]
    elif used > core_ndim:
        raise IndexError(f"too many indices: {used} for an array with {core_ndim} dimensions")
    return idx


def _has_array(idx: tuple) -> bool:
    return any(isinstance(i, np.ndarray) or isinstance(i, (list,)) for i in idx)


def _getitem_impl(x: Any, idx: Any, nbatch: int = 0) -> Any:
    if nbatch == 0:
        return x[idx]
    xm = np.moveaxis(x, tuple(range(nbatch)), tuple(range(-nbatch, 0)))
    r = xm[normalize_index(idx, np.ndim(x) - nbatch)]
    return np.moveaxis(r, tuple(range(-nbatch, 0)), tuple(range(nbatch)))


def _only_new_axes(idx: Any) -> bool:
    """Whether ``x[idx]`` only inserts unit axes (``b[:, None]``, ``x[None]``,
    ``x[..., None]``): every element once, in order, so its transpose is a reshape."""
    new = False
    for i in (idx if isinstance(idx, tuple) else (idx,)):
        if i is None:
            new = True
        elif i is not Ellipsis and not (type(i) is slice and i.start is None
                                        and i.stop is None and i.step is None):
            return False
    return new


_BASIC = (int, slice)


def _basic_index(idx: Any) -> bool:
    """Whether ``idx`` is a basic index: ints, slices, ``None``, ``...`` (no arrays, lists,
    bools or numpy scalars), so every element is picked at most once."""
    if type(idx) is not tuple:
        return type(idx) in _BASIC
    for i in idx:
        if type(i) not in _BASIC and i is not None and i is not Ellipsis:
            return False
    return True


def _getitem_vjp(needs, g, ans, args, kw, lead):
    x, idx = args
    nb = kw.get("nbatch", 0)
    if _only_new_axes(idx):         # b[:, None]: the adjoint is g without the new axes
        shape = shape_of(g)[:lead] + tuple(shape_of(x))
        if type(g) is np.ndarray:   # a plain adjoint: its view, as the primitive gives it
            return g.reshape(shape), None
        return reshape(g, shape), None
    if not lead and not nb and (type(g) is float or type(g) is np.ndarray and
                                g.dtype.char in "dD") and _basic_index(idx):
        # a plain cotangent through a basic index (a first-order sweep: ``p[1]``, ``x[2:5]``):
        # index_add's own steps in numpy, without the primitive's dispatch
        z = np.zeros(shape_of(x), dtype=complex if type(g) is np.ndarray and
                     g.dtype.char == "D" else float)
        z[idx] += g
        return z, None
    return index_add(g, idx, shape=shape_of(x)[nb:], nbatch=nb + lead), None


getitem = Primitive(
    "getitem", _getitem_impl, sym=None,
    jvp=lambda ts, ans, args, kw, lead: getitem(ts[0], args[1], nbatch=kw.get("nbatch", 0) + lead),
    vjp=_getitem_vjp,
    domain=(REAL, None), family="indexing", nargs=2, params=("nbatch",), reads="args")


def _index_add_impl(v: Any, idx: Any, shape: tuple, nbatch: int = 0, dtype: Any = None) -> Any:
    vs = np.shape(v)
    dtype = np.result_type(np.asarray(v).dtype, float) if dtype is None else dtype
    z = np.zeros(vs[:nbatch] + tuple(shape), dtype=dtype)
    zm = np.moveaxis(z, tuple(range(nbatch)), tuple(range(-nbatch, 0))) if nbatch else z
    vm = np.moveaxis(v, tuple(range(nbatch)), tuple(range(-nbatch, 0))) if nbatch else v
    nidx = normalize_index(idx, len(shape))
    if _has_array(nidx):
        np.add.at(zm, nidx, vm)   # repeated integer indices accumulate
    else:
        zm[nidx] += vm
    return z


index_add = Primitive(
    "index_add", numeric_or_symbolic(
        _index_add_impl, lambda v, idx, shape, nbatch=0: _index_add_impl(v, idx, shape, nbatch,
                                                                         dtype=object)),
    sym=None,
    jvp=lambda ts, ans, args, kw, lead: index_add(ts[0], args[1], shape=kw["shape"],
                                               nbatch=kw.get("nbatch", 0) + lead),
    vjp=lambda needs, g, ans, args, kw, lead: (
        getitem(g, args[1], nbatch=kw.get("nbatch", 0) + lead), None),
    domain=(REAL, None), family="indexing", nargs=2, params=("shape", "nbatch"), reads="args")

SHAPE = (transpose, reshape, broadcast_to, concatenate, pad, getitem, index_add)

__all__ = [p.name for p in SHAPE]
