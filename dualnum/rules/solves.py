"""The rule table, part 6: inverses, linear solves and determinants (inv, solve, det,
slogdet, pinv).

Each row runs numpy's LAPACK routine for its value and writes its JVP and VJP with the
toolkit's own ops (``matmul``, ``inv``, ``solve`` ...), so they differentiate again. All take
stacks of matrices (leading batch axes); a tangent's or adjoint's extra ``lead`` axis rides in
front. The derivatives, for ``X = A⁻¹``, ``x = A⁻¹ b``:

=============  ==================================  =========================================
row            JVP                                 VJP
=============  ==================================  =========================================
``inv``        ``dX = −X dA X``                    ``Ā = −Xᵀ Ḡ Xᵀ``
``solve``      ``dx = A⁻¹ (db − dA x)``            ``b̄ = A⁻ᵀ ḡ``, ``Ā = −b̄ xᵀ``
``det``        ``d det = det · tr(A⁻¹ dA)``        ``Ā = ḡ · det · A⁻ᵀ``
``slogdet``    ``d log|det| = tr(A⁻¹ dA)``         ``Ā = ḡ · A⁻ᵀ`` (sign: derivative 0)
``pinv``       Golub-Pereyra (constant rank)       its transpose
=============  ==================================  =========================================

``inv``, ``solve`` and ``det`` are holomorphic (complex matrices work, complex step applies);
``slogdet`` returns ``[sign, log|det|]`` packed along a new last axis (the sign is piecewise
constant for a real A; log|det| is real-valued, so not analytic); ``pinv`` is for real
matrices. A singular matrix raises numpy's ``LinAlgError``, naming the operation, both
for the value (``inv``, ``solve``) and for a derivative that needs ``A⁻¹`` (``slogdet``).
``det``'s derivative at a singular matrix is its adjugate, computed there by
:mod:`dualnum.rules.adjugate`.

>>> import numpy as np
>>> inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
array([[0.5 , 0.  ],
       [0.  , 0.25]])
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.linalg import LinAlgError

from dualnum.primitive import SAVED, Box, Primitive, is_complex, shape_of, unbox_all
from dualnum.rules._declare import REAL, _sympy
from dualnum.rules._lu import inverse_from, slogdet_saving
from dualnum.rules._pinv_cut import truncation as _truncation
from dualnum.rules.adjugate import adjugate
from dualnum.rules._matrix import (
    WELL_CONDITIONED, SEPARATED_SINGULAR, as_matrix, col, eye, from_triangle, from_triangle_T,
    mT, numpy_call, real_only, sym_map, symbolic, uncol,
)
from dualnum.rules.complex import imag, real
from dualnum.rules.linalg import matmul
from dualnum.rules.reduce import sum
from dualnum.rules.shape import concatenate, getitem, lead_axes, reshape

__all__ = ["inv", "solve", "det", "slogdet", "pinv", "SOLVES"]


def _inverse_for(name: str, A: Any) -> Any:
    """``inv(A)`` inside a derivative rule, a singular ``A`` named by the rule's operation."""
    try:
        return inv(A)
    except LinAlgError:
        raise LinAlgError(f"{name}: the derivative needs A⁻¹, and A (shape {shape_of(A)}) is "
                          "singular") from None


# ============================== inv ==============================

def _sym_inv(M: Any) -> Any:
    # the adjugate over the (division-free) Berkowitz determinant: sympy's own inv() tests
    # pivots for zero by simplifying, ~100x slower on a Cholesky factor's square roots
    d = M.det(method="berkowitz")
    if d == 0:
        raise LinAlgError(f"inv: Singular matrix (a symbolic {M.shape[0]}×{M.shape[1]} matrix "
                          "whose determinant is 0)")
    return M.adjugate(method="berkowitz") / d


def _inv_impl(a: Any) -> Any:
    if symbolic(a):
        return sym_map(a, _sym_inv)
    return numpy_call("inv", np.linalg.inv, as_matrix("inv", a))


