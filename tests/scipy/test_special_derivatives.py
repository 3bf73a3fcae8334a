"""Derivatives of dualnum.scipy.special, forward and reverse, against central differences of
scipy's own functions (which share nothing with the rules) and against sympy's derivative
(evaluated by mpmath) where sympy has the function; second order too."""
from __future__ import annotations

import numpy as np
import pytest

sc = pytest.importorskip("scipy.special", reason="dualnum.scipy needs scipy")

import mpmath  # noqa: E402
import sympy  # noqa: E402

import dualnum as dn  # noqa: E402
import dualnum.numpy as dnp  # noqa: E402
import dualnum.scipy.special as dsp  # noqa: E402

from ..core.refs import assert_close, central_gradient, central_jacobian  # noqa: E402

RNG = np.random.default_rng(21)


def _u(lo, hi, *shape):
    return RNG.uniform(lo, hi, size=shape)


# (name, arguments, which are differentiated): every function and every differentiable argument
CASES = [
    ("gammaln", (_u(0.2, 5.0, 5),), (0,)),
    ("gammaln", (np.array([-2.6, -1.3, -0.4]),), (0,)),
    ("gamma", (_u(0.2, 4.0, 2, 3),), (0,)),
    ("gamma", (np.array([-2.6, -1.3, -0.4]),), (0,)),
    ("digamma", (_u(0.3, 5.0, 5),), (0,)),
    ("psi", (np.array([-1.5, -0.5, 2.5]),), (0,)),
    ("polygamma", (np.array([0, 1, 2, 3]), _u(0.4, 4.0, 3, 1)), (1,)),
    ("beta", (_u(0.3, 3.0, 3, 1), _u(0.3, 3.0, 4)), (0, 1)),
    ("betaln", (_u(0.3, 3.0, 4), _u(0.3, 3.0, 4)), (0, 1)),
    ("poch", (_u(0.5, 3.0, 4), _u(-0.4, 2.0, 4)), (0, 1)),
    ("betainc", (_u(0.5, 3.0, 4), 1.7, _u(0.05, 0.95, 3, 4)), (2,)),
    ("erf", (_u(-2.5, 2.5, 5),), (0,)),
    ("erfc", (_u(-2.5, 4.0, 5),), (0,)),
    ("erfinv", (_u(-0.95, 0.95, 5),), (0,)),
    ("erfcinv", (_u(0.05, 1.95, 5),), (0,)),
    ("ndtr", (_u(-6.0, 6.0, 5),), (0,)),
    ("log_ndtr", (np.array([-20.0, -7.0, -1.0, 0.5, 4.0]),), (0,)),
    ("ndtri", (_u(0.02, 0.98, 5),), (0,)),
    ("stdtr", (np.array([1.0, 3.0, 50.0]), _u(-4.0, 4.0, 2, 1)), (1,)),
    ("expit", (_u(-6.0, 6.0, 5),), (0,)),
    ("logit", (_u(0.02, 0.98, 5),), (0,)),
    ("log_expit", (_u(-30.0, 30.0, 5),), (0,)),
    ("xlogy", (_u(-2.0, 2.0, 3, 1), _u(0.1, 3.0, 4)), (0, 1)),
    ("xlog1py", (_u(-2.0, 2.0, 4), _u(-0.8, 3.0, 4)), (0, 1)),
    ("i0", (_u(-4.0, 4.0, 5),), (0,)),
    ("i1", (np.array([-3.0, -0.5, 0.0, 0.7, 3.5]),), (0,)),
    ("iv", (np.array([0.0, 0.5, 1.0, 2.5]), _u(0.2, 4.0, 3, 1)), (1,)),
    ("iv", (2, _u(-4.0, 4.0, 5)), (1,)),
    ("ive", (np.array([0.0, 1.0, 2.0, 3.5]), _u(0.2, 30.0, 3, 1)), (1,)),
    ("ive", (1, np.array([-20.0, -1.5, -0.3, 0.4, 2.0, 60.0])), (1,)),
    ("j0", (_u(-12.0, 12.0, 5),), (0,)),
    ("j1", (np.array([-9.0, -0.5, 0.0, 0.7, 11.5]),), (0,)),
    ("jv", (np.array([0.0, 1.0, 2.5, 4.0]), _u(0.2, 12.0, 3, 1)), (1,)),
    ("y0", (_u(0.2, 12.0, 5),), (0,)),
    ("y1", (_u(0.2, 12.0, 5),), (0,)),
    ("yv", (np.array([0.0, 1.0, 1.5, 3.0]), _u(0.3, 12.0, 3, 1)), (1,)),
]
IDS = [f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)]
SCIPY = {"erf": sc.erf, "expit": sc.expit, "log_expit": sc.log_expit, "psi": sc.psi}


