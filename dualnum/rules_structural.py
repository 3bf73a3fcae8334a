"""The rule table, part 2: structural primitives (reductions, linear algebra, shapes, indexing,
and the numerically stable softmax family).

These ops mix elements, so one partial per argument is not enough: each declares a JVP
``jvp(tangents, ans, args, kwargs, b)`` and a VJP ``vjp(needs, g, ans, args, kwargs, b)``,
written with the toolkit's own ops so that they are differentiable again. ``b`` is the number of
leading batch axes on tangents/adjoints (1 when ``jacfwd``/``jacrev`` push many directions
through in one pass). Adjoints are *not* summed back to broadcast input shapes here: the tape
does that once, where they accumulate.
"""
from __future__ import annotations

import builtins
import string
from typing import Any

import numpy as np

from dualnum.primitive import Kink, Primitive, shape_of, unbox_all
from dualnum.rules_elementwise import (
    REAL, _apply_sym, _sympy, exp, is_symbolic, where,
)

# ------------------------------------------------------------------ helpers


def norm_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """Normalise ``axis`` (None, int, tuple; negatives allowed) to sorted non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -builtins.max(ndim, 1) <= a < builtins.max(ndim, 1):
            raise ValueError(f"axis {a} is out of bounds for an array of dimension {ndim}")
        out.append(int(a) % builtins.max(ndim, 1))
    return tuple(sorted(out))


def _shift(axes: tuple[int, ...], b: int) -> tuple[int, ...]:
    return tuple(a + b for a in axes)


def _kept_shape(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _expand(g: Any, shape: tuple, axes: tuple, keepdims: bool, b: int) -> Any:
    """Reshape a reduced value (with ``b`` batch axes) so it broadcasts against ``shape``."""
    if keepdims:
        return g
    return reshape(g, shape_of(g)[:b] + _kept_shape(shape, axes))


def _zeros_like_batched(x: Any, t_like: Any, b: int) -> np.ndarray:
    return np.zeros(shape_of(t_like)[:b] + shape_of(x))


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


# ============================== reductions ==============================


def _sum_impl(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return np.sum(x, axis=axis, keepdims=keepdims)


def _sum_jvp(ts, ans, args, kw, b):
    x = args[0]
    axes = norm_axes(kw.get("axis"), len(shape_of(x)))
    return sum(ts[0], axis=_shift(axes, b), keepdims=kw.get("keepdims", False))


def _sum_vjp(needs, g, ans, args, kw, b):
    xs = shape_of(args[0])
    axes = norm_axes(kw.get("axis"), len(xs))
    g = _expand(g, xs, axes, kw.get("keepdims", False), b)
    return (broadcast_to(g, shape_of(g)[:b] + xs),)


sum = Primitive("sum", _sum_impl, jvp=_sum_jvp, vjp=_sum_vjp, params=("axis", "keepdims"),
                domain=(REAL,), linear=True, family="reduction", nargs=1)


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


def _prod_jvp(ts, ans, args, kw, b):
    x = args[0]
    xs = shape_of(x)
    axes = norm_axes(kw.get("axis"), len(xs))
    keep = kw.get("keepdims", False)
    d = _prod_others(x, axes, _expand(ans, xs, axes, keep, 0))
    return sum(ts[0] * d, axis=_shift(axes, b), keepdims=keep)


def _prod_vjp(needs, g, ans, args, kw, b):
    x = args[0]
    xs = shape_of(x)
    axes = norm_axes(kw.get("axis"), len(xs))
    keep = kw.get("keepdims", False)
    d = _prod_others(x, axes, _expand(ans, xs, axes, keep, 0))
    return (_expand(g, xs, axes, keep, b) * d,)


prod = Primitive("prod", _prod_impl, jvp=_prod_jvp, vjp=_prod_vjp, params=("axis", "keepdims"),
                 domain=(REAL,), family="reduction", nargs=1)


def _extremum(name: str, np_fn: Any, sym_name: str) -> Primitive:
    def impl(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        if is_symbolic(x):
            sp = _sympy()
            axes = norm_axes(axis, np.ndim(x))
            return _sym_reduce(x, axes, keepdims, getattr(sp, sym_name))
        return np_fn(x, axis=axis, keepdims=keepdims)

    def share(x, ans, kw):
        # the gradient is split evenly between tied extrema (PyTorch's amax/amin)
        xs = shape_of(x)
        axes = norm_axes(kw.get("axis"), len(xs))
        keep = kw.get("keepdims", False)
        mask = np.asarray(x == _expand(ans, xs, axes, keep, 0), dtype=float)
        return mask / np.sum(mask, axis=axes, keepdims=True), axes, keep

    def jvp(ts, ans, args, kw, b):
        w, axes, keep = share(args[0], ans, kw)
        return sum(ts[0] * w, axis=_shift(axes, b), keepdims=keep)

    def vjp(needs, g, ans, args, kw, b):
        x = args[0]
        w, axes, keep = share(x, ans, kw)
        return (_expand(g, shape_of(x), axes, keep, b) * w,)

    def tie(x, axis=None, keepdims=False):
        x = np.asarray(unbox_all(x))
        axes = norm_axes(axis, x.ndim)
        top = np_fn(x, axis=axes, keepdims=True)
        return np.sum(x == top, axis=axes) > 1

    return Primitive(name, impl, sym=lambda sp, *xs: getattr(sp, sym_name)(*xs), jvp=jvp,
                     vjp=vjp, domain=(REAL,), analytic=False, family="reduction", nargs=1,
                     params=("axis", "keepdims"),
                     kink=Kink(tie, f"{name} at a tie splits the derivative evenly (PyTorch)"))


max = _extremum("max", np.max, "Max")
min = _extremum("min", np.min, "Min")

# ============================== linear algebra ==============================

_LETTERS = string.ascii_letters


def parse_einsum(subscripts: str, n: int) -> tuple[list[str], str]:
    """Explicit form of an einsum spec: input subscripts and output subscript."""
    s = subscripts.replace(" ", "")
    if "->" in s:
        ins, out = s.split("->")
    else:
        ins = s
        labels = ins.replace("...", "").replace(",", "")
        out = ("..." if "..." in ins else "") + "".join(
            sorted(c for c in set(labels) if labels.count(c) == 1))
    parts = ins.split(",")
    if len(parts) != n:
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(parts)} operands, "
                         f"but {n} were given")
    return parts, out


def _fresh_label(parts: list[str], out: str) -> str:
    used = set("".join(parts) + out)
    return next(c for c in _LETTERS if c not in used)


def _einsum_impl(subscripts: str, *ops: Any) -> Any:
    if any(is_symbolic(o) for o in ops):
        return np.einsum(subscripts, *[np.asarray(o, dtype=object) for o in ops])
    big = any(np.size(o) > 2000 for o in ops) or len(ops) > 2
    return np.einsum(subscripts, *ops, optimize=big)


def _einsum_jvp(ts, ans, args, kw, b):
    subs, ops = args[0], args[1:]
    parts, out = parse_einsum(subs, len(ops))
    z = _fresh_label(parts, out) if b else ""
    total = None
    for i, t in enumerate(ts[1:]):
        if t is None:
            continue
        p = list(parts)
        p[i] = z + p[i]
        term = einsum(",".join(p) + "->" + z + out, *ops[:i], t, *ops[i + 1:])
        total = term if total is None else total + term
    return total


def _einsum_vjp(needs, g, ans, args, kw, b):
    subs, ops = args[0], args[1:]
    parts, out = parse_einsum(subs, len(ops))
    z = _fresh_label(parts, out) if b else ""
    res: list[Any] = [None]
    for i, op in enumerate(ops):
        if not needs[i + 1]:
            res.append(None)
            continue
        target = parts[i]
        plain = target.replace("...", "")
        if len(set(plain)) != len(plain):
            raise NotImplementedError(
                f"einsum {subs!r}: the derivative of a repeated index within one operand "
                "(a diagonal) is not supported; take the diagonal explicitly")
        others = "".join(p for j, p in enumerate(parts) if j != i) + out
        kept = "".join(c for c in target if c == "." or c in others)
        kept = kept.replace("...", "\0").replace(".", "").replace("\0", "...")
        if "..." in out and "..." not in kept:
            kept = "..." + kept   # broadcast dims: the tape sums them back to the operand
        spec = ",".join([z + out] + [p for j, p in enumerate(parts) if j != i]) + "->" + z + kept
        r = einsum(spec, g, *ops[:i], *ops[i + 1:])
        if kept.replace("...", "") != plain:  # labels summed inside operand i only
            xs = shape_of(op)
            shape = tuple(xs[k] if c in kept else 1 for k, c in enumerate(plain)) \
                if "..." not in target else None
            if shape is None:
                raise NotImplementedError(f"einsum {subs!r}: derivative not supported")
            r = broadcast_to(reshape(r, shape_of(r)[:b] + shape), shape_of(r)[:b] + xs)
        res.append(r)
    return tuple(res)


einsum = Primitive("einsum", _einsum_impl, sym=None, jvp=_einsum_jvp, vjp=_einsum_vjp,
                   domain=(None, REAL, REAL), family="linalg")


def matmul_subscripts(na: int, nb: int) -> str:
    """The einsum spec equal to ``matmul`` for operands of ``na`` and ``nb`` dimensions."""
    sa = "...ij" if na >= 2 else "j"
    sb = "...jk" if nb >= 2 else "j"
    so = ("..." if na >= 2 or nb >= 2 else "") + ("i" if na >= 2 else "") + \
        ("k" if nb >= 2 else "")
    return f"{sa},{sb}->{so}"


def _check_matmul(a: Any, b: Any) -> None:
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        raise ValueError(f"matmul: operands must be at least 1-D, got shapes {sa} and {sb} "
                         "(use * for scalars)")
    ka = sa[-1]
    kb = sb[-2] if len(sb) >= 2 else sb[0]
    if ka != kb:
        raise ValueError(f"matmul: shapes {sa} and {sb} are not aligned "
                         f"({ka} (dim {len(sa) - 1}) != {kb} (dim {max(len(sb) - 2, 0)}))")


def _matmul_impl(a: Any, b: Any) -> Any:
    _check_matmul(a, b)
    if is_symbolic(a) or is_symbolic(b):
        return np.matmul(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
    return np.matmul(a, b)


def _mT(x: Any) -> Any:
    n = len(shape_of(x))
    return transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


def _lead(t: Any, xshape: tuple, out_ndim: int) -> Any:
    """A batched tangent (k, *xshape) with unit axes so matmul broadcasts k in front."""
    pad = out_ndim - len(xshape)
    return t if pad <= 0 else reshape(t, shape_of(t)[:1] + (1,) * pad + tuple(xshape))


def _col(g: Any) -> Any:
    return reshape(g, shape_of(g) + (1,))


def _matmul_jvp(ts, ans, args, kw, b):
    # tA @ B + A @ tB, with numpy's matmul broadcasting carrying the batch axis where it can
    A, B = args
    ta, tb = ts
    na, nb, no = len(shape_of(A)), len(shape_of(B)), len(shape_of(ans))
    if b and ((ta is not None and na == 1 and nb > 2) or (tb is not None and nb == 1 and na > 2)):
        spec = matmul_subscripts(na, nb)
        return _einsum_jvp((None, ta, tb), ans, (spec, A, B), {}, b)
    out = None
    if ta is not None:
        out = matmul(_lead(ta, shape_of(A), no) if b and na >= 2 else ta, B)
    if tb is not None:
        if nb >= 2 or not b:
            t = matmul(A, _lead(tb, shape_of(B), no) if b else tb)
        else:   # tb is (k, n): (k, n) @ Aᵀ
            t = matmul(tb, _mT(A) if na == 2 else A)
        out = t if out is None else out + t
    return out


def _matmul_vjp(needs, g, ans, args, kw, b):
    # gA = g Bᵀ, gB = Aᵀ g, with the 1-D cases as outer products; the tape sums broadcast
    # batch axes back to each operand's shape
    A, B = args
    na, nb = len(shape_of(A)), len(shape_of(B))
    gA = gB = None
    if na >= 2 and nb >= 2:
        gA = matmul(g, _mT(B)) if needs[0] else None
        gB = matmul(_mT(A), g) if needs[1] else None
    elif na >= 2:                                   # B is a vector: out (..., m)
        gA = _col(g) * B if needs[0] else None
        if needs[1]:
            gB = matmul(g, A) if na == 2 else sum(_col(g) * A, axis=-2)
    elif nb >= 2:                                   # A is a vector: out (..., p)
        if needs[0]:
            gA = matmul(g, _mT(B)) if nb == 2 else sum(
                reshape(g, shape_of(g)[:-1] + (1,) + shape_of(g)[-1:]) * B, axis=-1)
        if needs[1]:
            gB = reshape(A, shape_of(A) + (1,)) * reshape(
                g, shape_of(g)[:-1] + (1,) + shape_of(g)[-1:])
    else:                                           # two vectors: out ()
        gA = _col(g) * B if needs[0] else None
        gB = _col(g) * A if needs[1] else None
    return gA, gB


matmul = Primitive("matmul", _matmul_impl, sym=None, jvp=_matmul_jvp, vjp=_matmul_vjp,
                   domain=(REAL, REAL), family="linalg", nargs=2)

# ============================== shapes ==============================


def _transpose_impl(x: Any, axes: Any = None) -> Any:
    return np.transpose(x, axes)


def _perm(x: Any, axes: Any) -> tuple[int, ...]:
    n = len(shape_of(x))
    return tuple(range(n))[::-1] if axes is None else tuple(int(a) % n for a in axes)


def _transpose_jvp(ts, ans, args, kw, b):
    p = _perm(args[0], kw.get("axes"))
    return transpose(ts[0], tuple(range(b)) + _shift(p, b))


def _transpose_vjp(needs, g, ans, args, kw, b):
    p = _perm(args[0], kw.get("axes"))
    return (transpose(g, tuple(range(b)) + _shift(tuple(np.argsort(p)), b)),)


transpose = Primitive("transpose", _transpose_impl, sym=None, jvp=_transpose_jvp,
                      vjp=_transpose_vjp, domain=(REAL,), linear=True, family="shape", nargs=1,
                      params=("axes",))


def _reshape_impl(x: Any, shape: Any) -> Any:
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise ValueError(f"reshape: cannot reshape an array of shape {np.shape(x)} "
                         f"(size {np.size(x)}) into shape {shape}") from None


reshape = Primitive(
    "reshape", _reshape_impl, sym=None,
    jvp=lambda ts, ans, args, kw, b: reshape(ts[0], shape_of(ts[0])[:b] + shape_of(ans)),
    vjp=lambda needs, g, ans, args, kw, b: (reshape(g, shape_of(g)[:b] + shape_of(args[0])),),
    domain=(REAL,), linear=True, family="shape", nargs=1)


def _broadcast_to_impl(x: Any, shape: Any) -> Any:
    try:
        return np.broadcast_to(x, shape)
    except ValueError:
        raise ValueError(f"broadcast_to: shape {np.shape(x)} cannot be broadcast to "
                         f"{tuple(shape)}") from None


def _broadcast_to_jvp(ts, ans, args, kw, b):
    t, xs, shape = ts[0], shape_of(args[0]), tuple(shape_of(ans))
    lead = shape_of(t)[:b]
    t = reshape(t, lead + (1,) * (len(shape) - len(xs)) + xs)
    return broadcast_to(t, lead + shape)


broadcast_to = Primitive(
    "broadcast_to", _broadcast_to_impl, sym=None, jvp=_broadcast_to_jvp,
    # the tape sums the adjoint back to the input's shape where it accumulates
    vjp=lambda needs, g, ans, args, kw, b: (g,),
    domain=(REAL,), linear=True, family="shape", nargs=1)


def _concat_impl(*xs: Any, axis: int = 0) -> Any:
    if any(is_symbolic(x) for x in xs):
        xs = tuple(np.asarray(x, dtype=object) for x in xs)
    try:
        return np.concatenate(xs, axis=axis)
    except ValueError as e:
        raise ValueError(f"concatenate: shapes {[np.shape(x) for x in xs]} along axis {axis}: "
                         f"{e}") from None


def _concat_jvp(ts, ans, args, kw, b):
    ax = norm_axes(kw.get("axis", 0), len(shape_of(ans)))[0] + b
    ref = next(t for t in ts if t is not None)
    parts = [t if t is not None else _zeros_like_batched(x, ref, b) for t, x in zip(ts, args)]
    return concatenate(*parts, axis=ax)


def _concat_vjp(needs, g, ans, args, kw, b):
    ax = norm_axes(kw.get("axis", 0), len(shape_of(ans)))[0]
    out, start = [], 0
    for need, x in zip(needs, args):
        n = shape_of(x)[ax]
        if need:
            out.append(getitem(g, (slice(None),) * (ax + b) + (slice(start, start + n),)))
        else:
            out.append(None)
        start += n
    return tuple(out)


concatenate = Primitive("concatenate", _concat_impl, sym=None, jvp=_concat_jvp,
                        vjp=_concat_vjp, domain=(REAL, REAL), linear=True, family="shape")
# concatenate takes its arrays variadically: its axis is keyword-only


def _pad_width(pw: Any, ndim: int) -> tuple:
    return tuple(tuple(int(v) for v in row)
                 for row in np.broadcast_to(np.asarray(pw, dtype=int), (ndim, 2)))


def _pad_impl(x: Any, pad_width: Any) -> Any:
    pw = _pad_width(pad_width, np.ndim(x))
    if is_symbolic(x):
        return np.pad(np.asarray(x, dtype=object), pw, mode="constant", constant_values=0)
    return np.pad(x, pw, mode="constant")


def _pad_vjp(needs, g, ans, args, kw, b):
    xs = shape_of(args[0])
    pw = _pad_width(kw["pad_width"], len(xs))
    idx = (slice(None),) * b + tuple(slice(lo, lo + n) for (lo, _), n in zip(pw, xs))
    return (getitem(g, idx),)


pad = Primitive(
    "pad", _pad_impl, sym=None,
    jvp=lambda ts, ans, args, kw, b: pad(
        ts[0], pad_width=((0, 0),) * b + _pad_width(kw["pad_width"], len(shape_of(args[0])))),
    vjp=_pad_vjp, domain=(REAL,), linear=True, family="shape", nargs=1, params=("pad_width",))

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


getitem = Primitive(
    "getitem", _getitem_impl, sym=None,
    jvp=lambda ts, ans, args, kw, b: getitem(ts[0], args[1], nbatch=kw.get("nbatch", 0) + b),
    vjp=lambda needs, g, ans, args, kw, b: (
        index_add(g, args[1], shape=shape_of(args[0])[kw.get("nbatch", 0):],
                  nbatch=kw.get("nbatch", 0) + b), None),
    domain=(REAL, None), linear=True, family="indexing", nargs=2, params=("nbatch",))


def _index_add_impl(v: Any, idx: Any, shape: tuple, nbatch: int = 0) -> Any:
    vs = np.shape(v)
    dtype = object if is_symbolic(v) else np.result_type(np.asarray(v).dtype, float)
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
    "index_add", _index_add_impl, sym=None,
    jvp=lambda ts, ans, args, kw, b: index_add(ts[0], args[1], shape=kw["shape"],
                                               nbatch=kw.get("nbatch", 0) + b),
    vjp=lambda needs, g, ans, args, kw, b: (
        getitem(g, args[1], nbatch=kw.get("nbatch", 0) + b), None),
    domain=(REAL, None), linear=True, family="indexing", nargs=2, params=("shape", "nbatch"))

# ============================== stable log-sum-exp family ==============================


def _lse_np(x: Any, axis: Any, keepdims: bool) -> Any:
    x = np.asarray(x)
    m = np.max(x.real, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    s = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return s if keepdims else np.squeeze(s, axis=axis)


def _logsumexp_impl(x: Any, axis: Any = -1, keepdims: bool = False) -> Any:
    if is_symbolic(x):
        sp = _sympy()
        e = _apply_sym(lambda sp, v: sp.exp(v), np.asarray(x, dtype=object))
        return _apply_sym(lambda sp, v: sp.log(v), np.sum(e, axis=axis, keepdims=keepdims)) \
            if np.ndim(x) else sp.log(sp.exp(x))
    return _lse_np(x, axis, keepdims)


def _lse_weights(x, ans, kw):
    xs = shape_of(x)
    axes = norm_axes(kw.get("axis", -1), len(xs))
    keep = kw.get("keepdims", False)
    return exp(x - _expand(ans, xs, axes, keep, 0)), axes, keep


def _logsumexp_jvp(ts, ans, args, kw, b):
    w, axes, keep = _lse_weights(args[0], ans, kw)
    return sum(ts[0] * w, axis=_shift(axes, b), keepdims=keep)


def _logsumexp_vjp(needs, g, ans, args, kw, b):
    w, axes, keep = _lse_weights(args[0], ans, kw)
    return (_expand(g, shape_of(args[0]), axes, keep, b) * w,)


logsumexp = Primitive("logsumexp", _logsumexp_impl, sym=None, jvp=_logsumexp_jvp,
                      vjp=_logsumexp_vjp, domain=(REAL,), family="softmax", nargs=1,
                      params=("axis", "keepdims"))


def _softmax_impl(x: Any, axis: Any = -1) -> Any:
    if is_symbolic(x):
        e = _apply_sym(lambda sp, v: sp.exp(v), np.asarray(x, dtype=object))
        return e / np.sum(e, axis=axis, keepdims=True)
    x = np.asarray(x)
    e = np.exp(x - np.max(x.real, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_axes(args, kw, b):
    return _shift(norm_axes(kw.get("axis", -1), len(shape_of(args[0]))), b)


softmax = Primitive(
    "softmax", _softmax_impl, sym=None,
    # J = diag(y) - y y^T along the axis: J t = y * (t - <y, t>)
    jvp=lambda ts, ans, args, kw, b: ans * (
        ts[0] - sum(ans * ts[0], axis=_softmax_axes(args, kw, b), keepdims=True)),
    vjp=lambda needs, g, ans, args, kw, b: (ans * (
        g - sum(g * ans, axis=_softmax_axes(args, kw, b), keepdims=True)),),
    domain=(REAL,), family="softmax", nargs=1, params=("axis",))


def _log_softmax_impl(x: Any, axis: Any = -1) -> Any:
    if is_symbolic(x):
        return _apply_sym(lambda sp, v: sp.log(v), _softmax_impl(x, axis))
    return np.asarray(x) - _lse_np(x, axis, True)


log_softmax = Primitive(
    "log_softmax", _log_softmax_impl, sym=None,
    jvp=lambda ts, ans, args, kw, b: ts[0] - sum(
        exp(ans) * ts[0], axis=_softmax_axes(args, kw, b), keepdims=True),
    vjp=lambda needs, g, ans, args, kw, b: (g - exp(ans) * sum(
        g, axis=_softmax_axes(args, kw, b), keepdims=True),),
    domain=(REAL,), family="softmax", nargs=1, params=("axis",))

STRUCTURAL = (
    sum, prod, max, min, einsum, matmul, transpose, reshape, broadcast_to, concatenate, pad,
    getitem, index_add, logsumexp, softmax, log_softmax,
)


__all__ = [p.name for p in STRUCTURAL] + ["norm_axes", "parse_einsum", "matmul_subscripts"]
