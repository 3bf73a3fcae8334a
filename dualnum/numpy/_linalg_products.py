"""``dnp.linalg``'s products and diagonals, numpy 2's array-API spellings over the last
axes (trace, diagonal, matmul, matrix_transpose, outer, tensordot, vecdot) and multi_dot:
composites of the top-level ``dnp`` functions."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as _np

from dualnum.numpy._base import _axes, _in
from dualnum.numpy._products import outer as _outer, tensordot as _tensordot
from dualnum.numpy._shapes import diagonal as _diagonal, moveaxis as _moveaxis, trace as _trace
from dualnum.numpy._structural import reshape, sum, transpose
from dualnum.primitive import shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules import conj, matmul

__all__ = ["trace", "diagonal", "matmul", "matrix_transpose", "outer", "tensordot", "vecdot",
           "multi_dot"]


def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Any:
    """The trace of each matrix over the **last** two axes, numpy's ``linalg.trace`` (the
    top-level ``trace`` takes the first two).

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.trace(dnp.ones((2, 3, 3)))
    array([3., 3.])
    """
    if dtype is not None:
        raise TypeError("linalg.trace: dtype= is not supported (the result keeps x's dtype)")
    return _trace(x, offset=offset, axis1=-2, axis2=-1)


def diagonal(x: Any, /, *, offset: int = 0) -> Any:
    """The diagonals over the last two axes, numpy's ``linalg.diagonal``.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.diagonal(dnp.arange(4).reshape(2, 2))
    array([0., 3.])
    """
    return _diagonal(x, offset=offset, axis1=-2, axis2=-1)


def matrix_transpose(x: Any, /) -> Any:
    """Each matrix transposed (the last two axes swapped), numpy's ``linalg.matrix_transpose``.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.matrix_transpose(dnp.zeros((4, 2, 3))).shape
    (4, 3, 2)
    """
    x = _in(x)
    n = len(_shape_of(x))
    if n < 2:
        raise ValueError(f"matrix_transpose: input array must be at least 2-dimensional, got "
                         f"shape {_shape_of(x)}")
    return transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


def outer(x1: Any, x2: Any, /) -> Any:
    """The outer product of two vectors, numpy's ``linalg.outer`` (1-D inputs only, unlike
    the top-level ``outer``, which flattens).

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.outer([1.0, 2.0], [3.0, 4.0, 5.0]).shape
    (2, 3)
    """
    x1, x2 = _in(x1), _in(x2)
    if len(_shape_of(x1)) != 1 or len(_shape_of(x2)) != 1:
        raise ValueError(f"outer: input arrays must be one-dimensional, got shapes "
                         f"{_shape_of(x1)} and {_shape_of(x2)}")
    return _outer(x1, x2)


def tensordot(x1: Any, x2: Any, /, *, axes: Any = 2) -> Any:
    """numpy's ``linalg.tensordot``: the top-level ``tensordot`` with ``axes`` keyword-only.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.tensordot(dnp.ones((2, 3)), dnp.ones((3, 4)), axes=1).shape
    (2, 4)
    """
    return _tensordot(x1, x2, axes=axes)


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """``Σ conj(x1)·x2`` along ``axis`` of each (the other axes broadcast), numpy's
    ``linalg.vecdot``; like numpy, ``axis`` is taken in each input by its own dimensions.

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.vecdot([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
    array([3., 7.])
    """
    x1, x2 = _in(x1), _in(x2)
    moved = []
    for x in (x1, x2):
        nd = len(_shape_of(x))
        if nd == 0:
            raise ValueError("vecdot: inputs must be at least one-dimensional")
        (a,) = _axes(axis, nd, "vecdot")
        moved.append(x if a == nd - 1 else _moveaxis(x, a, -1))
    n1, n2 = _shape_of(moved[0])[-1], _shape_of(moved[1])[-1]
    if n1 != n2:
        raise ValueError(f"vecdot: axis {axis} has length {n1} in x1 (shape {_shape_of(x1)}) "
                         f"but {n2} in x2 (shape {_shape_of(x2)})")
    a1, a2 = moved
    if _np.iscomplexobj(_unbox_all(a1)):
        a1 = conj(a1)
    return sum(a1 * a2, axis=-1)


def _chain_order(dims: list[int]) -> list[list[int]]:
    """The cheapest parenthesisation of a matrix chain with ``dims`` (matrix i is
    ``dims[i] × dims[i + 1]``): numpy's ``multi_dot`` dynamic programme (Cormen, 15.2)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] < 0 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def multi_dot(arrays: Sequence[Any], *, out: Any = None) -> Any:
    """The product of two or more matrices in the cheapest order, numpy's
    ``linalg.multi_dot``; the first may be a vector (a row), the last a vector (a column).

    >>> import dualnum.numpy as dnp
    >>> dnp.linalg.multi_dot([dnp.ones(3), dnp.ones((3, 4)), dnp.ones((4, 2))])
    array([12., 12.])
    """
    if out is not None:
        raise TypeError("multi_dot: out= is not supported (it would write into an array "
                        "derivatives cannot follow)")
    arrays = [_in(a) for a in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot: expecting at least two arrays")
    first, last = arrays[0], arrays[-1]
    row = len(_shape_of(first)) == 1
    column = len(_shape_of(last)) == 1
    if row:
        arrays[0] = reshape(first, (1, -1))
    if column:
        arrays[-1] = reshape(last, (-1, 1))
    for k, a in enumerate(arrays):
        if len(_shape_of(a)) != 2:
            raise ValueError(f"multi_dot: array {k} has {len(_shape_of(a))} dimensions; all "
                             "but the first and the last must be 2-dimensional")
    if len(arrays) == 2:
        result = matmul(arrays[0], arrays[1])
    else:
        dims = [_shape_of(a)[0] for a in arrays] + [_shape_of(arrays[-1])[1]]
        split = _chain_order(dims)

        # recursive over the split tree of the chain: as deep as the list of arrays is long
        def product(i: int, j: int) -> Any:
            if i == j:
                return arrays[i]
            k = split[i][j]
            return matmul(product(i, k), product(k + 1, j))

        result = product(0, len(arrays) - 1)
    if row and column:
        return reshape(result, ())
    if row or column:
        return reshape(result, (-1,))
    return result
