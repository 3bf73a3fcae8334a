"""Helpers every part of ``dualnum.numpy`` shares: lists become arrays, axes are checked as
numpy checks them, and ``asarray`` stacks boxes."""
from __future__ import annotations

import math
import operator
from typing import Any

import numpy as _np

from dualnum.primitive import Box as _Box, shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules import concatenate as _concatenate, conj, real, reshape as _reshape
from dualnum.rules._declare import is_symbolic as _is_symbolic
from dualnum.rules.shape import norm_axes as _norm_axes


def _red_axis(x: Any, axis: Any) -> Any:
    """The axis to hand a reduction rule. numpy's reductions take axis 0 (or -1) of a 0-D
    value and mean all of it; the rules index the value's shape, so that is ``None`` here."""
    if axis is not None and not _shape_of(x):
        _norm_axes(axis, 0)     # still numpy's AxisError for any other axis
        return None
    return axis


_MISSING = object()


def _in(x: Any) -> Any:
    """Lists and tuples become arrays (boxes inside are stacked); anything else passes as is."""
    return asarray(x) if type(x) in (list, tuple) else x


def _axes(axis: Any, ndim: int, fn: str, arg: str = "axis") -> tuple[int, ...]:
    """numpy's ``normalize_axis_tuple``: the axes in the order given, negatives resolved;
    numpy's AxisError (a ValueError and an IndexError) out of range, ValueError on repeats."""
    given = _as_tuple(axis)
    out = []
    for a in given:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise _np.exceptions.AxisError(
                f"{fn}: axis {a} in `{arg}` is out of bounds for an array of dimension {ndim}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{fn}: repeated axis in `{arg}` argument {given}")
    return tuple(out)


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, _np.integer))


def _as_tuple(axis: Any) -> tuple:
    return (axis,) if _is_int(axis) else tuple(axis)


def _count(shape: tuple, axis: Any) -> int:
    """How many elements a reduction over ``axis`` combines into each output (1 for a 0-D
    value, whose axis 0 numpy's reductions accept)."""
    if axis is None:                # every axis (the common mean of a loss)
        return math.prod(shape)
    return math.prod(shape[a] for a in _norm_axes(axis, len(shape)) if a < len(shape))


def _abs2(d: Any) -> Any:
    """``|d|²`` elementwise, real: ``d * d`` for real values (one exact multiply), and
    ``real(d * conj(d))`` for complex ones. The dtype of the plain value decides: boxes
    around it have the same kind."""
    if not _np.iscomplexobj(_unbox_all(d)):
        return d * d
    return real(d * conj(d))


def asarray(x: Any, dtype: Any = None) -> Any:
    """An array (float64 for integer input); boxes pass through; lists of boxes are stacked.

    >>> import dualnum.numpy as dnp
    >>> dnp.asarray([1, 2])
    array([1., 2.])
    """
    if isinstance(x, _Box) or _is_symbolic(x):
        return x
    if isinstance(x, (list, tuple)) and any(isinstance(v, _Box) for v in _flat(x)):
        return _stack_rows([asarray(v) for v in x])
    a = _np.asarray(x, dtype=dtype)
    if dtype is None and a.dtype.kind in "iub":
        a = a.astype(float)
    return a


array = asarray


def _flat(x: Any) -> list:
    out, stack_ = [], [x]
    while stack_:
        v = stack_.pop()
        if isinstance(v, (list, tuple)):
            stack_.extend(v)
        else:
            out.append(v)
    return out


def _stack_rows(rows: list) -> Any:
    """``stack(rows, axis=0)`` with the primitives alone (the ``stack`` composite builds on
    this module): each row gets a leading axis of length one, then they are joined."""
    shapes = {_shape_of(r) for r in rows}
    if len(shapes) > 1:
        raise ValueError(f"asarray: the elements of the list have different shapes "
                         f"{sorted(shapes)}; numpy cannot make one array of them")
    return _concatenate(*[_reshape(r, (1,) + _shape_of(r)) for r in rows], axis=0)
