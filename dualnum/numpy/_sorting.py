"""Sorting and order statistics: ``sort``, ``partition``, ``argsort``, ``median``,
``quantile``, ``percentile``.

The order is found by numpy on the primal values (a constant permutation), then the elements
are gathered with the ``getitem`` primitive, so a derivative follows each element to where it
lands (the adjoint is scattered back by ``getitem``'s rule). Where elements tie, any of them may
come first: the derivative there depends on the direction (sort is not differentiable at a
tie) and follows numpy's stable order. Order statistics interpolate between gathered
elements with the toolkit's arithmetic, so they are differentiable in the data and, for the
continuous quantile methods, in ``q``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as _np

from dualnum.numpy._base import _axes, _in
from dualnum.numpy._structural import reshape, transpose
from dualnum.primitive import Box as _Box, shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules import where


def _along(x: Any, idx: _np.ndarray, axis: int) -> Any:
    """``take_along_axis(x, idx, axis)`` with the ``getitem`` primitive: ``idx`` has ``x``'s
    shape except along ``axis``."""
    grid = _np.indices(idx.shape, sparse=True)
    return x[tuple(idx if i == axis else g for i, g in enumerate(grid))]


def _flat_or_axis(a: Any, axis: Any, fn: str) -> tuple[Any, int]:
    a = _in(a)
    if axis is None:
        return reshape(a, -1), 0
    (ax,) = _axes(axis, len(_shape_of(a)), fn)
    return a, ax


def _no_order(fn: str, order: Any) -> None:
    if order is not None:
        raise ValueError(f"{fn}: order= applies to structured arrays, which have no "
                         "derivative; sort plain values")


def sort(a: Any, axis: int | None = -1, kind: str | None = None, order: Any = None, *,
         stable: bool | None = None) -> Any:
    """``a`` sorted along ``axis`` (the flattened array for ``axis=None``); nan sorts last, as
    in numpy. ``kind`` and ``stable`` are accepted and ignored: the values are the same for
    every algorithm, and the order among ties (where the derivative is not defined) is the
    stable one.

    >>> import dualnum.numpy as dnp
    >>> dnp.sort([[3.0, 1.0], [0.5, 2.0]], axis=0)
    array([[0.5, 1. ],
           [3. , 2. ]])
    >>> import dualnum as dn
    >>> dn.grad(lambda x: dnp.sort(x)[0])(dnp.asarray([3.0, 1.0, 2.0]))   # d min / dx
    array([0., 1., 0.])
    """
    _no_order("sort", order)
    a, ax = _flat_or_axis(a, axis, "sort")
    return _along(a, _np.argsort(_unbox_all(a), axis=ax, kind="stable"), ax)


def argsort(a: Any, axis: int | None = -1, kind: str | None = None, order: Any = None, *,
            stable: bool | None = None) -> _np.ndarray:
    """The indices that sort the (primal) values along ``axis`` (integers: constants).

    >>> import dualnum.numpy as dnp
    >>> dnp.argsort([3.0, 1.0, 2.0]).tolist()
    [1, 2, 0]
    """
    kw = {} if stable is None else {"stable": stable}
    return _np.argsort(_np.asarray(_value_of(a)), axis=axis, kind=kind, order=order, **kw)


def partition(a: Any, kth: Any, axis: int | None = -1, kind: str = "introselect",
              order: Any = None) -> Any:
    """``a`` rearranged so that the element at position ``kth`` (an int or a sequence of them)
    is the one a sort would put there, smaller ones before it and larger ones after (numpy's
    ``partition``, with numpy's own ``argpartition`` choosing the arrangement).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.partition([5.0, 1.0, 4.0, 2.0], 1)[1])
    2.0
    """
    _no_order("partition", order)
    a, ax = _flat_or_axis(a, axis, "partition")
    return _along(a, _np.argpartition(_unbox_all(a), kth, axis=ax, kind=kind), ax)


def _value_of(a: Any) -> Any:
    """The primal values of ``a`` (lists of boxes included)."""
    return _unbox_all(_in(a))


# ---------------------------------------------------------------- order statistics


def _sorted_rows(a: Any, axis: Any, fn: str) -> tuple[Any, int, tuple, tuple]:
    """``a`` with the reduced axes (all by default) merged into a leading axis and sorted
    along it: ``(sorted, n, the shape of the other axes, the keepdims shape)``."""
    a = _in(a)
    s = _shape_of(a)
    axes = tuple(range(len(s))) if axis is None else _axes(axis, len(s), fn)
    rest = [i for i in range(len(s)) if i not in axes]
    order = list(axes) + rest
    if order != list(range(len(s))):
        a = transpose(a, order)
    n = 1
    for i in axes:
        n *= s[i]
    rest_shape = tuple(s[i] for i in rest)
    a = reshape(a, (n,) + rest_shape)
    keep = tuple(1 if i in axes else s[i] for i in range(len(s)))
    return _along(a, _np.argsort(_unbox_all(a), axis=0, kind="stable"), 0), n, rest_shape, keep


def _nan_rows(srt: Any, res: Any) -> Any:
    """numpy's answer for slices holding a nan (sorted last): that nan."""
    last = srt[-1]
    has_nan = _np.isnan(_unbox_all(last))
    if not _np.any(has_nan):
        return res
    return where(has_nan, last, res)


def median(a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
           keepdims: bool = False) -> Any:
    """The median along ``axis`` (an int or a tuple; all axes by default): the middle element
    of the sorted values, or the mean of the two middle ones; nan where a slice holds a nan
    (numpy's ``median``). Its derivative passes to the middle element(s).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.median([3.0, 1.0, 4.0, 2.0]))
    2.5
    >>> dnp.median([[3.0, 1.0, 2.0], [0.0, 5.0, 7.0]], axis=1, keepdims=True)
    array([[2.],
           [5.]])
    """
    _no_out("median", out)
    srt, n, rest, keep = _sorted_rows(a, axis, "median")
    if n == 0:
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
        res: Any = _np.full(rest, _np.nan)
    else:
        mid = n // 2
        res = srt[mid] if n % 2 else (srt[mid - 1] + srt[mid]) / 2.0
        res = _nan_rows(srt, res)
    return reshape(res, keep) if keepdims else res


def _no_out(fn: str, out: Any) -> None:
    if out is not None:
        raise TypeError(f"{fn}: out= is not supported (dualnum values are not written in "
                        "place)")


# Hyndman & Fan's continuous methods: (alpha, beta) of the virtual index
# n q + alpha + q (1 - alpha - beta) - 1 (numpy's table; "linear" is (n - 1) q, H&F 7)
_CONTINUOUS = {"linear": (1.0, 1.0), "interpolated_inverted_cdf": (0.0, 1.0),
               "hazen": (0.5, 0.5), "weibull": (0.0, 0.0),
               "median_unbiased": (1.0 / 3.0, 1.0 / 3.0),
               "normal_unbiased": (3.0 / 8.0, 3.0 / 8.0)}
_INTERPOLATED = tuple(_CONTINUOUS) + ("averaged_inverted_cdf", "midpoint")
_DISCRETE = ("inverted_cdf", "closest_observation", "lower", "higher", "nearest")
_METHODS = _INTERPOLATED + _DISCRETE


def _virtual(n: int, q: Any, method: str) -> Any:
    """The fractional position of quantile ``q`` in ``n`` sorted values (on constants or on a
    traced ``q``)."""
    if method == "linear":
        return (n - 1) * q
    if method == "averaged_inverted_cdf":
        return n * q - 1
    if method == "midpoint":
        return 0.5 * (_np.floor((n - 1) * q) + _np.ceil((n - 1) * q))
    alpha, beta = _CONTINUOUS[method]
    return n * q + (alpha + q * (1 - alpha - beta)) - 1


def _discrete_index(n: int, q: _np.ndarray, method: str) -> _np.ndarray:
    """The position numpy takes for a method that interpolates nothing."""
    if method == "lower":
        return _np.floor((n - 1) * q).astype(_np.intp)
    if method == "higher":
        return _np.ceil((n - 1) * q).astype(_np.intp)
    if method == "nearest":
        return _np.around((n - 1) * q).astype(_np.intp)
    if method == "inverted_cdf":
        index = n * q - 1
        pick_prev = lambda gamma, index: gamma == 0
    else:   # closest_observation: the nearest even order statistic (1-based) at gamma = 0
        index = n * q - 1 - 0.5
        pick_prev = lambda gamma, index: (gamma == 0) & (_np.floor(index) % 2 == 1)
    prev = _np.floor(index)
    res = _np.where(pick_prev(index - prev, index), prev, prev + 1).astype(_np.intp)
    return _np.maximum(res, 0)


def quantile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, *, weights: Any = None,
             interpolation: str | None = None) -> Any:
    """The ``q``-th quantile(s) along ``axis`` (numpy's ``quantile``): ``q`` in [0, 1], a
    scalar or an array whose axes come first in the result. Every method of numpy's is here
    (``"linear"`` by default, Hyndman & Fan's 7); the interpolating ones are
    differentiable in the data and, the continuous ones, in ``q`` too. nan where a slice holds
    a nan.

    >>> import dualnum.numpy as dnp
    >>> dnp.quantile([1.0, 2.0, 4.0, 8.0], [0.0, 0.5, 0.9])
    array([1. , 3. , 6.8])
    >>> import dualnum as dn
    >>> float(dn.derivative(lambda q: dnp.quantile([1.0, 2.0, 4.0, 8.0], q), 0.9))
    12.0
    """
    return _quantile(a, q, axis, out, method if interpolation is None else interpolation,
                     keepdims, weights, "quantile", 1.0)


