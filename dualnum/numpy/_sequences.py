"""Operations along one axis of an array: differences (``diff``), numerical derivatives
(``gradient``) and running products (``cumprod``), written with slices, arithmetic and
``concatenate``/``pad``, so they differentiate like any other composite."""
from __future__ import annotations

import operator
from typing import Any

import numpy as _np

from dualnum.numpy._base import _axes, _in
from dualnum.numpy._shapes import moveaxis
from dualnum.numpy._statistics import running_axis
from dualnum.numpy._structural import broadcast_to, concatenate, pad, reshape
from dualnum.primitive import Box as _Box, shape_of as _shape_of, unbox_all as _unbox_all

_NO_VALUE = object()


def _at(nd: int, axis: int, s: Any) -> tuple:
    """The index selecting ``s`` (a slice or an int) along ``axis`` of an ``nd``-D array."""
    return (slice(None),) * axis + (s,) + (slice(None),) * (nd - axis - 1)


def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = _NO_VALUE,
         append: Any = _NO_VALUE) -> Any:
    """The ``n``-th differences ``a[i+1] - a[i]`` along ``axis`` (numpy's ``diff``), after
    joining ``prepend`` and ``append`` (scalars are broadcast to one slice) to ``a``.

    >>> import dualnum.numpy as dnp
    >>> dnp.diff([1.0, 4.0, 9.0, 16.0])
    array([3., 5., 7.])
    >>> dnp.diff([[1.0, 2.0], [4.0, 8.0]], axis=1, prepend=0.0)
    array([[1., 1.],
           [4., 4.]])
    >>> dnp.diff([1.0, 4.0, 9.0, 16.0], n=2, append=[30.0])
    array([2., 2., 7.])
    """
    n = operator.index(n)
    a = _in(a)
    if n == 0:
        return a
    if n < 0:
        raise ValueError(f"diff: order must be non-negative but got {n!r}")
    s = _shape_of(a)
    nd = len(s)
    if nd == 0:
        raise ValueError("diff: diff requires input that is at least one dimensional")
    (ax,) = _axes(axis, nd, "diff")
    parts = []
    for extra in (prepend, None, append):
        if extra is None:
            parts.append(a)
        elif extra is not _NO_VALUE:
            extra = _in(extra)
            if not _shape_of(extra):
                extra = broadcast_to(extra, s[:ax] + (1,) + s[ax + 1:])
            parts.append(extra)
    if len(parts) > 1:
        a = concatenate(parts, axis=ax)
    upper, lower = _at(nd, ax, slice(1, None)), _at(nd, ax, slice(None, -1))
    for _ in range(n):
        a = a[upper] - a[lower]
    return a


def gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    """numpy's ``gradient``: the derivative of samples ``f`` along each axis (or ``axis``) by
    second-order central differences inside and one-sided differences of order
    ``edge_order`` (1 or 2) at the ends. ``varargs`` give the spacing: one scalar for every
    axis, or one per axis, each a scalar or the coordinates of the samples (uneven spacing).
    One axis gives an array, several a tuple of them. Differentiable in ``f`` and in
    traced spacings or coordinates.

    >>> import dualnum.numpy as dnp
    >>> dnp.gradient([1.0, 4.0, 9.0, 16.0])
    array([3., 4., 6., 7.])
    >>> dnp.gradient([1.0, 4.0, 9.0, 16.0], 2.0, edge_order=2)
    array([1., 2., 3., 4.])
    >>> dnp.gradient([0.0, 1.0, 8.0], [0.0, 1.0, 2.0])
    array([1., 4., 7.])
    """
    f = _in(f)
    s = _shape_of(f)
    nd = len(s)
    axes = tuple(range(nd)) if axis is None else _axes(axis, nd, "gradient")
    spacing = _spacings(varargs, axes, s)
    if edge_order not in (1, 2):
        raise ValueError("gradient: 'edge_order' greater than 2 not supported" if
                         operator.index(edge_order) > 2 else
                         f"gradient: edge_order must be 1 or 2, got {edge_order!r}")
    outs = [_gradient_along(f, ax, dx, edge_order, nd, s) for ax, dx in zip(axes, spacing)]
    return outs[0] if len(outs) == 1 else tuple(outs)


def _spacings(varargs: tuple, axes: tuple, s: tuple) -> list:
    """One spacing per axis: a scalar, or the differences of 1-D coordinates (numpy collapses
    constant coordinate differences to their scalar; traced coordinates stay arrays, so that
    their derivative is kept)."""
    k = len(varargs)
    if k == 0:
        return [1.0] * len(axes)
    if k == 1 and not _shape_of(_in(varargs[0])):
        return [_in(varargs[0])] * len(axes)
    if k != len(axes):
        raise TypeError(f"gradient: invalid number of arguments ({k} spacings for "
                        f"{len(axes)} axes)")
    out = []
    for ax, d in zip(axes, varargs):
        d = _in(d)
        ds = _shape_of(d)
        if not ds:
            out.append(d)
            continue
        if len(ds) != 1:
            raise ValueError("gradient: distances must be either scalars or 1d")
        if ds[0] != s[ax]:
            raise ValueError("gradient: when 1d, distances must match the length of the "
                             f"corresponding dimension ({ds[0]} coordinates for axis {ax} "
                             f"of length {s[ax]})")
        dx = diff(d)
        v = _np.asarray(_unbox_all(dx))
        if not isinstance(dx, _Box) and v.size and (v == v[0]).all():
            dx = v[0]
        out.append(dx)
    return out


