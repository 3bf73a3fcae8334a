"""The rule table, part 6: piecewise functions — the non-smooth rows (``relu``, ``abs``,
``sign``, ``heaviside``, ``maximum``, ``minimum``, ``clip``), integer-valued steps (``floor``,
``ceil``, ``trunc``, ``rint``, ``floor_divide``), sawtooth remainders (``remainder``, ``fmod``)
and ``copysign``.

The non-smooth rows have a kink where the derivative is a convention: the ``kink`` column
says where, and which convention is used there (PyTorch's); ``abs`` and ``sign`` carry the
composite their derivatives run on complex arguments (``complex_via``).

The steps, remainders and ``copysign`` are differentiable almost everywhere, with a
derivative that is constant between its jumps: 0 for the steps, ``(1, -q)`` for the
remainders (``x - q·y`` with the integer quotient ``q`` held fixed), ``±1`` / 0 for
``copysign``. At a jump the derivative is that of the piece numpy's value belongs to (the jump
itself is ignored, as for ``sign``), and the ``kink`` column says where the jumps are, so the
comparison report marks such points *kink*, never *fail*. The quotients that the partials read
are taken from the primal values: constants, so the partials differentiate again (to 0).

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

from dualnum.primitive import ONE, Kink, Primitive, shape_of, unbox_all
from dualnum.rules._declare import (
    POSITIVE, REAL, _coerce, _names_broadcast_errors, _sympy, as_objects, binary,
    numeric_or_symbolic, unary,
)
from dualnum.rules.complex import imag, real   # the composites of abs and sign
from dualnum.rules.elementwise import where
from dualnum.rules.transcendental import hypot

__all__ = ["floor", "ceil", "trunc", "rint", "floor_divide", "remainder", "fmod", "copysign",
           "relu", "abs", "sign", "heaviside", "maximum", "minimum", "clip"]


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

PIECEWISE = (floor, ceil, trunc, rint, floor_divide, remainder, fmod, copysign,
             relu, abs, sign, heaviside, maximum, minimum, clip)
