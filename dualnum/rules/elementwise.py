"""The rule table, part 1: elementwise arithmetic, powers, exponentials and logarithms, and
``where`` — the rows every other family's partials are written with.

One block per primitive: numeric implementation (numpy, with the ``math`` function as a fast
path for Python floats), sympy counterpart, the partial derivative ``d(x, ans)`` per argument
(written with the toolkit's own ops, so it can be differentiated again), and the domain the
tests sample from. The other elementwise rows follow the same pattern, by family:
:mod:`dualnum.rules.transcendental` (trigonometric, hyperbolic, erf, the activations, sinc,
logaddexp) and :mod:`dualnum.rules.piecewise` (the non-smooth rows, with the kink and the
convention used there, and the steps and remainders).

The forward interpreter multiplies a tangent by ``d``; the reverse interpreter multiplies an
adjoint by ``d``. Nothing else about the derivative is written anywhere.
"""
from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from dualnum.primitive import ONE, Box, Primitive, shape_of
from dualnum.rules._declare import (
    _NUMERIC, POSITIVE, REAL, _apply_sym, _coerce, _names_broadcast_errors, as_objects, binary,
    numeric_or_symbolic, unary,
)

LN2 = math.log(2.0)
LN10 = math.log(10.0)

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

# ============================== selection ==============================


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
    exp, expm1, exp2, log, log1p, log2, log10, where,
)

__all__ = [p.name for p in ELEMENTWISE]
