"""Gathers and the scatter that is their transpose: take, take_along_axis, index_add, repeat,
tile, roll, tril and triu, all written with the primitives (getitem, index_add, reshape,
broadcast_to, concatenate, where).

Where numpy's rules about an index are intricate (negative, wrapped or clipped indices, the
broadcasting of ``repeats``), numpy itself works them out on an array of positions
(``np.take(np.arange(n), indices, mode=mode)``), so the values, the shapes and the errors are
numpy's; the differentiable value is then gathered with those positions. A gather's adjoint
is the scatter-add of ``index_add`` (repeated positions accumulate), so every name here
differentiates in both modes and again.
"""
from __future__ import annotations

import operator
from typing import Any

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy._base import _axes, _in, asarray
from dualnum.numpy._structural import broadcast_to, concatenate, reshape, where
from dualnum.primitive import Box as _Box, shape_of as _shape_of


def _along(ax: int, index: Any) -> tuple:
    """The index that applies ``index`` to axis ``ax`` and leaves the others whole."""
    return (slice(None),) * ax + (index,)


def _plain_index(idx: Any, fn: str) -> None:
    parts = idx if isinstance(idx, tuple) else (idx,)
    if any(isinstance(i, _Box) for i in parts):
        raise TypeError(f"{fn}: an index must be plain integers, slices or integer arrays, "
                        "not a differentiable value")


def _no_out(out: Any, fn: str) -> None:
    if out is not None:
        raise TypeError(f"{fn}: out= is not supported (dualnum values are never written in "
                        "place); use the returned array")


