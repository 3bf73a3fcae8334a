"""The rule table, the scipy.special family: the special functions of ``dualnum.scipy.special``.

Each row is elementwise (a partial derivative ``d(*args, ans)`` per argument, written with the
toolkit's own ops so it differentiates again), as in :mod:`dualnum.rules.elementwise`; only
the numeric implementation is scipy's. The derivatives chain through the family:
gammaln' = digamma, digamma' = polygamma(1, ·), polygamma(n, ·)' = polygamma(n + 1, ·);
the Bessel functions through their recurrences, iv' = (iv(v-1) + iv(v+1)) / 2 (so i1' is
(i0 + iv(2)) / 2, exact at x = 0, where the equal i0 - i1/x is 0/0), jv' = (jv(v-1) - jv(v+1)) / 2,
yv' likewise; erfinv' = √π/2 · exp(erfinv²). An order or a shape parameter (``n``, ``v``, the
``a, b`` of betainc, the ``df`` of stdtr) has no partial (``None``): differentiating with
respect to it raises ``NoRuleError``, never a silent zero.

scipy is an optional extra (``pip install dualnum-toolkit[scipy]``). The rows are always in
the table, so ``all_rules()`` is the same whether or not scipy is installed; scipy is imported
the first time a row computes a number, and without it that call raises a one-line
ImportError saying what to install. ``dualnum.numpy`` leaves these rows out (they are not
numpy names); ``dualnum.scipy.special`` is their public face.

>>> from dualnum.rules import get_rule
>>> get_rule("gammaln").family, get_rule("polygamma").partials[0] is None
('scipy.special', True)
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from dualnum.primitive import Kink, Primitive
from dualnum.rules._declare import (
    POSITIVE, REAL, UNIT, _apply_sym, _coerce, _names_broadcast_errors, binary, is_symbolic,
    unary,
)
from dualnum.rules.elementwise import exp, log, log1p, where
from dualnum.rules.piecewise import sign

FAMILY = "scipy.special"
NEEDS_SCIPY = "needs scipy, an optional extra: pip install dualnum-toolkit[scipy]"
SQRT_PI = math.sqrt(math.pi)
SQRT_2PI = math.sqrt(2.0 * math.pi)
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
SQRT_HALF = math.sqrt(0.5)
LOG_PI = math.log(math.pi)

_scipy_special: Any = None


def scipy_special(who: str = "dualnum.rules.special") -> Any:
    """The ``scipy.special`` module, imported on first use; without scipy, an ImportError
    whose one line names ``who`` needs it and what to install."""
    global _scipy_special
    if _scipy_special is None:
        # imported here, not at the top: scipy is optional, and `import dualnum` must neither
        # need it nor pay its import time (~0.3 s) when no special function is called
        try:
            import scipy.special
        except ImportError:
            raise ImportError(f"{who} {NEEDS_SCIPY}") from None
        _scipy_special = scipy.special
    return _scipy_special


def _plain(r: Any) -> Any:
    """A 0-d array as numpy's scalar (scipy's Python-level functions, polygamma, return 0-d
    arrays for scalars; its ufuncs return scalars)."""
    return r[()] if type(r) is np.ndarray and r.ndim == 0 else r


def _on_arrays(name: str) -> Callable[..., Any]:
    """scipy.special's ``name`` on numbers and arrays (the implementation column)."""
    def call(*args: Any) -> Any:
        return _plain(getattr(scipy_special(name), name)(*args))
    call.__name__ = name
    return call


def _on_floats(name: str) -> Callable[..., float]:
    """The same function on Python floats, answering a Python float (the fast column): the
    same scipy routine as the arrays get, so the float and array paths agree to the bit."""
    def call(*args: Any) -> float:
        return float(getattr(scipy_special(name), name)(*args))
    call.__name__ = name
    return call


def _unary(name: str, sym: Callable, d: Callable, domain: Any, *, reads: str,
           **kw: Any) -> Primitive:
    return unary(name, _on_arrays(name), _on_floats(name), sym, d, domain, reads=reads,
                 family=FAMILY, **kw)


def _binary(name: str, sym: Callable, dx: Any, dy: Any, domain: Any, *, reads: str,
            **kw: Any) -> Primitive:
    return binary(name, _on_arrays(name), _on_floats(name), sym, dx, dy, domain, reads=reads,
                  family=FAMILY, **kw)


