"""The shifts and frequencies of ``dualnum.numpy.fft`` (``fftshift``, ``ifftshift``,
``fftfreq``, ``rfftfreq``): rolls written as slices joined again, and numpy's frequency arrays
(differentiable in the sample spacing ``d`` when it is a box). Public as ``dnp.fft.<name>``.
"""
from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy._base import _in
from dualnum.primitive import Box as _Box, shape_of as _shape_of

__all__ = ["fftshift", "ifftshift", "fftfreq", "rfftfreq"]


def _roll(x: Any, shifts: Sequence[int], axes: Sequence[int], name: str) -> Any:
    """``numpy.roll`` by ``shifts`` along ``axes`` (repeats add up), written as slices of
    ``x`` joined in the other order."""
    shape = _shape_of(x)
    nd = len(shape)
    total: dict[int, int] = {}
    for k, ax in zip(shifts, axes):
        if not -nd <= ax < nd:
            raise _np.exceptions.AxisError(
                f"{name}: axis {ax} in `axes` is out of bounds for an array of dimension {nd}")
        total[ax % nd] = total.get(ax % nd, 0) + k
    for ax, k in total.items():
        n = shape[ax]
        k = k % n if n else 0
        if k == 0:
            continue
        head = (slice(None),) * ax
        x = _R.concatenate(_R.getitem(x, head + (slice(n - k, n),)),
                           _R.getitem(x, head + (slice(0, n - k),)), axis=ax)
    return x


def _shift(name: str, x: Any, axes: Any, sign: int) -> Any:
    x = _in(x)
    shape = _shape_of(x)
    if axes is None:
        axes = tuple(range(len(shape)))
    elif isinstance(axes, (int, _np.integer)):
        axes = (axes,)
    try:
        axes = tuple(operator.index(ax) for ax in axes)
    except TypeError:
        raise TypeError(f"{name}: axes must be an integer or a sequence of integers, got "
                        f"{axes!r}") from None
    for ax in axes:
        if not -len(shape) <= ax < len(shape):
            raise _np.exceptions.AxisError(
                f"{name}: axis {ax} in `axes` is out of bounds for an array of dimension "
                f"{len(shape)}")
    return _roll(x, [sign * (shape[ax] // 2) for ax in axes], axes, name)


def fftshift(x: Any, axes: Any = None) -> Any:
    """Move the zero-frequency bin to the middle (``numpy.fft.fftshift``): a roll by
    ``n//2`` along each of ``axes`` (all by default).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.fftshift([0.0, 1.0, 2.0, -2.0, -1.0])
    array([-2., -1.,  0.,  1.,  2.])
    """
    return _shift("fftshift", x, axes, +1)


def ifftshift(x: Any, axes: Any = None) -> Any:
    """The inverse of ``fftshift`` (a roll by ``−(n//2)``; the two differ for odd ``n``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.ifftshift([-2.0, -1.0, 0.0, 1.0, 2.0])
    array([ 0.,  1.,  2., -2., -1.])
    """
    return _shift("ifftshift", x, axes, -1)


def _check_count(name: str, n: Any, d: Any, device: Any) -> None:
    if device not in (None, "cpu"):
        raise ValueError(f"{name}: device must be None or 'cpu', not {device!r}")
    if not isinstance(n, (int, _np.integer)):
        raise ValueError(f"{name}: n should be an integer, got {n!r}")
    if n < 0:
        raise ValueError(f"{name}: n = {n} is negative (the window length)")
    if n == 0:
        raise ZeroDivisionError(f"{name}: n = 0 (the frequencies are k/(n·d))")
    if not isinstance(d, _Box) and _np.all(_np.asarray(d) == 0):
        raise ZeroDivisionError(f"{name}: the sample spacing d is 0 (the frequencies are "
                                "k/(n·d))")


def fftfreq(n: int, d: Any = 1.0, device: Any = None) -> Any:
    """The bin frequencies of an ``n``-point ``fft`` with sample spacing ``d``
    (``numpy.fft.fftfreq``): ``[0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / (n·d)``. A plain ``d``
    gives numpy's array; a differentiable ``d`` a differentiable one.

    >>> import dualnum as dn, dualnum.numpy as dnp
    >>> dnp.fft.fftfreq(4, d=0.5)
    array([ 0. ,  0.5, -1. , -0.5])
    >>> dn.jacfwd(lambda d: dnp.fft.fftfreq(4, d))(0.5)    # −k/(n·d²)
    array([-0., -1.,  2.,  1.])
    """
    _check_count("fftfreq", n, d, device)
    if not isinstance(d, _Box):
        return _np.fft.fftfreq(n, d)
    k = _np.concatenate([_np.arange(0, (n - 1) // 2 + 1), _np.arange(-(n // 2), 0)])
    return k.astype(float) * (1.0 / (n * d))


def rfftfreq(n: int, d: Any = 1.0, device: Any = None) -> Any:
    """The bin frequencies of an ``n``-point ``rfft``: ``[0, 1, …, n//2] / (n·d)``
    (``numpy.fft.rfftfreq``); differentiable in ``d`` as ``fftfreq``.

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.rfftfreq(5, d=0.1)
    array([0., 2., 4.])
    """
    _check_count("rfftfreq", n, d, device)
    if not isinstance(d, _Box):
        return _np.fft.rfftfreq(n, d)
    return _np.arange(n // 2 + 1, dtype=float) * (1.0 / (n * d))
