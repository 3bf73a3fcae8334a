"""The edges of the special functions' domains: values as scipy gives them, and derivatives
as the mathematics says (one-sided limits, or nan where there is no derivative); the exact
points where a naive formula would give 0/0; kinks and their conventions."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

sc = pytest.importorskip("scipy.special", reason="dualnum.scipy needs scipy")

import mpmath  # noqa: E402

import dualnum as dn  # noqa: E402
import dualnum.scipy.special as dsp  # noqa: E402
from dualnum.rules import get_rule  # noqa: E402

INF, NAN = math.inf, math.nan


def _both(f, x):
    """(value, forward derivative, reverse derivative) at x, warnings silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(f(x)), float(dn.derivative(f, x)), float(dn.grad(f)(x))


def _same(got, want, what):
    if math.isnan(want):
        assert math.isnan(got), f"{what}: {got}, want nan"
    else:
        assert got == want, f"{what}: {got}, want {want}"


@pytest.mark.parametrize("f,x,value,slope", [
    # log|Γ| -> +inf at the poles; slope -1/x from the right of 0, +inf from its left (-0.0),
    # none at a negative integer (the one-sided limits are -inf and +inf): nan
    (dsp.gammaln, 0.0, INF, -INF), (dsp.gammaln, -0.0, INF, INF),
    (dsp.gammaln, -1.0, INF, NAN), (dsp.gammaln, -3.0, INF, NAN),
    # Γ(x) ~ 1/x around 0 (±inf), slope -1/x² -> -inf on both sides; no value at -1
    (dsp.gamma, 0.0, INF, -INF), (dsp.gamma, -0.0, -INF, -INF), (dsp.gamma, -1.0, NAN, NAN),
    # ψ at a pole has no value (±inf either side), but ψ' ~ 1/(x + n)² is +inf on both sides
    (dsp.digamma, 0.0, -INF, INF), (dsp.digamma, -2.0, NAN, INF),
    # the inverse functions at the ends of their domains: infinite values, slopes +inf / -inf
    (dsp.erfinv, 1.0, INF, INF), (dsp.erfinv, -1.0, -INF, INF),
    (dsp.erfcinv, 0.0, INF, -INF), (dsp.erfcinv, 2.0, -INF, -INF),
    (dsp.ndtri, 0.0, -INF, INF), (dsp.ndtri, 1.0, INF, INF),
    (dsp.logit, 0.0, -INF, INF), (dsp.logit, 1.0, INF, INF),
    (dsp.erfinv, 1.5, NAN, NAN), (dsp.erfcx, -30.0, INF, -INF),
    # Y0 ~ (2/π) log x: -inf at 0 with slope +inf
    (dsp.y0, 0.0, -INF, INF),
    # the normal cdf's tails: log Φ(-40) is finite, its slope φ/Φ ≈ 40.02
    (dsp.ndtr, -INF, 0.0, 0.0), (dsp.log_ndtr, INF, 0.0, 0.0),
])
def test_values_and_slopes_at_the_edges(f, x, value, slope):
    v, fwd, rev = _both(f, x)
    want = float(getattr(sc, f.name)(x))
    _same(v, want, f"{f.name}({x}) vs scipy")
    _same(v, value, f"{f.name}({x})")
    _same(fwd, slope, f"{f.name}'({x}) forward")
    _same(rev, slope, f"{f.name}'({x}) reverse")


def _mills(x):
    """φ(x)/Φ(x), the slope of log Φ, in 60-digit arithmetic (mpmath, not the rule)."""
    with mpmath.workdps(60):
        x = mpmath.mpf(x)
        return mpmath.npdf(x) / mpmath.ncdf(x)


@pytest.mark.parametrize("x", [-1e4, -1e3, -40.0, -38.5, -8.0, 0.0, 9.0])
def test_log_ndtr_in_the_far_tail_first_and_second_order(x):
    g = dn.grad(dsp.log_ndtr)(x)
    assert g == pytest.approx(float(_mills(x)), rel=4e-15)
    # (log Φ)'' = -m (x + m) with m = φ/Φ: cancels to ≈ -1 + 1/x² in the tail
    with mpmath.workdps(60):
        m = _mills(x)
        want = float(-m * (mpmath.mpf(x) + m))
    h = dn.derivative(lambda v: dn.grad(dsp.log_ndtr)(v), x)
    # (erfcx's slope, 2u·erfcx(u) - 2/√π, cancels for large u = -x/√2: ~u²·1e-16 relative,
    # 3e-8 at x = -1e4)
    assert h == pytest.approx(want, rel=1e-15 * x * x if x < -100 else 1e-12, abs=1e-14)
    assert float(dsp.log_ndtr(x)) == pytest.approx(float(mpmath.log(mpmath.ncdf(x))), rel=1e-14)


