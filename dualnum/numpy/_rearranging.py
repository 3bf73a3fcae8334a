"""Rearranging the elements of one array: ravel, flipud, fliplr, rot90, rollaxis (numpy's
names and checks, written with reshape, transpose and reversed slices)."""
from __future__ import annotations

import operator
from typing import Any

import numpy as _np

from dualnum.numpy._base import _axes, asarray
from dualnum.numpy._shapes import flip
from dualnum.numpy._structural import reshape, transpose
from dualnum.primitive import shape_of as _shape_of


def ravel(a: Any, order: str = "C") -> Any:
    """The elements as a 1-D array, row by row (``order="C"``) or column by column
    (``order="F"``). ``"A"`` and ``"K"`` follow an array's memory layout, which a
    differentiable value does not have: they raise.

    >>> import dualnum.numpy as dnp
    >>> dnp.ravel([[1.0, 2.0], [3.0, 4.0]])
    array([1., 2., 3., 4.])
    >>> dnp.ravel([[1.0, 2.0], [3.0, 4.0]], order="F")
    array([1., 3., 2., 4.])
    """
    a = asarray(a)
    if order == "C":
        return reshape(a, -1)
    if order == "F":
        return reshape(transpose(a), -1)
    if order in ("A", "K"):
        raise ValueError(f"ravel: order={order!r} follows memory layout, which dualnum values "
                         "do not have; use 'C' (rows) or 'F' (columns)")
    raise ValueError(f"ravel: order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")


def flipud(m: Any) -> Any:
    """Reverse the order of the rows (axis 0), as ``numpy.flipud``.

    >>> import dualnum.numpy as dnp
    >>> dnp.flipud([[1.0, 2.0], [3.0, 4.0]])
    array([[3., 4.],
           [1., 2.]])
    """
    m = asarray(m)
    if not _shape_of(m):
        raise ValueError("flipud: Input must be >= 1-d, got a 0-D value")
    return flip(m, 0)


def fliplr(m: Any) -> Any:
    """Reverse the order of the columns (axis 1), as ``numpy.fliplr``.

    >>> import dualnum.numpy as dnp
    >>> dnp.fliplr([[1.0, 2.0], [3.0, 4.0]])
    array([[2., 1.],
           [4., 3.]])
    """
    m = asarray(m)
    if len(_shape_of(m)) < 2:
        raise ValueError(f"fliplr: Input must be >= 2-d, got shape {_shape_of(m)}")
    return flip(m, 1)


def rot90(m: Any, k: int = 1, axes: Any = (0, 1)) -> Any:
    """Rotate by 90° ``k`` times in the plane of ``axes``, from the first axis towards the
    second (numpy's ``rot90``: counter-clockwise for a matrix shown as rows).

    >>> import dualnum.numpy as dnp
    >>> dnp.rot90([[1.0, 2.0], [3.0, 4.0]])
    array([[2., 4.],
           [1., 3.]])
    >>> dnp.rot90([[1.0, 2.0], [3.0, 4.0]], k=-1)
    array([[3., 1.],
           [4., 2.]])
    """
    m = asarray(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError(f"rot90: len(axes) must be 2, got axes={axes!r}")
    n = len(_shape_of(m))
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == n:
        raise ValueError(f"rot90: Axes must be different, got axes={axes!r}")
    if not (-n <= axes[0] < n and -n <= axes[1] < n):
        raise ValueError(f"rot90: Axes={axes} out of range for array of ndim={n}.")
    a0, a1 = axes[0] % n, axes[1] % n
    k = operator.index(k) % 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, a0), a1)
    order = list(range(n))
    order[a0], order[a1] = order[a1], order[a0]
    if k == 1:
        return transpose(flip(m, a1), order)
    return flip(transpose(m, order), a1)


def rollaxis(a: Any, axis: int, start: int = 0) -> Any:
    """Move ``axis`` so that it comes before position ``start`` (numpy's older form of
    ``moveaxis``, kept for the code that uses it).

    >>> import dualnum.numpy as dnp
    >>> dnp.rollaxis(dnp.zeros((3, 4, 5)), 2).shape
    (5, 3, 4)
    >>> dnp.rollaxis(dnp.zeros((3, 4, 5)), 0, 2).shape
    (4, 3, 5)
    """
    a = asarray(a)
    n = len(_shape_of(a))
    (axis,) = _axes(axis, n, "rollaxis")
    start = given = operator.index(start)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise _np.exceptions.AxisError(
            f"rollaxis: 'start' arg requires {-n} <= start < {n + 1}, but "
            f"{given} was passed in")
    if axis < start:
        start -= 1
    if axis == start:
        return a
    order = [i for i in range(n) if i != axis]
    order.insert(start, axis)
    return transpose(a, order)
