"""The rule table, part 7: matrix decompositions (cholesky, eigh, eigvalsh, svd, svdvals, qr).

Each row runs numpy's LAPACK routine for its value and writes its JVP and VJP with the
toolkit's own ops, so they differentiate again; stacks of matrices (leading batch axes) work
throughout. These rules are for **real** matrices (a complex box raises NotImplementedError).

A primitive has one result, so the decompositions with several factors return them *packed*
along the second-to-last axis, and ``dualnum.numpy.linalg`` unpacks them (``getitem``):

=============  ============================  ==========================================
row            result (A is m×n, k=min)      derivative (Murray; Giles; Townsend; Walter)
=============  ============================  ==========================================
``cholesky``   L (or Lᵀ with ``upper``)      ``dL = L Φ(L⁻¹ dA L⁻ᵀ)``, Φ: lower, ½ diagonal
``eigh``       ``[w; V]``: (n+1)×n           ``dw = diag(Vᵀ dA V)``, ``dV = V (F ∘ Vᵀ dA V)``
``eigvalsh``   w                             ``dw = diag(Vᵀ dA V)`` (a tie: the cluster mean)
``svd``        ``[U; s; V]``: (m+1+n)×k      Townsend's, with the m ≠ n projections
``svdvals``    s                             ``ds = diag(Uᵀ dA V)`` (tie: mean; zero: 0)
``qr``         ``[Q; Rᵀ]``: (m+n)×k          Walter-Lehmann; m < n via A = [X | Y]
=============  ============================  ==========================================

with ``F[i, j] = 1/(w_j − w_i)`` (svd: ``1/(s_j² − s_i²)``) off the diagonal. numpy's
``eigh``/``eigvalsh``/``cholesky`` read one triangle of A only (``UPLO``), so their rules map
the tangent through :func:`~dualnum.rules._matrix.from_triangle` and the adjoint back through
its transpose: the derivative is the one of the function numpy computes, also for a matrix
that is not symmetric.

**Degeneracy.** Where two eigenvalues (singular values) coincide, or a singular value is zero,
the vectors are not unique and have no derivative: differentiating ``eigh``, ``svd`` (U, V)
there raises :class:`~dualnum.rules._matrix.DegenerateSpectrumError` naming the two values
and their gap. The values alone are not differentiable at a tie either (their sorted order
switches, like ``max`` at a tie); ``eigvalsh`` and ``svdvals`` follow ``max``'s convention
there and give every value of a cluster of m coinciding ones the cluster's mean derivative
``tr(V_cᵀ dA V_c)/m`` (basis-free, and exact for any function symmetric in the cluster:
traces, sums, ``log det``, the nuclear norm); a zero singular value gets 0 (as abs'(0) = 0).
Both are declared kinks, so the comparison report marks such points.

>>> import numpy as np
>>> float(eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]]))[1])
3.0
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.linalg import LinAlgError

from dualnum.primitive import Kink, Primitive, shape_of, unbox_all
from dualnum.rules._matrix import (
    SEPARATED_SINGULAR, SEPARATED_SPECTRUM, SPD, as_matrix, averaged, check_gaps, cluster_kink,
    clusters, diag_embed, diag_part, from_triangle, from_triangle_T, is_box,
    mask, mT, numpy_call, real_only, split_uplo, sym_map, symbolic, zero_tolerance,
)
from dualnum.rules._ties import check_unread, read_columns, tied_pairs
from dualnum.rules.linalg import matmul
from dualnum.rules.reduce import sum
from dualnum.rules.shape import concatenate, getitem, reshape
from dualnum.rules.solves import inv

__all__ = ["cholesky", "eigh", "eigvalsh", "svd", "svdvals", "qr", "DECOMPOSITIONS"]

_ALL = slice(None)


def _no_symbolic(name: str) -> TypeError:
    return TypeError(f"{name} has no symbolic counterpart (sympy gives no closed form to "
                     "differentiate); compare it with central differences instead")


def _row(v: Any) -> Any:
    """A stack of vectors ``(..., n)`` as one-row matrices ``(..., 1, n)``."""
    s = shape_of(v)
    return reshape(v, s[:-1] + (1, s[-1]))


def _column(v: Any) -> Any:
    s = shape_of(v)
    return reshape(v, s + (1,))


def _rows(P: Any, start: int, stop: int | None) -> Any:
    return getitem(P, (Ellipsis, slice(start, stop), _ALL))


# ============================== cholesky ==============================

def _cholesky_impl(a: Any, upper: bool = False) -> Any:
    if symbolic(a):
        a = np.asarray(a, dtype=object)
        tri = np.triu if upper else np.tril
        full = tri(a) + np.swapaxes(tri(a, 1 if upper else -1), -1, -2)
        low = sym_map(full, lambda M: M.cholesky(hermitian=False))
        return np.swapaxes(low, -1, -2) if upper else low
    return numpy_call("cholesky", np.linalg.cholesky, as_matrix("cholesky", a), upper=upper)


def _cholesky_factor(ans: Any, kw: dict) -> tuple[Any, str, Any]:
    upper = bool(kw.get("upper", False))
    L = mT(ans) if upper else ans
    return L, ("U" if upper else "L"), inv(L)


def _cholesky_jvp(ts, ans, args, kw, lead):
    real_only("cholesky", ans, ts[0])
    L, uplo, Linv = _cholesky_factor(ans, kw)
    X = matmul(Linv, matmul(from_triangle(ts[0], uplo), mT(Linv)))
    dL = matmul(L, X * mask("phi", shape_of(L)[-1]))
    return mT(dL) if uplo == "U" else dL


def _cholesky_vjp(needs, g, ans, args, kw, lead):
    real_only("cholesky", ans)
    L, uplo, Linv = _cholesky_factor(ans, kw)
    gL = mT(g) if uplo == "U" else g
    inner = matmul(mT(L), gL) * mask("phi", shape_of(L)[-1])
    return (from_triangle_T(matmul(mT(Linv), matmul(inner, Linv)), uplo),)


cholesky = Primitive("cholesky", _cholesky_impl, sym=None, jvp=_cholesky_jvp,
                     vjp=_cholesky_vjp, domain=(SPD,), family="linalg", nargs=1,
                     params=("upper",), reads="ans", analytic=False)


# ============================== eigh, eigvalsh ==============================

_EIGH_HINT = ("; for the eigenvalues alone use eigvalsh, which is differentiable there "
              "(a tie gets the cluster's mean derivative)")


def _eigh_impl(a: Any, UPLO: str = "L") -> Any:
    if symbolic(a):
        raise _no_symbolic("eigh")
    w, V = numpy_call("eigh", np.linalg.eigh, as_matrix("eigh", a), UPLO=split_uplo(UPLO, "eigh"))
    return np.concatenate([w[..., None, :].astype(V.dtype), V], axis=-2)


def eigh_parts(P: Any) -> tuple[Any, Any]:
    """``(w, V)`` from ``eigh``'s packed result."""
    return getitem(P, (Ellipsis, 0, _ALL)), _rows(P, 1, None)