def percentile(a: Any, q: Any, axis: Any = None, out: Any = None,
               overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
               *, weights: Any = None, interpolation: str | None = None) -> Any:
    """The ``q``-th percentile(s) along ``axis``, ``q`` in [0, 100]: ``quantile(a, q / 100)``
    (numpy's ``percentile``, every method of its).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.percentile([1.0, 2.0, 4.0, 8.0], 50))
    3.0
    """
    return _quantile(a, q, axis, out, method if interpolation is None else interpolation,
                     keepdims, weights, "percentile", 100.0)


def _quantile(a: Any, q: Any, axis: Any, out: Any, method: str, keepdims: bool,
              weights: Any, fn: str, scale: float) -> Any:
    _no_out(fn, out)
    if weights is not None:
        raise NotImplementedError(f"{fn}: weights= (numpy's weighted inverted_cdf) has no "
                                  "derivative rule here; repeat the samples instead")
    if method not in _METHODS:
        raise ValueError(f"{fn}: {method!r} is not a valid method. Use one of: "
                         f"{', '.join(_METHODS)}")
    if _np.iscomplexobj(_value_of(a)):
        raise TypeError(f"{fn}: a must be an array of real numbers")
    q = _in(q)
    if scale != 1.0:
        q = q / scale
    qv = _np.asarray(_unbox_all(q), dtype=float)
    if qv.ndim > 2:
        raise ValueError(f"{fn}: q must be a scalar or 1d")
    if not (_np.all(qv >= 0) and _np.all(qv <= 1)):
        what = "Percentiles must be in the range [0, 100]" if scale != 1.0 else \
            "Quantiles must be in the range [0, 1]"
        raise ValueError(f"{fn}: {what}")
    srt, n, rest, keep = _sorted_rows(a, axis, fn)
    if n == 0:
        raise IndexError(f"{fn}: index -1 is out of bounds for axis 0 with size 0 (no values "
                         "to take a quantile of)")
    if method in _DISCRETE:
        res = srt[_discrete_index(n, qv, method)]
    else:
        res = _interpolate(srt, n, q, qv, method, len(rest))
    res = _nan_rows(srt, res)
    return reshape(res, qv.shape + keep) if keepdims else res


