"""Second-order forward tangents kept as sums of outer products, contracted where they meet a
reduction: what makes ``hessian(mode="forward")`` (nested batched duals) cheap.

In ``jacfwd(jacfwd(f))`` the outer level carries k₁ directions and its values are the inner
level's tangents, which carry k₂ directions of their own. Where an inner tangent ``P`` (shape
``(k₂, m)``) is multiplied by a partial that depends on the outer directions (an outer dual
with tangent ``Q``, shape ``(k₁, m)``), the outer tangent of the product is the outer product
``Q[:, None] * P[None]``: k₁·k₂·m numbers, all of them products of k₁·m and k₂·m numbers
already there. Materialized, every later elementwise step walks k₁·k₂·m entries (for the
logistic energy at n = 100, m = 200: 2 million per step, ~1 ms each), and the sum at the end
reduces them to k₁·k₂.

An :class:`Outer` keeps such a tangent as ``Σ_terms Π_factors`` of arrays that broadcast to
its shape. Multiplying by a partial scales one factor of each term; adding appends terms; a
``sum`` over axes contracts each term pairwise with one matrix product (the ``m`` axis becomes
the inner dimension of a BLAS product: ``Σ_i Q[a, i] P[b, i] = (Q @ Pᵀ)[a, b]``). Anything
else sees the dense array it stands for (``__array__``, and every other ufunc materializes):
an :class:`Outer` is an exact representation, never an approximation.

Only :class:`OuterLevel` (the outer level of ``hessian(mode="forward")``) makes them, and it
keeps them inside: a structural rule other than ``sum`` gets dense tangents, and so does the
caller (:func:`dense`).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> Q, P = rng.normal(size=(30, 1, 200)), rng.normal(size=(1, 20, 200))
>>> t = outer_times(Q, P)                   # (30, 20, 200): kept as the two factors
>>> type(t).__name__, t.shape
('Outer', (30, 20, 200))
>>> np.allclose(t.sum((2,), False), Q[:, 0] @ P[0].T)   # one matrix product
True
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from dualnum.dual import ForwardLevel, _fit, make_dual
from dualnum.primitive import ONE, Box, Primitive, partial_at, shape_of, unbox_and_run
from dualnum.rules.linalg import _is_identity_seed, matmul
from dualnum.rules.reduce import sum as sum_
from dualnum.rules.shape import _shift, lead_axes, norm_axes

__all__ = ["Outer", "OuterLevel", "outer_times", "dense"]

# below this many entries a product is cheap to compute: not kept factored (tests set 0)
MIN_SIZE = 4096
# a partial is folded into a factor at most this many times its size (else carried apart)
FOLD_RATIO = 4
# past this many terms an Outer folds into one dense term (each term costs a product per op)
MAX_TERMS = 8


class Outer:
    """A batched tangent ``Σ_terms Π_factors`` (every factor an ndarray with this tangent's
    number of axes, broadcasting to :attr:`shape`), standing for the dense array it equals.

    >>> import numpy as np
    >>> t = Outer((2, 3), [(np.ones((2, 1)), np.arange(3.0)[None])])
    >>> (t * 2.0 + 1.0).dense()
    array([[1., 3., 5.],
           [1., 3., 5.]])
    """

    __slots__ = ("shape", "terms")

    def __init__(self, shape: tuple, terms: list) -> None:
        self.shape = shape
        self.terms = terms

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def dtype(self) -> np.dtype:
        return np.result_type(*[f for term in self.terms for f in term])

    def __repr__(self) -> str:
        return f"Outer(shape={self.shape}, {len(self.terms)} term(s))"

    def dense(self) -> np.ndarray:
        """The array this stands for (fresh and writable)."""
        out = None
        for term in self.terms:
            p = term[0]
            for f in term[1:]:
                p = p * f
            out = p if out is None else out + p
        if len(self.terms) == 1 and len(self.terms[0]) == 1 or out.shape != self.shape:
            out = np.array(np.broadcast_to(out, self.shape))   # never a factor itself
        return out

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        d = self.dense()
        return d if dtype is None else d.astype(dtype, copy=False)

    # ---------------------------------------------------------------- arithmetic

    def _pad(self, d: Any) -> np.ndarray | None:
        """``d`` as a factor (this many axes), or None when it is not plain numeric data
        broadcasting into this shape without new axes."""
        if type(d) is not np.ndarray:
            if type(d) in (float, complex, int) or isinstance(d, np.number):
                return np.asarray(d).reshape((1,) * self.ndim)
            return None
        if d.ndim > self.ndim or d.dtype.kind not in "fciu":
            return None
        return d.reshape((1,) * (self.ndim - d.ndim) + d.shape) if d.ndim < self.ndim else d

    def __mul__(self, d: Any) -> Any:
        if type(d) is Outer:
            return self.dense() * d.dense()
        f = self._pad(d)
        if f is None:
            return self.dense() * d          # a box of a lower level, an odd type: dense
        try:
            shape = np.broadcast_shapes(self.shape, f.shape)
        except ValueError:
            return self.dense() * d          # numpy's own error, from the dense operands
        return Outer(shape, [_scaled(term, f) for term in self.terms])

    __rmul__ = __mul__

    def __neg__(self) -> "Outer":
        return self * -1.0

    def __add__(self, o: Any) -> Any:
        if type(o) is Outer:
            terms = o.terms
            other = o.shape
        else:
            f = self._pad(o)
            if f is None:
                return self.dense() + o
            terms, other = [(f,)], f.shape
        try:
            shape = np.broadcast_shapes(self.shape, other)
        except ValueError:
            return self.dense() + (o.dense() if type(o) is Outer else o)
        out = Outer(shape, self.terms + terms)
        if len(out.terms) > MAX_TERMS:
            return Outer(shape, [(out.dense(),)])
        return out

    __radd__ = __add__

    def __sub__(self, o: Any) -> Any:
        return self + (-o)

    def __truediv__(self, o: Any) -> Any:
        return self.dense() / (o.dense() if type(o) is Outer else o)

    def __rsub__(self, o: Any) -> Any:
        return (-self) + o

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        # ``ndarray * Outer`` and friends come here: kept factored where that is exact,
        # every other ufunc computes on the dense array
        if method == "__call__" and not kwargs and len(inputs) == 2:
            a, b = inputs
            if ufunc is np.multiply:
                return (a if type(a) is Outer else b) * (b if type(a) is Outer else a)
            if ufunc is np.add:
                return (a if type(a) is Outer else b) + (b if type(a) is Outer else a)
            if ufunc is np.subtract:
                return a - b if type(a) is Outer else (-b) + a
        if method == "__call__" and not kwargs and ufunc is np.negative:
            return -inputs[0]
        inputs = tuple(x.dense() if type(x) is Outer else x for x in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)

    # ---------------------------------------------------------------- structure

    def lead(self, nd: int) -> "Outer":
        """Unit axes after the batch axis until there are ``nd`` after it (a level's
        ``lead_axes`` for broadcasting against an ``nd``-dimensional result)."""
        pad = nd + 1 - self.ndim
        if pad <= 0:
            return self
        ins = lambda s: s[:1] + (1,) * pad + s[1:]
        return Outer(ins(self.shape), [tuple(f.reshape(ins(f.shape)) for f in term)
                                       for term in self.terms])

    def sum(self, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
        """The dense sum over ``axes`` (of the full shape, batch axis included): each term
        contracted by matrix products, never materialized."""
        kept = tuple(1 if a in axes else n for a, n in enumerate(self.shape))
        out = None
        for term, count in _repeats(self.terms):
            c = _contract(list(term), self.shape, axes)
            c = c if count == 1 else c * count
            out = c if out is None else out + c
        if out.shape != kept:
            out = np.array(np.broadcast_to(out, kept))
        if not keepdims:
            out = out.reshape(tuple(n for a, n in enumerate(self.shape) if a not in axes))
        return out


def _repeats(terms: list) -> list:
    """The terms with repeats counted: ``x * x`` gives the same outer product twice (the
    same factor views of the same seeds), contracted once."""
    if len(terms) == 1:
        return [(terms[0], 1)]
    seen: dict = {}
    for term in terms:
        key = tuple((f.__array_interface__["data"][0], f.shape, f.strides, f.dtype.str)
                    for f in term)
        if key in seen:
            seen[key][1] += 1
        else:
            seen[key] = [term, 1]
    return list(seen.values())


def _covers(f: np.ndarray, g: np.ndarray) -> bool:
    """Whether ``f * g`` has ``f``'s shape (``g`` is 1 wherever it differs)."""
    return all(b == 1 or a == b for a, b in zip(f.shape, g.shape))