def _int_order(sp: Any, n: Any) -> Any:
    """An order as sympy wants it: 2 rather than 2.0 or numpy's True."""
    return n if is_symbolic(n) else sp.Integer(int(n)) if float(n).is_integer() else n


# ========================= gamma and its logarithmic derivatives =========================

# log|Γ(x)| (scipy's gammaln; sympy's loggamma agrees for x > 0, where the tests sample);
# +inf at the poles 0, -1, -2, ..., where digamma is ∓inf (at ±0) or nan (no derivative)
gammaln = _unary("gammaln", lambda sp, x: sp.loggamma(x),
                 lambda x, ans: digamma(x), POSITIVE, reads="x")

gamma = _unary("gamma", lambda sp, x: sp.gamma(x),
               lambda x, ans: ans * digamma(x), POSITIVE, reads="x ans")

digamma = _unary("digamma", lambda sp, x: sp.digamma(x),
                 lambda x, ans: polygamma(1, x), POSITIVE, reads="x")

def _polygamma_complex(n: Any, z: Any) -> Any:
    import mpmath   # ships with sympy; only complex arguments need it (scipy has no complex
                    # polygamma of order >= 1: digamma's derivative at a complex point)
    with mpmath.workdps(30):   # the complex step reads an imaginary part ~1e-20 of the real
        return complex(mpmath.polygamma(int(n), mpmath.mpc(z.real, z.imag)))


_polygamma_cvec = np.vectorize(_polygamma_complex, otypes=[complex])


def _polygamma_np(n: Any, x: Any) -> Any:
    if np.iscomplexobj(x):
        return _plain(_polygamma_cvec(n, x))
    return _plain(scipy_special("polygamma").polygamma(n, x))


# n is the (integer) order, never differentiated; True/False from the sweeps' conditions mean 1/0
polygamma = binary("polygamma", _polygamma_np, _on_floats("polygamma"),
                   lambda sp, n, x: sp.polygamma(_int_order(sp, n), x),
                   None, lambda n, x, ans: polygamma(n + 1, x), (None, POSITIVE), reads="n x",
                   family=FAMILY)

betaln = _binary("betaln", lambda sp, a, b: sp.log(sp.beta(a, b)),
                 lambda a, b, ans: digamma(a) - digamma(a + b),
                 lambda a, b, ans: digamma(b) - digamma(a + b), (POSITIVE, POSITIVE),
                 reads="a b")

beta = _binary("beta", lambda sp, a, b: sp.beta(a, b),
               lambda a, b, ans: ans * (digamma(a) - digamma(a + b)),
               lambda a, b, ans: ans * (digamma(b) - digamma(a + b)), (POSITIVE, POSITIVE),
               reads="a b ans")

# Pochhammer's rising factorial Γ(z + m)/Γ(z), for real m too: log(poch(df/2, 1/2)) keeps
# Student's t density accurate at large df, where the difference of two gammaln loses digits
poch = _binary("poch", lambda sp, z, m: sp.gamma(z + m) / sp.gamma(z),
               lambda z, m, ans: ans * (digamma(z + m) - digamma(z)),
               lambda z, m, ans: ans * digamma(z + m), (POSITIVE, POSITIVE), reads="z m ans")

# ======================== error function family and the normal cdf ========================

erfc = _unary("erfc", lambda sp, x: sp.erfc(x),
              lambda x, ans: (-2.0 / SQRT_PI) * exp(-(x * x)), REAL, reads="x")

# exp(x²)·erfc(x), finite where erfc underflows: ~1/(x√π) for large x
erfcx = _unary("erfcx", lambda sp, x: sp.exp(x ** 2) * sp.erfc(x),
               lambda x, ans: 2.0 * x * ans - 2.0 / SQRT_PI, (-1.0, 3.0), reads="x ans")

# ±inf at ±1, where the derivative exp(inf) is +inf (the slope of erf is 0 at ±inf)
erfinv = _unary("erfinv", lambda sp, x: sp.erfinv(x),
                lambda x, ans: (SQRT_PI / 2.0) * exp(ans * ans), UNIT, reads="ans")

