"""The rule table, part 1: elementwise primitives.

One block per primitive: numeric implementation (numpy, with the ``math`` function as a fast
path for Python floats), sympy counterpart, the partial derivative ``d(x, ans)`` per argument
(written with the toolkit's own ops, so it can be differentiated again), the domain the tests
sample from, and, for non-smooth ops, the kink and the convention used there (PyTorch's).

The forward interpreter multiplies a tangent by ``d``; the reverse interpreter multiplies an
adjoint by ``d``. Nothing else about the derivative is written anywhere.
"""
from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from dualnum.primitive import ONE, Box, Kink, Primitive, shape_of, unbox_all
from dualnum.rules._declare import (
    _NUMERIC, POSITIVE, REAL, UNIT, _apply_sym, _coerce, _names_broadcast_errors, _sympy,
    as_objects, binary, numeric_or_symbolic, unary,
)
from dualnum.rules.complex import imag, real   # the composites of abs and sign

LN2 = math.log(2.0)
LN10 = math.log(10.0)
SQRT_PI = math.sqrt(math.pi)

# ============================== arithmetic ==============================

_F64 = np.dtype(np.float64)


def _f64(v: Any) -> bool:
    """A float64 ndarray, or the stand-in of one (a lean tape's Unkept)."""
    return getattr(v, "dtype", None) is _F64 and hasattr(v, "shape")


def _negated_sum_to(c: np.ndarray, v: Any, fresh: bool = False) -> Any:
    """``-c`` summed back to the shape of ``v`` when ``v`` (a float64 array or its stand-in)
    was broadcast along some axes of equal rank (``x - mu``, ``mu`` of shape (n, 1)): summed
    first, negated after, on the small result (the same numbers: negation is exact). Else
    ``-c`` as it is (the tape fits it), in place if ``c`` is a ``fresh`` temporary."""
    vs, cs = v.shape, c.shape
    if len(vs) == len(cs) and vs != cs:
        axes: tuple = ()
        for i, n in enumerate(vs):
            if n == 1 and cs[i] != 1:
                axes += (i,)
        r = np.add.reduce(c, axis=axes, keepdims=True)
        if r.shape == vs:
            return np.negative(r, out=r)
    return np.negative(c, out=c) if fresh else -c


def _subtract_vjp_arrays(g, x, y, ans, nx, ny):
    """``subtract``'s two contributions for an ndarray adjoint: ``g`` and ``-g`` (the
    partials ONE and -1), the second summed before it is negated where ``y`` was broadcast."""
    if not ny:
        return g if nx else None, None
    if g.dtype is _F64 and _f64(y):
        return g if nx else None, _negated_sum_to(g, y)
    return g if nx else None, g * -1.0


def _d_divide_x(x, y, ans):
    return 1.0 / y


def _d_divide_y(x, y, ans):
    # -ans / y as (-1 / y) * ans: where y is broadcast (x / std), one full-size operation
    # fewer on the adjoint's way back
    return (-1.0 / y) * ans


def _divide_vjp_arrays(g, x, y, ans, nx, ny):
    """``divide``'s two contributions for an ndarray adjoint. On float64 values: ``g / y``
    and ``-(g / y) * ans`` (= ``-g x / y²``), the latter summed before it is negated where
    ``y`` was broadcast; three full-size operations where ``g * partial`` takes five.
    Anything else (boxes, complex values): ``g * partial``, as the tape would compute it."""
    if g.dtype is _F64 and (type(y) is float or type(y) is np.ndarray and y.dtype is _F64) \
            and (not ny or type(ans) is np.ndarray and ans.dtype is _F64):
        gx = g / y
        if not ny:
            return gx if nx else None, None
        t = gx * ans
        gy = _negated_sum_to(t, y, True) if type(y) is np.ndarray else np.negative(t, out=t)
        return gx if nx else None, gy
    return (g * _d_divide_x(x, y, ans) if nx else None,
            g * _d_divide_y(x, y, ans) if ny else None)


