"""``dualnum.numpy.linalg``: linear algebra (like ``numpy.linalg``)."""
from __future__ import annotations

from typing import Any

import numpy as _np

from dualnum.numpy._base import _abs2, _axes, _in
from dualnum.numpy._structural import max, min, reshape, sum
from dualnum.primitive import shape_of as _shape_of
from dualnum.rules import abs, power, sqrt

inf = _np.inf


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """``numpy.linalg.norm``: by default the Euclidean / Frobenius norm ``sqrt(sum(|x|²))``
    over all elements (real also for complex ``x``); its derivative is undefined at 0.

    ``ord`` as numpy: for vectors (``axis`` an int, or 1-D ``x``) ``inf``, ``-inf``, ``0``
    (the count of nonzeros, a constant), ``1``, ``2`` or any p; for matrices (``axis`` a pair,
    or 2-D ``x`` with ``ord`` given) ``'fro'``, ``1``, ``-1``, ``inf``, ``-inf`` (``2``,
    ``-2`` and ``'nuc'`` need singular values, which have no rule here).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.norm(dnp.asarray([3.0, 4.0])))
    5.0
    >>> round(float(dnp.norm([1 + 2j, 3 - 1j])) ** 2, 12)
    15.0
    >>> dnp.norm([[1.0, -2.0], [3.0, 4.0]], ord=1)
    np.float64(6.0)
    """
    x = _in(x)
    nd = len(_shape_of(x))
    if axis is None:
        if ord is None or (ord in ("f", "fro") and nd == 2) or (ord == 2 and nd == 1):
            return sqrt(sum(_abs2(x), keepdims=keepdims))
        if nd not in (1, 2):
            raise ValueError(f"norm: ord={ord!r} needs a 1-D or 2-D array, not {nd}-D; "
                             "give axis")
        axes = tuple(range(nd))
    else:
        axes = _axes(axis, nd, "norm")
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"norm: axis {axis!r}: give one axis (vector norm) or two (matrix norm)")


def _vector_norm(x: Any, ord: Any, ax: int, keepdims: bool) -> Any:
    if ord is None or ord == 2:
        return sqrt(sum(_abs2(x), axis=ax, keepdims=keepdims))
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors")
    if ord == inf:
        return max(abs(x), axis=ax, keepdims=keepdims)
    if ord == -inf:
        return min(abs(x), axis=ax, keepdims=keepdims)
    if ord == 0:    # the number of nonzero elements: piecewise constant, derivative 0
        return sum(_np.asarray(x != 0, dtype=float), axis=ax, keepdims=keepdims)
    if ord == 1:
        return sum(abs(x), axis=ax, keepdims=keepdims)
    return power(sum(power(abs(x), float(ord)), axis=ax, keepdims=keepdims), 1.0 / ord)


def _matrix_norm(x: Any, ord: Any, axes: tuple, keepdims: bool) -> Any:
    row, col = axes
    if ord is None or ord in ("f", "fro"):
        out = sqrt(sum(_abs2(x), axis=axes))
    elif ord in (1, -1, inf, -inf):
        # 1: the largest column sum of |x| (sum over rows); inf: the largest row sum
        inner_ax, outer_ax = (row, col) if ord in (1, -1) else (col, row)
        pick = max if ord in (1, inf) else min
        out = pick(sum(abs(x), axis=inner_ax), axis=outer_ax - (outer_ax > inner_ax))
    elif ord in (2, -2, "nuc"):
        raise NotImplementedError(f"norm: ord={ord!r} of a matrix needs its singular values, "
                                  "which have no derivative rule in dualnum")
    else:
        raise ValueError(f"norm: invalid norm order {ord!r} for matrices")
    if keepdims:
        s = list(_shape_of(x))
        s[row] = s[col] = 1
        out = reshape(out, tuple(s))
    return out
