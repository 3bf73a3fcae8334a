"""Constructors and queries: constants (never differentiated) and facts about a value."""
from __future__ import annotations

import builtins
import math
import operator
from typing import Any

import numpy as _np

from dualnum.numpy._base import _axes, _flat, _in, asarray
from dualnum.numpy._shapes import moveaxis
from dualnum.numpy._structural import reshape
from dualnum.primitive import Box as _Box, shape_of as _shape_of, unbox_all as _unbox_all

nan = _np.nan


def zeros(shape: Any, dtype: Any = float) -> _np.ndarray:
    """Constant zeros.

    >>> import dualnum.numpy as dnp
    >>> dnp.zeros(2)
    array([0., 0.])
    """
    return _np.zeros(shape, dtype=dtype)


def ones(shape: Any, dtype: Any = float) -> _np.ndarray:
    """Constant ones.

    >>> import dualnum.numpy as dnp
    >>> dnp.ones(2)
    array([1., 1.])
    """
    return _np.ones(shape, dtype=dtype)


def zeros_like(x: Any) -> _np.ndarray:
    """Constant zeros with ``x``'s shape.

    >>> import dualnum.numpy as dnp
    >>> dnp.zeros_like(dnp.ones((2, 1))).shape
    (2, 1)
    """
    return _np.zeros(_shape_of(_in(x)), dtype=_kind(x))


def ones_like(x: Any) -> _np.ndarray:
    """Constant ones with ``x``'s shape.

    >>> import dualnum.numpy as dnp
    >>> dnp.ones_like(dnp.zeros(2))
    array([1., 1.])
    """
    return _np.ones(_shape_of(_in(x)), dtype=_kind(x))


def _kind(x: Any) -> type:
    """complex for complex values (as numpy's ``*_like``), float for everything else."""
    return complex if _np.iscomplexobj(_unbox_all(_in(x))) else float


def full(shape: Any, value: Any, dtype: Any = None) -> _np.ndarray:
    """A constant array (float for integer or boolean fill values, as ``asarray``).

    >>> import dualnum.numpy as dnp
    >>> dnp.full(2, 7)
    array([7., 7.])
    >>> dnp.full(1, 1j)
    array([0.+1.j])
    """
    a = _np.full(shape, value, dtype=dtype)
    return a.astype(float) if dtype is None and a.dtype.kind in "iub" else a


def eye(n: int, m: int | None = None, k: int = 0) -> _np.ndarray:
    """Constant identity matrix (ones on the ``k``-th diagonal of an ``n × m`` matrix).

    >>> import dualnum.numpy as dnp
    >>> dnp.eye(2)
    array([[1., 0.],
           [0., 1.]])
    >>> dnp.eye(2, 3, k=1)
    array([[0., 1., 0.],
           [0., 0., 1.]])
    """
    return _np.eye(n, m, k)


def arange(start: Any = None, stop: Any = None, step: Any = None, dtype: Any = None) -> \
        _np.ndarray:
    """Constant evenly spaced values in ``[start, stop)`` (numpy's ``arange``, its keywords
    too): float64 unless ``dtype`` says otherwise.

    >>> import dualnum.numpy as dnp
    >>> dnp.arange(3)
    array([0., 1., 2.])
    >>> dnp.arange(1, 7, 2, dtype=int), dnp.arange(stop=2.0, step=0.5)
    (array([1, 3, 5]), array([0. , 0.5, 1. , 1.5]))
    """
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if isinstance(v, _Box):
            raise TypeError(f"arange: {name} is a differentiable value; arange makes "
                            "constants (use linspace for traced ends)")
    if start is None and stop is None:
        raise TypeError("arange() requires stop to be specified.")
    if stop is None:
        start, stop = 0, start
    elif start is None:
        start = 0
    return _np.arange(start, stop, 1 if step is None else step,
                      dtype=float if dtype is None else dtype)


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True,
             retstep: bool = False, dtype: Any = None, axis: int = 0) -> Any:
    """``num`` evenly spaced values from ``start`` to ``stop`` (numpy's ``linspace``):
    ``(1 - t) * start + t * stop`` with constant ``t = i / (num - 1)`` (``i / num`` with
    ``endpoint=False``), so it is differentiable in ``start`` and ``stop`` (both ends exact),
    and constant for constant ends. Array ends give one row of samples per ``t`` along
    ``axis``; ``dtype`` applies to constants only.

    >>> import dualnum.numpy as dnp
    >>> dnp.linspace(0.0, 1.0, 3)
    array([0. , 0.5, 1. ])
    >>> import dualnum as dn
    >>> dn.derivative(lambda b: dnp.linspace(0.0, b, 3), 2.0)
    array([0. , 0.5, 1. ])
    """
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"linspace: number of samples, {num}, must be non-negative")
    start, stop = _in(start), _in(stop)
    nd = builtins.max(len(_shape_of(start)), len(_shape_of(stop)))
    div = num - 1 if endpoint else num
    t = reshape(arange(num) / float(builtins.max(div, 1)), (num,) + (1,) * nd)
    out = (1.0 - t) * start + t * stop
    (ax,) = _axes(axis, nd + 1, "linspace")
    if ax:
        out = moveaxis(out, 0, ax)
    out = _as_dtype(out, dtype, "linspace")
    if retstep:
        return out, ((stop - start) / float(div) if div > 0 else nan)
    return out