add = binary("add", np.add, operator.add, lambda sp, x, y: x + y,
             ONE, ONE, (REAL, REAL), family="arithmetic", reads="")

subtract = binary("subtract", np.subtract, operator.sub, lambda sp, x, y: x - y,
                  ONE, lambda x, y, ans: -1.0, (REAL, REAL), family="arithmetic", reads="",
                  vjp_arrays=_subtract_vjp_arrays)

multiply = binary("multiply", np.multiply, operator.mul, lambda sp, x, y: x * y,
                  lambda x, y, ans: y, lambda x, y, ans: x, (REAL, REAL), family="arithmetic",
                  reads="x y")

divide = binary("divide", np.true_divide, operator.truediv, lambda sp, x, y: x / y,
                _d_divide_x, _d_divide_y, (REAL, POSITIVE), family="arithmetic",
                reads="y ans", vjp_arrays=_divide_vjp_arrays)

negative = unary("negative", np.negative, operator.neg, lambda sp, x: -x,
                 lambda x, ans: -1.0, REAL, family="arithmetic", reads="")

positive = unary("positive", np.positive, operator.pos, lambda sp, x: x,
                 ONE, REAL, family="arithmetic", reads="")


def _power_impl(x: Any, y: Any) -> Any:
    tx, ty = type(x), type(y)
    if tx is float and (ty is float or ty is int):
        # Python gives a complex number for (-8.0) ** (1/3); numpy gives nan: keep numpy's answer.
        if x > 0.0 or float(y).is_integer():
            try:
                return float(x ** y)
            except (ZeroDivisionError, OverflowError):
                pass
    x, y = _coerce(x), _coerce(y)
    if np.iscomplexobj(x) or np.iscomplexobj(y):
        return np.power(np.asarray(x, dtype=complex), y)
    if type(y) in (int, float) and y in (1, 2) and getattr(x, "dtype", None) == np.float64:
        return x * x if y == 2 else x + 0.0   # the common squares, without a general power
    return np.float_power(x, y)


def _d_power_base(x: Any, y: Any, ans: Any) -> Any:
    # y * x**(y-1). Where y == 0, x**0 is the constant 1 (at x = 0 too): the partial is 0.
    if type(y) in _NUMERIC:                 # a constant exponent
        if y == 2:
            return 2.0 * x
        # 0 * x**0 rather than 0 * x: 0, not nan, at x = nan or inf (nan**0 is 1, as in numpy)
        return 0.0 * power(x, 0.0) if y == 0 else y * power(x, y - 1)
    if not isinstance(y, Box):              # a constant array: 0 * x**0 at its zeros
        return y * power(x, np.where(y == 0, 1.0, y) - 1.0)
    # A traced exponent: no constant may stand in at y == 0, since the partial's slope in y
    # is the mixed second derivative, x**(y-1) (1 + y log x) = 1/x there. y * x**(y-1) is
    # right at y == 0 for x != 0; at x == y == 0 it is 0 * inf, and y * x**y takes over:
    # value 0, slope 0 in x (x**0 is constant), slope 1 + 0 * nan = nan in y (d/dx 0**y is
    # -inf for y < 0, 0 at y = 0, inf for 0 < y < 1: no derivative in y there).
    both = np.asarray((x == 0) & (y == 0))  # comparisons on boxes read the primal values
    if not both.any():
        return y * power(x, y - 1)
    if both.ndim == 0:
        return y * power(x, y)
    # the branch not taken is evaluated at harmless points (1, 0): where() multiplies its
    # tangent by 0, and 0 * inf would be nan
    xa, ya = where(both, x, 1.0), where(both, y, 0.0)
    return where(both, ya * power(xa, ya), y * power(where(both, 1.0, x), y - 1))


