"""The rule table, part 7: the smooth transcendental elementwise functions — trigonometric
(with ``arctan2`` and ``hypot``), hyperbolic, ``erf``, the activations ``sigmoid`` and
``softplus``, ``sinc`` and the pairwise log-sum-exp ``logaddexp``, ``logaddexp2``.

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

from dualnum.primitive import Kink, unbox_all
from dualnum.rules._declare import POSITIVE, REAL, UNIT, binary, unary
from dualnum.rules.elementwise import exp, sqrt, where

__all__ = ["sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "hypot", "sinh", "cosh",
           "tanh", "arcsinh", "arccosh", "arctanh", "erf", "sigmoid", "softplus", "sinc",
           "logaddexp", "logaddexp2"]

LN2 = math.log(2.0)
LOG2E = 1.0 / LN2      # numpy's NPY_LOG2E, 1.4426950408889634
SQRT_PI = math.sqrt(math.pi)

# ============================== trigonometric ==============================

sin = unary("sin", np.sin, math.sin, lambda sp, x: sp.sin(x),
            lambda x, ans: cos(x), REAL, family="trig", reads="x")

cos = unary("cos", np.cos, math.cos, lambda sp, x: sp.cos(x),
            lambda x, ans: -sin(x), REAL, family="trig", reads="x")

tan = unary("tan", np.tan, math.tan, lambda sp, x: sp.tan(x),
            lambda x, ans: 1.0 + ans * ans, (-1.2, 1.2), family="trig", reads="ans")

arcsin = unary("arcsin", np.arcsin, math.asin, lambda sp, x: sp.asin(x),
               lambda x, ans: 1.0 / sqrt(1.0 - x * x), UNIT, family="trig", reads="x")

arccos = unary("arccos", np.arccos, math.acos, lambda sp, x: sp.acos(x),
               lambda x, ans: -1.0 / sqrt(1.0 - x * x), UNIT, family="trig", reads="x")

arctan = unary("arctan", np.arctan, math.atan, lambda sp, x: sp.atan(x),
               lambda x, ans: 1.0 / (1.0 + x * x), REAL, family="trig", reads="x")

arctan2 = binary("arctan2", np.arctan2, math.atan2, lambda sp, y, x: sp.atan2(y, x),
                 lambda y, x, ans: x / (x * x + y * y),
                 lambda y, x, ans: -y / (x * x + y * y),
                 (REAL, POSITIVE), analytic=False, family="trig", reads="y x")


def _safe_over(num: Any, den: Any) -> Any:
    """num / den, with 0 where den == 0 (the convention at hypot's kink)."""
    return where(den == 0, 0.0, num / where(den == 0, 1.0, den))


_TINY = np.finfo(float).tiny


def _hypot_share(num: Any, other: Any, ans: Any) -> Any:
    """``num / hypot(num, other)``. Where the hypotenuse is subnormal, num / ans has lost its
    digits (hypot(x, x) at x = 5e-324 is 5e-324: the share would be 1, not 1/√2), so both legs
    are first scaled by a constant (the larger |leg|: the share does not depend on it)."""
    a = unbox_all(ans)
    if type(a) is float and a >= _TINY or np.all(np.abs(a) >= _TINY):
        return _safe_over(num, ans)
    s = np.maximum(np.abs(unbox_all(num)), np.abs(unbox_all(other)))
    s = np.where(s == 0, 1.0, s)
    return _safe_over(num / s, hypot(num / s, other / s))


hypot = binary("hypot", np.hypot, math.hypot, lambda sp, x, y: sp.sqrt(x ** 2 + y ** 2),
               lambda x, y, ans: _hypot_share(x, y, ans), lambda x, y, ans: _hypot_share(y, x, ans),
               (REAL, REAL), analytic=False, family="trig",
               kink=Kink(lambda x, y: np.asarray(x == 0) & np.asarray(y == 0),
                         "hypot'(0, 0) = (0, 0)"), reads="x y ans")

# ============================== hyperbolic ==============================

sinh = unary("sinh", np.sinh, math.sinh, lambda sp, x: sp.sinh(x),
             lambda x, ans: cosh(x), REAL, family="hyperbolic", reads="x")

cosh = unary("cosh", np.cosh, math.cosh, lambda sp, x: sp.cosh(x),
             lambda x, ans: sinh(x), REAL, family="hyperbolic", reads="x")

tanh = unary("tanh", np.tanh, math.tanh, lambda sp, x: sp.tanh(x),
             lambda x, ans: 1.0 - ans * ans, REAL, family="hyperbolic", reads="ans")

arcsinh = unary("arcsinh", np.arcsinh, math.asinh, lambda sp, x: sp.asinh(x),
                lambda x, ans: 1.0 / sqrt(x * x + 1.0), REAL, family="hyperbolic", reads="x")

arccosh = unary("arccosh", np.arccosh, math.acosh, lambda sp, x: sp.acosh(x),
                lambda x, ans: 1.0 / sqrt(x * x - 1.0), (1.2, 3.0), family="hyperbolic", reads="x")

arctanh = unary("arctanh", np.arctanh, math.atanh, lambda sp, x: sp.atanh(x),
                lambda x, ans: 1.0 / (1.0 - x * x), UNIT, family="hyperbolic", reads="x")

# ============================== special functions and activations ==============================


_erf_vec = np.vectorize(math.erf, otypes=[float])


def _erf_complex(z: complex) -> complex:
    import mpmath   # ships with sympy; only complex arguments (the complex step) need it
    with mpmath.workdps(30):   # the complex step reads an imaginary part ~1e-20 of the real
        return complex(mpmath.erf(mpmath.mpc(z.real, z.imag)))


_erf_cvec = np.vectorize(_erf_complex, otypes=[complex])


def _erf_np(x: Any) -> Any:
    x = np.asarray(x)
    if np.iscomplexobj(x):
        return _erf_cvec(x) if x.ndim else _erf_complex(complex(x))
    return _erf_vec(x) if x.ndim else math.erf(float(x))


erf = unary("erf", _erf_np, math.erf, lambda sp, x: sp.erf(x),
            lambda x, ans: (2.0 / SQRT_PI) * exp(-(x * x)), REAL, family="special", reads="x")


def _sigmoid_math(x: float) -> float:
    # two branches so that neither exp can overflow: sigmoid(+-800) stays finite
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _sigmoid_np(x: Any) -> Any:
    x = np.asarray(x)
    if np.iscomplexobj(x):
        return 1.0 / (1.0 + np.exp(-x))
    # _sigmoid_math's two branches, vectorised (the same operations: floats and arrays agree
    # to the bit); exp(-logaddexp(0, -x)) was up to 32 ulp off for large |x|. nan stays nan.
    e = np.exp(-np.abs(x))
    return np.divide(np.where(x >= 0.0, 1.0, e), 1.0 + e)


sigmoid = unary("sigmoid", _sigmoid_np, _sigmoid_math, lambda sp, x: 1 / (1 + sp.exp(-x)),
                lambda x, ans: ans * (1.0 - ans), REAL, family="activation", reads="ans")


def _softplus_math(x: float) -> float:
    return x + math.log1p(math.exp(-x)) if x > 0.0 else math.log1p(math.exp(x))


def _softplus_np(x: Any) -> Any:
    x = np.asarray(x)
    if np.iscomplexobj(x):
        return np.log1p(np.exp(x))
    return np.logaddexp(0.0, x)


softplus = unary("softplus", _softplus_np, _softplus_math, lambda sp, x: sp.log(1 + sp.exp(x)),
                 lambda x, ans: sigmoid(x), REAL, family="activation", reads="x")

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

TRANSCENDENTAL = (
    sin, cos, tan, arcsin, arccos, arctan, arctan2, hypot,
    sinh, cosh, tanh, arcsinh, arccosh, arctanh,
    erf, sigmoid, softplus, sinc, logaddexp, logaddexp2,
)