# sympy's erfcinv has no numeric evaluation: its equal erfinv(1 - x) stands in
erfcinv = _unary("erfcinv", lambda sp, x: sp.erfinv(1 - x),
                 lambda x, ans: (-SQRT_PI / 2.0) * exp(ans * ans), (0.1, 1.9), reads="ans")

# sympy's forms through erfc, accurate in the lower tail (1 + erf(-21) is 0 in floats)
ndtr = _unary("ndtr", lambda sp, x: sp.erfc(-x / sp.sqrt(2)) / 2,
              lambda x, ans: exp(-0.5 * (x * x)) / SQRT_2PI, REAL, reads="x")

# the slope φ(x)/Φ(x) is √(2/π) / erfcx(-x/√2): no underflow, no cancellation (x ≪ 0: ≈ -x;
# exp(-x²/2 - log Φ) would subtract two numbers of size x²/2)
log_ndtr = _unary("log_ndtr", lambda sp, x: sp.log(sp.erfc(-x / sp.sqrt(2)) / 2),
                  lambda x, ans: SQRT_2_OVER_PI / erfcx(x * -SQRT_HALF), REAL, reads="x")

ndtri = _unary("ndtri", lambda sp, x: sp.sqrt(2) * sp.erfinv(2 * x - 1),
               lambda x, ans: SQRT_2PI * exp(0.5 * (ans * ans)), (0.05, 0.95), reads="ans")

# ============================== logistic and x·log(y) ==============================

# -inf at 0 and +inf at 1, where the derivative 1/(x(1-x)) is +inf (expit is sigmoid: reused)
logit = _unary("logit", lambda sp, x: sp.log(x / (1 - x)),
               lambda x, ans: 1.0 / (x * (1.0 - x)), (0.05, 0.95), reads="x")


def _x_over(x: Any, y: Any, pole: float) -> Any:
    """``x / (y - pole)``, the slope in y of x·log(y - pole), with 0 where x == 0 and
    y == pole: xlogy(0, y) is 0 for every y, so its slope in y is 0 there too (the cross
    derivative there, 1/(y - pole), is unbounded: the constant branch gives 0)."""
    if type(x) is float and type(y) is float:
        return 0.0 if x == 0.0 and y == pole else x / (y - pole)
    both = np.asarray((x == 0) & (y == pole))     # comparisons on boxes read primal values
    if not both.any():
        return x / (y - pole)
    # the branch not taken is evaluated at a harmless point: where() multiplies its tangent
    # by 0, and 0 * inf would be nan
    return where(both, 0.0, x / (where(both, pole + 1.0, y) - pole))


# 0 wherever x == 0 (y = 0 included); the slope in x is log(y) (-inf at y = 0: the function
# is 0 at x = 0 and -inf for x > 0 there)
xlogy = _binary("xlogy", lambda sp, x, y: x * sp.log(y),
                lambda x, y, ans: log(y), lambda x, y, ans: _x_over(x, y, 0.0),
                (REAL, POSITIVE), reads="x y")

xlog1py = _binary("xlog1py", lambda sp, x, y: x * sp.log(1 + y),
                  lambda x, y, ans: log1p(y), lambda x, y, ans: _x_over(x, y, -1.0),
                  (REAL, POSITIVE), reads="x y")

# ============================== Bessel functions ==============================
# An order v is never differentiated; the sweeps' True/False stand for orders 1 and 0.

i0 = _unary("i0", lambda sp, x: sp.besseli(0, x), lambda x, ans: i1(x), REAL, reads="x")

i1 = _unary("i1", lambda sp, x: sp.besseli(1, x),
            lambda x, ans: 0.5 * (i0(x) + iv(2.0, x)), REAL, reads="x")

iv = _binary("iv", lambda sp, v, x: sp.besseli(_int_order(sp, v), x),
             None, lambda v, x, ans: 0.5 * (iv(v - 1, x) + iv(v + 1, x)), (None, REAL),
             reads="v x")

# iv(v, x)·exp(-|x|): exp(-|x|) has abs's kink at 0, whose convention (sign(0) = 0) it takes
ive = _binary("ive", lambda sp, v, x: sp.besseli(_int_order(sp, v), x) * sp.exp(-sp.Abs(x)),
              None, lambda v, x, ans: 0.5 * (ive(v - 1, x) + ive(v + 1, x)) - sign(x) * ans,
              (None, REAL), reads="v x ans", analytic=False,
              kink=Kink(lambda v, x: np.asarray(x == 0),
                        "ive'(v, 0) takes abs'(0) = 0 for the factor exp(-|x|)"))