def _scaled(term: tuple, f: np.ndarray) -> tuple:
    """One term times the factor ``f``: folded into a factor that covers it and is no more
    than a few times its size, else carried as one more factor until the contraction folds
    it in. (Folding an ``(m,)`` partial into a ``(k, m)`` factor would allocate a ``(k, m)``
    array that stays alive with the term; at n = 100 each costs ~40 fresh pages.)"""
    best = -1
    for i, g in enumerate(term):
        if g.size <= FOLD_RATIO * f.size and _covers(g, f) and (
                best < 0 or g.size < term[best].size):
            best = i
    if best < 0:
        return term + (f,)
    return term[:best] + (term[best] * f,) + term[best + 1:]


def _merge(fs: list) -> list:
    """Fold every factor covered by another into it; then, while more than two remain,
    multiply the pair with the smallest product (a correct order for any factors)."""
    fs = sorted(fs, key=lambda f: f.size)
    i = 0
    while i < len(fs):
        for j in range(len(fs)):       # the smallest factor that covers it (sorted by size)
            if j != i and _covers(fs[j], fs[i]):
                fs[j] = fs[j] * fs[i]
                del fs[i]
                break
        else:
            i += 1
    while len(fs) > 2:
        pairs = [(math.prod(np.broadcast_shapes(fs[i].shape, fs[j].shape)), i, j)
                 for i in range(len(fs)) for j in range(i + 1, len(fs))]
        _, i, j = min(pairs)
        prod = fs[i] * fs[j]
        fs = [f for k, f in enumerate(fs) if k not in (i, j)] + [prod]
    return fs


