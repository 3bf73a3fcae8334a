"""The structural rows of the table with numpy's signatures (axis and friends are keywords on
the tape, whatever the caller wrote)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy._base import _MISSING, _axes, _in, _red_axis
from dualnum.primitive import Box as _Box, shape_of as _shape_of, unbox_all as _unbox_all


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum over ``axis`` (all axes by default; an int, negative or a tuple).

    ``sum(Dual([1., 2.], [1., 1.]))`` is ``3 + 2ε``.

    >>> import dualnum.numpy as dnp
    >>> dnp.sum([[1.0, 2.0], [3.0, 4.0]], axis=(0, -1))
    np.float64(10.0)
    """
    x = _in(x)
    return _R.sum(x, axis=_red_axis(x, axis), keepdims=keepdims)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Product over ``axis``; its derivative is exact where elements are zero.

    >>> import dualnum.numpy as dnp
    >>> dnp.prod([[1.0, 2.0], [3.0, 4.0]], axis=-1)
    array([ 2., 12.])
    """
    x = _in(x)
    return _R.prod(x, axis=_red_axis(x, axis), keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Largest element along ``axis`` (ties share the derivative evenly).

    >>> import dualnum.numpy as dnp
    >>> dnp.max([[1.0, 5.0], [3.0, 4.0]], axis=0)
    array([3., 5.])
    """
    x = _in(x)
    return _R.max(x, axis=_red_axis(x, axis), keepdims=keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Smallest element along ``axis`` (ties share the derivative evenly).

    >>> import dualnum.numpy as dnp
    >>> dnp.min([[1.0, 5.0], [3.0, 4.0]], axis=1, keepdims=True)
    array([[1.],
           [3.]])
    """
    x = _in(x)
    return _R.min(x, axis=_red_axis(x, axis), keepdims=keepdims)


amax, amin = max, min


def transpose(x: Any, axes: Sequence[int] | None = None) -> Any:
    """Permute axes (reverse them by default; negative axes allowed).

    >>> import dualnum.numpy as dnp
    >>> dnp.transpose(dnp.zeros((2, 3, 4)), (-1, 0, 1)).shape
    (4, 2, 3)
    """
    x = _in(x)
    if axes is not None:
        axes = _axes(axes, len(_shape_of(x)), "transpose", "axes")
        if len(axes) != len(_shape_of(x)):
            raise ValueError(f"transpose: axes {axes} don't match an array of shape "
                             f"{_shape_of(x)}")
    return _R.transpose(x, axes=axes)


def reshape(x: Any, shape: Any) -> Any:
    """Same data, new shape (``-1`` allowed once).

    >>> import dualnum.numpy as dnp
    >>> dnp.reshape(dnp.arange(6), (2, -1)).shape
    (2, 3)
    """
    shape = (int(shape),) if isinstance(shape, (int, _np.integer)) else tuple(shape)
    return _R.reshape(_in(x), shape)


def broadcast_to(x: Any, shape: Any) -> Any:
    """Broadcast to ``shape``; the adjoint is summed back to ``x``'s shape.

    >>> import dualnum.numpy as dnp
    >>> dnp.broadcast_to([1.0, 2.0], (2, 2))
    array([[1., 2.],
           [1., 2.]])
    """
    shape = (int(shape),) if isinstance(shape, (int, _np.integer)) else tuple(shape)
    return _R.broadcast_to(_in(x), shape)


def concatenate(arrays: Sequence[Any], axis: int | None = 0) -> Any:
    """Join arrays along an existing axis (``axis=None``: flatten them first, as numpy).

    >>> import dualnum.numpy as dnp
    >>> dnp.concatenate([[1.0, 2.0], [[3.0]]], axis=None)
    array([1., 2., 3.])
    """
    arrays = [_in(a) for a in arrays]
    if not arrays:
        raise ValueError("concatenate: need at least one array")
    if axis is None:
        arrays = [reshape(a, -1) for a in arrays]
        axis = 0
    return _R.concatenate(*arrays, axis=axis)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``log(sum(exp(x)))`` over ``axis``, computed without overflow (finite at x = 1000).

    The default ``axis=None`` reduces over all axes, as ``scipy.special.logsumexp`` (and numpy's
    reductions); pass ``axis=-1`` for the last axis (``softmax``'s default).

    >>> import math, dualnum.numpy as dnp
    >>> round(float(dnp.logsumexp([[0.0, 0.0], [0.0, 0.0]])), 12) == round(math.log(4.0), 12)
    True
    >>> (dnp.logsumexp([[0.0, 0.0], [1000.0, 1000.0]], axis=-1) - math.log(2.0)).tolist()
    [0.0, 1000.0]
    """
    x = _in(x)
    return _R.logsumexp(x, axis=_red_axis(x, axis), keepdims=keepdims)


def softmax(x: Any, axis: Any = -1) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis``, stable for large inputs.

    The default is the last axis, as ``jax.nn.softmax`` and the models' layers (one
    distribution per row of a batch); ``scipy.special.softmax`` defaults to ``axis=None``, all
    axes at once, which ``axis=None`` gives here too.

    >>> import dualnum.numpy as dnp
    >>> dnp.softmax([[0.0, 0.0], [0.0, 0.0]])
    array([[0.5, 0.5],
           [0.5, 0.5]])
    >>> dnp.softmax([[0.0, 0.0], [0.0, 0.0]], axis=None)
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    x = _in(x)
    return _R.softmax(x, axis=_red_axis(x, axis))