def _inverse_gaps(d: Any, tied: np.ndarray | None = None) -> Any:
    """``F[i, j] = 1/(d_j − d_i)`` off the diagonal, 0 on it (``d``: a stack of vectors);
    also 0 on the ``tied`` pairs (a boolean mask), whose gaps are never divided by."""
    n = shape_of(d)[-1]
    if tied is None:
        return mask("off", n) / (_row(d) - _column(d) + np.eye(n))
    keep = mask("off", n) * ~tied
    return keep / (_row(d) - _column(d) + (np.eye(n) + tied))


def _eigh_jvp(ts, ans, args, kw, lead):
    real_only("eigh", ans, ts[0])
    w, V = eigh_parts(ans)
    check_gaps("eigh", w, hint=_EIGH_HINT)
    Y = matmul(mT(V), matmul(from_triangle(ts[0], kw.get("UPLO", "L")), V))
    return concatenate(_row(diag_part(Y)), matmul(V, _inverse_gaps(w) * Y), axis=-2)


def _eigh_vjp(needs, g, ans, args, kw, lead):
    real_only("eigh", ans)
    w, V = eigh_parts(ans)
    gw, gV = getitem(g, (Ellipsis, 0, _ALL)), _rows(g, 1, None)
    tied = tied_pairs(w)
    if tied is None:
        F = _inverse_gaps(w)
    else:
        # a tie matters only where the function reads the tied eigenvectors: when their
        # columns of gV are 0 (PCA's leading vectors of a low-rank covariance, whose zero
        # eigenvalues tie), only the finite gaps to the vectors read take part
        check_unread("eigh", w, read_columns(gV), tied.any(axis=-1), hint=_EIGH_HINT)
        F = _inverse_gaps(w, tied)
    inner = diag_embed(gw) + F * matmul(mT(V), gV)
    return (from_triangle_T(matmul(V, matmul(inner, mT(V))), kw.get("UPLO", "L")),)


