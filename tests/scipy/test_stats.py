"""dualnum.scipy.stats against scipy.stats: values over grids (keyword arguments,
broadcasting between the point and the parameters, support edges, invalid parameters), and
derivatives in the point and every continuous parameter, forward and reverse, against central
differences of scipy's own functions; second order; frozen distributions."""
from __future__ import annotations

import numpy as np
import pytest

st = pytest.importorskip("scipy.stats", reason="dualnum.scipy needs scipy")

import dualnum as dn  # noqa: E402
import dualnum.numpy as dnp  # noqa: E402
from dualnum.scipy import stats as dst  # noqa: E402

from ..core.refs import assert_close, central_gradient, central_jacobian  # noqa: E402

RNG = np.random.default_rng(23)
X = RNG.uniform(-3.0, 3.0, size=(3, 4))
XP = RNG.uniform(0.05, 6.0, size=(3, 4))
XU = RNG.uniform(0.02, 0.98, size=(3, 4))
Q = RNG.uniform(0.01, 0.99, size=(3, 4))
COL = RNG.uniform(0.5, 2.0, size=(3, 1))
ROW = RNG.uniform(0.5, 2.0, size=(4,))

# (distribution, method, positional arguments, keyword arguments)
CALLS = [
    ("norm", "logpdf", (X,), {}), ("norm", "logpdf", (X, 0.5, 2.0), {}),
    ("norm", "pdf", (X,), dict(loc=COL, scale=ROW)), ("norm", "cdf", (X * 4.0, COL, ROW), {}),
    ("norm", "logcdf", (X * 15.0,), dict(scale=ROW)), ("norm", "sf", (X * 3.0, -0.2), {}),
    ("norm", "logsf", (X * 15.0, 0.3, 1.5), {}), ("norm", "ppf", (Q, COL, ROW), {}),
    ("norm", "isf", (Q,), dict(loc=1.0, scale=3.0)),
    ("t", "logpdf", (X, 3.0), {}), ("t", "logpdf", (X,), dict(df=COL * 5.0, loc=0.3, scale=ROW)),
    ("t", "logpdf", (X, np.array([0.5, 2.0, 1e3, 1e8])), {}), ("t", "pdf", (X, 2.5, -1.0), {}),
    ("t", "cdf", (X * 2.0, COL * 4.0), {}), ("t", "sf", (X * 2.0, 7.0, 0.5, ROW), {}),
    ("gamma", "logpdf", (XP, 2.5), {}), ("gamma", "logpdf", (XP, COL, 0.1, ROW), {}),
    ("gamma", "pdf", (XP,), dict(a=0.7, scale=2.0)),
    ("beta", "logpdf", (XU, 2.0, 3.0), {}), ("beta", "logpdf", (XU, COL, ROW), {}),
    ("beta", "pdf", (XU * 2.0 - 0.5, 0.6, 1.4, -0.5, 2.0), {}),
    ("beta", "cdf", (XU, COL, ROW), {}), ("beta", "cdf", (XU * 3.0 - 1.0, 2.0, 2.0, -1.0, 3.0), {}),
]
IDS = [f"{d}.{m}-{i}" for i, (d, m, _, _) in enumerate(CALLS)]


@pytest.mark.parametrize("dist,method,args,kw", CALLS, ids=IDS)
def test_values_match_scipy(dist, method, args, kw):
    want = getattr(getattr(st, dist), method)(*args, **kw)
    got = getattr(getattr(dst, dist), method)(*args, **kw)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)


# the point and each continuous parameter in turn, positional: which argument is differentiated
DERIV = [
    ("norm", "logpdf", (X[0], 0.3, 1.7), (0, 1, 2)), ("norm", "pdf", (X[0], COL, ROW), (0, 1, 2)),
    ("norm", "cdf", (X[0] * 3, 0.3, 1.7), (0, 1, 2)), ("norm", "logcdf", (X[0] * 9, 0.3, 1.7),
                                                       (0, 1, 2)),
    ("norm", "sf", (X[0], 0.3, 1.7), (0, 1, 2)), ("norm", "logsf", (X[0] * 9, 0.3, 1.7), (0, 1, 2)),
    ("norm", "ppf", (Q[0], 0.3, 1.7), (0, 1, 2)), ("norm", "isf", (Q[0], 0.3, 1.7), (0, 1, 2)),
    ("t", "logpdf", (X[0], 2.5, 0.3, 1.7), (0, 1, 2, 3)), ("t", "pdf", (X[0], COL * 3, 0.2, 1.1),
                                                          (0, 1, 2, 3)),
    ("t", "cdf", (X[0], 2.5, 0.3, 1.7), (0, 2, 3)), ("t", "sf", (X[0], 4.0, 0.3, 1.7), (0, 2, 3)),
    ("gamma", "logpdf", (XP[0], 2.5, -0.01, 1.3), (0, 1, 2, 3)),
    ("gamma", "pdf", (XP[0], COL, 0.0, 0.8), (0, 1, 3)),
    ("beta", "logpdf", (XU[0], 2.0, 3.0, -0.01, 1.05), (0, 1, 2, 3, 4)),
    ("beta", "pdf", (XU[0], COL, 1.5), (0, 1, 2)),
    ("beta", "cdf", (XU[0], 2.0, 3.0, -0.01, 1.05), (0, 3, 4)),
]