def log_softmax(x: Any, axis: Any = -1) -> Any:
    """``x - logsumexp(x)`` along ``axis`` (the last by default, like ``softmax``), stable for
    large inputs; ``axis=None`` normalises over all axes (``scipy.special.log_softmax``'s
    default).

    >>> import dualnum.numpy as dnp
    >>> dnp.log_softmax([0.0, 1000.0]).round(6)
    array([-1000.,     0.])
    """
    x = _in(x)
    return _R.log_softmax(x, axis=_red_axis(x, axis))


def clip(x: Any, a_min: Any = None, a_max: Any = None, *, min: Any = None,
         max: Any = None) -> Any:
    """Limit values to ``[a_min, a_max]`` (derivative 1 on the closed interval, as PyTorch).

    ``min=``/``max=`` are numpy 2's keyword spellings; with neither bound ``x`` is returned as
    is (numpy 2 does the same).

    >>> import dualnum.numpy as dnp
    >>> dnp.clip([-2.0, 0.5, 3.0], -1.0, 1.0)
    array([-1. ,  0.5,  1. ])
    """
    a_min = min if a_min is None else a_min
    a_max = max if a_max is None else a_max
    x = _in(x)
    if a_min is None and a_max is None:
        return x
    # bounds with more axes than x: broadcast x to the result first, so that the rule's
    # derivative (a mask of x's shape) has the result's shape
    s = _shape_of(x)
    full = _np.broadcast_shapes(s, *(_np.shape(v) for v in (a_min, a_max) if v is not None))
    if full != s:
        x = broadcast_to(x, full)
    return _R.clip(x, a_min, a_max)


def where(condition: Any, x: Any = _MISSING, y: Any = _MISSING) -> Any:
    """``x`` where ``condition`` holds, else ``y`` (numpy's ``where``, a thin wrapper of the
    ``where`` primitive that the rules use).

    The condition selects and is never differentiated: a boxed condition counts by its value.
    With the condition alone it is numpy's ``nonzero`` tuple of index arrays (constants).
    Keyword forms (``condition=``, ``x=``, ``y=``) are accepted too.

    >>> import dualnum.numpy as dnp
    >>> dnp.where([True, False], 1.0, [2.0, 3.0])
    array([1., 3.])
    >>> dnp.where([[0.0, 2.0], [3.0, 0.0]])
    (array([0, 1]), array([1, 0]))
    """
    if isinstance(condition, _Box):
        condition = _unbox_all(condition)
    elif type(condition) in (list, tuple):
        condition = _np.asarray(_unbox_all(_in(condition)))     # boxes inside: by value
    if x is _MISSING and y is _MISSING:
        return _np.nonzero(condition)
    if x is _MISSING or y is _MISSING:
        raise ValueError("where: give both x and y, or neither")
    return _R.where(condition, _in(x), _in(y))


_PAD_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")


def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = 0) -> Any:
    """Pad ``x`` as ``numpy.pad``: ``mode="constant"`` (any constant ``constant_values``),
    ``"edge"``, ``"reflect"``, ``"symmetric"`` or ``"wrap"``.

    Constant padding is zero padding plus a constant frame; the other modes gather existing
    elements, so their adjoints add up wherever one element is copied several times.

    >>> import dualnum.numpy as dnp
    >>> dnp.pad([1.0, 2.0], 1, constant_values=9.0)
    array([9., 1., 2., 9.])
    >>> dnp.pad([1.0, 2.0, 3.0], (2, 1), mode="reflect")
    array([3., 2., 1., 2., 3., 2.])
    """
    x = _in(x)
    s = _shape_of(x)
    pw = _np.broadcast_to(_np.asarray(pad_width, dtype=int), (len(s), 2))
    if (pw < 0).any():
        raise ValueError(f"pad: pad_width {pad_width!r} has negative entries")
    if mode == "constant":
        out = _R.pad(x, pad_width=pad_width)
        if _np.any(_np.asarray(constant_values) != 0):
            # the frame: numpy's own constant padding of zeros, so every form of
            # constant_values (scalar, (before, after), one pair per axis) means what it does there
            kind = _np.result_type(float, _np.asarray(constant_values).dtype)
            out = out + _np.pad(_np.zeros(s, dtype=kind), pw, mode="constant",
                                constant_values=constant_values)
        return out
    if mode not in _PAD_INDEX_MODES:
        raise ValueError(f"pad: mode {mode!r} has no derivative rule; use 'constant', "
                         f"{', '.join(repr(m) for m in _PAD_INDEX_MODES)}")
    for ax, (lo, hi) in enumerate(pw):
        if lo or hi:
            # which source element each padded position copies: numpy's pad of the indices
            src = _np.pad(_np.arange(s[ax]), (int(lo), int(hi)), mode=mode)
            x = x[(slice(None),) * ax + (src,)]
    return x
