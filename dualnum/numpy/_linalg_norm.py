"""``dnp.linalg``'s norms: norm (vector and matrix orders; 2, -2 and 'nuc' through the
singular values), vector_norm, matrix_norm, cond, and matrix_rank (an integer: a constant)."""
from __future__ import annotations

from typing import Any

import numpy as _np

from dualnum.numpy._base import _abs2, _axes, _in
from dualnum.numpy._structural import max, min, reshape, sum, transpose
from dualnum.primitive import Box as _Box, is_complex as _is_complex
from dualnum.primitive import shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules import abs, inv, power, sqrt, svdvals

__all__ = ["norm", "vector_norm", "matrix_norm", "cond", "matrix_rank"]

inf = _np.inf


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """``numpy.linalg.norm``: by default the Euclidean / Frobenius norm ``sqrt(sum(|x|²))``
    over all elements (real also for complex ``x``); its derivative is undefined at 0.

    ``ord`` as numpy: for vectors (``axis`` an int, or 1-D ``x``) ``inf``, ``-inf``, ``0``
    (the count of nonzeros, a constant), ``1``, ``2`` or any p; for matrices (``axis`` a pair,
    or 2-D ``x`` with ``ord`` given) ``'fro'``, ``1``, ``-1``, ``inf``, ``-inf``, and through
    the singular values (``svdvals``) ``2`` (the largest), ``-2`` (the smallest) and
    ``'nuc'`` (their sum); these follow svdvals's tie convention.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.norm(dnp.asarray([3.0, 4.0])))
    5.0
    >>> round(float(dnp.norm([1 + 2j, 3 - 1j])) ** 2, 12)
    15.0
    >>> dnp.norm([[1.0, -2.0], [3.0, 4.0]], ord=1)
    np.float64(6.0)
    >>> float(dnp.linalg.norm([[3.0, 0.0], [0.0, -2.0]], ord="nuc"))
    5.0
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
        if not isinstance(axis, tuple):     # numpy's rule: an int, or anything int() takes
            try:
                axis = int(axis)
            except Exception:
                raise TypeError(f"norm: 'axis' must be None, an integer or a tuple of "
                                f"integers, got {axis!r}") from None
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
        rest = [i for i in range(len(_shape_of(x))) if i not in (row, col)]
        _real_box("norm", f"ord={ord!r}", x)
        s = svdvals(transpose(x, rest + [row, col]))
        out = max(s, axis=-1) if ord == 2 else min(s, axis=-1) if ord == -2 else sum(s, axis=-1)
    else:
        raise ValueError(f"norm: invalid norm order {ord!r} for matrices")
    if keepdims:
        s = list(_shape_of(x))
        s[row] = s[col] = 1
        out = reshape(out, tuple(s))
    return out


def vector_norm(x: Any, /, *, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Any:
    """The vector norm over ``axis`` (all of ``x`` as one vector by default, or a tuple of
    axes taken together), numpy's ``linalg.vector_norm``.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.linalg.vector_norm(dnp.ones((2, 2))))
    2.0
    """
    x = _in(x)
    shape = _shape_of(x)
    nd = len(shape)
    axes = tuple(range(nd)) if axis is None else _axes(axis, nd, "vector_norm")
    if len(axes) == 1 and axis is not None:
        return _vector_norm(x, ord, axes[0], keepdims)
    rest = [i for i in range(nd) if i not in axes]
    flat = reshape(transpose(x, rest + sorted(axes)), tuple(shape[i] for i in rest) + (-1,)) \
        if nd else reshape(x, (1,))
    out = _vector_norm(flat, ord, len(rest), False)
    if keepdims:
        out = reshape(out, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return out


def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Any:
    """The matrix norm of each matrix (the last two axes), numpy's ``linalg.matrix_norm``.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.matrix_norm(dnp.ones((3, 2, 2)), ord=1)
    array([2., 2., 2.])
    """
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)     # 1-D x: numpy's AxisError


def _real_box(name: str, what: str, x: Any) -> None:
    """Refuse a complex box where the singular values are read: svdvals's derivative is for
    real matrices, and its error would name svdvals, not the function called."""
    if isinstance(x, _Box) and _is_complex(x):
        raise NotImplementedError(
            f"{name}: {what} of a complex matrix reads its singular values, whose derivative "
            "is for real matrices; differentiate a real formulation (real and imaginary parts "
            "as a real block matrix) instead")


def cond(x: Any, p: Any = None) -> Any:
    """The condition number, numpy's ``linalg.cond``: ``σ_max/σ_min`` for ``p`` None or 2
    (``σ_min/σ_max`` for -2), else ``norm(x, p) · norm(inv(x), p)`` (square ``x``).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.linalg.cond([[2.0, 0.0], [0.0, 0.5]]))
    4.0
    """
    x = _in(x)
    if len(_shape_of(x)) < 2:
        raise _np.linalg.LinAlgError(f"cond: {len(_shape_of(x))}-dimensional array given. "
                                     "Array must be at least two-dimensional")
    if type(x) is _np.ndarray and x.dtype != object:
        return _np.linalg.cond(x, p)    # plain numbers: numpy's own (inf where singular)
    if p is None or p in (2, -2):
        _real_box("cond", f"p={p!r}", x)
        s = svdvals(x)
        big, small = max(s, axis=-1), min(s, axis=-1)
        return small / big if p == -2 else big / small
    try:
        Xinv = inv(x)
    except _np.linalg.LinAlgError:
        raise _np.linalg.LinAlgError(
            f"cond: a matrix of the stack (shape {_shape_of(x)}) is singular: its condition "
            f"number for p={p!r} is inf, which has no derivative") from None
    return norm(x, ord=p, axis=(-2, -1)) * norm(Xinv, ord=p, axis=(-2, -1))


def matrix_rank(A: Any, tol: Any = None, hermitian: bool = False, *, rtol: Any = None) -> Any:
    """The rank (an integer: a constant, no derivative), numpy's ``linalg.matrix_rank`` of
    the plain values.

    >>> import dualnum.numpy as dnp
    >>> int(dnp.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
    1
    """
    kw = {} if rtol is None else {"rtol": rtol}
    return _np.linalg.matrix_rank(_np.asarray(_unbox_all(_in(A))), tol=tol,
                                  hermitian=hermitian, **kw)
