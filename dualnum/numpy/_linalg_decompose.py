"""``dnp.linalg``'s decompositions: cholesky, eigh, eigvalsh, svd, svdvals, qr (the rows of
:mod:`dualnum.rules.decompositions`, whose packed results are unpacked here), and eig /
eigvals, which have no derivative rule."""
from __future__ import annotations

from typing import Any

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy._base import _in
from dualnum.numpy._linalg_results import EighResult, QRResult, SVDResult
from dualnum.primitive import Box as _Box, shape_of as _shape_of
from dualnum.rules._declare import is_symbolic as _is_symbolic
from dualnum.rules._matrix import (
    as_matrix as _as_matrix, from_triangle as _from_triangle, numpy_call as _numpy_call,
    split_uplo as _split_uplo,
)
from dualnum.rules.decompositions import eigh_parts, qr_parts, svd_parts
from dualnum.rules.shape import transpose as _transpose

__all__ = ["cholesky", "eigh", "eigvalsh", "svd", "svdvals", "qr", "eig", "eigvals"]


def _differentiated(a: Any) -> bool:
    """Whether ``a`` carries derivatives (a box) or is symbolic: then the rule's primitive
    runs; a plain array goes to numpy directly (its own result, unpacked by numpy)."""
    return isinstance(a, _Box) or _is_symbolic(a)


def _mT(x: Any) -> Any:
    n = len(_shape_of(x))
    return _transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


def cholesky(a: Any, /, *, upper: bool = False) -> Any:
    """The Cholesky factor ``L`` (lower, ``a = L Lᵀ``) of a symmetric positive-definite
    matrix, or ``Lᵀ`` with ``upper=True``, numpy's ``linalg.cholesky``; only the triangle
    named by ``upper`` is read. Not positive definite: numpy's ``LinAlgError``.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.cholesky([[4.0, 2.0], [2.0, 5.0]])
    array([[2., 0.],
           [1., 2.]])
    """
    return _R.cholesky(_in(a), upper=bool(upper))