def _as_dtype(out: Any, dtype: Any, fn: str) -> Any:
    """A constant result in ``dtype`` (flooring for integers, as numpy's linspace)."""
    if dtype is None:
        return out
    if isinstance(out, _Box):
        raise TypeError(f"{fn}: dtype= applies to constant results, not differentiable ones")
    kind = _np.dtype(dtype)
    out = _np.asarray(out)
    return (_np.floor(out) if kind.kind in "iu" else out).astype(kind)


def shape(x: Any) -> tuple:
    """The shape of a plain or boxed value.

    >>> import dualnum.numpy as dnp
    >>> import dualnum as dn
    >>> dnp.shape(dn.Dual(dnp.zeros((2, 3)), dnp.ones((2, 3))))
    (2, 3)
    """
    return _shape_of(_in(x))


def ndim(x: Any) -> int:
    """The number of dimensions of a plain or boxed value.

    >>> import dualnum.numpy as dnp
    >>> dnp.ndim(dnp.zeros((2, 3)))
    2
    """
    return len(_shape_of(_in(x)))


def size(x: Any) -> int:
    """The number of elements of a plain or boxed value.

    >>> import dualnum.numpy as dnp
    >>> dnp.size(dnp.zeros((2, 3)))
    6
    """
    return math.prod(_shape_of(_in(x)))


def argmax(x: Any, axis: Any = None) -> Any:
    """Index of the largest element (an integer: not differentiable).

    >>> import dualnum.numpy as dnp
    >>> int(dnp.argmax(dnp.asarray([1.0, 5.0, 2.0])))
    1
    """
    return _np.argmax(_unbox_all(_in(x)), axis=axis)


def argmin(x: Any, axis: Any = None) -> Any:
    """Index of the smallest element (an integer: not differentiable).

    >>> import dualnum.numpy as dnp
    >>> int(dnp.argmin(dnp.asarray([1.0, 5.0, 2.0])))
    0
    """
    return _np.argmin(_unbox_all(_in(x)), axis=axis)


def isfinite(x: Any) -> Any:
    """Elementwise finiteness of the (primal) value.

    >>> import dualnum.numpy as dnp
    >>> dnp.isfinite(dnp.asarray([1.0, dnp.inf])).tolist()
    [True, False]
    """
    return _np.isfinite(_unbox_all(_in(x)))


def value(x: Any) -> Any:
    """The plain number inside any nesting of boxes (primal of primal of ...).

    >>> import dualnum.numpy as dnp
    >>> import dualnum as dn
    >>> dnp.value(dn.Dual(2.0, 1.0))
    2.0
    >>> dnp.value([dn.Dual(2.0, 1.0), 3.0])
    array([2., 3.])
    """
    if type(x) in (list, tuple) and any(isinstance(v, _Box) for v in _flat(x)):
        x = asarray(x)      # a list with boxes inside: the array of their values
    return _unbox_all(x)
