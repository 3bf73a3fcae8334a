"""Joining and splitting arrays: atleast_1d/2d/3d, vstack, hstack, dstack, column_stack,
row_stack, append, split, array_split, vsplit, hsplit, dsplit (numpy's names and rules, written
with reshape, transpose, concatenate and slicing)."""
from __future__ import annotations

import operator
import warnings
from typing import Any, Sequence

import numpy as _np

from dualnum.numpy._base import _axes, asarray
from dualnum.numpy._structural import concatenate, reshape, transpose
from dualnum.primitive import Box as _Box, shape_of as _shape_of


def _atleast(x: Any, n: int) -> Any:
    """``x`` with at least ``n`` axes, numpy's way: a vector becomes a row (``(1, k)``) for 2-D
    and ``(1, k, 1)`` for 3-D; a matrix gets a trailing axis for 3-D."""
    x = asarray(x)
    s = _shape_of(x)
    if len(s) >= n:
        return x
    if n == 3 and len(s) == 2:
        return reshape(x, s + (1,))
    if n == 3 and len(s) == 1:
        return reshape(x, (1,) + s + (1,))
    return reshape(x, (1,) * (n - len(s)) + s)


def _each(arys: tuple, n: int) -> Any:
    res = tuple(_atleast(a, n) for a in arys)
    return res[0] if len(res) == 1 else res     # numpy 2: a tuple for several (or none)


def atleast_1d(*arys: Any) -> Any:
    """Each argument as an array of at least one dimension (a 0-D value becomes shape
    ``(1,)``); one argument gives an array, several a tuple, as ``numpy.atleast_1d``.

    >>> import dualnum.numpy as dnp
    >>> dnp.atleast_1d(2.0)
    array([2.])
    >>> [a.shape for a in dnp.atleast_1d(1.0, [2.0, 3.0])]
    [(1,), (2,)]
    """
    return _each(arys, 1)


def atleast_2d(*arys: Any) -> Any:
    """Each argument with at least two dimensions: ``()`` -> ``(1, 1)``, ``(k,)`` -> ``(1, k)``.

    >>> import dualnum.numpy as dnp
    >>> dnp.atleast_2d([1.0, 2.0])
    array([[1., 2.]])
    """
    return _each(arys, 2)


def atleast_3d(*arys: Any) -> Any:
    """Each argument with at least three dimensions: ``()`` -> ``(1, 1, 1)``, ``(k,)`` ->
    ``(1, k, 1)``, ``(m, k)`` -> ``(m, k, 1)``.

    >>> import dualnum.numpy as dnp
    >>> dnp.atleast_3d([1.0, 2.0]).shape
    (1, 2, 1)
    """
    return _each(arys, 3)


def _sequence(tup: Any, fn: str) -> list:
    if not hasattr(tup, "__getitem__"):
        raise TypeError(f'{fn}: arrays to stack must be passed as a "sequence" type such as '
                        f"list or tuple, not {type(tup).__name__}")
    return list(tup)


def _typed(out: Any, tup: list, dtype: Any, casting: str, fn: str) -> Any:
    """``dtype=``/``casting=`` of numpy's stacks: constants are cast as numpy casts them; a
    differentiable result keeps its derivative only in its own (floating) dtype."""
    if dtype is None:
        return out
    want = _np.dtype(dtype)
    if isinstance(out, _Box):
        if want != out.dtype:
            raise TypeError(f"{fn}: dtype={want} for a differentiable value of dtype "
                            f"{out.dtype} would lose its derivative; leave dtype=None")
        return out
    have = _np.result_type(*[_np.asarray(t) for t in tup])     # no boxes: out is one
    if not _np.can_cast(have, want, casting=casting):
        raise TypeError(f"{fn}: cannot cast array data from {have} to {want} according to "
                        f"the rule {casting!r}")
    return _np.asarray(out).astype(want)