def _interpolate(srt: Any, n: int, q: Any, qv: _np.ndarray, method: str, nrest: int) -> Any:
    """numpy's linear interpolation between the neighbours of the virtual index (``_lerp``:
    ``a + (b - a) t``, or ``b - (b - a)(1 - t)`` for ``t >= 0.5``, so that t = 1 gives b
    exactly)."""
    vi = _np.asarray(_virtual(n, qv, method), dtype=float)
    prev = _np.array(_np.floor(vi))         # arrays, also for a scalar q (assigned to below)
    nxt = _np.array(prev + 1)
    out_of_range = vi >= n - 1          # at or past the end: the last value
    prev[out_of_range] = nxt[out_of_range] = -1
    prev[vi < 0] = nxt[vi < 0] = 0      # before the start: the first value
    gamma = vi - prev
    if method == "averaged_inverted_cdf":
        gamma = _np.where(gamma == 0, 0.5, 1.0)
    elif method == "midpoint":
        gamma = _np.where(vi % 1 == 0, 0.0, 0.5)
    elif isinstance(q, _Box):            # a traced q: the same gamma, carrying q's derivative
        gamma = _virtual(n, q, method) - prev
    lo, hi = srt[prev.astype(_np.intp)], srt[nxt.astype(_np.intp)]
    t = reshape(gamma, qv.shape + (1,) * nrest) if nrest else gamma
    upper = _np.asarray(_unbox_all(t)) >= 0.5
    d = hi - lo
    return where(upper, hi - d * (1.0 - t), lo + d * t)
