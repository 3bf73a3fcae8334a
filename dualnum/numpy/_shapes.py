"""Composites that move, add, remove or select axes (all written with primitives)."""
from __future__ import annotations

import builtins
import operator
from typing import Any, Sequence

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy._base import _as_tuple, _axes, _in
from dualnum.numpy._structural import concatenate, reshape, sum, transpose
from dualnum.primitive import shape_of as _shape_of
from dualnum.rules.shape import norm_axes as _norm_axes


def squeeze(x: Any, axis: Any = None) -> Any:
    """Remove axes of length one (all of them by default).

    >>> import dualnum.numpy as dnp
    >>> dnp.squeeze(dnp.zeros((1, 3))).shape
    (3,)
    >>> dnp.squeeze(dnp.zeros((1, 3, 1)), axis=-1).shape
    (1, 3)
    """
    x = _in(x)
    s = _shape_of(x)
    if axis is None:
        axes = tuple(i for i, n in enumerate(s) if n == 1)
    elif not s:
        _norm_axes(axis, 0)     # numpy lets a 0-D array "squeeze" its axis 0 (or -1)
        return x
    else:
        axes = _axes(axis, len(s), "squeeze")
    for a in axes:
        if s[a] != 1:
            raise ValueError(f"squeeze: cannot select axis {a}, of length {s[a]} (not 1), "
                             f"to squeeze out of shape {s}")
    return reshape(x, tuple(n for i, n in enumerate(s) if i not in axes))


def expand_dims(x: Any, axis: Any) -> Any:
    """Insert axes of length one at the positions ``axis`` (an int or a tuple) of the result.

    Axes out of range or repeated raise as in numpy (AxisError, ValueError).

    >>> import dualnum.numpy as dnp
    >>> dnp.expand_dims(dnp.zeros(3), 0).shape
    (1, 3)
    >>> dnp.expand_dims(dnp.zeros((2, 3)), (0, -1)).shape
    (1, 2, 3, 1)
    """
    x = _in(x)
    s = _shape_of(x)
    n = len(s) + len(_as_tuple(axis))
    axes = _axes(axis, n, "expand_dims")
    rest = iter(s)
    return reshape(x, tuple(1 if i in axes else next(rest) for i in range(n)))


