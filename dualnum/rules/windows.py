"""The rule table, part 6: sliding windows (``sliding_window_view``, numpy's im2col) and its
transpose ``window_add``, the two structural rows a convolution is built from.

``sliding_window_view(x, window_shape, axis)`` is numpy's function of that name: along each of
``axis`` the windows of ``window_shape`` at every start (``n = d − w + 1`` of them), the window
axes appended at the end, a read-only view. Both rows are linear: the JVP applies the row to
the tangent; the VJP of one is the other (each window's adjoint is added back where the window
came from, one slice-add per window offset: ``f1·f2`` array additions for a 2-D window rather
than a scatter over every element), so each is differentiable again through its partner.
A convolution is then ``reshape(sliding_window_view(x, …)) @ kernels`` (models/conv.py).

>>> x = np.arange(5.0)
>>> sliding_window_view(x, 3).tolist()
[[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]
>>> window_add(np.ones((3, 3)), window_shape=(3,), axis=(0,), shape=(5,)).tolist()
[1.0, 2.0, 3.0, 2.0, 1.0]
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view as _np_windows

from dualnum.primitive import Primitive, shape_of
from dualnum.rules._declare import REAL

__all__ = ["sliding_window_view", "window_add", "WINDOWS"]


def window_axes(window_shape: Any, axis: Any, ndim: int, name: str = "sliding_window_view"
                ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(window_shape, axes)`` as tuples of ints (non-negative, distinct axes), the way numpy
    reads them: an int is one window, ``axis=None`` means every axis in order."""
    ws = (int(window_shape),) if isinstance(window_shape, (int, np.integer)) else tuple(
        int(w) for w in window_shape)
    if axis is None:
        axes = tuple(range(ndim))
    else:
        axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    if len(ws) != len(axes):
        raise ValueError(f"{name}: window_shape {ws} and axis {axis!r} must have the same "
                         "length (one window size per axis)")
    out = []
    for a in axes:
        if not -ndim <= int(a) < ndim:
            raise ValueError(f"{name}: axis {a} is out of bounds for an array of dimension "
                             f"{ndim}")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{name}: axis {axis!r} names an axis twice")
    if any(w < 1 for w in ws):
        raise ValueError(f"{name}: window sizes must be positive, got {ws}")
    return ws, tuple(out)


def _windows_impl(x: Any, window_shape: Any, axis: Any = None) -> Any:
    x = np.asarray(x)
    ws, axes = window_axes(window_shape, axis, x.ndim)
    for w, a in zip(ws, axes):
        if w > x.shape[a]:
            raise ValueError(f"sliding_window_view: window size {w} exceeds the input's "
                             f"length {x.shape[a]} along axis {a} (shape {x.shape})")
    return _np_windows(x, ws, axis=axes)


def _shifted(kw: dict, ndim: int, lead: int) -> tuple[tuple, tuple]:
    ws, axes = window_axes(kw["window_shape"], kw.get("axis"), ndim)
    return ws, tuple(a + lead for a in axes)


def _windows_jvp(ts, ans, args, kw, lead):
    ws, axes = _shifted(kw, len(shape_of(args[0])), lead)
    return sliding_window_view(ts[0], window_shape=ws, axis=axes)


def _windows_vjp(needs, g, ans, args, kw, lead):
    xs = shape_of(args[0])
    ws, axes = _shifted(kw, len(xs), lead)
    return (window_add(g, window_shape=ws, axis=axes, shape=shape_of(g)[:lead] + tuple(xs)),)


sliding_window_view = Primitive(
    "sliding_window_view", _windows_impl, sym=None, jvp=_windows_jvp, vjp=_windows_vjp,
    domain=(REAL,), family="windows", nargs=1, params=("window_shape", "axis"), reads="")


_OFFSETS: dict[tuple, list] = {}    # (shape, window_shape, axes) -> [(target, source index)]


def _offsets(shape: tuple, ws: tuple, axes: tuple) -> list:
    """For each window offset ``o``: the slice of the output that the windows' element ``o``
    came from, and the index of element ``o`` in the windows array (the trailing axes)."""
    key = (shape, ws, axes)
    pairs = _OFFSETS.get(key)
    if pairs is None:
        pairs = []
        for o in np.ndindex(*ws):
            target = [slice(None)] * len(shape)
            for a, w, i in zip(axes, ws, o):
                target[a] = slice(i, i + shape[a] - w + 1)
            pairs.append((tuple(target), (Ellipsis,) + o))
        if len(_OFFSETS) > 256:
            _OFFSETS.clear()
        _OFFSETS[key] = pairs
    return pairs


def _window_add_impl(v: Any, window_shape: Any, axis: Any, shape: Any) -> Any:
    v = np.asarray(v)
    shape = tuple(int(n) for n in shape)
    ws, axes = window_axes(window_shape, axis, len(shape), "window_add")
    want = tuple(shape[i] - ws[axes.index(i)] + 1 if i in axes else shape[i]
                 for i in range(len(shape))) + ws
    if v.shape != want:
        raise ValueError(f"window_add: windows of shape {v.shape} do not fit an array of "
                         f"shape {shape} with window {ws} along axes {axes} (expected {want})")
    dtype = object if v.dtype.char == "O" else np.result_type(v.dtype, float)
    out = np.zeros(shape, dtype=dtype)
    for target, source in _offsets(shape, ws, axes):
        out[target] += v[source]
    return out


def _window_add_jvp(ts, ans, args, kw, lead):
    t = ts[0]
    ws, axes = window_axes(kw["window_shape"], kw.get("axis"), len(kw["shape"]), "window_add")
    return window_add(t, window_shape=ws, axis=tuple(a + lead for a in axes),
                      shape=shape_of(t)[:lead] + tuple(kw["shape"]))


def _window_add_vjp(needs, g, ans, args, kw, lead):
    ws, axes = window_axes(kw["window_shape"], kw.get("axis"), len(kw["shape"]), "window_add")
    return (sliding_window_view(g, window_shape=ws, axis=tuple(a + lead for a in axes)),)


window_add = Primitive(
    "window_add", _window_add_impl, sym=None, jvp=_window_add_jvp, vjp=_window_add_vjp,
    domain=(REAL,), family="windows", nargs=1, params=("window_shape", "axis", "shape"),
    reads="")

WINDOWS = (sliding_window_view, window_add)