eigh = Primitive("eigh", _eigh_impl, sym=None, jvp=_eigh_jvp, vjp=_eigh_vjp,
                 domain=(SEPARATED_SPECTRUM,), family="linalg", nargs=1, params=("UPLO",),
                 reads="ans", analytic=False)


def _eigvalsh_impl(a: Any, UPLO: str = "L") -> Any:
    if symbolic(a):
        raise _no_symbolic("eigvalsh")
    return numpy_call("eigvalsh", np.linalg.eigvalsh, as_matrix("eigvalsh", a),
                      UPLO=split_uplo(UPLO, "eigvalsh"))


def _eigenvectors(A: Any, uplo: str) -> Any:
    """The eigenvectors eigvalsh's rules read: numpy's, or (a box: a derivative of this
    derivative is being taken) ``eigh``'s, so that they carry their own derivative."""
    if is_box(A):
        return eigh_parts(eigh(A, UPLO=uplo))[1]
    return np.linalg.eigh(A, UPLO=uplo)[1]


def _eigvalsh_jvp(ts, ans, args, kw, lead):
    real_only("eigvalsh", args[0], ts[0])
    uplo = kw.get("UPLO", "L")
    V = _eigenvectors(args[0], uplo)
    d = sum(V * matmul(from_triangle(ts[0], uplo), V), axis=-2)     # diag(Vᵀ dA V)
    return averaged(clusters(ans), d)


def _eigvalsh_vjp(needs, g, ans, args, kw, lead):
    real_only("eigvalsh", args[0])
    uplo = kw.get("UPLO", "L")
    V = _eigenvectors(args[0], uplo)
    gd = averaged(clusters(ans), g)
    return (from_triangle_T(matmul(V * _row(gd), mT(V)), uplo),)


eigvalsh = Primitive(
    "eigvalsh", _eigvalsh_impl, sym=None, jvp=_eigvalsh_jvp, vjp=_eigvalsh_vjp,
    domain=(SEPARATED_SPECTRUM,), family="linalg", nargs=1, params=("UPLO",),
    reads="args ans", analytic=False,
    kink=Kink(lambda a, UPLO="L": cluster_kink(np.linalg.eigvalsh(a, UPLO=UPLO)),
              "eigvalsh at a repeated eigenvalue: each of a cluster of m gets the cluster's "
              "mean derivative tr(V_cᵀ dA V_c)/m (as max splits a tie evenly)"))


# ============================== svd, svdvals ==============================

_SVD_HINT = ("; for the singular values alone use svd(compute_uv=False) or svdvals, "
             "differentiable there by the tie convention")


def _svd_impl(a: Any) -> Any:
    if symbolic(a):
        raise _no_symbolic("svd")
    U, s, Vh = numpy_call("svd", np.linalg.svd, as_matrix("svd", a, square=False),
                          full_matrices=False)
    return np.concatenate([U, s[..., None, :].astype(U.dtype), np.swapaxes(Vh, -1, -2)], axis=-2)


def svd_parts(P: Any, m: int) -> tuple[Any, Any, Any]:
    """``(U, s, V)`` from ``svd``'s packed result of an m-row matrix (``V`` is ``Vhᵀ``)."""
    return _rows(P, 0, m), getitem(P, (Ellipsis, m, _ALL)), _rows(P, m + 1, None)


def _svd_setup(A: Any, ans: Any, g: Any = None) -> tuple:
    m, n = shape_of(A)[-2:]
    U, s, V = svd_parts(ans, m)
    tied = zero = None
    if g is None:       # forward mode cannot know which vectors will be read
        check_gaps("svd", s, "singular values", zero=True, hint=_SVD_HINT)
    else:
        # reverse mode: ties and zero singular values matter only where the function reads
        # their vectors (or values); unread (PCA's leading components of rank-deficient
        # data), the rule meets only finite gaps, and their columns' divisions get 1
        sv = np.asarray(unbox_all(s)).real
        zero = np.abs(sv) <= zero_tolerance(sv)[..., None]
        tied = tied_pairs(sv)
        if tied is None and not zero.any():
            tied = zero = None
        else:
            k = sv.shape[-1]
            both_zero = zero[..., :, None] & zero[..., None, :] & ~np.eye(k, dtype=bool)
            tied = both_zero if tied is None else tied | both_zero
            check_unread("svd", s, read_columns(*svd_parts(g, m)), tied.any(axis=-1) | zero,
                         "singular values", hint=_SVD_HINT)
    s2 = s * s
    if tied is None:
        return m, n, min(m, n), U, s, V, _inverse_gaps(s2), _row(s), _column(s), _row(s)
    # what the projections divide by: 1 for the unread zero values (their columns are 0)
    return (m, n, min(m, n), U, s, V, _inverse_gaps(s2, tied), _row(s), _column(s),
            _row(s + zero))


