"""``dnp.linalg``'s inverses, solves and determinants: inv, solve, det, slogdet, pinv,
matrix_power (each calling the rows of :mod:`dualnum.rules.solves`)."""
from __future__ import annotations

import operator
from typing import Any

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy._base import _in
from dualnum.numpy._linalg_results import SlogdetResult
from dualnum.primitive import shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules._matrix import as_matrix as _as_matrix
from dualnum.rules.linalg import matmul

__all__ = ["inv", "solve", "det", "slogdet", "pinv", "matrix_power", "adjugate"]


def inv(a: Any) -> Any:
    """The inverse of a square matrix (of each, for a stack), numpy's ``linalg.inv``;
    ``d(A⁻¹) = −A⁻¹ dA A⁻¹``. A singular matrix raises numpy's ``LinAlgError``.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.inv([[2.0, 0.0], [0.0, 4.0]])
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    return _R.inv(_in(a))


def solve(a: Any, b: Any) -> Any:
    """``x`` with ``a @ x = b``, numpy 2's ``linalg.solve``: ``b`` is a vector ``(M,)`` when it
    is 1-D (then ``x`` has ``a``'s batch axes and shape ``(..., M)``), otherwise a stack of
    matrices ``(..., M, K)``; batch axes broadcast. For a stack of vectors write
    ``b[..., None]``. ``dx = a⁻¹ (db − da x)``, ``b̄ = a⁻ᵀ x̄``, ``ā = −b̄ xᵀ``.

    A triangular ``a`` needs no special call: ``solve`` gives the same ``x`` (by LU, O(n³)
    where a triangular solve is O(n²); ``scipy.linalg.solve_triangular`` is scipy's, and
    dualnum does not depend on scipy).

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0])
    array([0.8, 1.4])
    """
    return _R.solve(_in(a), _in(b))


def det(a: Any) -> Any:
    """The determinant (of each matrix of a stack), numpy's ``linalg.det``;
    ``d det A = tr(adj(A) dA)`` with ``adj A = det A · A⁻¹`` where that is accurate, and from
    the SVD (:func:`adjugate`) at a singular matrix, where it exists too.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.linalg.det([[1.0, 2.0], [3.0, 4.0]]))
    -2.0...
    """
    return _R.det(_in(a))


def slogdet(a: Any) -> SlogdetResult:
    """``(sign, logabsdet)`` with ``det a = sign · exp(logabsdet)``, numpy's ``linalg.slogdet``
    (no overflow for large matrices). ``d logabsdet = tr(A⁻¹ dA)``; the sign of a real matrix
    is piecewise constant (derivative 0). A singular matrix gives ``(0, -inf)`` as in numpy;
    differentiating there raises ``LinAlgError``.

    >>> import dualnum.numpy as dnp
    >>> sign, logabsdet = dnp.linalg.slogdet([[2.0, 0.0], [0.0, -3.0]])
    >>> float(sign), round(float(logabsdet), 6)
    (-1.0, 1.791759)
    """
    p = _R.slogdet(_in(a))              # [sign, log|det|] along a last axis
    values = _unbox_all(p)              # an array (numeric or, symbolic, of objects)
    one = values.ndim == 1              # one matrix: numpy's scalars
    logabs = p[1] if one else p[..., 1]
    if values.dtype.kind == "c":        # a complex sign (it moves with A's phase), and
        return SlogdetResult(p[0] if one else p[..., 0], _R.real(logabs))   # a real log|det|
    # a real sign is piecewise constant: its value, with no derivative to carry
    return SlogdetResult(values[0] if one else values[..., 0], logabs)


def pinv(a: Any, rcond: Any = None, hermitian: bool = False, *, rtol: Any = None) -> Any:
    """The Moore-Penrose pseudo-inverse, numpy's ``linalg.pinv`` (``rcond``/``rtol``: the
    cutoff for small singular values, relative to the largest; ``hermitian=True``: ``a`` is
    symmetric, its lower triangle read). The derivative (Golub & Pereyra) holds where the
    rank is locally constant; a singular value crossing the cutoff makes ``pinv`` jump. A
    cutoff that drops nonzero singular values makes ``pinv`` that of the truncation
    ``U_K Σ_K V_Kᵀ``, which turns with ``a``: its first derivative follows the turn
    (``dualnum.rules._pinv_cut``), a second raises ``NotImplementedError``.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.pinv([[1.0], [1.0]])
    array([[0.5, 0.5]])
    """
    kw: dict = {}
    if rcond is not None:
        kw["rcond"] = rcond
    if hermitian:
        kw["hermitian"] = True
    if rtol is not None:
        kw["rtol"] = rtol
    return _R.pinv(_in(a), **kw)


def matrix_power(a: Any, n: int) -> Any:
    """``a`` raised to the integer power ``n`` (each matrix of a stack), numpy's
    ``linalg.matrix_power``: repeated squaring with ``matmul``; ``n = 0`` gives the identity
    (a constant), a negative ``n`` the power of ``inv(a)``.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.matrix_power([[1.0, 1.0], [0.0, 1.0]], 3)
    array([[1., 3.],
           [0., 1.]])
    >>> dnp.linalg.matrix_power([[2.0, 0.0], [0.0, 4.0]], -1)
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    a = _in(a)
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}") from None
    shape = _shape_of(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        _as_matrix("matrix_power", _np.empty(shape))        # numpy's LinAlgError, named
    if n == 0:                      # the identity, in the dtype of a plain array (numpy's)
        dt = a.dtype if type(a) is _np.ndarray and a.dtype != object else float
        return _np.broadcast_to(_np.eye(shape[-1], dtype=dt), shape).copy()
    if n < 0:
        a, n = inv(a), -n
    result = None
    base = a
    while True:                     # binary powering: the bits of n, lowest first
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if not n:
            return result
        base = matmul(base, base)


def adjugate(a: Any) -> Any:
    """The adjugate ``adj A`` (of each matrix of a stack), ``det A · A⁻¹`` where ``A`` is
    invertible and defined at every matrix: the transpose of ``det``'s gradient. Not a numpy
    name (sympy's ``Matrix.adjugate``); computed from the SVD with products of singular values
    only, so it and its derivative stay exact near and at singular matrices.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.adjugate([[1.0, 2.0], [2.0, 4.0]])
    array([[ 4., -2.],
           [-2.,  1.]])
    """
    return _R.adjugate(_in(a))