def _bind(fn, args, wrt):
    def f(*xs):
        a = list(args)
        for i, x in zip(wrt, xs):
            a[i] = x
        return fn(*a)
    return f


@pytest.mark.parametrize("dist,method,args,wrt", DERIV,
                         ids=[f"{d}.{m}-{i}" for i, (d, m, _, _) in enumerate(DERIV)])
def test_derivatives_against_central_differences(dist, method, args, wrt):
    ours = _bind(getattr(getattr(dst, dist), method), args, wrt)
    theirs = _bind(getattr(getattr(st, dist), method), args, wrt)
    xs = [np.asarray(args[i], dtype=float) for i in wrt]
    nums = tuple(range(len(xs)))
    refs = central_jacobian(theirs, xs, list(nums))
    fwd = dn.jacfwd(ours, argnums=nums)(*xs)
    rev = dn.jacrev(ours, argnums=nums)(*xs)
    for k in nums:
        assert_close(fwd[k], refs[k], 1e-6, 1e-8, f"{dist}.{method} forward d/darg{wrt[k]}")
        assert_close(rev[k], fwd[k], 1e-12, 1e-14, f"{dist}.{method} reverse d/darg{wrt[k]}")


@pytest.mark.parametrize("dist,method,args", [
    ("norm", "logpdf", (0.7, 0.2, 1.3)), ("t", "logpdf", (0.7, 3.5, 0.2, 1.3)),
    ("gamma", "logpdf", (1.7, 2.5, 0.1, 1.3)), ("beta", "logpdf", (0.35, 2.0, 3.5, 0.0, 1.1)),
    ("norm", "logcdf", (-1.1, 0.2, 1.3)), ("t", "cdf", (0.7, 3.5, 0.2, 1.3)),
])
def test_second_order_in_all_continuous_arguments(dist, method, args):
    fn = getattr(getattr(dst, dist), method)
    ref_fn = getattr(getattr(st, dist), method)
    wrt = [0, 2, 3] if (dist, method) == ("t", "cdf") else list(range(len(args)))
    s = lambda v: fn(*_place(args, wrt, v))
    v0 = np.array([args[i] for i in wrt], dtype=float)
    H = dn.hessian(s)(v0)
    ref = central_gradient(lambda v: central_jacobian(
        lambda u: ref_fn(*_place(args, wrt, u)), [v], [0])[0], v0, h=1e-4)
    assert_close(H, ref, 1e-4, 1e-5, f"{dist}.{method} Hessian vs scipy's second differences")
    assert_close(dn.hessian(s, mode="forward")(v0), H, 1e-11, 1e-12, "forward-over-forward")


def _place(args, wrt, v):
    a = list(args)
    for k, i in enumerate(wrt):
        a[i] = v[k]
    return a


def test_support_edges_and_invalid_parameters_as_scipy():
    with np.errstate(all="ignore"):
        checks = [
            ("gamma", "logpdf", (np.array([-1.0, 0.0, 0.0, 0.0, 2.0]),
                                 np.array([2.0, 1.0, 0.5, 3.0, -1.0]))),
            ("beta", "logpdf", (np.array([-0.1, 0.0, 1.0, 0.0, 1.0, 1.2, 0.5]),
                                np.array([2.0, 1.0, 1.0, 0.5, 2.0, 2.0, 0.0]), 2.0)),
            ("beta", "cdf", (np.array([-0.5, 0.0, 1.0, 1.5]), 2.0, 3.0)),
            ("norm", "logpdf", (1.0, 0.0, np.array([1.0, 0.0, -1.0, np.nan]))),
            ("norm", "ppf", (np.array([0.0, 1.0, -0.1, 1.1]),)),
            ("t", "logpdf", (1.0, np.array([0.0, -1.0, np.inf, 1e20]))),
            ("t", "cdf", (1.0, np.array([0.0, np.inf]))),
        ]
        for dist, method, args in checks:
            want = getattr(getattr(st, dist), method)(*args)
            got = getattr(getattr(dst, dist), method)(*args)
            np.testing.assert_allclose(got, want, rtol=1e-13, err_msg=f"{dist}.{method}")