def _d_power_exponent(x: Any, y: Any, ans: Any) -> Any:
    # x**y * log(x); nan for x < 0 (a negative base has real powers at integer y only, so no
    # real derivative in y). At x == 0 the limits x -> 0+ are, for the partial itself: 0 for
    # y > 0 (0**y is 0 there), undefined for y <= 0 (0**y jumps: inf, 1, 0): nan; for its
    # slope in y, x**y log(x)**2: 0 for y > 0; for its slope in x (the mixed second
    # derivative), x**(y-1) (1 + y log x): 0 for y > 1, but -inf for 0 < y <= 1 and +inf for
    # y <= 0, where a constant branch would give a silent 0. A sqrt(x) term (value 0, slope
    # inf at x = 0) carries that infinite slope; a nan * y term, the undefined slope in y.
    zero = np.asarray(x == 0)
    if not zero.any():
        return ans * log(x)
    if zero.ndim == 0 and shape_of(y) == ():
        if y > 1:
            return 0.0 * x
        return 0.0 - sqrt(x) if y > 0 else sqrt(x) + np.nan * y
    # elementwise, every branch evaluated at harmless points where it is not taken (where()
    # multiplies the tangent of the branch not taken by 0, and 0 * inf is nan)
    pos = np.asarray(y > 0)
    steep, undefined = zero & ~np.asarray(y > 1), zero & ~pos    # (a nan y is in both)
    at_zero = (np.where(pos, 0.0, np.nan)
               + np.where(steep, np.where(pos, -1.0, 1.0), 0.0) * sqrt(where(steep, x, 1.0))
               + np.where(undefined, np.nan, 0.0) * where(undefined, y, 0.0))
    xs = where(zero, 1.0, x)
    return where(zero, at_zero, power(xs, y) * log(xs))


def _power_sym(x: Any, y: Any) -> Any:
    if type(y) is float and y.is_integer():
        y = int(y)  # x**2 rather than x**2.0: sympy simplifies integer powers exactly
    return x ** y


def _power_vjp_arrays(g, x, y, ans, nx, ny):
    """``power``'s contributions for an ndarray adjoint: the square of a float64 array by a
    constant exponent (``(h - y) ** 2``) as ``2x`` scaled by ``g`` in place (one array, the
    same numbers as ``g * (2.0 * x)``); ``g * partial`` for everything else."""
    if not ny and (type(y) is int or type(y) is float) and y == 2 and \
            type(x) is np.ndarray and x.dtype is _F64 and g.dtype is _F64:
        if not nx:
            return None, None
        t = 2.0 * x
        t *= g
        return t, None
    return (g * _d_power_base(x, y, ans) if nx else None,
            g * _d_power_exponent(x, y, ans) if ny else None)


_power_general = _names_broadcast_errors("power")(numeric_or_symbolic(_power_impl, _power_sym))


def _power_entry(x: Any, y: Any) -> Any:
    """``power``'s implementation: the common square of a float64 array (``(h - y) ** 2``)
    first, as :func:`_power_impl` computes it, without the checks every other call needs."""
    if type(x) is np.ndarray and x.dtype.char == "d" and (type(y) is int or type(y) is float) \
            and (y == 2 or y == 1):
        return x * x if y == 2 else x + 0.0
    return _power_general(x, y)


power = Primitive("power", _power_entry,
                  sym=lambda sp, x, y: x ** y,
                  partials=(_d_power_base, _d_power_exponent), vjp_arrays=_power_vjp_arrays,
                  domain=(POSITIVE, REAL), family="arithmetic", reads="x y ans")

square = unary("square", np.square, lambda x: x * x, lambda sp, x: x ** 2,
               lambda x, ans: 2.0 * x, REAL, family="arithmetic", reads="x")

sqrt = unary("sqrt", np.sqrt, math.sqrt, lambda sp, x: sp.sqrt(x),
             lambda x, ans: 0.5 / ans, POSITIVE, family="arithmetic", reads="ans")