def _fns(name, args, wrt):
    ours, theirs = getattr(dsp, name), SCIPY.get(name, getattr(sc, name, None))

    def bind(fn):
        def f(*xs):
            a = list(args)
            for i, x in zip(wrt, xs):
                a[i] = x
            return fn(*a)
        return f
    return bind(ours), bind(theirs), [np.asarray(args[i], dtype=float) for i in wrt]


@pytest.mark.parametrize("name,args,wrt", CASES, ids=IDS)
def test_first_order_forward_and_reverse_against_central_differences(name, args, wrt):
    f, ref_f, xs = _fns(name, args, wrt)
    refs = central_jacobian(ref_f, xs, list(range(len(xs))))
    nums = tuple(range(len(xs)))
    fwd = dn.jacfwd(f, argnums=nums)(*xs)
    rev = dn.jacrev(f, argnums=nums)(*xs)
    for k in nums:
        assert_close(fwd[k], refs[k], 1e-6, 1e-8, f"{name} forward d/darg{wrt[k]}")
        assert_close(rev[k], fwd[k], 1e-12, 1e-14, f"{name} reverse vs forward")


@pytest.mark.parametrize("name,args,wrt", CASES, ids=IDS)
def test_second_order_against_differences_of_the_gradient(name, args, wrt):
    f, _, xs = _fns(name, args, wrt)
    shapes = [x.shape for x in xs]
    sizes = [x.size for x in xs]
    w = np.random.default_rng(3).normal(size=np.shape(f(*xs)))

    def s(v):
        parts, start = [], 0
        for shp, n in zip(shapes, sizes):
            parts.append(dnp.reshape(v[start:start + n], shp))
            start += n
        return dnp.sum(w * f(*parts))

    v0 = np.concatenate([x.ravel() for x in xs])
    H = dn.hessian(s)(v0)
    ref = central_gradient(lambda v: dn.grad(s)(v), v0)
    assert_close(H, ref, 1e-5, 1e-6, f"{name} Hessian vs differences of the gradient")
    assert_close(H, H.T, 1e-10, 1e-12, f"{name} Hessian symmetry")
    assert_close(dn.hessian(s, mode="forward")(v0), H, 1e-11, 1e-12, f"{name} fwd-over-fwd")
    assert_close(dn.hessian(s, mode="reverse")(v0), H, 1e-11, 1e-12, f"{name} rev-over-rev")


X = sympy.Symbol("x", real=True)
Y = sympy.Symbol("y", real=True)
# sympy's counterpart of each scalar function of x (y: a second argument)
SYMPY = [
    ("gamma", lambda x: dsp.gamma(x), sympy.gamma(X), [0.4, 1.7, 3.2, -1.4]),
    ("loggamma", lambda x: dsp.gammaln(x), sympy.loggamma(X), [0.4, 1.7, 6.5]),
    ("digamma", lambda x: dsp.digamma(x), sympy.digamma(X), [0.4, 1.7, 6.5, -0.5]),
    ("polygamma", lambda x: dsp.polygamma(3, x), sympy.polygamma(3, X), [0.6, 2.2]),
    ("erfc", lambda x: dsp.erfc(x), sympy.erfc(X), [-1.5, 0.2, 3.0]),
    ("erfinv", lambda x: dsp.erfinv(x), sympy.erfinv(X), [-0.9, 0.0, 0.3, 0.97]),
    ("besseli", lambda x: dsp.i1(x), sympy.besseli(1, X), [-2.0, 0.0, 0.5, 3.0]),
    ("besseli", lambda x: dsp.iv(2.5, x), sympy.besseli(sympy.Rational(5, 2), X), [0.3, 2.0]),
    ("besselj", lambda x: dsp.j1(x), sympy.besselj(1, X), [-4.0, 0.0, 1.2, 9.0]),
    ("besselj", lambda x: dsp.jv(3, x), sympy.besselj(3, X), [0.5, 7.0]),
    ("bessely", lambda x: dsp.y0(x), sympy.bessely(0, X), [0.3, 2.0, 10.0]),
    ("bessely", lambda x: dsp.yv(1.5, x), sympy.bessely(sympy.Rational(3, 2), X), [0.4, 5.0]),
    ("beta", lambda x: dsp.beta(x, 1.8), sympy.beta(X, 1.8), [0.3, 2.5]),
    ("beta", lambda x: dsp.betaln(0.7, x), sympy.log(sympy.beta(0.7, X)), [0.3, 2.5]),
]