def eigh(a: Any, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, numpy's
    ``linalg.eigh``; only the triangle ``UPLO`` is read. The eigenvectors' signs are
    numpy's. Differentiable where the eigenvalues are distinct; where two coincide the
    eigenvectors are not unique and differentiating raises ``DegenerateSpectrumError`` naming
    the gap (use ``eigvalsh`` for eigenvalues alone).

    >>> import dualnum.numpy as dnp
    >>> w, V = dnp.linalg.eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> w
    array([1., 3.])
    """
    a = _in(a)
    uplo = _split_uplo(UPLO, "eigh")
    if _differentiated(a):
        return EighResult(*eigh_parts(_R.eigh(a, UPLO=uplo)))
    w, V = _numpy_call("eigh", _np.linalg.eigh, _as_matrix("eigh", a), UPLO=uplo)
    return EighResult(w, V)


def eigvalsh(a: Any, UPLO: str = "L") -> Any:
    """The eigenvalues (ascending) of a symmetric matrix, numpy's ``linalg.eigvalsh``.
    At a repeated eigenvalue each of the cluster gets the cluster's mean derivative (as
    ``max`` splits a tie; exact for any function symmetric in the cluster).

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.eigvalsh([[2.0, 1.0], [1.0, 2.0]])
    array([1., 3.])
    """
    return _R.eigvalsh(_in(a), UPLO=_split_uplo(UPLO, "eigvalsh"))


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True,
        hermitian: bool = False) -> Any:
    """The singular value decomposition ``a = U diag(S) Vh``, numpy's ``linalg.svd``
    (singular values descending; numpy's signs). To differentiate ``U`` and ``Vh`` of a
    non-square matrix pass ``full_matrices=False`` (the extra columns of the full factors are
    not unique); they need distinct, nonzero singular values (else
    ``DegenerateSpectrumError``). ``compute_uv=False`` gives ``S`` alone, differentiable by
    the tie convention of ``svdvals``. ``hermitian=True`` (a symmetric ``a``, lower triangle
    read) works for ``S`` alone when differentiating.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.svd([[3.0, 0.0], [0.0, -2.0]], compute_uv=False)
    array([3., 2.])
    """
    a = _in(a)
    if not _differentiated(a):
        return _numpy_call("svd", _np.linalg.svd, _as_matrix("svd", a, square=False),
                           full_matrices=full_matrices, compute_uv=compute_uv,
                           hermitian=hermitian)
    if not compute_uv:
        return svdvals(_from_triangle(a, "L") if hermitian else a)
    if hermitian:
        raise NotImplementedError(
            "svd: hermitian=True with compute_uv=True is not differentiable in dualnum "
            "(numpy then takes U and Vh from eigh, with its own signs); use eigh for a "
            "symmetric matrix, or hermitian=False")
    m, n = _shape_of(a)[-2:]
    if full_matrices and m != n:
        raise ValueError(
            f"svd: full_matrices=True (numpy's default) on a {m}×{n} matrix has no derivative: "
            "the extra columns of the full U or Vh are not unique; pass full_matrices=False")
    U, S, V = svd_parts(_R.svd(a), m)
    return SVDResult(U, S, _mT(V))


def svdvals(x: Any, /) -> Any:
    """The singular values (descending), numpy's ``linalg.svdvals``. At a repeated singular
    value each of the cluster gets the cluster's mean derivative; at a zero one, 0 (as
    abs'(0) = 0): both are kinks, where ``svdvals`` is not differentiable.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.svdvals([[3.0, 0.0], [0.0, -2.0]])
    array([3., 2.])
    """
    return _R.svdvals(_in(x))


def qr(a: Any, mode: str = "reduced") -> Any:
    """The QR decomposition, numpy's ``linalg.qr`` (``mode``: ``'reduced'``, ``'complete'``,
    ``'r'``; ``'raw'`` for plain arrays only). Differentiable (the reduced factors, numpy's
    signs) where ``a`` has full rank: for a wide ``a`` (m < n), where its first m columns are
    independent; else ``LinAlgError``. ``'complete'`` is differentiable for m ≤ n, where it is
    the reduced decomposition.

    >>> import dualnum.numpy as dnp
    >>> Q, R = dnp.linalg.qr([[3.0, 1.0], [4.0, 2.0]])
    >>> R.round(6)
    array([[-5. , -2.2],
           [ 0. ,  0.4]])
    """
    a = _in(a)
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"qr: unrecognized mode {mode!r} (reduced, complete, r, raw)")
    if not _differentiated(a):
        return _numpy_call("qr", _np.linalg.qr, _as_matrix("qr", a, square=False), mode=mode)
    m, n = _shape_of(a)[-2:]
    if mode == "raw" or (mode == "complete" and m > n):
        raise ValueError(
            f"qr: mode={mode!r} on a {m}×{n} matrix has no derivative in dualnum"
            + (" (the Householder reflectors are LAPACK's internals)" if mode == "raw" else
               " (the extra columns of the complete Q are not unique)")
            + "; use mode='reduced'")
    Q, R = qr_parts(_R.qr(a), m)
    return R if mode == "r" else QRResult(Q, R)


def _no_eig(name: str) -> NotImplementedError:
    return NotImplementedError(
        f"{name}: not supported: use eigh for symmetric matrices (the eigenvalues and "
        "eigenvectors of a general matrix are complex, with a normalization dualnum does not "
        "differentiate; eig runs on plain arrays only)")


def eig(a: Any) -> Any:
    """numpy's ``linalg.eig`` on plain arrays; on differentiable values it raises
    ``NotImplementedError`` ("not supported: use eigh for symmetric matrices").

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.eig([[2.0, 0.0], [0.0, 1.0]]).eigenvalues
    array([2., 1.])
    """
    a = _in(a)
    if _differentiated(a):
        raise _no_eig("eig")
    return _numpy_call("eig", _np.linalg.eig, _as_matrix("eig", a))


def eigvals(a: Any) -> Any:
    """numpy's ``linalg.eigvals`` on plain arrays; raises ``NotImplementedError`` on
    differentiable values (use ``eigvalsh`` for symmetric matrices).

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.eigvals([[2.0, 0.0], [0.0, 1.0]])
    array([2., 1.])
    """
    a = _in(a)
    if _differentiated(a):
        raise _no_eig("eigvals")
    return _numpy_call("eigvals", _np.linalg.eigvals, _as_matrix("eigvals", a))