inv = Primitive(
    "inv", _inv_impl, sym=None,
    jvp=lambda ts, ans, args, kw, lead: -matmul(matmul(ans, ts[0]), ans),
    vjp=lambda needs, g, ans, args, kw, lead: (-matmul(matmul(mT(ans), g), mT(ans)),),
    domain=(WELL_CONDITIONED,), family="linalg", nargs=1, reads="ans")


# ============================== solve ==============================

def _is_vector(b: Any) -> bool:
    # numpy 2's rule: b is a vector (M,) exactly when it is 1-D, else a stack of (M, K)
    return len(shape_of(b)) == 1


def _sym_solve(a: Any, b: Any) -> np.ndarray:
    """solve on sympy values, matrix by matrix (batch axes broadcast, numpy 2's vector rule):
    by substitution for a triangular matrix (a Cholesky factor: ~30x cheaper to differentiate
    than through an inverse), else through the inverse."""
    sp = _sympy()
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    vec = b.ndim == 1
    bm = b[:, None] if vec else b
    batch = np.broadcast_shapes(a.shape[:-2], bm.shape[:-2])
    A = np.broadcast_to(a, batch + a.shape[-2:])
    B = np.broadcast_to(bm, batch + bm.shape[-2:])
    out = np.empty(batch + B.shape[-2:], dtype=object)
    for idx in np.ndindex(*batch):
        M, R = sp.Matrix(A[idx]), sp.Matrix(B[idx])
        if M.det(method="berkowitz") == 0:
            raise LinAlgError(f"solve: Singular matrix (a symbolic {M.shape[0]}×{M.shape[1]} "
                              "matrix whose determinant is 0)")
        X = (M.lower_triangular_solve(R) if M.is_lower else
             M.upper_triangular_solve(R) if M.is_upper else _sym_inv(M) * R)
        out[idx] = np.array(X.tolist(), dtype=object)
    return out[..., 0] if vec else out


def _solve_impl(a: Any, b: Any) -> Any:
    if type(a) is np.ndarray and type(b) is np.ndarray and a.dtype.char == "d" and \
            b.dtype.char == "d" and b.ndim == 1 and a.shape == (b.shape[0], b.shape[0]):
        # one real system with a vector right-hand side, the common case: numpy directly
        # (the checks below would all pass)
        return numpy_call("solve", np.linalg.solve, a, b)
    if symbolic(a) or symbolic(b):
        return _sym_solve(a, b)
    a = as_matrix("solve", a)
    b = np.asarray(b)
    if b.dtype.kind in "iub":
        b = b.astype(float)
    if b.ndim == 0:
        raise LinAlgError("solve: b is 0-dimensional; it must be a vector (M,) or a stack "
                          f"of matrices (..., M, K) for a of shape {a.shape}")
    try:
        return numpy_call("solve", np.linalg.solve, a, b)
    except ValueError as e:
        if isinstance(e, LinAlgError):
            raise
        raise ValueError(f"solve: a of shape {a.shape} and b of shape {b.shape} do not fit: b "
                         "is a vector (M,) when 1-D, else a stack of matrices (..., M, K) "
                         "(numpy 2's rule; write b[..., None] for a stack of vectors)") from None


def _row(x: Any) -> Any:
    s = shape_of(x)
    return reshape(x, s[:-1] + (1, s[-1]))


def _solve_jvp(ts, ans, args, kw, lead):
    A, b = args
    tA, tb = ts
    vec = _is_vector(b)
    x = col(ans) if vec else ans                    # (..., M, K) either way
    nd = len(shape_of(x))
    rhs = None
    if tb is not None:
        if vec:
            tb = reshape(tb, shape_of(tb)[:lead] + (1,) * (nd - 2) + shape_of(b) + (1,))
        elif lead:
            tb = lead_axes(tb, shape_of(b), nd)
        rhs = tb
    if tA is not None:
        if lead:
            tA = lead_axes(tA, shape_of(A), nd)
        t = matmul(tA, x)
        rhs = -t if rhs is None else rhs - t
    dx = solve(A, rhs)
    return uncol(dx) if vec else dx