j0 = _unary("j0", lambda sp, x: sp.besselj(0, x), lambda x, ans: -j1(x), REAL, reads="x")

j1 = _unary("j1", lambda sp, x: sp.besselj(1, x),
            lambda x, ans: 0.5 * (j0(x) - jv(2.0, x)), REAL, reads="x")

jv = _binary("jv", lambda sp, v, x: sp.besselj(_int_order(sp, v), x),
             None, lambda v, x, ans: 0.5 * (jv(v - 1, x) - jv(v + 1, x)), (None, REAL),
             reads="v x")

# the second kind: -inf at 0, nan for x < 0
y0 = _unary("y0", lambda sp, x: sp.bessely(0, x), lambda x, ans: -y1(x), POSITIVE, reads="x")

y1 = _unary("y1", lambda sp, x: sp.bessely(1, x),
            lambda x, ans: 0.5 * (y0(x) - yv(2.0, x)), POSITIVE, reads="x")

yv = _binary("yv", lambda sp, v, x: sp.bessely(_int_order(sp, v), x),
             None, lambda v, x, ans: 0.5 * (yv(v - 1, x) - yv(v + 1, x)), (None, POSITIVE),
             reads="v x")

# =================== distribution functions (derivative in x only) ===================


def _t_pdf(df: Any, t: Any) -> Any:
    """Student's t density, the slope of stdtr in t (scipy.stats.t's formula)."""
    return exp(log(poch(0.5 * df, 0.5)) - 0.5 * (log(df) + LOG_PI)
               - 0.5 * (df + 1.0) * log1p(t * t / df))


def _stdtr_sym(sp: Any, df: Any, t: Any) -> Any:
    # the cdf of Student's t through Gauss's hypergeometric function (defined for every t)
    h = sp.Rational(1, 2)
    return h + t * sp.gamma((df + 1) / 2) * sp.hyper([h, (df + 1) / 2], [3 * h], -t ** 2 / df) / (
        sp.sqrt(sp.pi * df) * sp.gamma(df / 2))


# the cdf of Student's t with df degrees of freedom (scipy.stats.t.cdf); df is not differentiated
stdtr = _binary("stdtr", _stdtr_sym, None, lambda df, t, ans: _t_pdf(df, t),
                ((1.0, 6.0), REAL), reads="df t")


def _betainc_impl(a: Any, b: Any, x: Any) -> Any:
    if is_symbolic(a) or is_symbolic(b) or is_symbolic(x):
        return _apply_sym(_betainc_sym, a, b, x)
    return _plain(scipy_special("betainc").betainc(_coerce(a), _coerce(b), _coerce(x)))


def _betainc_sym(sp: Any, a: Any, b: Any, x: Any) -> Any:
    return sp.betainc_regularized(a, b, 0, x)


def _betainc_dx(a: Any, b: Any, x: Any, ans: Any) -> Any:
    # the beta density x^(a-1) (1-x)^(b-1) / B(a, b), in logarithms (0 · log 0 = 0 at the ends)
    return exp(xlogy(a - 1.0, x) + xlog1py(b - 1.0, -x) - betaln(a, b))


# the regularized incomplete beta function I_x(a, b) (scipy.stats.beta.cdf); a, b are shape
# parameters, not differentiated (their partials have no closed form)
betainc = Primitive("betainc", _names_broadcast_errors("betainc")(_betainc_impl),
                    sym=_betainc_sym, partials=(None, None, _betainc_dx),
                    domain=((0.5, 3.0), (0.5, 3.0), (0.05, 0.95)), family=FAMILY,
                    reads="a b x")

SPECIAL = (
    gammaln, gamma, digamma, polygamma, betaln, beta, poch,
    erfc, erfcx, erfinv, erfcinv, ndtr, log_ndtr, ndtri,
    logit, xlogy, xlog1py,
    i0, i1, iv, ive, j0, j1, jv, y0, y1, yv,
    stdtr, betainc,
)

__all__ = [p.name for p in SPECIAL] + ["SPECIAL", "FAMILY", "scipy_special"]