def _contract(fs: list, shape: tuple, axes: tuple) -> np.ndarray:
    """``Σ_axes Π fs`` with the summed axes kept as unit axes (the kept axes as long as the
    factors make them; the caller broadcasts). Two factors meet in one matrix product: the
    axes summed in both are its inner dimension, those kept in both its batch."""
    fs = _merge(fs)
    scale = 1
    for a in axes:           # an axis no factor spans: the sum of equal copies
        if all(f.shape[a] == 1 for f in fs):
            scale *= shape[a]
    out = []
    for k, f in enumerate(fs):   # an axis summed that only this factor spans: summed first
        alone = tuple(a for a in axes if f.shape[a] != 1
                      and all(g.shape[a] == 1 for i, g in enumerate(fs) if i != k))
        out.append(f.sum(axis=alone, keepdims=True) if alone else f)
    fs = out
    if len(fs) == 1:
        r = fs[0]
    else:
        P, Q = fs
        nd = len(shape)
        both = [a for a in range(nd) if P.shape[a] != 1 and Q.shape[a] != 1]
        inner = [a for a in both if a in axes]
        batch = [a for a in both if a not in axes]
        fp = [a for a in range(nd) if P.shape[a] != 1 and Q.shape[a] == 1]
        fq = [a for a in range(nd) if Q.shape[a] != 1 and P.shape[a] == 1]
        rest_p = [a for a in range(nd) if a not in batch + fp + inner]
        rest_q = [a for a in range(nd) if a not in batch + inner + fq]
        size = lambda f, ax: math.prod(f.shape[a] for a in ax)
        P2 = P.transpose(batch + fp + inner + rest_p).reshape(
            size(P, batch), size(P, fp), size(P, inner))
        Q2 = Q.transpose(batch + inner + fq + rest_q).reshape(
            size(Q, batch), size(Q, inner), size(Q, fq))
        r = np.matmul(P2, Q2)
        order = batch + fp + fq
        r = r.reshape([P.shape[a] if a in batch + fp else Q.shape[a] for a in order])
        r = r.transpose(np.argsort(order)) if order != sorted(order) else r
        r = r.reshape([shape[a] if a in order else 1 for a in range(nd)])
    return r * scale if scale != 1 else r


def outer_times(t: Any, d: Any) -> Any:
    """``t * d`` for a batched tangent ``t`` and a partial ``d``: kept as an :class:`Outer`
    (no product computed) when ``t`` is plain numeric data or an :class:`Outer` and the
    product has at least ``MIN_SIZE`` entries; otherwise the product itself."""
    if type(t) is Outer:
        return t * d
    if type(t) is not np.ndarray or t.dtype.kind not in "fc":
        return t * d
    if type(d) is np.ndarray:
        if d.ndim > t.ndim or d.dtype.kind not in "fc":
            return t * d
        f = d.reshape((1,) * (t.ndim - d.ndim) + d.shape) if d.ndim < t.ndim else d
    elif type(d) is float or type(d) is complex:
        f = np.asarray(d).reshape((1,) * t.ndim)
    else:                                       # a box of a lower level, a numpy scalar ...
        return t * d
    try:
        shape = np.broadcast_shapes(t.shape, f.shape)
    except ValueError:
        return t * d                            # numpy's own error
    if math.prod(shape) < MIN_SIZE:
        return t * d
    return Outer(shape, [(t, f)])