def vstack(tup: Sequence[Any], *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """Stack arrays as rows (along the first axis, after ``atleast_2d``).

    >>> import dualnum.numpy as dnp
    >>> dnp.vstack([[1.0, 2.0], [3.0, 4.0]])
    array([[1., 2.],
           [3., 4.]])
    """
    arrs = _sequence(tup, "vstack")
    out = concatenate([_atleast(a, 2) for a in arrs], axis=0)
    return _typed(out, arrs, dtype, casting, "vstack")


def row_stack(tup: Sequence[Any], *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """numpy's deprecated alias of ``vstack`` (numpy 2 warns, and so does this).

    >>> import warnings, dualnum.numpy as dnp
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     dnp.row_stack([[1.0], [2.0]])
    array([[1.],
           [2.]])
    """
    warnings.warn("`row_stack` alias is deprecated. Use `np.vstack` directly.",
                  DeprecationWarning, stacklevel=2)
    return vstack(tup, dtype=dtype, casting=casting)


def hstack(tup: Sequence[Any], *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """Stack arrays as columns: along the first axis for vectors, the second otherwise.

    >>> import dualnum.numpy as dnp
    >>> dnp.hstack([[1.0, 2.0], [3.0]])
    array([1., 2., 3.])
    >>> dnp.hstack([[[1.0], [2.0]], [[3.0], [4.0]]])
    array([[1., 3.],
           [2., 4.]])
    """
    arrs = [_atleast(a, 1) for a in _sequence(tup, "hstack")]
    axis = 0 if arrs and len(_shape_of(arrs[0])) == 1 else 1
    return _typed(concatenate(arrs, axis=axis), list(tup), dtype, casting, "hstack")


def dstack(tup: Sequence[Any]) -> Any:
    """Stack arrays along the third axis (after ``atleast_3d``).

    >>> import dualnum.numpy as dnp
    >>> dnp.dstack([[1.0, 2.0], [3.0, 4.0]])
    array([[[1., 3.],
            [2., 4.]]])
    """
    return concatenate([_atleast(a, 3) for a in _sequence(tup, "dstack")], axis=2)


def column_stack(tup: Sequence[Any]) -> Any:
    """Stack vectors as the columns of a matrix (2-D arrays are joined as they are).

    >>> import dualnum.numpy as dnp
    >>> dnp.column_stack([[1.0, 2.0], [3.0, 4.0]])
    array([[1., 3.],
           [2., 4.]])
    """
    cols = []
    for a in _sequence(tup, "column_stack"):
        a = asarray(a)
        cols.append(transpose(_atleast(a, 2)) if len(_shape_of(a)) < 2 else a)
    return concatenate(cols, axis=1)


def append(arr: Any, values: Any, axis: int | None = None) -> Any:
    """``arr`` followed by ``values`` along ``axis``; with ``axis=None`` both are flattened
    first (numpy's ``append``).

    >>> import dualnum.numpy as dnp
    >>> dnp.append([[1.0, 2.0]], [3.0])
    array([1., 2., 3.])
    >>> dnp.append([[1.0, 2.0]], [[3.0, 4.0]], axis=0)
    array([[1., 2.],
           [3., 4.]])
    """
    arr, values = asarray(arr), asarray(values)
    if axis is None:
        return concatenate([reshape(arr, -1), reshape(values, -1)], axis=0)
    return concatenate([arr, values], axis=axis)


def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """Split ``ary`` along ``axis`` into a list of pieces: ``indices_or_sections`` an int N
    (N pieces; the first ``len % N`` one element longer) or the sorted split points.

    >>> import dualnum.numpy as dnp
    >>> [p.tolist() for p in dnp.array_split(dnp.arange(5), 3)]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    >>> [p.shape for p in dnp.array_split(dnp.zeros((2, 6)), [1, 4], axis=1)]
    [(2, 1), (2, 3), (2, 2)]
    """
    ary = asarray(ary)
    s = _shape_of(ary)
    (ax,) = _axes(axis, len(s), "array_split")
    total = s[ax]
    try:
        points = [0] + [operator.index(i) for i in indices_or_sections] + [total]
    except TypeError:       # a number of sections
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"array_split: number sections must be larger than 0, got "
                             f"{sections}") from None
        each, extras = divmod(total, sections)
        sizes = [0] + extras * [each + 1] + (sections - extras) * [each]
        points = [int(p) for p in _np.cumsum(sizes)]
    lead = (slice(None),) * ax
    return [ary[lead + (slice(a, b),)] for a, b in zip(points[:-1], points[1:])]


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """Split into equal pieces (an int N: the axis length must be a multiple of N) or at the
    given split points, as ``numpy.split``.

    >>> import dualnum.numpy as dnp
    >>> [p.tolist() for p in dnp.split(dnp.arange(4), 2)]
    [[0.0, 1.0], [2.0, 3.0]]
    >>> [p.tolist() for p in dnp.split(dnp.arange(4), [1, 3])]
    [[0.0], [1.0, 2.0], [3.0]]
    """
    if not _np.iterable(indices_or_sections):
        ary = asarray(ary)
        s = _shape_of(ary)
        (ax,) = _axes(axis, len(s), "split")
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError(f"split: number sections must be larger than 0, got {sections}")
        if s[ax] % sections:
            raise ValueError(f"split: array split does not result in an equal division "
                             f"({s[ax]} elements along axis {ax} into {sections} sections)")
    return array_split(ary, indices_or_sections, axis)


def _split_from(ary: Any, nd: int, fn: str) -> tuple[Any, int]:
    ary = asarray(ary)
    n = len(_shape_of(ary))
    if n < nd:
        raise ValueError(f"{fn} only works on arrays of {nd} or more dimensions, got shape "
                         f"{_shape_of(ary)}")
    return ary, n


def vsplit(ary: Any, indices_or_sections: Any) -> list:
    """``split`` along the first axis (arrays of two or more dimensions).

    >>> import dualnum.numpy as dnp
    >>> [p.shape for p in dnp.vsplit(dnp.zeros((4, 2)), 2)]
    [(2, 2), (2, 2)]
    """
    ary, _ = _split_from(ary, 2, "vsplit")
    return split(ary, indices_or_sections, 0)


def hsplit(ary: Any, indices_or_sections: Any) -> list:
    """``split`` along the second axis (along the first for vectors).

    >>> import dualnum.numpy as dnp
    >>> [p.shape for p in dnp.hsplit(dnp.zeros((2, 4)), [1])]
    [(2, 1), (2, 3)]
    """
    ary, n = _split_from(ary, 1, "hsplit")
    return split(ary, indices_or_sections, 1 if n > 1 else 0)


def dsplit(ary: Any, indices_or_sections: Any) -> list:
    """``split`` along the third axis (arrays of three or more dimensions).

    >>> import dualnum.numpy as dnp
    >>> [p.shape for p in dnp.dsplit(dnp.zeros((1, 2, 4)), 2)]
    [(1, 2, 2), (1, 2, 2)]
    """
    ary, _ = _split_from(ary, 3, "dsplit")
    return split(ary, indices_or_sections, 2)