def _svd_jvp(ts, ans, args, kw, lead):
    real_only("svd", ans, ts[0])
    m, n, k, U, s, V, F, srow, scol, _ = _svd_setup(args[0], ans)
    t = ts[0]
    tV = matmul(t, V)
    dP = matmul(mT(U), tV)                          # Uᵀ dA V
    dPS, SdP = dP * srow, scol * dP
    dU = matmul(U, F * (dPS + mT(dPS)))
    dV = matmul(V, F * (SdP + mT(SdP)))
    if m > k:                                       # (I − UUᵀ) dA V S⁻¹
        dU = dU + (tV - matmul(U, dP)) / srow
    if n > k:                                       # (I − VVᵀ) dAᵀ U S⁻¹
        dV = dV + (matmul(mT(t), U) - matmul(V, mT(dP))) / srow
    return concatenate(dU, _row(diag_part(dP)), dV, axis=-2)


def _svd_vjp(needs, g, ans, args, kw, lead):
    real_only("svd", ans)
    m, n, k, U, s, V, F, srow, scol, div = _svd_setup(args[0], ans, g)
    gU, gs, gV = svd_parts(g, m)
    X = F * matmul(mT(U), gU)
    Y = F * matmul(mT(V), gV)
    inner = diag_embed(gs) + (X + mT(X)) * srow + scol * (Y + mT(Y))
    gA = matmul(U, matmul(inner, mT(V)))
    if m > k:
        gA = gA + matmul((gU - matmul(U, matmul(mT(U), gU))) / div, mT(V))
    if n > k:
        gA = gA + matmul(U, mT((gV - matmul(V, matmul(mT(V), gV))) / div))
    return (gA,)


svd = Primitive("svd", _svd_impl, sym=None, jvp=_svd_jvp, vjp=_svd_vjp,
                domain=(SEPARATED_SINGULAR,), family="linalg", nargs=1, reads="ans",
                analytic=False)


def _svdvals_impl(a: Any) -> Any:
    if symbolic(a):
        raise _no_symbolic("svdvals")
    return numpy_call("svdvals", np.linalg.svd, as_matrix("svdvals", a, square=False),
                      compute_uv=False)


def _singular_vectors(A: Any) -> tuple[Any, Any]:
    """U and V for svdvals's rules: numpy's, or ``svd``'s for a box (see _eigenvectors)."""
    if is_box(A):
        U, _, V = svd_parts(svd(A), shape_of(A)[-2])
        return U, V
    U, _, Vh = np.linalg.svd(A, full_matrices=False)
    return U, np.swapaxes(Vh, -1, -2)


def _svdvals_jvp(ts, ans, args, kw, lead):
    real_only("svdvals", args[0], ts[0])
    U, V = _singular_vectors(args[0])
    return averaged(clusters(ans, zero=True), sum(U * matmul(ts[0], V), axis=-2))


def _svdvals_vjp(needs, g, ans, args, kw, lead):
    real_only("svdvals", args[0])
    U, V = _singular_vectors(args[0])
    return (matmul(U * _row(averaged(clusters(ans, zero=True), g)), mT(V)),)


svdvals = Primitive(
    "svdvals", _svdvals_impl, sym=None, jvp=_svdvals_jvp, vjp=_svdvals_vjp,
    domain=(SEPARATED_SINGULAR,), family="linalg", nargs=1, reads="args ans", analytic=False,
    kink=Kink(lambda a: cluster_kink(np.linalg.svd(a, compute_uv=False), zero=True),
              "svdvals at a repeated singular value: each of a cluster of m gets the "
              "cluster's mean derivative; at a zero singular value 0 (as abs'(0) = 0)"))


# ============================== qr ==============================

def _qr_impl(a: Any) -> Any:
    if symbolic(a):
        raise _no_symbolic("qr")
    Q, R = numpy_call("qr", np.linalg.qr, as_matrix("qr", a, square=False))
    return np.concatenate([Q, np.swapaxes(R, -1, -2)], axis=-2)


