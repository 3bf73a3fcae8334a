"""What a ``pinv`` cutoff does to the derivative (:mod:`dualnum.rules.solves`' pinv row).

``pinv(A, rcond)`` drops every singular value at or below ``rcond · σ_max``, so it is the
pseudo-inverse of the truncation ``A_k = U_K Σ_K V_Kᵀ`` (the singular triplets kept, ``K``).
Golub and Pereyra's formula differentiates ``X = pinv(A_k)`` along a tangent of ``A_k``; where
the dropped singular values are zero (a rank-deficient ``A``) that tangent is ``dA`` itself,
but where the cutoff drops *nonzero* ones, ``A_k`` turns with ``A`` and its tangent is
``L(dA)``: with ``C = Uᵀ dA V`` (thin SVD, ``r = min(m, n)`` triplets),

* ``P dA Q`` on the kept block (``P = U_K U_Kᵀ``, ``Q = V_K V_Kᵀ``),
* between a kept ``i`` and a dropped ``j``: ``(σᵢ² Cᵢⱼ + σᵢσⱼ Cⱼᵢ) / (σᵢ² − σⱼ²)`` at
  ``(i, j)`` and ``(j, i)`` alike (the first-order turn of the kept singular subspaces,
  from the eigenprojectors of ``A Aᵀ`` and ``Aᵀ A``),
* ``(I − U Uᵀ) dA Q + P dA (I − V Vᵀ)`` for the directions beyond the thin SVD,
* nothing between two dropped triplets.

``L`` is self-adjoint (its two coefficient matrices are symmetric), so the VJP applies the
same map to the Golub-Pereyra cotangent. The kept and dropped singular values are separated
by the cutoff, so no denominator vanishes (a value *at* the cutoff is where pinv jumps).
Dropped values within ``max(m, n)·ε·σ_max`` count as zero (Golub-Pereyra is then exact, and
this map is the identity on what it reads).

>>> import numpy as np
>>> A = np.diag([3.0, 1.0])
>>> cut = truncation(A, {"rcond": 0.5})            # drops σ = 1 (the cutoff is 1.5)
>>> dA = np.array([[0.0, 0.0], [1.0, 0.0]])
>>> cut.tangent(dA)             # A_k = diag(3, 0) turns: 9/8 at (1, 0), 3/8 at (0, 1)
array([[0.   , 0.375],
       [1.125, 0.   ]])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.rules._matrix import mT
from dualnum.rules.linalg import matmul

__all__ = ["Truncation", "truncation"]


class Truncation:
    """The truncation ``A_k`` of one plain (stack of) matrix and its tangent map ``L``."""

    __slots__ = ("U", "V", "W1", "W2", "P", "Q", "NU", "NV", "A_k")

    def __init__(self, U: np.ndarray, s: np.ndarray, Vt: np.ndarray, keep: np.ndarray) -> None:
        V = Vt.swapaxes(-1, -2)
        kp, kq = keep[..., :, None], keep[..., None, :]
        sp, sq = s[..., :, None], s[..., None, :]
        cross = kp != kq                       # one kept, one dropped
        si = np.where(kp, sp, sq)              # the kept one's singular value
        sj = np.where(kp, sq, sp)              # the dropped one's
        with np.errstate(divide="ignore", invalid="ignore"):
            den = si * si - sj * sj
            self.W1 = np.where(kp & kq, 1.0, np.where(cross, si * si / den, 0.0))
            self.W2 = np.where(cross, si * sj / den, 0.0)
        Uk, Vk = U * keep[..., None, :], V * keep[..., None, :]
        self.U, self.V = U, V
        self.P, self.Q = Uk @ Uk.swapaxes(-1, -2), Vk @ Vk.swapaxes(-1, -2)
        m, n = U.shape[-2], V.shape[-2]
        self.NU = np.eye(m) - U @ U.swapaxes(-1, -2)
        self.NV = np.eye(n) - V @ Vt
        self.A_k = (Uk * s[..., None, :]) @ Vt

    def tangent(self, t: Any) -> Any:
        """``L(t)``: the tangent of ``A_k`` along ``t`` (and, ``L`` being self-adjoint, the
        cotangent of ``A`` from one of ``A_k``); ``t`` may be a box, or carry lead axes."""
        C = matmul(matmul(mT(self.U), t), self.V)
        B = self.W1 * C + self.W2 * mT(C)
        return (matmul(matmul(self.U, B), mT(self.V)) + matmul(matmul(self.NU, t), self.Q)
                + matmul(matmul(self.P, t), self.NV))


def truncation(A: np.ndarray, kw: dict, X: np.ndarray | None = None) -> Truncation | None:
    """The truncation numpy's pinv makes of the plain (stack of) matrix ``A`` with the row's
    keywords (``rcond``/``rtol``), or None where it drops no singular value above
    ``max(m, n)·ε·σ_max`` (Golub-Pereyra alone is then exact). Given ``X = pinv(A)``, a
    matrix that ``A X A`` reproduces to rounding is answered without an SVD (``A − A X A`` is
    the dropped part)."""
    m, n = A.shape[-2:]
    if A.size == 0:
        return None
    if X is not None:
        scale = np.sqrt(np.sum(A * A, axis=(-2, -1)))
        resid = np.sqrt(np.sum((A - A @ X @ A) ** 2, axis=(-2, -1)))
        if np.all(resid <= 100 * max(m, n) * np.finfo(float).eps * scale):
            return None
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    rtol = kw.get("rtol")
    r = rtol if rtol is not None else kw.get("rcond")
    if r is None:
        r = 1e-15                   # numpy's default when neither is given
    smax = s.max(axis=-1, keepdims=True)
    keep = s > np.asarray(r, dtype=float)[..., None] * smax
    negligible = max(m, n) * np.finfo(float).eps * smax
    if not np.any(~keep & (s > negligible)):
        return None
    return Truncation(U, s, Vt, keep)
