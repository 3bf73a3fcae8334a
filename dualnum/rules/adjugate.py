"""The rule table, part 6b: the adjugate ``adj A = det(A)·A⁻¹``, the derivative of ``det``.

``det`` is a polynomial, so it has derivatives of every order everywhere, singular matrices
included, but ``det(A)·A⁻¹`` computes them by cancelling huge terms near a singular matrix:
the second derivative of ``det`` that way loses ``ε²·cond(A)²`` of its scale (all of it at
cond ≈ 1e14, and nothing is left at an exactly singular matrix, where numpy refuses A⁻¹). This
row computes the adjugate, and its derivatives, from the SVD ``A = U S Vᴴ`` with products of
singular values only, no division:

* ``adj A = c · V diag(o) Uᴴ``, ``o_i = ∏_{k≠i} s_k``, ``c = det(U)·det(Vᴴ)`` (a unit);
* its JVP, in the rotated tangent ``T̃ = Uᴴ dA V``: ``d adj A = c · V D Uᴴ`` with
  ``D_ii = Σ_{l≠i} T̃_ll p_il`` and ``D_ij = −T̃_ij p_ij`` (``i ≠ j``), ``p_ij = ∏_{k≠i,j} s_k``;
* its VJP, the transpose: ``W = c · Vᵀ Ḡ Ū``, ``T̄ = −W ∘ p + diag(p · diag(W))`` (``p`` with
  a zero diagonal), ``Ā = Ū T̄ Vᵀ``.

The rules are written with the table's ops (the ``svd`` row among them), so they
differentiate again where the SVD does (a real matrix with simple, nonzero singular values);
a third derivative of ``det`` at a singular matrix raises ``NotImplementedError``.
``det``'s own rules call this row only where ``A⁻¹`` is missing or inaccurate
(:func:`dualnum.rules.solves.cofactors`).

>>> import numpy as np
>>> adjugate(np.array([[1.0, 2.0], [2.0, 4.0]]))        # [[d, −b], [−c, a]]
array([[ 4., -2.],
       [-2.,  1.]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.primitive import Box, Primitive, is_complex, shape_of, unbox_all
from dualnum.rules._matrix import (
    WELL_CONDITIONED, as_matrix, diag_embed, diag_part, gap_tolerance, mT, sym_map, symbolic,
    zero_tolerance,
)
from dualnum.rules.complex import conj
from dualnum.rules.linalg import matmul
from dualnum.rules.reduce import prod, sum
from dualnum.rules.shape import reshape

__all__ = ["adjugate", "ADJUGATE"]


def _factors(A: Any) -> tuple:
    """``(U, V, c, o, p)`` of a matrix (or stack): ``A = U S Vᴴ``, the unit
    ``c = det(U)·det(Vᴴ)``, the products ``o_i = ∏_{k≠i} s_k`` and ``p_ij = ∏_{k≠i,j} s_k``
    (0 on the diagonal). Written with the table's ops (the ``svd`` row), so a box differentiates
    through them, where the SVD is differentiable: a real matrix whose singular values are
    simple and nonzero (elsewhere this raises, naming the adjugate)."""
    from dualnum.rules.decompositions import svd, svd_parts     # (decompositions imports solves)
    if isinstance(A, Box):
        if is_complex(A):
            raise NotImplementedError(
                "adjugate: higher derivatives of det of a complex matrix where A⁻¹ is missing "
                "or inaccurate are not computed")
        if check_singular(np.linalg.svd(np.asarray(unbox_all(A)), compute_uv=False)):
            raise NotImplementedError(
                "adjugate: at a singular matrix (or one with repeated singular values) the "
                "adjugate's own derivative (det's third) is not computed")
    P = svd(A)
    n = shape_of(A)[-1]
    U, s, V = svd_parts(P, n)           # V = Vhᵀ: Vᴴ's conjugate for a complex matrix
    if is_complex(P):
        V = conj(V)
    Uv, Vv = np.asarray(unbox_all(U)), np.asarray(unbox_all(V))
    c = (np.linalg.det(Uv) * np.linalg.det(np.swapaxes(np.conj(Vv), -1, -2)))[..., None, None]
    I = np.eye(n)
    o = prod(reshape(s, shape_of(s)[:-1] + (1, n)) * (1.0 - I) + I, axis=-1)
    drop = np.maximum(I[:, None, :], I[None, :, :])          # k == i or k == j
    p = prod(reshape(s, shape_of(s)[:-1] + (1, 1, n)) * (1.0 - drop) + drop, axis=-1)
    return U, V, c, o, p * (1.0 - I)


def check_singular(s: np.ndarray) -> bool:
    """Whether a matrix of singular values ``s`` has a zero or a repeated one (the SVD's
    derivative does not exist there)."""
    tol = gap_tolerance(s)[..., None]
    return bool(np.any(np.abs(s) <= zero_tolerance(s)[..., None])
                or np.any(np.abs(np.diff(s, axis=-1)) <= tol))


def _adjugate_impl(a: Any) -> Any:
    if symbolic(a):
        return sym_map(a, lambda M: M.adjugate(), out="matrix")
    U, V, c, o, _ = _factors(as_matrix("adjugate", a))
    return c * ((V * o[..., None, :]) @ np.conj(np.swapaxes(U, -1, -2)))


def _spread(p: Any, d: Any) -> Any:
    """``diag(p · d)`` per matrix: the diagonal part of the JVP and of the VJP."""
    sd = shape_of(d)
    return diag_embed(sum(p * reshape(d, sd[:-1] + (1, sd[-1])), axis=-1))


def _adjugate_jvp(ts, ans, args, kw, lead):
    U, V, c, o, p = _factors(args[0])
    Uh = mT(conj(U))
    Tr = matmul(Uh, matmul(ts[0], V))                     # T̃ = Uᴴ T V (lead axes ride)
    D = _spread(p, diag_part(Tr)) - Tr * p
    return c * matmul(V, matmul(D, Uh))


def _adjugate_vjp(needs, g, ans, args, kw, lead):
    U, V, c, o, p = _factors(args[0])
    Uc = conj(U)
    W = c * matmul(mT(V), matmul(g, Uc))
    T = _spread(p, diag_part(W)) - W * p
    return (matmul(Uc, matmul(T, mT(V))),)


adjugate = Primitive(
    "adjugate", _adjugate_impl, sym=None, jvp=_adjugate_jvp, vjp=_adjugate_vjp,
    # analytic=False: holomorphic, but an SVD mixes real and imaginary parts, so complex step
    # (a 1e-30 imaginary part) cannot run through it
    domain=(WELL_CONDITIONED,), family="linalg", nargs=1, reads="args", analytic=False)

ADJUGATE = (adjugate,)