def test_xlogy_is_zero_where_x_is_zero_and_so_is_its_slope_in_y():
    for f, pole in ((dsp.xlogy, 0.0), (dsp.xlog1py, -1.0)):
        for y in (pole, 0.3, 2.0):
            v, gy = float(f(0.0, y)), dn.grad(lambda t: f(0.0, t))(y)
            assert v == 0.0 and gy == 0.0, (f.name, y, v, gy)
            assert dn.derivative(lambda t: f(0.0, t), y) == 0.0
        # in x at the pole: log 0 = -inf (f is 0 at x = 0 and -inf for x > 0)
        with np.errstate(divide="ignore"):
            assert dn.grad(lambda s: f(s, pole))(0.0) == -INF
        # arrays with the pole at some entries, others not
        x, y = np.array([0.0, 0.0, 1.5]), np.array([pole, 0.7, 0.7])
        gx, gy = dn.grad(lambda a, b: np.sum(f(a, b)), argnums=(0, 1))(x, y)
        with np.errstate(divide="ignore"):
            np.testing.assert_array_equal(gy, [0.0, 0.0, 1.5 / (0.7 - pole)])
            np.testing.assert_allclose(gx, [-INF, np.log(0.7 - pole), np.log(0.7 - pole)])


def test_the_bessel_functions_of_order_one_at_zero_to_third_order():
    # I1 = x/2 + x³/16 + ..., J1 = x/2 - x³/16 + ...: slopes 1/2, second derivative 0, third
    # ±3/8; the recurrence iv' = (iv(v-1) + iv(v+1))/2 has no 0/0 there (i0 - i1/x would)
    for f, third in ((dsp.i1, 0.375), (dsp.j1, -0.375)):
        d1 = lambda x, f=f: dn.derivative(f, x)
        d2 = lambda x: dn.derivative(d1, x)
        d3 = lambda x: dn.derivative(d2, x)
        assert (d1(0.0), d2(0.0), d3(0.0)) == (0.5, 0.0, third), f.name
        assert dn.grad(f)(0.0) == 0.5
        assert dn.hessian(lambda v, f=f: f(v[0]))(np.zeros(1))[0, 0] == 0.0
    assert dn.derivative(lambda x: dn.derivative(dsp.i0, x), 0.0) == 0.5     # I0'' = I1' = 1/2


def test_ive_at_its_kink_takes_the_documented_convention():
    kink = get_rule("ive").kink
    assert "abs'(0) = 0" in kink.convention and bool(kink.at(0, 0.0))
    # ive(0, x) = I0(x) e^{-|x|}: slopes -1 (x -> 0+) and +1 (x -> 0-); the convention: 0
    assert dn.derivative(lambda x: dsp.ive(0, x), 0.0) == 0.0
    assert dn.grad(lambda x: dsp.ive(0, x))(0.0) == 0.0
    h = 1e-7
    assert dn.derivative(lambda x: dsp.ive(0, x), h) == pytest.approx(-1.0, abs=1e-6)
    assert dn.derivative(lambda x: dsp.ive(0, x), -h) == pytest.approx(1.0, abs=1e-6)
    # ive(1, x) ~ x/2 is smooth to first order at 0: slope 1/2 either way
    assert dn.derivative(lambda x: dsp.ive(1, x), 0.0) == 0.5


def test_betainc_slope_is_the_beta_density_also_at_the_ends():
    assert dn.grad(lambda x: dsp.betainc(0.5, 2.0, x))(0.0) == INF      # x^(-1/2)
    assert dn.grad(lambda x: dsp.betainc(2.0, 3.0, x))(0.0) == 0.0
    assert dn.grad(lambda x: dsp.betainc(1.0, 1.0, x))(1.0) == 1.0      # uniform: 0·log 0 = 0
    assert dn.grad(lambda x: dsp.betainc(2.0, 3.0, x))(0.3) == pytest.approx(
        0.3 * 0.7 ** 2 / sc.beta(2.0, 3.0), rel=1e-14)


def test_nan_stays_nan_in_value_and_derivative():
    for f in (dsp.gammaln, dsp.digamma, dsp.erfinv, dsp.logit, dsp.i1, dsp.j0, dsp.log_ndtr):
        v, fwd, rev = _both(f, NAN)
        assert math.isnan(v) and math.isnan(fwd) and math.isnan(rev), f.name
