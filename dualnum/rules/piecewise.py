"""The rule table, part 6: piecewise functions — integer-valued steps (``floor``, ``ceil``,
``trunc``, ``rint``, ``floor_divide``), sawtooth remainders (``remainder``, ``fmod``) and
``copysign``.

Each is differentiable almost everywhere, with a derivative that is constant between its
jumps: 0 for the steps, ``(1, -q)`` for the remainders (``x - q·y`` with the integer quotient
``q`` held fixed), ``±1`` / 0 for ``copysign``. At a jump the derivative is that of the piece
numpy's value belongs to (the jump itself is ignored, as for ``sign``), and the ``kink``
column says where the jumps are, so the comparison report marks such points *kink*, never
*fail*. The quotients that the partials read are taken from the primal values: constants,
so the partials differentiate again (to 0).

sympy leaves the derivatives of ``floor``, ``ceiling`` and ``Mod`` unevaluated: the table's
tests compare these rows with central differences (and skip the sympy reference, saying so).

>>> import dualnum as dn
>>> dn.derivative(floor, 2.5), dn.grad(lambda y: remainder(7.0, y))(2.0)
(0.0, -3.0)
"""
from __future__ import annotations

import math
import operator
from typing import Any, Callable

import numpy as np

from dualnum.primitive import ONE, Kink, unbox_all
from dualnum.rules._declare import POSITIVE, REAL, binary, unary

__all__ = ["floor", "ceil", "trunc", "rint", "floor_divide", "remainder", "fmod", "copysign"]


def _integral(fn: Callable[[float], int]) -> Callable[[float], float]:
    """``math.floor``-like ``fn`` as numpy's float function: a float, with the sign of a zero
    result taken from ``x`` (``np.ceil(-0.5)`` is ``-0.0``); inf and nan make ``fn`` raise,
    and the declarer then hands the float to numpy."""
    def fast(x: float) -> float:
        r = float(fn(x))
        return r if r else math.copysign(0.0, x)
    return fast


def _zero(x: Any, ans: Any) -> Any:
    # 0 of x's kind; nan where x is nan or inf (as sign's partial, 0·x)
    return 0.0 * x


def _at_integers(x: Any) -> Any:
    return np.asarray(np.floor(x) == x) & np.isfinite(x)


def _at_half_integers(x: Any) -> Any:
    with np.errstate(invalid="ignore"):     # inf - inf: nan, not a half-integer
        return np.asarray(x - np.floor(x) == 0.5)


_STEP = "'(x) = 0; the jump at {} is ignored (as sign's)"

floor = unary("floor", np.floor, _integral(math.floor), lambda sp, x: sp.floor(x),
              _zero, REAL, analytic=False, family="piecewise",
              kink=Kink(_at_integers, "floor" + _STEP.format("each integer")), reads="x")

ceil = unary("ceil", np.ceil, _integral(math.ceil), lambda sp, x: sp.ceiling(x),
             _zero, REAL, analytic=False, family="piecewise",
             kink=Kink(_at_integers, "ceil" + _STEP.format("each integer")), reads="x")

trunc = unary("trunc", np.trunc, _integral(math.trunc),
              lambda sp, x: sp.sign(x) * sp.floor(sp.Abs(x)),
              _zero, REAL, analytic=False, family="piecewise",
              kink=Kink(_at_integers, "trunc" + _STEP.format("each non-zero integer")),
              reads="x")


def _rint_sym(sp: Any, x: Any) -> Any:
    # round half to even, as numpy: floor(x + 1/2), except at a half-integer above an even one
    half = sp.Rational(1, 2)
    tie_down = sp.And(sp.Eq(sp.frac(x), half), sp.Eq(sp.Mod(sp.floor(x), 2), 0))
    return sp.Piecewise((sp.floor(x), tie_down), (sp.floor(x + half), True))


# Python's round() of a float is round-half-to-even, numpy's rint
rint = unary("rint", np.rint, _integral(round), _rint_sym, _zero, REAL, analytic=False,
             family="piecewise",
             kink=Kink(_at_half_integers, "rint" + _STEP.format("each half-integer")),
             reads="x")


def _quotient_at_jumps(x: Any, y: Any) -> Any:
    return np.asarray(np.remainder(x, y) == 0)