# math.cbrt (Python 3.11) gives np.cbrt's answers; |x| ** (1/3) was up to ~100 ulp off
# (1/3 is not exact; 62 ulp at 1e308, 97 at 1e-320) and disagreed with the array path
cbrt = unary("cbrt", np.cbrt, getattr(math, "cbrt", lambda x: float(np.cbrt(x))),
             lambda sp, x: sp.real_root(x, 3),
             lambda x, ans: 1.0 / (3.0 * ans * ans), POSITIVE, family="arithmetic", reads="ans")

# ============================== exponentials and logarithms ==============================

exp = unary("exp", np.exp, math.exp, lambda sp, x: sp.exp(x),
            lambda x, ans: ans, REAL, family="exp-log", reads="ans")

expm1 = unary("expm1", np.expm1, math.expm1, lambda sp, x: sp.exp(x) - 1,
              lambda x, ans: ans + 1.0, REAL, family="exp-log", reads="ans")

exp2 = unary("exp2", np.exp2, lambda x: 2.0 ** x, lambda sp, x: 2 ** x,
             lambda x, ans: ans * LN2, REAL, family="exp-log", reads="ans")

log = unary("log", np.log, math.log, lambda sp, x: sp.log(x),
            lambda x, ans: 1.0 / x, POSITIVE, family="exp-log", reads="x")

log1p = unary("log1p", np.log1p, math.log1p, lambda sp, x: sp.log(1 + x),
              lambda x, ans: 1.0 / (1.0 + x), POSITIVE, family="exp-log", reads="x")

log2 = unary("log2", np.log2, math.log2, lambda sp, x: sp.log(x, 2),
             lambda x, ans: 1.0 / (x * LN2), POSITIVE, family="exp-log", reads="x")

log10 = unary("log10", np.log10, math.log10, lambda sp, x: sp.log(x, 10),
              lambda x, ans: 1.0 / (x * LN10), POSITIVE, family="exp-log", reads="x")

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

# ============================== non-smooth (kinks follow PyTorch) ==============================


def _at_zero(x: Any) -> Any:
    return np.asarray(x == 0)


def _step(x: Any) -> Any:
    # numpy's heaviside with step(0) = 0; nan stays nan (np.heaviside(nan, 0) is nan)
    if type(x) is float:
        return 1.0 if x > 0.0 else 0.0 if x <= 0.0 else x
    return np.heaviside(x, 0.0)


def _relu_sym(sp: Any, x: Any) -> Any:
    # Max(0, x) unevaluated unless x is a number: evaluating it makes sympy try to order x
    # against 0 (factor_terms of every pair), which took 11 s of the transformer's 11.2 s on
    # symbols; the value and sympy's derivative (Heaviside(x)) are the same
    return sp.Max(0, x) if sp.sympify(x).is_number else sp.Max(0, x, evaluate=False)


relu = unary("relu", lambda x: np.maximum(x, 0.0),
             lambda x: 0.0 if x <= 0.0 else x,       # nan <= 0 is False: relu(nan) is nan
             _relu_sym,
             lambda x, ans: x > 0.0, REAL, analytic=False, family="nonsmooth",  # a mask
             kink=Kink(_at_zero, "relu'(0) = 0 (PyTorch)"), reads="x")


def _abs_complex(z: Any) -> Any:
    """|z| for complex z, as the derivative interpreters compute it: ``sign(z)·dz`` holds for
    real z only (|z| is not holomorphic), so differentiate ``hypot(Re z, Im z)``: tangent
    ``Re(conj(z)·t)/|z|`` (real), gradient ``conj(z)/|z|``; 0 at z = 0, hypot's kink.

    >>> import dualnum as dn
    >>> float(dn.jvp(abs, (3.0 + 4.0j,), (1.0j,))[1]), dn.grad(abs)(3.0 + 4.0j)
    (0.8, (0.6-0.8j))
    """
    return hypot(real(z), imag(z))