def stack(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join arrays of one shape along a new axis.

    >>> import dualnum.numpy as dnp
    >>> dnp.stack([dnp.zeros(2), dnp.ones(2)], axis=1).shape
    (2, 2)
    >>> dnp.stack([[1.0, 2.0], [3.0, 4.0]], axis=-1)
    array([[1., 3.],
           [2., 4.]])
    """
    arrays = [_in(a) for a in arrays]
    if not arrays:
        raise ValueError("stack: need at least one array")
    shapes = {_shape_of(a) for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"stack: all arrays must have the same shape, got {sorted(shapes)}")
    return concatenate([expand_dims(a, axis) for a in arrays], axis=axis)


def moveaxis(x: Any, source: Any, destination: Any) -> Any:
    """Move axes to new positions (ints or sequences of them, as numpy); the other axes keep
    their order.

    >>> import dualnum.numpy as dnp
    >>> dnp.moveaxis(dnp.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    >>> dnp.moveaxis(dnp.zeros((2, 3, 4)), (0, 1), (1, 2)).shape
    (4, 2, 3)
    """
    x = _in(x)
    n = len(_shape_of(x))
    src = _axes(source, n, "moveaxis", "source")
    dst = _axes(destination, n, "moveaxis", "destination")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: `source` {source!r} and `destination` {destination!r} "
                         "must have the same number of elements")
    order = [i for i in range(n) if i not in src]
    for d, a in sorted(zip(dst, src)):
        order.insert(d, a)
    return transpose(x, order)


def swapaxes(x: Any, axis1: int, axis2: int) -> Any:
    """Exchange two axes (numpy's ``axis1``, ``axis2``).

    >>> import dualnum.numpy as dnp
    >>> dnp.swapaxes(dnp.zeros((2, 3)), 0, 1).shape
    (3, 2)
    >>> dnp.swapaxes(dnp.zeros((2, 3, 4)), axis1=-1, axis2=0).shape
    (4, 3, 2)
    """
    x = _in(x)
    n = len(_shape_of(x))
    (a,), (b,) = _axes(axis1, n, "swapaxes", "axis1"), _axes(axis2, n, "swapaxes", "axis2")
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    return transpose(x, order)


def flip(x: Any, axis: Any = None) -> Any:
    """Reverse the order of elements along ``axis`` (all axes by default).

    >>> import dualnum.numpy as dnp
    >>> dnp.flip(dnp.asarray([1.0, 2.0, 3.0]))
    array([3., 2., 1.])
    >>> dnp.flip([[1.0, 2.0], [3.0, 4.0]], axis=-1)
    array([[2., 1.],
           [4., 3.]])
    """
    x = _in(x)
    n = len(_shape_of(x))
    axes = tuple(range(n)) if axis is None else _axes(axis, n, "flip")
    if not axes:
        return x
    return x[tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(n))]


def _diag_index(n1: int, n2: int, offset: int) -> tuple[_np.ndarray, _np.ndarray]:
    """Row and column indices of the ``offset``-th diagonal of an ``n1 × n2`` matrix (above
    the main one for offset > 0, below for offset < 0; empty when it falls outside)."""
    if offset >= 0:
        m = builtins.max(0, builtins.min(n1, n2 - offset))
        return _np.arange(m), _np.arange(m) + offset
    m = builtins.max(0, builtins.min(n1 + offset, n2))
    return _np.arange(m) - offset, _np.arange(m)


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The ``offset``-th diagonal of the matrices spanned by ``axis1`` and ``axis2``, as the
    last axis of the result (numpy's ``diagonal``).

    >>> import dualnum.numpy as dnp
    >>> dnp.diagonal(dnp.arange(12).reshape(3, 4), offset=1)
    array([ 1.,  6., 11.])
    >>> dnp.diagonal(dnp.arange(24).reshape(2, 3, 4), axis1=1, axis2=2)
    array([[ 0.,  5., 10.],
           [12., 17., 22.]])
    """
    x = _in(x)
    s = _shape_of(x)
    if len(s) < 2:
        raise ValueError(f"diagonal: needs an array of at least two dimensions, got shape {s}")
    (a1,), (a2,) = _axes(axis1, len(s), "diagonal", "axis1"), _axes(axis2, len(s), "diagonal",
                                                                      "axis2")
    if a1 == a2:
        raise ValueError(f"diagonal: axis1 and axis2 cannot be the same (both {a1})")
    rows, cols = _diag_index(s[a1], s[a2], operator.index(offset))
    rest = [i for i in range(len(s)) if i not in (a1, a2)]
    return transpose(x, rest + [a1, a2])[(Ellipsis, rows, cols)]


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None,
          out: Any = None) -> Any:
    """Sum along a diagonal (numpy's ``trace``): over ``axis1`` and ``axis2`` (the first two
    by default, so a 3-D array gives one trace per index of its last axis), ``offset`` above
    (> 0) or below (< 0) the main diagonal; non-square matrices too.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.trace(dnp.eye(3)))
    3.0
    >>> dnp.trace(dnp.arange(24).reshape(2, 3, 4))
    array([16., 18., 20., 22.])
    >>> float(dnp.trace(dnp.arange(6).reshape(2, 3), offset=-1))
    3.0
    """
    if out is not None:
        raise TypeError("trace: out= is not supported (dualnum values are not written in "
                        "place)")
    if dtype is not None and _np.dtype(dtype).kind not in "fc":
        raise TypeError(f"trace: dtype={_np.dtype(dtype)} has no derivative; leave it out")
    return sum(diagonal(x, offset=offset, axis1=axis1, axis2=axis2), axis=-1)


def diag(v: Any, k: int = 0) -> Any:
    """numpy's ``diag``: of a matrix, its ``k``-th diagonal; of a vector, the square matrix with
    the vector on its ``k``-th diagonal and zeros elsewhere.

    >>> import dualnum.numpy as dnp
    >>> dnp.diag(dnp.asarray([[1.0, 2.0], [3.0, 4.0]]))
    array([1., 4.])
    >>> dnp.diag(dnp.asarray([1.0, 2.0]), k=1)
    array([[0., 1., 0.],
           [0., 0., 2.],
           [0., 0., 0.]])
    """
    v = _in(v)
    s = _shape_of(v)
    if len(s) == 2:
        return diagonal(v, offset=k)
    if len(s) != 1:
        raise ValueError(f"diag: input must be 1- or 2-d, got shape {s}")
    n = s[0] + builtins.abs(operator.index(k))
    return _R.index_add(v, _diag_index(n, n, operator.index(k)), shape=(n, n))