def test_derivatives_outside_the_support_and_at_invalid_parameters():
    with np.errstate(all="ignore"):
        # outside the support the log-density is the constant -inf: slope 0, not nan
        g = dn.grad(lambda x: dnp.sum(dst.gamma.logpdf(x, 2.0)))(np.array([-1.0, 1.0]))
        np.testing.assert_allclose(g, [0.0, 1.0 / 1.0 - 1.0])
        g = dn.grad(lambda x: dnp.sum(dst.beta.logpdf(x, 2.0, 3.0)))(np.array([1.5, 0.5]))
        np.testing.assert_allclose(g, [0.0, 1.0 / 0.5 - 2.0 / 0.5])
        # an invalid parameter: nan in the value and in the derivative (scipy's nan)
        v, d = dn.jvp(lambda s: dst.norm.logpdf(1.0, 0.0, s), (-1.0,), (1.0,))
        assert np.isnan(v) and np.isnan(d)
        assert np.isnan(dn.grad(lambda a: dst.gamma.logpdf(1.0, a))(-0.5))


def test_poisson_against_scipy_and_its_derivative_in_mu():
    k = np.array([0, 1, 2, 5, 10, 2.5, -1, 3])
    for mu in (0.0, 0.4, 3.0, np.array([1.0, 2.0, 0.5, 4.0, 7.0, 2.0, 1.0, 20.0])):
        np.testing.assert_allclose(dst.poisson.logpmf(k, mu), st.poisson.logpmf(k, mu),
                                   rtol=1e-13)
        np.testing.assert_allclose(dst.poisson.pmf(k, mu), st.poisson.pmf(k, mu), rtol=1e-13)
    np.testing.assert_allclose(dst.poisson.logpmf(k, 2.0, loc=1), st.poisson.logpmf(k, 2.0, loc=1))
    with np.errstate(invalid="ignore"):
        assert np.isnan(dst.poisson.logpmf(1, -1.0)) and np.isnan(st.poisson.logpmf(1, -1.0))
    # d/dmu (k log mu - mu - log k!) = k/mu - 1 (0 off the support); second: -k/mu²
    mu = np.array([0.7, 1.3, 2.0, 4.5, 3.3, 1.1])
    kk = np.array([0, 1, 3, 8, 2.5, -2])
    g = dn.grad(lambda m: dnp.sum(dst.poisson.logpmf(kk, m)))(mu)
    on = (kk >= 0) & (kk == np.floor(kk))
    np.testing.assert_allclose(g, np.where(on, kk / mu - 1.0, 0.0), rtol=1e-14)
    H = dn.hessian(lambda m: dnp.sum(dst.poisson.logpmf(kk, m)))(mu)
    np.testing.assert_allclose(np.diag(H), np.where(on, -kk / mu ** 2, 0.0), rtol=1e-13)
    # k = 0 at mu = 0: log pmf = -mu, slope -1
    assert dn.grad(lambda m: dst.poisson.logpmf(0, m))(0.0) == -1.0
    (ref,) = central_jacobian(lambda m: st.poisson.pmf(3, m), [np.array(2.2)], [0])
    assert dn.derivative(lambda m: dst.poisson.pmf(3, m), 2.2) == pytest.approx(float(ref),
                                                                               rel=1e-7)
    with pytest.raises(TypeError, match="poisson.logpmf: k and loc are counts"):
        dn.grad(lambda kv: dst.poisson.logpmf(kv, 2.0))(1.0)


def test_frozen_distributions():
    fz = dst.norm(loc=COL, scale=2.0)
    np.testing.assert_allclose(fz.logpdf(X), st.norm(loc=COL, scale=2.0).logpdf(X), rtol=1e-14)
    np.testing.assert_allclose(dst.t(3.0, 0.5).cdf(X), st.t(3.0, 0.5).cdf(X), rtol=1e-13)
    np.testing.assert_allclose(dst.gamma(2.0).pdf(XP), st.gamma(2.0).pdf(XP), rtol=1e-13)
    np.testing.assert_allclose(dst.beta(2.0, 3.0).cdf(XU), st.beta(2.0, 3.0).cdf(XU),
                               rtol=1e-13)
    np.testing.assert_allclose(dst.poisson(3.0).pmf([0, 2, 4]), st.poisson(3.0).pmf([0, 2, 4]),
                               rtol=1e-13)
    g = dn.grad(lambda s: dst.norm(0.0, s).logpdf(1.0))(2.0)
    assert g == pytest.approx(-1 / 2.0 + 1.0 / 2.0 ** 3, rel=1e-14)


def test_a_method_dualnum_lacks_is_a_clear_error():
    with pytest.raises(AttributeError, match=r"dualnum.scipy.stats.gamma has no 'cdf'"):
        dst.gamma.cdf(1.0, 2.0)
    with pytest.raises(AttributeError, match="has no 'ppf'"):
        dst.t(3.0).ppf(0.5)