def take(a: Any, indices: Any, axis: int | None = None, out: Any = None,
         mode: str = "raise") -> Any:
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flattened array by default), as
    ``numpy.take``: ``mode="raise"`` (negative indices count from the end, others raise
    IndexError), ``"wrap"`` or ``"clip"``. The result has shape ``a.shape[:axis] +
    indices.shape + a.shape[axis+1:]``; a repeated index gets the sum of the adjoints.

    >>> import dualnum.numpy as dnp
    >>> dnp.take([[1.0, 2.0], [3.0, 4.0]], [3, 0, -1])
    array([4., 1., 4.])
    >>> dnp.take([[1.0, 2.0], [3.0, 4.0]], [[0, 5]], axis=1, mode="wrap")
    array([[[1., 2.]],
    <BLANKLINE>
           [[3., 4.]]])
    """
    _no_out(out, "take")
    _plain_index(indices, "take")
    a = asarray(a)
    if axis is None:
        a, ax = reshape(a, -1), 0
    elif not _shape_of(a):
        _axes(axis, 1, "take")      # numpy takes along axis 0 (or -1) of a 0-D array
        a, ax = reshape(a, (1,)), 0
    else:
        (ax,) = _axes(axis, len(_shape_of(a)), "take")
    positions = _np.take(_np.arange(_shape_of(a)[ax]), indices, mode=mode)
    return a[_along(ax, positions)]


def take_along_axis(arr: Any, indices: Any, axis: int | None = -1) -> Any:
    """``numpy.take_along_axis``: pick ``indices[..., i, ...]`` along ``axis`` for every
    position of the other axes (``indices`` has ``arr``'s number of dimensions, and broadcasts
    against it), e.g. with the result of ``argsort``; ``axis=None`` works on the flattened
    array with 1-D ``indices``.

    >>> import dualnum.numpy as dnp
    >>> x = dnp.asarray([[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]])
    >>> dnp.take_along_axis(x, dnp.argmax(x, axis=1)[:, None], axis=1)
    array([[30.],
           [60.]])
    """
    _plain_index(indices, "take_along_axis")
    arr = asarray(arr)
    indices = _np.asarray(indices)
    if axis is None:
        if indices.ndim != 1:
            raise ValueError("take_along_axis: when axis=None, `indices` must have a single "
                             f"dimension, got shape {indices.shape}")
        arr, ax = reshape(arr, -1), 0
    else:
        (ax,) = _axes(axis, len(_shape_of(arr)), "take_along_axis")
    shape = _shape_of(arr)
    if not _np.issubdtype(indices.dtype, _np.integer):
        raise IndexError(f"take_along_axis: `indices` must be an integer array, got dtype "
                         f"{indices.dtype}")
    if indices.ndim != len(shape):
        raise ValueError(f"take_along_axis: `indices` and `arr` must have the same number of "
                         f"dimensions, got shapes {indices.shape} and {shape}")
    ones = (1,) * len(shape)
    fancy = tuple(indices if d == ax else _np.arange(n).reshape(ones[:d] + (-1,) + ones[d + 1:])
                  for d, n in enumerate(shape))
    return arr[fancy]


def index_add(x: Any, idx: Any, values: Any) -> Any:
    """A new array: ``x`` with ``values`` added at ``idx``, numpy's fancy-index semantics
    of ``np.add.at`` (a position listed twice receives both values), without writing into
    ``x``. ``idx`` is anything ``x[idx]`` accepts (ints, slices, integer or boolean arrays,
    ``...``); ``values`` broadcasts to the shape of ``x[idx]``. Both ``x`` and ``values``
    are differentiable (this is the transpose of ``x[idx]``).

    >>> import dualnum.numpy as dnp
    >>> dnp.index_add(dnp.zeros(3), [0, 2, 0], [1.0, 2.0, 3.0])
    array([4., 0., 2.])
    >>> dnp.index_add(dnp.ones((2, 3)), (slice(None), 1), 5.0)
    array([[1., 6., 1.],
           [1., 6., 1.]])
    """
    _plain_index(idx, "index_add")
    x, values = asarray(x), asarray(values)
    shape = _shape_of(x)
    idx = tuple(_listed(i) for i in idx) if isinstance(idx, tuple) else _listed(idx)
    try:
        selected = _np.zeros(shape, dtype=bool)[idx].shape
    except IndexError as e:
        raise IndexError(f"index_add: index {idx!r} for an array of shape {shape}: {e}") from None
    if _shape_of(values) != selected:
        try:
            _np.broadcast_shapes(_shape_of(values), selected)
        except ValueError:
            raise ValueError(f"index_add: values of shape {_shape_of(values)} cannot be "
                             f"broadcast to the indexed shape {selected} (x of shape {shape}, "
                             f"index {idx!r})") from None
        values = broadcast_to(values, selected)
    return x + _R.index_add(values, idx, shape=shape)


def _listed(i: Any) -> Any:
    """A list in an index as the integer (or boolean) array numpy makes of it (``[]`` too)."""
    if not isinstance(i, list):
        return i
    a = _np.asarray(i)
    return a.astype(_np.intp) if a.size == 0 else a


def repeat(a: Any, repeats: Any, axis: int | None = None) -> Any:
    """Repeat each element ``repeats`` times along ``axis`` (of the flattened array by
    default), as ``numpy.repeat``: ``repeats`` an int, or one count per element of the axis.

    >>> import dualnum.numpy as dnp
    >>> dnp.repeat([[1.0, 2.0], [3.0, 4.0]], 2)
    array([1., 1., 2., 2., 3., 3., 4., 4.])
    >>> dnp.repeat([[1.0, 2.0], [3.0, 4.0]], [1, 2], axis=0)
    array([[1., 2.],
           [3., 4.],
           [3., 4.]])
    """
    a = asarray(a)
    if axis is None:
        a, ax = reshape(a, -1), 0
    else:
        if not _shape_of(a):
            a = reshape(a, (1,))    # numpy repeats a 0-D array as a 1-element one
        (ax,) = _axes(axis, len(_shape_of(a)), "repeat")
    s = _shape_of(a)
    if isinstance(repeats, (int, _np.integer)) and not isinstance(repeats, bool):
        r = operator.index(repeats)
        if r < 0:
            raise ValueError(f"repeat: repeats may not contain negative values, got {r}")
        # one new axis of length r after `ax`, filled by broadcasting: the adjoint sums it
        wide = broadcast_to(reshape(a, s[:ax + 1] + (1,) + s[ax + 1:]),
                            s[:ax + 1] + (r,) + s[ax + 1:])
        return reshape(wide, s[:ax] + (s[ax] * r,) + s[ax + 1:])
    _plain_index(repeats, "repeat")
    positions = _np.repeat(_np.arange(s[ax]), repeats)    # numpy's checks of the counts
    return a[_along(ax, positions)]


def tile(A: Any, reps: Any) -> Any:
    """``A`` repeated ``reps`` times along each axis (``numpy.tile``): ``reps`` an int or a
    tuple; the shorter of ``A.shape`` and ``reps`` is padded with leading ones.

    >>> import dualnum.numpy as dnp
    >>> dnp.tile([1.0, 2.0], 2)
    array([1., 2., 1., 2.])
    >>> dnp.tile([1.0, 2.0], (2, 1))
    array([[1., 2.],
           [1., 2.]])
    """
    A = asarray(A)
    tup = tuple(reps) if _np.iterable(reps) else (reps,)
    tup = tuple(operator.index(r) for r in tup)     # numpy's TypeError for a float
    if any(r < 0 for r in tup):
        raise ValueError(f"tile: negative dimensions are not allowed, reps={reps!r}")
    nd = max(len(tup), len(_shape_of(A)))
    s = (1,) * (nd - len(_shape_of(A))) + _shape_of(A)
    tup = (1,) * (nd - len(tup)) + tup
    # (r0, s0, r1, s1, ...): each axis of A gets a broadcast axis of its repetitions in front
    inter = tuple(v for n in s for v in (1, n))
    wide = tuple(v for r, n in zip(tup, s) for v in (r, n))
    out = broadcast_to(reshape(A, inter), wide)
    return reshape(out, tuple(r * n for r, n in zip(tup, s)))


def roll(a: Any, shift: Any, axis: Any = None) -> Any:
    """Shift elements cyclically by ``shift`` along ``axis`` (of the flattened array by
    default, the shape kept), as ``numpy.roll``: ``shift`` and ``axis`` ints or tuples that
    broadcast together; an axis listed twice is shifted by the sum.

    >>> import dualnum.numpy as dnp
    >>> dnp.roll([1.0, 2.0, 3.0, 4.0], 1)
    array([4., 1., 2., 3.])
    >>> dnp.roll([[1.0, 2.0], [3.0, 4.0]], (1, -1), axis=(0, 1))
    array([[4., 3.],
           [2., 1.]])
    """
    a = asarray(a)
    s = _shape_of(a)
    if axis is None:
        return reshape(roll(reshape(a, -1), shift, 0), s)
    given = (axis,) if isinstance(axis, (int, _np.integer)) else tuple(axis)
    axes = [_axes(ax, len(s), "roll")[0] for ax in given]    # repeats allowed here
    pairs = _np.broadcast(shift, axes)
    if pairs.ndim > 1:
        raise ValueError(f"roll: 'shift' and 'axis' should be scalars or 1D sequences, got "
                         f"shift={shift!r}, axis={axis!r}")
    total = dict.fromkeys(range(len(s)), 0)
    for sh, ax in pairs:
        total[int(ax)] += int(sh)
    for ax, sh in total.items():
        n = s[ax]
        k = sh % n if n else 0
        if k:
            a = concatenate([a[_along(ax, slice(n - k, None))], a[_along(ax, slice(0, n - k))]],
                            axis=ax)
    return a


def _triangle(m: Any, fn: str) -> tuple[Any, tuple]:
    m = _in(m)
    s = _shape_of(m)
    if not s:
        raise TypeError(f"{fn}: needs an array of at least one dimension, got a 0-D value "
                        "(numpy's tri() has no size for it)")
    return m, s[-2:]


def tril(m: Any, k: int = 0) -> Any:
    """The lower triangle: ``m`` with the elements above the ``k``-th diagonal set to zero
    (on the last two axes; a 1-D ``m`` is taken as the rows of a square matrix, as numpy).

    >>> import dualnum.numpy as dnp
    >>> dnp.tril([[1.0, 2.0], [3.0, 4.0]])
    array([[1., 0.],
           [3., 4.]])
    >>> dnp.tril([1.0, 2.0], k=-1)
    array([[0., 0.],
           [1., 0.]])
    """
    m, rc = _triangle(m, "tril")
    return where(_np.tri(*rc, k=operator.index(k), dtype=bool), m, 0.0)


def triu(m: Any, k: int = 0) -> Any:
    """The upper triangle: ``m`` with the elements below the ``k``-th diagonal set to zero.

    >>> import dualnum.numpy as dnp
    >>> dnp.triu([[1.0, 2.0], [3.0, 4.0]])
    array([[1., 2.],
           [0., 4.]])
    >>> dnp.triu([[1.0, 2.0], [3.0, 4.0]], k=1)
    array([[0., 2.],
           [0., 0.]])
    """
    m, rc = _triangle(m, "triu")
    return where(_np.tri(*rc, k=operator.index(k) - 1, dtype=bool), 0.0, m)