def _sign_complex(z: Any) -> Any:
    """sign(z) = z/|z| for complex z (numpy 2's definition), 0 at z = 0 with derivative 0
    there (the jump is ignored, as for real sign). Not holomorphic: ``0·dz`` would be wrong.

    >>> import dualnum as dn
    >>> t = dn.jvp(sign, (3.0 + 4.0j,), (1.0j,))[1]   # i/|z| − z·Re(conj(z)·i)/|z|³
    >>> round(float(t.real), 12), round(float(t.imag), 12)
    (-0.096, 0.072)
    """
    a = _abs_complex(z)
    if shape_of(z) == ():
        return 0.0 * z if a == 0 else z / a     # comparisons on boxes read primal values
    zero = np.asarray(a == 0)
    return where(zero, 0.0, z / where(zero, 1.0, a))


# sign(x)·dx and 0·dx hold for real x: a complex argument of a derivative computation runs
# the composite instead (Primitive.complex_via; the values on plain numbers stay numpy's)
abs = unary("abs", np.abs, math.fabs, lambda sp, x: sp.Abs(x),
            lambda x, ans: sign(x), REAL, analytic=False, family="nonsmooth",
            kink=Kink(_at_zero, "abs'(0) = 0 (PyTorch; JAX uses 1)"),
            reads="x").with_complex_via(_abs_complex)

# nan fails both comparisons: x + 0.0 is nan for nan (np.sign's answer), +0.0 for -0.0
sign = unary("sign", np.sign, lambda x: 1.0 if x > 0.0 else -1.0 if x < 0.0 else x + 0.0,
             lambda sp, x: sp.sign(x),
             lambda x, ans: 0.0 * x, REAL, analytic=False, family="nonsmooth",
             kink=Kink(_at_zero, "sign'(0) = 0 (the jump is ignored)"),
             reads="x").with_complex_via(_sign_complex)

heaviside = unary("heaviside", _step, lambda x: 1.0 if x > 0.0 else 0.0 if x <= 0.0 else x,
                  lambda sp, x: sp.Heaviside(x, 0),
                  lambda x, ans: 0.0 * x, REAL, analytic=False, family="nonsmooth",
                  kink=Kink(_at_zero, "step(0) = 0, step'(0) = 0 (sympy's Heaviside(0) is 1/2)"),
                  reads="x")


def _tie(x: Any, y: Any) -> Any:
    return np.asarray(x == y)


def _max_share(x: Any, y: Any) -> Any:
    return (np.asarray(x > y, dtype=float) + 0.5 * np.asarray(x == y, dtype=float)
            if type(x) is not float or type(y) is not float
            else (1.0 if x > y else 0.5 if x == y else 0.0))


# np.maximum/np.minimum: nan from either side wins (x != x: x is nan; y is nan: both tests
# fail and y is returned); on a tie the second argument (np.maximum(-0.0, 0.0) is 0.0)
maximum = binary("maximum", np.maximum, lambda x, y: x if x > y or x != x else y,
                 lambda sp, x, y: sp.Max(x, y),
                 lambda x, y, ans: _max_share(x, y), lambda x, y, ans: _max_share(y, x),
                 (REAL, REAL), analytic=False, family="nonsmooth",
                 kink=Kink(_tie, "maximum at a tie gives 1/2 to each side (PyTorch)"), reads="x y")

minimum = binary("minimum", np.minimum, lambda x, y: x if x < y or x != x else y,
                 lambda sp, x, y: sp.Min(x, y),
                 lambda x, y, ans: _max_share(y, x), lambda x, y, ans: _max_share(x, y),
                 (REAL, REAL), analytic=False, family="nonsmooth",
                 kink=Kink(_tie, "minimum at a tie gives 1/2 to each side (PyTorch)"), reads="x y")