def _gradient_along(f: Any, ax: int, dx: Any, edge_order: int, nd: int, s: tuple) -> Any:
    if s[ax] < edge_order + 1:
        raise ValueError("gradient: Shape of array too small to calculate a numerical "
                         "gradient, at least (edge_order + 1) elements are required "
                         f"(axis {ax} has {s[ax]})")
    at = lambda i: f[_at(nd, ax, i)]
    uniform = not _shape_of(dx)

    def along(c: Any) -> Any:       # coordinate-wise coefficients broadcast along ax
        return c if uniform or not _shape_of(c) else reshape(
            c, (1,) * ax + (-1,) + (1,) * (nd - ax - 1))

    parts = []
    # the edge at the start
    if edge_order == 1:
        d0 = dx if uniform else dx[0]
        first = (at(slice(1, 2)) - at(slice(0, 1))) / d0
    else:
        if uniform:
            a, b, c = -1.5 / dx, 2.0 / dx, -0.5 / dx
        else:
            d1, d2 = dx[0], dx[1]
            a = -(2.0 * d1 + d2) / (d1 * (d1 + d2))
            b = (d1 + d2) / (d1 * d2)
            c = -d1 / (d2 * (d1 + d2))
        first = a * at(slice(0, 1)) + b * at(slice(1, 2)) + c * at(slice(2, 3))
    parts.append(first)
    # second-order central differences inside
    if s[ax] > 2:
        if uniform:
            parts.append((at(slice(2, None)) - at(slice(None, -2))) / (2.0 * dx))
        else:
            d1, d2 = dx[:-1], dx[1:]
            a = -d2 / (d1 * (d1 + d2))
            b = (d2 - d1) / (d1 * d2)
            c = d1 / (d2 * (d1 + d2))
            parts.append(along(a) * at(slice(None, -2)) + along(b) * at(slice(1, -1))
                         + along(c) * at(slice(2, None)))
    # the edge at the end
    if edge_order == 1:
        dn = dx if uniform else dx[-1]
        last = (at(slice(-1, None)) - at(slice(-2, -1))) / dn
    else:
        if uniform:
            a, b, c = 0.5 / dx, -2.0 / dx, 1.5 / dx
        else:
            d1, d2 = dx[-2], dx[-1]
            a = d2 / (d1 * (d1 + d2))
            b = -(d2 + d1) / (d1 * d2)
            c = (2.0 * d2 + d1) / (d2 * (d1 + d2))
        last = a * at(slice(-3, -2)) + b * at(slice(-2, -1)) + c * at(slice(-1, None))
    parts.append(last)
    return concatenate(parts, axis=ax)


def cumprod(a: Any, axis: int | None = None, dtype: Any = None, out: Any = None) -> Any:
    """Running product along ``axis`` (of the flattened array by default), numpy's
    ``cumprod``. Only multiplications (a prefix scan of log2(n) shifted products), so the
    derivative is exact where elements are zero: d/dx_j of the i-th product is the product
    of the others, not a division by x_j.

    >>> import dualnum.numpy as dnp
    >>> dnp.cumprod([1.0, 2.0, 3.0, 4.0])
    array([ 1.,  2.,  6., 24.])
    >>> import dualnum as dn
    >>> dn.jacfwd(lambda x: dnp.cumprod(x))(dnp.asarray([2.0, 0.0, 3.0]))[2]
    array([0., 6., 0.])
    """
    if out is not None:
        raise TypeError("cumprod: out= is not supported (dualnum values are not written in "
                        "place)")
    moved, ax, s = running_axis(a, axis, "cumprod")
    n, k = s[ax], 1
    # Hillis-Steele scan: after the step with shift k each entry holds the product of the 2k
    # entries ending at it (the shifted-in entries are ones)
    lead = ((0, 0),) * (len(s) - 1)
    while k < n:
        moved = moved * pad(moved[..., :-k], lead + ((k, 0),), constant_values=1.0)
        k *= 2
    result = moveaxis(moved, -1, ax)
    if dtype is not None and not (isinstance(result, _Box)
                                  and _np.dtype(dtype).kind in "fc"):  # float: as it is
        if isinstance(result, _Box):
            raise TypeError(f"cumprod: dtype={_np.dtype(dtype)} has no derivative; leave it "
                            "out (float64)")
        result = _np.asarray(result).astype(dtype)
    return result