floor_divide = binary(
    "floor_divide", np.floor_divide, operator.floordiv, lambda sp, x, y: sp.floor(x / y),
    lambda x, y, ans: 0.0 * x, lambda x, y, ans: 0.0 * y, (REAL, POSITIVE), analytic=False,
    family="piecewise",
    kink=Kink(_quotient_at_jumps, "floor_divide'(x, y) = (0, 0); the jumps where x/y is an "
                                  "integer are ignored"), reads="x y")


def _constant(q: Any) -> Any:
    """A quotient computed from primal values, as a float for floats (the hot paths)."""
    return float(q) if type(q) is np.float64 else q


def _minus_floor_quotient(x: Any, y: Any, ans: Any) -> Any:
    # d/dy (x - q·y) with q = floor_divide(x, y) fixed: numpy's own quotient, the one its
    # remainder is consistent with (x == q·y + remainder(x, y))
    with np.errstate(divide="ignore", invalid="ignore"):
        return _constant(-np.floor_divide(unbox_all(x), unbox_all(y)))


remainder = binary(
    "remainder", np.remainder, operator.mod, lambda sp, x, y: sp.Mod(x, y),
    ONE, _minus_floor_quotient, (REAL, POSITIVE), analytic=False, family="piecewise",
    kink=Kink(_quotient_at_jumps, "remainder (mod, %): slope (1, -floor(x/y)) of the tooth "
                                  "numpy's value is on; the jumps where x/y is an integer "
                                  "are ignored"), reads="x y")


def _fmod_math(x: float, y: float) -> float:
    try:
        return math.fmod(x, y)
    except ValueError:      # fmod(inf, y), fmod(x, 0): numpy's nan, with its warning
        return float(np.fmod(x, y))


def _minus_trunc_quotient(x: Any, y: Any, ans: Any) -> Any:
    # d/dy (x - q·y) with q = trunc(x / y) fixed. The quotient is read off the result,
    # (x - fmod(x, y)) / y rounded to the integer it is: trunc(x / y) itself can be one off
    # (1.0 / 0.1 is 10.0, but fmod(1.0, 0.1) is 0.0999..., the tenth tooth: q = 9)
    xv, yv, av = unbox_all(x), unbox_all(y), unbox_all(ans)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _constant(-np.rint((np.subtract(xv, av)) / yv))


fmod = binary(
    "fmod", np.fmod, _fmod_math, lambda sp, x, y: sp.sign(x) * sp.Mod(sp.Abs(x), sp.Abs(y)),
    ONE, _minus_trunc_quotient, (REAL, POSITIVE), analytic=False, family="piecewise",
    kink=Kink(lambda x, y: np.asarray(np.fmod(x, y) == 0),
              "fmod: slope (1, -trunc(x/y)) of the tooth numpy's value is on; the jumps "
              "where x/y is an integer are ignored"), reads="x y ans")


def _copysign_slope(x: Any, y: Any, ans: Any) -> Any:
    # PyTorch's copysign backward: result / x, and 0 where x == 0 (|x|'s kink, abs'(0) = 0);
    # nan where x is nan. A constant (the sign pattern), so it differentiates to 0.
    xv, yv = unbox_all(x), unbox_all(y)
    if type(xv) is float and type(yv) is float:
        if xv != xv:
            return xv
        return 0.0 if xv == 0 else (
            1.0 if math.copysign(1.0, xv) == math.copysign(1.0, yv) else -1.0)
    same = np.signbit(xv) == np.signbit(yv)
    return np.where(np.isnan(xv), np.nan, np.where(xv == 0, 0.0, np.where(same, 1.0, -1.0)))


def _copysign_sym(sp: Any, x: Any, y: Any) -> Any:
    return sp.Piecewise((-sp.Abs(x), y < 0), (sp.Abs(x), True))


copysign = binary(
    "copysign", np.copysign, math.copysign, _copysign_sym,
    _copysign_slope, lambda x, y, ans: 0.0 * y, (REAL, REAL), analytic=False,
    family="piecewise",
    kink=Kink(lambda x, y: np.asarray(x == 0) | np.asarray(y == 0),
              "copysign'(0, y) = 0 in x (PyTorch), 0 in y (the sign's jump at y = 0 is "
              "ignored)"), reads="x y")

PIECEWISE = (floor, ceil, trunc, rint, floor_divide, remainder, fmod, copysign)