def _clip_sym(x: Any, lo: Any, hi: Any) -> Any:
    sp = _sympy()
    f = (lambda v, a, b: sp.Min(sp.Max(v, a), b) if a is not None and b is not None
         else sp.Max(v, a) if a is not None else sp.Min(v, b))
    if any(type(a) is np.ndarray for a in (x, lo, hi)):   # bounds broadcast like x
        return np.frompyfunc(f, 3, 1)(x, *as_objects(lo, hi))
    return f(x, lo, hi)


def _inside(x: Any, lo: Any, hi: Any) -> Any:
    # PyTorch's clamp: gradient 1 on the closed interval [lo, hi]. The masks have the
    # broadcast shape of all three arguments (a scalar x with array bounds gives an array);
    # the tape sums each partial back to its own argument's shape.
    m = np.asarray(True)
    if lo is not None:
        m = m & np.asarray(x >= lo)
    if hi is not None:
        m = m & np.asarray(x <= hi)
    return m.astype(float)


def _below(x: Any, lo: Any, hi: Any) -> Any:
    # np.clip is minimum(maximum(x, lo), hi): lo is the answer where x < lo, unless hi < lo
    m = np.asarray(x < lo)
    return (m & np.asarray(lo <= hi) if hi is not None else m).astype(float)


def _above(x: Any, lo: Any, hi: Any) -> Any:
    # hi is the answer where x > hi, and wherever hi < lo (numpy's order: the max first)
    m = np.asarray(x > hi)
    return (m | np.asarray(lo > hi) if lo is not None else m).astype(float)


clip = Primitive("clip", _names_broadcast_errors("clip")(numeric_or_symbolic(
                     lambda x, lo, hi: np.clip(_coerce(x), lo, hi), _clip_sym)),
                 sym=lambda sp, x, lo, hi: sp.Min(sp.Max(x, lo), hi),
                 partials=(lambda x, lo, hi, ans: _inside(x, lo, hi),
                           lambda x, lo, hi, ans: _below(x, lo, hi),
                           lambda x, lo, hi, ans: _above(x, lo, hi)),
                 domain=(REAL, (-1.0, -0.5), (0.5, 1.0)), analytic=False, family="nonsmooth",
                 kink=Kink(lambda x, lo, hi: np.asarray((x == lo) if lo is not None else False)
                           | np.asarray((x == hi) if hi is not None else False),
                           "clip'(x) = 1 at x = lo or hi (PyTorch's clamp)"), reads="x lo hi")


def _where_sym(c: Any, x: Any, y: Any) -> Any:
    if type(c) is np.ndarray and c.dtype.char == "O" or hasattr(c, "free_symbols"):
        # a symbolic condition: sympy's Piecewise, elementwise
        return _apply_sym(lambda sp, ci, xi, yi: sp.Piecewise((xi, ci), (yi, True)), c, x, y)
    return np.where(c, *as_objects(x, y))


where = Primitive("where", _names_broadcast_errors("where")(numeric_or_symbolic(np.where,
                                                                                 _where_sym)),
                  sym=lambda sp, c, x, y: sp.Piecewise((x, c), (y, True)),
                  partials=(None,
                            lambda c, x, y, ans: np.asarray(c, dtype=float),
                            lambda c, x, y, ans: 1.0 - np.asarray(c, dtype=float)),
                  domain=(None, REAL, REAL), family="selection", reads="c")

ELEMENTWISE = (
    add, subtract, multiply, divide, negative, positive, power, square, sqrt, cbrt,
    exp, expm1, exp2, log, log1p, log2, log10,
    sin, cos, tan, arcsin, arccos, arctan, arctan2, hypot,
    sinh, cosh, tanh, arcsinh, arccosh, arctanh,
    erf, sigmoid, softplus, relu, abs, sign, heaviside, maximum, minimum, clip, where,
)

__all__ = [p.name for p in ELEMENTWISE]