def _solve_vjp(needs, g, ans, args, kw, lead):
    A, b = args
    vec = _is_vector(b)
    if type(A) is np.ndarray and type(g) is np.ndarray and type(ans) is np.ndarray:
        # plain arrays (a first-order sweep, the common case): the same steps in numpy, without
        # the primitives' dispatch (A solved in the forward pass: not singular)
        gb = np.linalg.solve(A.swapaxes(-1, -2), g[..., None] if vec else g)
        gA = None
        if needs[0]:            # one pass over the matrix: the sign goes on the vector
            gA = gb * -ans[..., None, :] if vec else gb @ -ans.swapaxes(-1, -2)
        return gA, ((gb[..., 0] if vec else gb) if needs[1] else None)
    gb = solve(mT(A), col(g) if vec else g)         # A⁻ᵀ ḡ, matrix form
    gA = None
    if needs[0]:                                    # −b̄ xᵀ; for a vector x an outer product
        gA = -(gb * _row(ans)) if vec else -matmul(gb, mT(ans))
    # a batched A with a vector b: b̄ has A's batch axes, which the tape sums away
    return gA, ((uncol(gb) if vec else gb) if needs[1] else None)


solve = Primitive("solve", _solve_impl, sym=None, jvp=_solve_jvp, vjp=_solve_vjp,
                  domain=(WELL_CONDITIONED, REAL), family="linalg", nargs=2, reads="args ans")


# ============================== det and log|det| ==============================

def _det_impl(a: Any) -> Any:
    if symbolic(a):
        return sym_map(a, lambda M: M.det(method="berkowitz"), out="scalar")
    return numpy_call("det", np.linalg.det, as_matrix("det", a))


def _trace_of_product(Ainv: Any, t: Any) -> Any:
    """``tr(A⁻¹ t)`` per matrix: ``Σᵢⱼ (A⁻¹)ⱼᵢ tᵢⱼ`` (``t`` may carry ``lead`` axes)."""
    return sum(mT(Ainv) * t, axis=(-2, -1))


def _scalar_col(g: Any) -> Any:
    """A stack of scalars ``(...)`` as ``(..., 1, 1)``, to scale a stack of matrices."""
    return reshape(g, shape_of(g) + (1, 1))


def _det_saves(a: np.ndarray) -> tuple[Any, Any]:
    # numpy's det is sign · exp(log|det|) from its LU; the same from the LU kept for the VJP
    kept = slogdet_saving(a)
    if kept is None:
        return _det_impl(a), None
    p, saved = kept
    return p[0] * np.exp(p[1]), saved


def cofactors(A: Any, d: Any) -> Any:
    """``d·A⁻¹`` per matrix (``d = det A``): the adjugate, ``det``'s derivative as
    ``tr(adj(A) dA)``, which exists at a singular matrix too. From ``A⁻¹`` where that is
    accurate; from the :mod:`~dualnum.rules.adjugate` row (its SVD, no division) where numpy
    finds ``A`` singular, and, for a box (a second derivative), where ``cond(A) > 1e4``: the
    derivative of ``d·A⁻¹`` cancels huge terms there and keeps only ``ε²·cond²`` of its scale.

    >>> cofactors(np.array([[1.0, 2.0], [2.0, 4.0]]), 0.0)
    array([[ 4., -2.],
           [-2.,  1.]])
    """
    if isinstance(A, Box) and not symbolic(unbox_all(A)):
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.linalg.cond(unbox_all(A))
        if not np.all(c <= 1e4):
            return adjugate(A)
    try:
        return _scalar_col(d) * inv(A)
    except LinAlgError:
        if isinstance(A, Box):
            raise
    return adjugate(A)


def _det_vjp(needs, g, ans, args, kw, lead):
    saved = kw.get(SAVED)
    if saved is not None and (type(g) in (float, np.float64) or (
            type(g) is np.ndarray and g.shape == () and g.dtype.char == "d")):
        # a first-order sweep over the kept LU (_lu): ḡ · det · A⁻ᵀ without a second LU
        Ainv = inverse_from(saved)
        Ainv *= g * ans
        return (Ainv.swapaxes(-1, -2),)
    return (_scalar_col(g) * mT(cofactors(args[0], ans)),)


