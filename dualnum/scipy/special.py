"""``dualnum.scipy.special``: scipy's special functions, differentiable in both modes.

The same names and signatures as ``scipy.special``; each function is a row of the rule table
(:mod:`dualnum.rules.special`: scipy computes the value, the row's partials the derivative)
or a composite of rows (``logsumexp`` with ``b``/``return_sign``, ``softmax``,
``log_softmax``, ``log_expit``), so forward mode, reverse mode and higher orders all work,
and sympy symbols give sympy's functions. ``erf`` and ``expit`` are dnp's ``erf`` and
``sigmoid``. Needs scipy: ``pip install dualnum-toolkit[scipy]``.

>>> import dualnum as dn
>>> import dualnum.scipy.special as dsp
>>> float(dsp.gammaln(4.0))                     # log(3!)
1.791759469228055
>>> round(float(dn.grad(dsp.gammaln)(4.0)), 10)  # digamma(4) = 1 + 1/2 + 1/3 - γ
1.2561176684
>>> round(float(dn.derivative(dsp.erfinv, 0.0)), 12)   # √π / 2
0.886226925453
"""
from __future__ import annotations

from typing import Any

import numpy as np

try:
    import scipy.special  # noqa: F401  (imported only to fail here, with the one-line message)
except ImportError:
    raise ImportError("dualnum.scipy.special needs scipy, an optional extra: "
                      "pip install dualnum-toolkit[scipy]") from None

from dualnum import rules as _R
from dualnum.numpy._base import _in
from dualnum.primitive import shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules import erf, sigmoid as expit
from dualnum.rules.shape import norm_axes as _norm_axes
from dualnum.rules.special import (
    beta, betainc, betaln, digamma, erfc, erfcinv, erfcx, erfinv, gamma, gammaln, i0, i1, iv,
    ive, j0, j1, jv, log_ndtr, logit, ndtr, ndtri, poch, polygamma, stdtr, xlog1py, xlogy, y0,
    y1, yv,
)

psi = digamma

__all__ = [
    "gammaln", "gamma", "digamma", "psi", "polygamma", "beta", "betaln", "betainc", "poch",
    "erf", "erfc", "erfcx", "erfinv", "erfcinv", "ndtr", "log_ndtr", "ndtri", "stdtr",
    "expit", "logit", "log_expit", "xlogy", "xlog1py",
    "logsumexp", "softmax", "log_softmax",
    "i0", "i1", "iv", "ive", "j0", "j1", "jv", "y0", "y1", "yv",
]


def log_expit(x: Any) -> Any:
    """``log(expit(x))`` without overflow: ``-softplus(-x)``.

    >>> import dualnum.scipy.special as dsp
    >>> float(dsp.log_expit(-800.0)), round(float(dsp.log_expit(0.0)), 12)
    (-800.0, -0.69314718056)
    """
    return -_R.softplus(-_in(x))


def logsumexp(a: Any, axis: Any = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False) -> Any:
    """scipy's ``logsumexp``: ``log(sum(b * exp(a)))`` over ``axis`` (all axes by default),
    computed without overflow; with ``b`` (broadcast against ``a``, negative entries allowed)
    the sum may be negative: nan then, as scipy, unless ``return_sign=True``, which returns
    ``(log|sum|, sign(sum))`` (sign 0 and -inf for a sum of 0). Entries with ``b == 0`` drop
    out, as in scipy, even where ``a`` is ±inf. Differentiable in ``a`` and in ``b``.

    >>> import dualnum as dn
    >>> import dualnum.scipy.special as dsp
    >>> float(dsp.logsumexp([0.0, 0.0]))             # log 2
    0.6931471805599453
    >>> r, s = dsp.logsumexp([1.0, 2.0], b=[1.0, -1.0], return_sign=True)
    >>> round(float(r), 12), float(s)                # log(e² - e), sign -1
    (1.541324854613, -1.0)
    >>> dn.grad(lambda a: dsp.logsumexp(a, b=[2.0, 1.0]))(np.zeros(2))   # b e^a / sum
    array([0.66666667, 0.33333333])
    """
    a = _in(a)
    if b is None and not return_sign:
        return _R.logsumexp(a, axis=_reduction_axis(a, axis), keepdims=keepdims)
    b = _in(1.0 if b is None else b)
    shape = np.broadcast_shapes(_shape_of(a), _shape_of(b))
    if _shape_of(a) != shape:
        a = _R.broadcast_to(a, shape)
    axes = _norm_axes(axis, len(shape))
    av, bv = np.asarray(_unbox_all(a)).real, np.asarray(_unbox_all(b))
    dropped = (bv == 0) & ~np.isfinite(av)
    if dropped.any():               # scipy's rule; b e^a would be 0·inf = nan there
        a = _R.where(dropped, -np.inf, a)
        av = np.where(dropped, -np.inf, av)
    # the shift by the largest entry (where b != 0) is a constant: the result does not depend
    # on it, only its rounding does
    m = np.max(np.where(np.broadcast_to(bv, shape) == 0, -np.inf, av), axis=axes,
                keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0.0)
    s = _R.sum(b * _R.exp(a - m), axis=axes, keepdims=keepdims)
    shift = m if keepdims else np.squeeze(m, axis=axes)
    shift = shift[()] if shift.ndim == 0 else shift
    if not return_sign:
        with np.errstate(invalid="ignore", divide="ignore"):   # scipy's nan / -inf, quietly
            return _R.log(s) + shift
    sv = _unbox_all(s)
    with np.errstate(divide="ignore"):
        out = _R.log(_R.abs(s)) + shift
    return out, np.sign(sv)


def _reduction_axis(a: Any, axis: Any) -> Any:
    """numpy's reductions take axis 0 of a 0-D value to mean all of it."""
    if axis is not None and not _shape_of(a):
        _norm_axes(axis, 0)
        return None
    return axis


def softmax(x: Any, axis: Any = None) -> Any:
    """scipy's ``softmax``: ``exp(x) / sum(exp(x))`` over ``axis``, by default over all of
    ``x`` (dnp's ``softmax`` defaults to the last axis).

    >>> import dualnum.scipy.special as dsp
    >>> dsp.softmax([[0.0, 0.0], [0.0, 0.0]])
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    x = _in(x)
    return _R.softmax(x, axis=_reduction_axis(x, axis))


def log_softmax(x: Any, axis: Any = None) -> Any:
    """scipy's ``log_softmax``: ``x - logsumexp(x)`` over ``axis`` (all of ``x`` by default).

    >>> import dualnum.scipy.special as dsp
    >>> dsp.log_softmax([0.0, 0.0])
    array([-0.69314718, -0.69314718])
    """
    x = _in(x)
    return _R.log_softmax(x, axis=_reduction_axis(x, axis))
