"""Statistics and running sums: mean, var, std, cumsum."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as _np

from dualnum.numpy._base import _abs2, _axes, _count, _in
from dualnum.numpy._shapes import moveaxis
from dualnum.numpy._structural import pad, reshape, sum
from dualnum.primitive import shape_of as _shape_of
from dualnum import rules as _R
from dualnum.rules import matmul, sqrt
from dualnum.rules.shape import norm_axes as _norm_axes


def mean(x: Any, axis: Any = None, dtype: Any = None, out: Any = None,
         keepdims: bool = False) -> Any:
    """Arithmetic mean along ``axis``: ``sum / count``.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.mean(dnp.asarray([1.0, 2.0, 6.0])))
    3.0
    >>> dnp.mean([[1.0, 2.0], [3.0, 5.0]], axis=(0, -1), keepdims=True)
    array([[2.75]])
    """
    _float_only("mean", dtype, out)
    x = _in(x)
    if axis is not None and not _shape_of(x):
        _axes(axis, 0, "mean")      # numpy's mean takes no axis of a 0-D value
        axis = None                 # (the rule indexes the shape: all of a 0-D value)
    return _R.mean(x, axis=axis, keepdims=keepdims)    # one entry on a tape


def var(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
        keepdims: bool = False, *, correction: float | None = None) -> Any:
    """Variance ``sum(|x - mean(x)|²) / (n - ddof)``, real also for complex ``x`` (numpy's;
    its argument order, and numpy 2's ``correction=``, another name for ``ddof``).

    Where ``n - ddof <= 0`` it is numpy's value (0/0 = nan, or inf) with numpy's
    "Degrees of freedom <= 0" warning.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.var(dnp.asarray([1.0, 3.0])))
    1.0
    >>> float(dnp.var([1j, -1j]))
    1.0
    """
    _float_only("var", dtype, out)
    ddof = _ddof("var", ddof, correction)
    x = _in(x)
    dof = _count(_shape_of(x), axis) - ddof
    if dof <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        dof = 0
    d = x - mean(x, axis=axis, keepdims=True)
    return sum(_abs2(d), axis=axis, keepdims=keepdims) / float(dof)


def std(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
        keepdims: bool = False, *, correction: float | None = None) -> Any:
    """Standard deviation ``sqrt(var(x))`` (``ddof``/``correction`` and complex input as
    numpy).

    Over a single element (a 0-D value, or an axis of length 1) std is identically 0, so it
    is that zero, with derivative exactly 0 rather than sqrt's ``0 · inf = nan``. Where
    n > 1 elements are all equal, std is a cone (``|x - c|`` in every direction): its
    derivative there is undefined and comes out nan, as sqrt's at 0.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.std(dnp.asarray([1.0, 3.0])))
    1.0
    >>> import dualnum as dn
    >>> float(dn.grad(dnp.std)(3.5))
    0.0
    """
    _float_only("std", dtype, out)
    ddof = _ddof("std", ddof, correction)
    x = _in(x)
    v = var(x, axis=axis, keepdims=keepdims, ddof=ddof)
    if _count(_shape_of(x), axis) == 1:
        return v    # x - mean(x) is exactly 0 (or 0/0 = nan where ddof >= 1): so is std
    return sqrt(v)


def _float_only(fn: str, dtype: Any, out: Any) -> None:
    """numpy's ``dtype=`` and ``out=`` slots: a floating dtype is what the result has anyway;
    an integer one, or writing into ``out``, has no derivative."""
    if out is not None:
        raise TypeError(f"{fn}: out= is not supported (dualnum values are not written in "
                        "place)")
    if dtype is not None and _np.dtype(dtype).kind not in "fc":
        raise TypeError(f"{fn}: dtype={_np.dtype(dtype)} has no derivative; leave it out "
                        "(float64)")


def _ddof(fn: str, ddof: float, correction: float | None) -> float:
    if correction is None:
        return ddof
    if ddof != 0:
        raise ValueError(f"{fn}: ddof and correction can't be provided simultaneously.")
    return correction


def running_axis(x: Any, axis: Any, fn: str) -> tuple[Any, int, tuple]:
    """What a running reduction (cumsum, cumprod) walks: ``x`` with ``axis`` moved last (the
    flattened array for ``axis=None``, as numpy; a 0-D value as one element), the axis
    resolved, and the shape before the move."""
    x = _in(x)
    if axis is None:
        x, axis = reshape(x, -1), 0
    elif not _shape_of(x):
        _norm_axes(axis, 0)     # a 0-D value has one element along numpy's axis 0 (or -1)
        x, axis = reshape(x, (1,)), 0
    s = _shape_of(x)
    (ax,) = _axes(axis, len(s), fn)
    return moveaxis(x, ax, -1), ax, s


_CUMSUM_MATMUL = 256    # axis length up to which cumsum is one product with a triangle of ones


def cumsum(x: Any, axis: int | None = None) -> Any:
    """Running sum along ``axis``; by default of the flattened array, as numpy.

    Up to 256 elements along the axis it is one product with a triangular matrix of ones;
    longer axes take log2(n) shifted additions (a prefix scan) instead of an n × n matrix.

    >>> import dualnum.numpy as dnp
    >>> dnp.cumsum(dnp.asarray([[1.0, 2.0], [3.0, 4.0]]))
    array([ 1.,  3.,  6., 10.])
    >>> dnp.cumsum(dnp.asarray([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    array([[1., 2.],
           [4., 6.]])
    """
    moved, ax, s = running_axis(x, axis, "cumsum")
    n = s[ax]
    if n <= _CUMSUM_MATMUL:
        out = matmul(moved, _np.triu(_np.ones((n, n))))
    else:
        # Hillis-Steele scan: after the step with shift k each entry holds the sum of the
        # 2k entries ending at it
        out, k = moved, 1
        while k < n:
            out = out + pad(out[..., :-k], ((0, 0),) * (len(s) - 1) + ((k, 0),))
            k *= 2
    return moveaxis(out, -1, ax)