det = Primitive(
    "det", _det_impl, sym=None,
    jvp=lambda ts, ans, args, kw, lead: _trace_of_product(cofactors(args[0], ans), ts[0]),
    vjp=_det_vjp, saves=_det_saves,
    domain=(WELL_CONDITIONED,), family="linalg", nargs=1, reads="args ans")


def _slogdet_impl(a: Any) -> Any:
    if symbolic(a):
        sp = _sympy()
        dets = (lambda M: M.det(method="berkowitz"))
        return sym_map(a, lambda M: (sp.sign(dets(M)), sp.log(sp.Abs(dets(M)))), out="vector")
    sign, logabs = numpy_call("slogdet", np.linalg.slogdet, as_matrix("slogdet", a))
    if type(sign) is not np.ndarray:            # one matrix: two numpy scalars
        return np.array((sign, logabs), dtype=np.result_type(sign))
    out = np.empty(np.shape(sign) + (2,), dtype=np.result_type(sign))
    out[..., 0] = sign
    out[..., 1] = logabs
    return out


def _slogdet_jvp(ts, ans, args, kw, lead):
    # d log|det A| = Re tr(A⁻¹ dA); d sign = sign · i Im tr(A⁻¹ dA), zero for a real A
    t = _trace_of_product(_inverse_for("slogdet", args[0]), ts[0])
    if not is_complex(ans) and not is_complex(t):
        return stack_last(np.zeros(shape_of(t)), t)
    rt = real(t)
    return stack_last(getitem(ans, (Ellipsis, 0)) * (t - rt), rt)


def _slogdet_vjp(needs, g, ans, args, kw, lead):
    # the transpose under Re(u·v): the adjoint of t = tr(A⁻¹ dA) is Re ḡ_log (+ i Im(ḡ_sign
    # · sign) for a complex A), and Ā = t̄ · A⁻ᵀ
    A = args[0]
    if type(A) is np.ndarray and type(g) is np.ndarray and A.dtype.char == "d" and \
            g.dtype.char == "d":
        # plain real arrays (a first-order sweep): the same formula in numpy, no dispatch.
        # A⁻¹ is our own fresh array: scaled in place (not at all by a cotangent of exactly
        # 1, grad's) and handed out transposed, a view. From the LU the forward kept (_lu),
        # where it did
        saved = kw.get(SAVED)
        try:
            Ainv = np.linalg.inv(A) if saved is None else inverse_from(saved)
        except LinAlgError:
            raise LinAlgError(f"slogdet: the derivative needs A⁻¹, and A (shape {A.shape}) "
                              "is singular") from None
        if g.ndim == 1:
            if g[1] != 1.0:
                Ainv *= g[1]
        elif g.shape[:-1] == A.shape[:-2]:
            Ainv *= g[..., 1, None, None]
        else:                   # g with lead (batch) axes in front: a bigger result
            return (g[..., 1, None, None] * Ainv.swapaxes(-1, -2),)
        return (Ainv.swapaxes(-1, -2),)
    gt = getitem(g, (Ellipsis, 1))
    if is_complex(ans) or is_complex(g):
        gt = real(gt)
        if is_complex(ans):
            gs = getitem(g, (Ellipsis, 0)) * getitem(ans, (Ellipsis, 0))
            gt = gt + 1j * imag(gs)
    return (_scalar_col(gt) * mT(_inverse_for("slogdet", args[0])),)


slogdet = Primitive(
    "slogdet", _slogdet_impl, sym=None, jvp=_slogdet_jvp, vjp=_slogdet_vjp,
    saves=lambda a: slogdet_saving(a) or (_slogdet_impl(a), None),
    domain=(WELL_CONDITIONED,), family="linalg", nargs=1, reads="args ans", analytic=False)