@pytest.mark.parametrize("label,f,expr,points", SYMPY, ids=[s[0] + str(i)
                                                             for i, s in enumerate(SYMPY)])
def test_first_and_second_derivatives_against_sympy(label, f, expr, points):
    d1, d2 = sympy.diff(expr, X), sympy.diff(expr, X, 2)
    for x0 in points:
        with mpmath.workdps(30):
            want1 = float(d1.subs(X, x0).evalf(30))
            want2 = float(d2.subs(X, x0).evalf(30))
        assert dn.derivative(f, x0) == pytest.approx(want1, rel=1e-11, abs=1e-13), (label, x0)
        assert dn.grad(f)(x0) == pytest.approx(want1, rel=1e-11, abs=1e-13), (label, x0)
        second = dn.derivative(lambda v: dn.grad(f)(v), x0)        # forward over reverse
        assert second == pytest.approx(want2, rel=1e-10, abs=1e-12), (label, x0)
        assert dn.grad(lambda v: dn.derivative(f, v))(x0) == pytest.approx(second, rel=1e-12)


def test_the_chains_of_the_gamma_family():
    # gammaln' = digamma, digamma' = polygamma(1), polygamma(n)' = polygamma(n + 1), each
    # against scipy's value of the next function (its own numbers, not our rule)
    x = np.array([0.3, 1.1, 4.0])
    np.testing.assert_allclose(dn.jacfwd(dsp.gammaln)(x).diagonal(), sc.digamma(x), rtol=1e-15)
    np.testing.assert_allclose(dn.jacrev(dsp.digamma)(x).diagonal(), sc.polygamma(1, x),
                               rtol=1e-15)
    for n in range(1, 5):
        g = dn.grad(lambda v, n=n: dnp.sum(dsp.polygamma(n, v)))(x)
        np.testing.assert_allclose(g, sc.polygamma(n + 1, x), rtol=1e-14)
    # fourth derivative of gammaln by nesting four forward passes: polygamma(3)
    d = dsp.gammaln
    for _ in range(4):
        d = (lambda g: lambda v: dn.derivative(g, v))(d)
    assert d(1.7) == pytest.approx(float(sc.polygamma(3, 1.7)), rel=1e-13)


def test_the_bessel_chains():
    x = np.array([-2.5, 0.4, 3.0])
    np.testing.assert_allclose(dn.jacfwd(dsp.i0)(x).diagonal(), sc.i1(x), rtol=1e-15)
    np.testing.assert_allclose(dn.jacfwd(dsp.j0)(x).diagonal(), -sc.j1(x), rtol=1e-15)
    np.testing.assert_allclose(dn.jacrev(dsp.i1)(x).diagonal(), sc.i0(x) - sc.i1(x) / x,
                               rtol=1e-13)
    np.testing.assert_allclose(dn.jacrev(dsp.j1)(x).diagonal(), sc.j0(x) - sc.j1(x) / x,
                               rtol=1e-13)
    xp = np.array([0.4, 3.0])
    np.testing.assert_allclose(dn.jacfwd(dsp.y0)(xp).diagonal(), -sc.y1(xp), rtol=1e-15)
    np.testing.assert_allclose(dn.jacfwd(dsp.y1)(xp).diagonal(), sc.y0(xp) - sc.y1(xp) / xp,
                               rtol=1e-13)
    # ive(v, x) = iv(v, x) e^{-|x|}: the product rule of scipy's own iv
    for v in (0, 1, 2.5):
        for x0 in (-1.3, 0.7, 40.0):
            if v == 2.5 and x0 < 0:
                continue
            want = (0.5 * (sc.iv(v - 1, x0) + sc.iv(v + 1, x0)) - np.sign(x0) * sc.iv(v, x0)) \
                * np.exp(-abs(x0))
            assert dn.derivative(lambda t, v=v: dsp.ive(v, t), x0) == pytest.approx(
                want, rel=1e-12), (v, x0)


def test_the_order_is_not_differentiated():
    for f in (lambda n: dsp.polygamma(n, 2.0), lambda v: dsp.iv(v, 2.0),
              lambda v: dsp.jv(v, 2.0), lambda d: dsp.stdtr(d, 0.5),
              lambda a: dsp.betainc(a, 2.0, 0.5)):
        with pytest.raises(dn.NoRuleError):
            dn.grad(f)(1.0)
        with pytest.raises(dn.NoRuleError):
            dn.derivative(f, 1.0)
