"""``dualnum.numpy.fft``: discrete Fourier transforms (like ``numpy.fft``), differentiable in
every mode, also reached as ``np.fft.X(box)``.

The one-axis transforms ``fft``, ``ifft``, ``rfft``, ``irfft`` are rows of the rule table
(:mod:`dualnum.rules.fft`, where their rules and the Hermitian halving of the real transforms
are explained); everything else is written with them, exactly as numpy computes it:
``fftn`` is ``fft`` along each axis in turn (the last axis first), ``rfftn`` is ``rfft`` along
the last axis and then ``fft`` along the others, ``irfftn`` the reverse; ``hfft`` and
``ihfft`` are ``irfft``/``rfft`` of conjugates; ``fftshift``/``ifftshift`` are rolls
(slices joined again; they and the frequencies live in :mod:`dualnum.numpy._fft_shifts`).
Arguments as numpy's: ``n`` / ``s`` cut or pad with zeros, ``axis`` / ``axes`` (numpy's
defaults), ``norm`` one of ``"backward"`` (default), ``"ortho"``, ``"forward"``; ``out=`` is
refused (derivatives cannot follow a write into an array).

Complex values follow dualnum's convention (README "Complex numbers"): the gradient of a real
loss ``L`` with respect to a complex input ``z = x + iy`` is ``∂L/∂x − i·∂L/∂y``, and a real
input gets a real gradient.

>>> import numpy as np, dualnum as dn
>>> import dualnum.numpy as dnp
>>> x = np.array([1.0, 2.0, 0.0, -1.0])
>>> dnp.fft.rfft(x)
array([2.+0.j, 1.-3.j, 0.+0.j])
>>> power = lambda v: dnp.sum(dnp.abs(dnp.fft.rfft(v)) ** 2)    # |X_0|² + |X_1|² + |X_2|²
>>> dn.grad(power)(x)
array([ 6., 10.,  2., -2.])
"""
from __future__ import annotations

import operator
import warnings
from typing import Any, Sequence

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy._base import _in
from dualnum.numpy._fft_shifts import (  # noqa: F401 - public here, as dnp.fft.<name>
    fftfreq, fftshift, ifftshift, rfftfreq)
from dualnum.primitive import is_complex as _is_complex, shape_of as _shape_of
from dualnum.rules.fft import OPPOSITE as _OPPOSITE
from dualnum.rules.fft import check_norm as _check_norm
from dualnum.rules.fft import transform_geometry as _geometry

# the one-axis transforms are wrappers with numpy's signature around one row each
PRIMITIVES = ("fft", "ifft", "rfft", "irfft")
COMPOSITES = ("fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "hfft",
              "ihfft", "fftshift", "ifftshift", "fftfreq", "rfftfreq")
CONSTANTS: tuple[str, ...] = ()
__all__ = list(PRIMITIVES + COMPOSITES + CONSTANTS)


def _no_out(name: str, out: Any) -> None:
    if out is not None:
        raise TypeError(f"{name}: out= is not supported (a write into an array is something "
                        "derivatives cannot follow); use the returned value")


def _real_input(name: str, a: Any) -> None:
    if _is_complex(a) or (type(a) is _np.ndarray and a.dtype == object
                          and any(map(_complex_element, a.flat))):
        raise TypeError(f"{name}: the input is complex; {name} transforms real input (use the "
                        "complex transform, or take the real part first)")


def _complex_element(v: Any) -> bool:
    """An element of an object array that is complex: a complex number, or a sympy value
    with an imaginary unit in it (a symbol of unknown realness counts as real, as it does
    everywhere in dualnum)."""
    if isinstance(v, (complex, _np.complexfloating)):
        return True
    has = getattr(v, "has", None)
    if has is None or type(v).__module__.split(".")[0] != "sympy":
        return False
    from sympy import I
    return bool(has(I)) or getattr(v, "is_real", None) is False


def _one_axis(name: str, a: Any, n: Any, axis: Any, norm: Any, out: Any) -> Any:
    _no_out(name, out)
    a = _in(a)
    if name == "rfft":
        _real_input(name, a)
    ax, N, _ = _geometry(name, _shape_of(a), n, axis)
    return getattr(_R, name)(a, n=N, axis=ax, norm=_check_norm(name, norm))


# ------------------------------------------------------------------ one axis


def fft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None,
        out: None = None) -> Any:
    """The DFT along ``axis``: ``X_k = Σ_j x_j e^{−2πijk/N}`` (``numpy.fft.fft``), the input
    cut or zero-padded to ``N = n``.

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.fft([1.0, 0.0, 0.0, 0.0], n=2)
    array([1.+0.j, 1.+0.j])
    """
    return _one_axis("fft", a, n, axis, norm, out)