def stack_last(a: Any, b: Any) -> Any:
    """``[a, b]`` along a new last axis (slogdet's packed sign and log|det|)."""
    return concatenate(reshape(a, shape_of(a) + (1,)), reshape(b, shape_of(b) + (1,)), axis=-1)


# ============================== pinv ==============================

def _pinv_impl(a: Any, rcond: Any = None, hermitian: bool = False, rtol: Any = None) -> Any:
    a = as_matrix("pinv", a, square=False)
    kwargs: dict = {"hermitian": hermitian}
    if rtol is not None:
        kwargs["rtol"] = rtol
    if rcond is not None:
        kwargs["rcond"] = rcond
    return numpy_call("pinv", np.linalg.pinv, a, **kwargs)


def _cut(A: Any, kw: dict, X: Any) -> Any:
    """The truncation a cutoff makes of ``A`` (symmetrized already for hermitian=True), or
    None where it drops no nonzero singular value (see :mod:`dualnum.rules._pinv_cut`)."""
    if isinstance(A, Box):
        try:
            a, x = (np.asarray(unbox_all(v), dtype=float) for v in (A, X))
        except (TypeError, ValueError):
            return None
        if _truncation(a, kw, x) is not None:
            raise NotImplementedError(
                "pinv: the cutoff (rcond/rtol) drops a nonzero singular value, and the "
                "second derivative of that truncation is not implemented (the first is); "
                "differentiate pinv of the truncated matrix, or use a smaller cutoff")
        return None
    if type(A) is not np.ndarray or A.dtype.kind != "f":
        return None
    return _truncation(A, kw, X if type(X) is np.ndarray else None)


def _pinv_jvp(ts, ans, args, kw, lead):
    # dX = −X dA X + X Xᵀ dAᵀ (I − A X) + (I − X A) dAᵀ Xᵀ X   (Golub & Pereyra 1973), exact
    # where the rank is locally constant (no singular value crosses the cutoff); a cutoff that
    # drops nonzero singular values makes it the derivative of the truncation A_k along its
    # tangent L(dA) (_pinv_cut)
    A, X, t = args[0], ans, ts[0]
    real_only("pinv", A, t)
    if kw.get("hermitian"):
        A, t = from_triangle(A, "L"), from_triangle(t, "L")
    cut = _cut(A, kw, X)
    if cut is not None:
        A, t = cut.A_k, cut.tangent(t)
    m, n = shape_of(A)[-2:]
    tT = mT(t)
    out = -matmul(matmul(X, t), X)
    out = out + matmul(matmul(X, mT(X)), matmul(tT, eye(m) - matmul(A, X)))
    return out + matmul(eye(n) - matmul(X, A), matmul(tT, matmul(mT(X), X)))


def _pinv_vjp(needs, g, ans, args, kw, lead):
    # Ā = −Xᵀ Ḡ Xᵀ + (I − A X) Ḡᵀ X Xᵀ + Xᵀ X Ḡᵀ (I − X A)
    A, X = args[0], ans
    real_only("pinv", A)
    if kw.get("hermitian"):
        A = from_triangle(A, "L")
    cut = _cut(A, kw, X)
    if cut is not None:
        A = cut.A_k
    m, n = shape_of(A)[-2:]
    XT, gT = mT(X), mT(g)
    out = -matmul(matmul(XT, g), XT)
    out = out + matmul(eye(m) - matmul(A, X), matmul(gT, matmul(X, XT)))
    out = out + matmul(matmul(XT, X), matmul(gT, eye(n) - matmul(X, A)))
    if cut is not None:         # L is self-adjoint: the same map takes Ā_k back to Ā
        out = cut.tangent(out)
    return (from_triangle_T(out, "L") if kw.get("hermitian") else out,)


pinv = Primitive("pinv", _pinv_impl, sym=None, jvp=_pinv_jvp, vjp=_pinv_vjp,
                 domain=(SEPARATED_SINGULAR,), family="linalg", nargs=1,
                 params=("rcond", "hermitian"), reads="args ans", analytic=False)

SOLVES = (inv, solve, det, slogdet, pinv)
