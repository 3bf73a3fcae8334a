"""The rule table, part 7: more smooth elementwise functions — ``sinc`` and the pairwise
log-sum-exp ``logaddexp``, ``logaddexp2``.

Rows as in :mod:`dualnum.rules.elementwise`: implementation (numpy's, with a float fast path
computing what numpy's C loop computes), sympy counterpart, one partial per argument written
with the toolkit's own ops (so it differentiates again), test domain.

>>> import dualnum as dn
>>> dn.derivative(sinc, 0.0) == 0.0, round(dn.derivative(sinc, 0.5), 12)
(True, -1.273239544735)
>>> dn.grad(lambda x: logaddexp(x, 0.0))(0.0)
0.5
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from dualnum.primitive import unbox_all
from dualnum.rules._declare import REAL, binary, unary
from dualnum.rules.elementwise import cos, sigmoid, where

__all__ = ["sinc", "logaddexp", "logaddexp2"]

LN2 = math.log(2.0)
LOG2E = 1.0 / LN2      # numpy's NPY_LOG2E, 1.4426950408889634

# ============================== sinc ==============================


def _sinc_math(x: float) -> float:
    # numpy's sinc: y = pi * (x, or 1e-20 at 0); sin(y) / y
    y = math.pi * (x if x != 0.0 else 1.0e-20)
    return math.sin(y) / y


# sinc'(x) = sum_{k>=1} (-1)^k 2k pi^(2k) x^(2k-1) / (2k+1)!: the coefficients of x^(2k-1)
_SINC_D = tuple((-1) ** k * 2 * k * math.pi ** (2 * k) / math.factorial(2 * k + 1)
                for k in range(1, 10))
_SINC_NEAR_ZERO = 0.1


def _sinc_taylor(x: Any) -> Any:
    """sinc'(x) by its series (|x| < 0.1: the nine terms are exact to rounding), so that it is
    right at x = 0 and differentiates to sinc''(0) = -pi²/3 there."""
    x2 = x * x
    p = _SINC_D[-1]
    for c in reversed(_SINC_D[:-1]):
        p = c + x2 * p
    return x * p


def _d_sinc(x: Any, ans: Any) -> Any:
    # (cos(pi x) - sinc(x)) / x away from 0; near 0 the difference cancels (0/0 at 0), and the
    # series takes over. Elementwise, each branch is evaluated at harmless points where it is
    # not taken (where() multiplies the tangent of the branch not taken by 0).
    near = np.abs(unbox_all(x)) < _SINC_NEAR_ZERO
    if np.ndim(near) == 0:
        return _sinc_taylor(x) if near else (cos(math.pi * x) - ans) / x
    if near.all():
        return _sinc_taylor(x)
    if not near.any():
        return (cos(math.pi * x) - ans) / x
    far = where(near, 1.0, x)
    return where(near, _sinc_taylor(where(near, x, 0.0)),
                 (cos(math.pi * far) - where(near, 0.0, ans)) / far)


sinc = unary("sinc", np.sinc, _sinc_math, lambda sp, x: sp.sinc(sp.pi * x),
             _d_sinc, REAL, family="special", reads="x ans")

# ============================== logaddexp ==============================


def _logaddexp_math(x: float, y: float) -> float:
    # numpy's npy_logaddexp, step for step (equal infinities without nan, nan passes through)
    if x == y:
        return x + LN2
    d = x - y
    if d > 0:
        return x + math.log1p(math.exp(-d))
    if d <= 0:
        return y + math.log1p(math.exp(d))
    return d


def _logaddexp2_math(x: float, y: float) -> float:
    # numpy's npy_logaddexp2
    if x == y:
        return x + 1.0
    d = x - y
    if d > 0:
        return x + LOG2E * math.log1p(2.0 ** -d)
    if d <= 0:
        return y + LOG2E * math.log1p(2.0 ** d)
    return d


# d/dx log(e^x + e^y) = e^x / (e^x + e^y) = sigmoid(x - y): no overflow, and 1 (not nan) at
# x = inf with y finite
logaddexp = binary("logaddexp", np.logaddexp, _logaddexp_math,
                   lambda sp, x, y: sp.log(sp.exp(x) + sp.exp(y)),
                   lambda x, y, ans: sigmoid(x - y), lambda x, y, ans: sigmoid(y - x),
                   (REAL, REAL), family="exp-log", reads="x y")

logaddexp2 = binary("logaddexp2", np.logaddexp2, _logaddexp2_math,
                    lambda sp, x, y: sp.log(2 ** x + 2 ** y, 2),
                    lambda x, y, ans: sigmoid((x - y) * LN2),
                    lambda x, y, ans: sigmoid((y - x) * LN2),
                    (REAL, REAL), family="exp-log", reads="x y")

TRANSCENDENTAL = (sinc, logaddexp, logaddexp2)