def qr_parts(P: Any, m: int) -> tuple[Any, Any]:
    """``(Q, R)`` from ``qr``'s packed result of an m-row matrix."""
    return _rows(P, 0, m), mT(_rows(P, m, None))


def _qr_setup(A: Any, ans: Any) -> tuple:
    m, n = shape_of(A)[-2:]
    k = min(m, n)
    Q, R = qr_parts(ans, m)
    Rk = R if n == k else getitem(R, (Ellipsis, _ALL, slice(0, k)))     # the square block
    d = np.abs(np.diagonal(np.asarray(unbox_all(Rk)), axis1=-2, axis2=-1))
    tol = zero_tolerance(d)
    bad = np.argwhere(d <= np.asarray(tol)[..., None]) if d.size else []
    if len(bad):
        i = int(bad[0][-1])
        raise LinAlgError(
            f"qr: R[{i}, {i}] is zero (|R[{i}, {i}]| = {float(d[tuple(bad[0])]):.3g}): "
            + ("A has dependent columns" if m >= n else
               f"the first {k} columns of A are dependent")
            + ", where Q is not unique and has no derivative")
    return m, n, k, Q, Rk, inv(Rk)


def _qr_square_jvp(Q, R, Rinv, t):
    # A = QR: C = Qᵀ dA R⁻¹ = QᵀdQ + dR R⁻¹ with QᵀdQ skew and dR R⁻¹ upper triangular, so
    # Ψ(C) = triu(C) + tril(C, −1)ᵀ is dR R⁻¹, dR = Ψ(C) R and dQ = dA R⁻¹ − Q Ψ(C)
    k = shape_of(R)[-1]
    B = matmul(t, Rinv)
    C = matmul(mT(Q), B)
    psi = C * mask("tri", k, "U") + mT(C * mask("strict", k, "L"))
    return B - matmul(Q, psi), matmul(psi, R)


def _qr_square_vjp(Q, R, Rinv, gQ, gR):
    # the transpose: Ā = (Q̄ + Q Ψ*(R̄ Rᵀ − Qᵀ Q̄)) R⁻ᵀ with Ψ*(G) = triu(G) + tril(Gᵀ, −1)
    k = shape_of(R)[-1]
    G = matmul(gR, mT(R)) - matmul(mT(Q), gQ)
    gC = G * mask("tri", k, "U") + mT(G) * mask("strict", k, "L")
    return matmul(gQ + matmul(Q, gC), mT(Rinv))


def _qr_jvp(ts, ans, args, kw, lead):
    real_only("qr", ans, ts[0])
    A, t = args[0], ts[0]
    m, n, k, Q, Rk, Rinv = _qr_setup(A, ans)
    if m >= n:
        dQ, dR = _qr_square_jvp(Q, Rk, Rinv, t)
    else:       # A = [X | Y]: X = Q R_X, R_Y = Qᵀ Y
        dQ, dRX = _qr_square_jvp(Q, Rk, Rinv, getitem(t, (Ellipsis, _ALL, slice(0, m))))
        Y = getitem(A, (Ellipsis, _ALL, slice(m, None)))
        tY = getitem(t, (Ellipsis, _ALL, slice(m, None)))
        dR = concatenate(dRX, matmul(mT(dQ), Y) + matmul(mT(Q), tY), axis=-1)
    return concatenate(dQ, mT(dR), axis=-2)


def _qr_vjp(needs, g, ans, args, kw, lead):
    real_only("qr", ans)
    A = args[0]
    m, n, k, Q, Rk, Rinv = _qr_setup(A, ans)
    gQ, gR = qr_parts(g, m)
    if m >= n:
        return (_qr_square_vjp(Q, Rk, Rinv, gQ, gR),)
    gRX = getitem(gR, (Ellipsis, _ALL, slice(0, m)))
    gRY = getitem(gR, (Ellipsis, _ALL, slice(m, None)))
    Y = getitem(A, (Ellipsis, _ALL, slice(m, None)))
    gX = _qr_square_vjp(Q, Rk, Rinv, gQ + matmul(Y, mT(gRY)), gRX)
    return (concatenate(gX, matmul(Q, gRY), axis=-1),)


qr = Primitive("qr", _qr_impl, sym=None, jvp=_qr_jvp, vjp=_qr_vjp,
               domain=(SEPARATED_SINGULAR,), family="linalg", nargs=1, reads="args ans",
               analytic=False)

DECOMPOSITIONS = (cholesky, eigh, eigvalsh, svd, svdvals, qr)
