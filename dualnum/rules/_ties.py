"""Ties in reverse mode: which degenerate vectors a cotangent reads.

Where eigenvalues (singular values) tie, or a singular value is zero, their vectors are not
unique. A function that never reads them still has a derivative, and the reverse rules of
``eigh`` and ``svd`` give it without dividing by the zero gaps; one that reads them raises
:class:`~dualnum.rules._matrix.DegenerateSpectrumError`. Forward mode cannot know what will be
read and raises at any tie (:func:`~dualnum.rules._matrix.check_gaps`).

>>> tied_pairs(np.array([1.0, 2.0])) is None
True
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.primitive import unbox_all
from dualnum.rules._matrix import (
    DegenerateSpectrumError, clusters, gap_tolerance, zero_tolerance,
)

__all__ = ["tied_pairs", "read_columns", "check_unread"]


def tied_pairs(values: Any) -> np.ndarray | None:
    """The off-diagonal pairs ``(i, j)`` of values in one cluster of coinciding ones
    (:func:`clusters`), as a boolean mask ``(..., n, n)``, or None if every value is simple.

    >>> tied_pairs(np.array([1.0, 1.0, 3.0])).astype(int)
    array([[0, 1, 0],
           [1, 0, 0],
           [0, 0, 0]])
    """
    M = clusters(values)
    if M is None:
        return None
    n = M.shape[-1]
    return (M > 0) & ~np.eye(n, dtype=bool)


def read_columns(*cotangents: Any) -> np.ndarray:
    """Which columns (the last axis) any of the ``cotangents`` reads: nonzero anywhere in
    the column (``(..., m, k)`` matrices) or at the entry (``(..., k)`` vectors).

    >>> read_columns(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([0.0, 0.0]))
    array([False,  True])
    """
    read = None
    for g in cotangents:
        v = np.asarray(unbox_all(g)) != 0
        r = v if v.ndim == 1 or v.shape[-2:] == () else None
        r = v.any(axis=-2) if r is None else r
        read = r if read is None else read | r
    return read


def check_unread(name: str, values: Any, read: np.ndarray, degenerate: np.ndarray,
                 what: str = "eigenvalues", hint: str = "") -> None:
    """Raise :class:`DegenerateSpectrumError` if a function ``read`` (per value: its vectors'
    cotangent, or its own, is nonzero) a ``degenerate`` value's vectors: one in a tie, or a
    zero singular value. Unread, they do not depend on the basis LAPACK chose for their
    space, and the reverse rule never divides by their gaps. Nothing weaker is checkable from
    one cotangent: at ``V = I`` the cotangent of ``V[0, 0]`` (no derivative there) equals that
    of the smooth projector entry ``(V Vᵀ)[0, 0] / 2``."""
    bad = read & degenerate
    if not bad.any():
        return
    at = tuple(int(k) for k in np.argwhere(bad)[0])
    j, row = at[-1], np.asarray(unbox_all(values)).real[at[:-1]]
    where = "" if bad.ndim == 1 else f" (matrix {at[:-1]} of the stack)"
    tol = float(gap_tolerance(row))
    near = [i for i in range(len(row)) if i != j and abs(row[i] - row[j]) <= tol]
    if near:
        i, k = sorted((j, near[0]))
        state = (f"{what} {i} and {k} coincide ({float(row[i])!r} and {float(row[k])!r} are "
                 f"{abs(float(row[k] - row[i])):.3g} apart, within the tolerance {tol:.3g})")
    else:
        state = (f"{what.rstrip('s')} {j} is zero ({float(row[j])!r}, within the tolerance "
                 f"{float(zero_tolerance(row)):.3g})")
    raise DegenerateSpectrumError(
        f"{name}: {state}{where}, and the function reads its vectors or value: the vectors "
        f"are not unique there (any rotation within their space is as good), so they have no "
        f"derivative (a function that reads only the other vectors is differentiable in "
        f"reverse mode){hint}")
