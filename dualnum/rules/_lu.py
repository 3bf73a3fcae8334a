"""One LU factorization for a determinant and its gradient: what ``det`` and ``slogdet`` keep
on the tape (their rows' ``saves`` column, :class:`dualnum.primitive.Primitive`).

``log|det A|`` is read off an LU factorization ``PA = LU`` (the log-magnitudes of ``U``'s
diagonal, summed; the sign from the diagonal's signs and the pivots), and its gradient is
``A⁻ᵀ``. numpy computes the one and throws the factors away, so a gradient computed with
numpy alone factors ``A`` twice (``slogdet``, then ``inv``: an LU and ``n`` triangular
solves), about 4x the forward at n = 100. With scipy installed (the ``scipy`` extra), the
tape's forward runs LAPACK's ``getrf`` itself, keeps ``(LU, pivots)`` beside the entry, and
the sweep turns them into ``A⁻¹`` with ``getri``: about 2x. Without scipy, or for what this
path does not cover, the rows compute exactly as before (numpy's ``slogdet``/``det``, and
``inv`` in the VJP).

Covered: one real (float64) square matrix of at least :data:`MIN_N` rows, nonsingular and
finite (a singular or non-finite matrix takes numpy's path, so its value, warning and error
are numpy's). A smaller matrix is not worth scipy's import (~0.5 s, once).

>>> import numpy as np
>>> A = np.array([[0.0, 2.0], [3.0, 1.0]])      # one row swap: sign -1, |det| = 6
>>> kept = slogdet_saving(A, min_n=1)             # None without scipy
>>> kept is None or (float(kept[0][0]), round(float(np.exp(kept[0][1])), 12)) == (-1.0, 6.0)
True
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["MIN_N", "lapack", "slogdet_saving", "inverse_from"]

#: the smallest matrix whose LU the tape keeps (below it, numpy's two factorizations are cheap)
MIN_N = 16

_NOT_LOADED = object()
_lapack: Any = _NOT_LOADED


def lapack() -> Any:
    """``scipy.linalg.lapack``, imported on first use; None without scipy (tried once)."""
    global _lapack
    if _lapack is _NOT_LOADED:
        try:
            from scipy.linalg import lapack as mod
        except ImportError:
            mod = None
        _lapack = mod
    return _lapack


def slogdet_saving(a: np.ndarray, min_n: int = MIN_N) -> tuple[np.ndarray, tuple] | None:
    """For a covered matrix (see the module), the packed ``[sign, log|det|]`` from one LU and
    the factors ``(lu, piv)`` to keep for the VJP; None for anything else (the caller then
    computes as numpy does)."""
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < min_n:
        return None
    lp = lapack()
    if lp is None:
        return None
    lu, piv, info = lp.dgetrf(a)
    if info != 0:                   # singular (a zero pivot): numpy's value, sign 0
        return None
    d = lu.diagonal()
    logabs = float(np.log(np.abs(d)).sum())
    if not math.isfinite(logabs):   # inf/nan entries: numpy's value and warning
        return None
    # the sign: one flip per row swap (piv[i] != i) and per negative pivot
    odd = (np.count_nonzero(piv != np.arange(a.shape[0])) + np.count_nonzero(d < 0)) & 1
    return np.array((-1.0 if odd else 1.0, logabs)), (lu, piv)


def inverse_from(saved: tuple) -> np.ndarray:
    """``A⁻¹`` from the kept factors ``(lu, piv)`` of a nonsingular ``A`` (LAPACK's getri)."""
    lu, piv = saved
    inv, info = lapack().dgetri(lu, piv)
    if info != 0:       # cannot happen for the factors of a nonsingular matrix
        raise np.linalg.LinAlgError(f"getri: info {info} for a {lu.shape} LU factorization")
    return inv