def ifft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None,
         out: None = None) -> Any:
    """The inverse DFT along ``axis``: ``x_j = (1/N) Σ_k X_k e^{2πijk/N}``
    (``numpy.fft.ifft``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.ifft([4.0, 0.0, 0.0, 0.0])
    array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    return _one_axis("ifft", a, n, axis, norm, out)


def rfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None,
         out: None = None) -> Any:
    """The DFT of real input, bins ``0 … N//2`` only (``numpy.fft.rfft``); complex input is a
    TypeError, as in numpy.

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.rfft([1.0, 1.0, 1.0], norm="forward")
    array([1.+0.j, 0.+0.j])
    """
    return _one_axis("rfft", a, n, axis, norm, out)


def irfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None,
          out: None = None) -> Any:
    """The inverse of ``rfft``: the real signal of length ``N = n`` (default ``2(m − 1)``)
    whose spectrum's bins ``0 … N//2`` are ``a`` (``numpy.fft.irfft``; the imaginary parts of
    the DC and Nyquist bins are ignored, as numpy ignores them).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.irfft([2.0, 1 - 3j, 0.0])
    array([ 1.,  2.,  0., -1.])
    """
    return _one_axis("irfft", a, n, axis, norm, out)


def hfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None,
         out: None = None) -> Any:
    """The FFT of a signal with Hermitian symmetry given by its first half: the real
    ``irfft(conj(a))`` with the opposite norm (``numpy.fft.hfft``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.hfft([1.0, 2.0, 3.0])
    array([ 8., -2.,  0., -2.])
    """
    _no_out("hfft", out)
    a = _in(a)
    ax, N, _ = _geometry("hfft", _shape_of(a), n, axis)
    return _R.irfft(_R.conj(a), n=N, axis=ax, norm=_OPPOSITE[_check_norm("hfft", norm)])


def ihfft(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None,
          out: None = None) -> Any:
    """The inverse of ``hfft``: ``conj(rfft(a))`` with the opposite norm
    (``numpy.fft.ihfft``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.ihfft([8.0, -2.0, 0.0, -2.0])
    array([1.-0.j, 2.-0.j, 3.-0.j])
    """
    _no_out("ihfft", out)
    a = _in(a)
    _real_input("ihfft", a)
    ax, N, _ = _geometry("ihfft", _shape_of(a), n, axis)
    return _R.conj(_R.rfft(a, n=N, axis=ax, norm=_OPPOSITE[_check_norm("ihfft", norm)]))


# ------------------------------------------------------------------ several axes


def _ints(name: str, arg: str, v: Any, none_ok: bool = False) -> list:
    """``s`` or ``axes`` as a list of ints (``s`` may hold None, as numpy's); a bare integer
    is a TypeError, as in numpy."""
    try:
        if any(type(n) is bool for n in v):     # numpy refuses True/False as a length
            raise TypeError
        return [n if n is None and none_ok else operator.index(n) for n in v]
    except TypeError:
        raise TypeError(f"{name}: {arg} must be a sequence of integers, got {v!r}") from None


def _cook(name: str, a: Any, s: Any, axes: Any, invreal: bool) -> tuple[list, list]:
    """numpy's ``_cook_nd_args``: the lengths and axes of an n-dimensional transform (its
    deprecations warned as numpy warns them), every axis checked and named."""
    shape = _shape_of(a)
    nd = len(shape)
    if axes is not None:
        axes = _ints(name, "axes", axes)
        for ax in axes:
            if not -nd <= ax < nd:
                raise _np.exceptions.AxisError(
                    f"{name}: axis {ax} in `axes` is out of bounds for an array of dimension "
                    f"{nd}")
    if s is None:
        shapeless = True
        s = list(shape) if axes is None else [shape[ax] for ax in axes]
    else:
        shapeless = False
        s = _ints(name, "s", s, none_ok=True)
    if axes is None:
        if not shapeless:
            warnings.warn(f"{name}: `axes` should not be None if `s` is not None (deprecated "
                          "in NumPy 2.0); the last len(s) axes are transformed",
                          DeprecationWarning, stacklevel=4)
        axes = list(range(-len(s), 0))
        for ax in axes:
            if ax < -nd:
                raise _np.exceptions.AxisError(
                    f"{name}: s has {len(s)} entries but the array has {nd} dimension(s)")
    if len(s) != len(axes):
        raise ValueError(f"{name}: s and axes have different lengths ({len(s)} and "
                         f"{len(axes)})")
    if invreal and shapeless and axes:
        s[-1] = (shape[axes[-1]] - 1) * 2
    if None in s:
        warnings.warn(f"{name}: None in `s` is deprecated in NumPy 2.0; it means the default "
                      "length of the one-axis transform", DeprecationWarning, stacklevel=4)
    s = [shape[ax] if n == -1 else n for n, ax in zip(s, axes)]
    _lengths(name, s, axes, shape, invreal and shapeless)
    return s, axes


def _lengths(name: str, s: list, axes: list, shape: tuple, default_last: bool) -> None:
    """Every length of ``s`` a positive integer, named by the n-dimensional function (the
    one-axis transforms it calls would name themselves and an ``n`` never passed);
    ``default_last``: the last length is the inverse real transform's default ``2(m − 1)``."""
    for k, (n, ax) in enumerate(zip(s, axes)):
        if n is not None and n < 1:
            why = (f" (the default 2(m - 1) for the length {shape[ax]} of axis {ax}; give s)"
                   if default_last and k == len(s) - 1 else " in s; each must be >= 1")
            raise ValueError(f"{name}: invalid number of FFT data points ({n}) for axis {ax}"
                             + why)


def _empty_axes(name: str) -> None:
    raise _np.exceptions.AxisError(f"{name}: `axes` is empty; a real transform needs at least "
                                   "one axis")


def _complex_nd(name: str, one: Any, a: Any, s: Any, axes: Any, norm: Any, out: Any) -> Any:
    """``one`` (``fft`` or ``ifft``) along each of ``axes``, the last first (numpy's order)."""
    _no_out(name, out)
    _check_norm(name, norm)
    a = _in(a)
    s, axes = _cook(name, a, s, axes, False)
    for n, ax in reversed(list(zip(s, axes))):
        a = one(a, n, ax, norm)
    return a


def _real_nd(name: str, a: Any, s: Any, axes: Any, norm: Any, out: Any) -> Any:
    """``rfft`` along the last of ``axes``, then ``fft`` along the others."""
    _no_out(name, out)
    _check_norm(name, norm)
    a = _in(a)
    _real_input(name, a)
    s, axes = _cook(name, a, s, axes, False)
    if not axes:
        _empty_axes(name)
    a = rfft(a, s[-1], axes[-1], norm)
    for ii in range(len(axes) - 2, -1, -1):
        a = fft(a, s[ii], axes[ii], norm)
    return a


def _inverse_real_nd(name: str, a: Any, s: Any, axes: Any, norm: Any, out: Any) -> Any:
    """``ifft`` along all but the last of ``axes``, then ``irfft`` along the last."""
    _no_out(name, out)
    _check_norm(name, norm)
    a = _in(a)
    s, axes = _cook(name, a, s, axes, True)
    if not axes:
        _empty_axes(name)
    for ii in range(len(axes) - 1):
        a = ifft(a, s[ii], axes[ii], norm)
    return irfft(a, s[-1], axes[-1], norm)


def fftn(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
         norm: str | None = None, out: None = None) -> Any:
    """The n-dimensional DFT over ``axes`` (all by default), lengths ``s``
    (``numpy.fft.fftn``): ``fft`` along each axis, the last first.

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.fftn([[1.0, 2.0], [3.0, 4.0]]).real
    array([[10., -2.],
           [-4.,  0.]])
    """
    return _complex_nd("fftn", fft, a, s, axes, norm, out)


def ifftn(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str | None = None, out: None = None) -> Any:
    """The n-dimensional inverse DFT (``numpy.fft.ifftn``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.ifftn([[4.0, 0.0], [0.0, 0.0]]).real
    array([[1., 1.],
           [1., 1.]])
    """
    return _complex_nd("ifftn", ifft, a, s, axes, norm, out)


def rfftn(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str | None = None, out: None = None) -> Any:
    """The n-dimensional DFT of real input: ``rfft`` along the last of ``axes``, then ``fft``
    along the others (``numpy.fft.rfftn``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.rfftn([[1.0, 2.0], [3.0, 4.0]]).shape
    (2, 2)
    """
    return _real_nd("rfftn", a, s, axes, norm, out)


def irfftn(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
           norm: str | None = None, out: None = None) -> Any:
    """The inverse of ``rfftn``: ``ifft`` along all but the last of ``axes``, then ``irfft``
    (``numpy.fft.irfftn``; the last length defaults to ``2(m − 1)``).

    >>> import dualnum.numpy as dnp
    >>> x = [[1.0, 2.0, 5.0, 0.0], [3.0, 4.0, -1.0, 2.0]]
    >>> dnp.fft.irfftn(dnp.fft.rfftn(x)).round(12)
    array([[ 1.,  2.,  5.,  0.],
           [ 3.,  4., -1.,  2.]])
    """
    return _inverse_real_nd("irfftn", a, s, axes, norm, out)


def fft2(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
         norm: str | None = None, out: None = None) -> Any:
    """``fftn`` over the last two axes by default (``numpy.fft.fft2``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.fft2([[1.0, 0.0], [0.0, 0.0]]).real
    array([[1., 1.],
           [1., 1.]])
    """
    return _complex_nd("fft2", fft, a, s, axes, norm, out)


def ifft2(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
          norm: str | None = None, out: None = None) -> Any:
    """``ifftn`` over the last two axes by default (``numpy.fft.ifft2``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.ifft2([[4.0, 0.0], [0.0, 0.0]]).real
    array([[1., 1.],
           [1., 1.]])
    """
    return _complex_nd("ifft2", ifft, a, s, axes, norm, out)


def rfft2(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
          norm: str | None = None, out: None = None) -> Any:
    """``rfftn`` over the last two axes by default (``numpy.fft.rfft2``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.rfft2(dnp.ones((2, 4))).shape
    (2, 3)
    """
    return _real_nd("rfft2", a, s, axes, norm, out)


def irfft2(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
           norm: str | None = None, out: None = None) -> Any:
    """``irfftn`` over the last two axes by default (``numpy.fft.irfft2``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fft.irfft2(dnp.fft.rfft2(dnp.ones((2, 4)))).round(12)
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """
    return _inverse_real_nd("irfft2", a, s, axes, norm, out)