def dense(t: Any) -> Any:
    """A tangent as the caller may see it: an :class:`Outer` materialized, anything else as
    it is."""
    return t.dense() if type(t) is Outer else t


def _fit_outer(t: Any, ans: Any, batch: int) -> Any:
    """:func:`dualnum.dual._fit` (a tangent broadcast to the result's shape), keeping an
    :class:`Outer` factored where it only gains broadcast axes."""
    if type(t) is Outer:
        want = (batch,) + shape_of(ans)
        if t.shape == want:
            return t
        if len(want) == t.ndim and np.broadcast_shapes(t.shape, want) == want:
            return Outer(want, t.terms)
        t = t.dense()
    return _fit(t, ans, batch)


class OuterLevel(ForwardLevel):
    """The forward level of the outer ``jacfwd`` in ``hessian(mode="forward")``. Its
    elementwise steps keep tangents as factors (:func:`outer_times`: ``t * d`` is not
    computed, an outer product is not materialized), ``sum`` contracts them, every other
    structural rule gets them dense, and so does the caller of ``jacfwd``. Unary and binary
    steps on large operands take the generic path, where the products are made; small ones
    (below ``MIN_SIZE``) ForwardLevel's fast paths."""

    __slots__ = ()

    def process1(self, prim: Primitive, x: Any) -> Any:
        if _small(x, self):               # nothing worth keeping apart: the usual fast path
            return ForwardLevel.process1(self, prim, x)
        return self.process(prim, (x,), {})

    def process2(self, prim: Primitive, x: Any, y: Any) -> Any:
        if _small(x, self) and _small(y, self):
            return ForwardLevel.process2(self, prim, x, y)
        return self.process(prim, (x, y), {})

    def process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        vals, tans, ans = unbox_and_run(self, prim, args, kwargs, "tangent")
        partials = prim.partials
        batch = self.batch
        if partials is None:                     # structural: sum contracts, others see dense
            if prim.jvp is None:
                if prim.nondiff:
                    return ans
                raise prim.no_rule()
            if prim is sum_ and type(tans[0]) is Outer:
                axes = norm_axes(kwargs.get("axis"), len(shape_of(vals[0])))
                t = tans[0].sum(_shift(axes, 1), kwargs.get("keepdims", False))
            elif prim is matmul and _seeded_product(vals, tans):
                # matmul's identity-seed skip (I @ Aᵀ is Aᵀ) without its copy: the view is a
                # factor, and an Outer hands out only fresh arrays
                A = vals[0]
                t = Outer((batch, A.shape[0]), [(A.T,)])
            else:
                t = prim.jvp(tuple(dense(ti) for ti in tans), ans, vals, kwargs, 1)
            return make_dual(ans, _fit_outer(t, ans, batch), self)
        nd = len(shape_of(ans))
        t = None
        for i, ti in enumerate(tans):
            if ti is None:
                continue
            d = partials[i]
            if d is None:
                raise prim.no_rule()
            if type(ti) is Outer:
                ti = ti.lead(nd)
            elif type(ti) is not float:
                ti = lead_axes(ti, shape_of(vals[i]), nd)
            if d is not ONE:
                ti = outer_times(ti, partial_at(d, vals, ans))
            t = ti if t is None else t + ti
        if type(ans) is not float or type(t) is not float:
            t = _fit_outer(t, ans, batch)
        return make_dual(ans, t, self)


def _small(v: Any, level: OuterLevel) -> bool:
    """Whether an operand of a unary or binary step keeps every product below ``MIN_SIZE``
    entries (scalar code, small arrays): such steps take ForwardLevel's fast paths."""
    if type(v) is float:
        return True
    if isinstance(v, Box):
        if v._level is not level:
            return False
        t = v.tangent
        return type(t) is float or type(t) is np.ndarray and t.size < MIN_SIZE
    return type(v) is np.ndarray and v.size * level.batch < MIN_SIZE


def _seeded_product(vals: tuple, tans: tuple) -> bool:
    """``A @ x`` for a constant matrix ``A`` and a vector ``x`` carrying jacfwd's identity
    seed (``dualnum.rules.linalg.identity_seeds``)."""
    A, x = vals
    return (tans[0] is None and type(A) is np.ndarray and A.ndim == 2 and A.dtype.kind in "fc"
            and type(x) is np.ndarray and x.ndim == 1 and _is_identity_seed(tans[1]))
