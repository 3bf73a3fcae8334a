"""Weighted and nan-ignoring averages: ``average`` (weights differentiable too), ``nansum``,
``nanmean``."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as _np

from dualnum.numpy._base import _axes, _in
from dualnum.numpy._statistics import _float_only, mean
from dualnum.numpy._structural import broadcast_to, reshape, sum, transpose
from dualnum.primitive import shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules import where

_NO_VALUE = object()


def average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False, *,
            keepdims: bool = False) -> Any:
    """The weighted mean ``sum(a * w) / sum(w)`` along ``axis`` (numpy's ``average``); with
    ``returned=True`` also the sum of the weights, broadcast to the result's shape. Weights
    of ``a``'s shape, or 1-D (or of the shape of the ``axis`` axes) along ``axis``; they may
    be traced too.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.average([1.0, 2.0, 4.0], weights=[3.0, 1.0, 0.0]))
    1.25
    >>> dnp.average([[1.0, 2.0], [3.0, 5.0]], axis=1, weights=[1.0, 3.0], returned=True)
    (array([1.75, 4.5 ]), array([4., 4.]))
    """
    a = _in(a)
    s = _shape_of(a)
    axes = None if axis is None else _axes(axis, len(s), "average")
    if weights is None:
        avg = mean(a, axis=axes, keepdims=keepdims)
        scl = float(_np.prod(s) / _np.prod(_shape_of(avg)))
    else:
        w = _in(weights)
        ws = _shape_of(w)
        if ws != s:
            if axes is None:
                raise TypeError("average: Axis must be specified when shapes of a and "
                                f"weights differ ({s} and {ws})")
            if ws != tuple(s[ax] for ax in axes):
                raise ValueError("average: Shape of weights must be consistent with shape "
                                 f"of a along specified axis ({ws} for axes {axes} of {s})")
            # the weights' axes in increasing order, then length-1 axes between them
            order = [int(i) for i in _np.argsort(axes)]
            if order != list(range(len(order))):
                w = transpose(w, order)
            w = reshape(w, tuple(n if i in axes else 1 for i, n in enumerate(s)))
        scl = sum(w, axis=axes, keepdims=keepdims)
        if _np.any(_np.asarray(_unbox_all(scl)) == 0.0):
            raise ZeroDivisionError("average: Weights sum to zero, can't be normalized")
        avg = sum(a * w, axis=axes, keepdims=keepdims) / scl
    if not returned:
        return avg
    if _shape_of(scl) != _shape_of(avg):
        scl = broadcast_to(scl, _shape_of(avg))
    return avg, scl


def nansum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
           keepdims: bool = False) -> Any:
    """The sum along ``axis`` with nan counted as 0 (numpy's ``nansum``); the derivative of
    a nan entry is 0 (nan if that entry's own derivative is not finite, as ``where``'s).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.nansum([1.0, dnp.nan, 2.5]))
    3.5
    """
    _float_only("nansum", dtype, out)
    a = _in(a)
    nan = _np.isnan(_unbox_all(a))
    return sum(where(nan, 0.0, a) if _np.any(nan) else a, axis=axis, keepdims=keepdims)


def nanmean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False) -> Any:
    """The mean along ``axis`` of the values that are not nan (numpy's ``nanmean``); nan, with
    numpy's "Mean of empty slice" warning, where a slice has none.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.nanmean([1.0, dnp.nan, 2.5]))
    1.75
    """
    _float_only("nanmean", dtype, out)
    a = _in(a)
    nan = _np.isnan(_unbox_all(a))
    count = _np.sum(~nan, axis=axis, keepdims=keepdims)
    if _np.any(count == 0):
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
    total = nansum(a, axis=axis, keepdims=keepdims)
    with _np.errstate(invalid="ignore", divide="ignore"):
        return total / _np.asarray(count, dtype=float)

