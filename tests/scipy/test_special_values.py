"""dualnum.scipy.special's values equal scipy.special's, on grids, with broadcasting, lists,
Python floats, 0-d arrays and keyword arguments; sympy symbols give sympy's functions."""
from __future__ import annotations

import numpy as np
import pytest

sc = pytest.importorskip("scipy.special", reason="dualnum.scipy needs scipy")

import sympy  # noqa: E402

import dualnum as dn  # noqa: E402
import dualnum.scipy.special as dsp  # noqa: E402

RNG = np.random.default_rng(20)
POS = RNG.uniform(0.05, 6.0, size=(3, 4))
REAL = RNG.uniform(-6.0, 6.0, size=(3, 4))
UNIT = RNG.uniform(-0.999, 0.999, size=(3, 4))
PROB = RNG.uniform(1e-4, 1 - 1e-4, size=(3, 4))
# between and beyond the poles of the gamma family (never on them)
NEG = np.array([-4.5, -3.7, -2.2, -1.5, -0.3, 0.4, 7.5, 30.0, 171.5])

CALLS = [
    ("gammaln", (POS,)), ("gammaln", (NEG,)), ("gamma", (POS,)), ("gamma", (NEG,)),
    ("digamma", (POS,)), ("digamma", (NEG,)), ("psi", (REAL,)),
    ("polygamma", (np.array([0, 1, 2, 3]), POS)), ("polygamma", (2, NEG)),
    ("polygamma", (np.arange(4).reshape(4, 1, 1), POS)),
    ("beta", (POS, POS[::-1])), ("beta", (POS[:, :1], POS[0])), ("betaln", (POS, 2.5)),
    ("poch", (POS, POS[::-1] - 3.0)), ("betainc", (POS, POS[::-1], PROB)),
    ("betainc", (2.0, POS[0], PROB[:, :1])),
    ("erf", (REAL,)), ("erfc", (REAL * 5.0,)), ("erfinv", (UNIT,)), ("erfcinv", (PROB * 2.0,)),
    ("ndtr", (REAL * 6.0,)), ("log_ndtr", (REAL * 8.0,)), ("ndtri", (PROB,)),
    ("stdtr", (POS[:, :1] * 3.0, REAL)), ("stdtr", (1.0, REAL)),
    ("expit", (REAL * 100.0,)), ("logit", (PROB,)), ("log_expit", (REAL * 100.0,)),
    ("xlogy", (REAL, POS)), ("xlogy", (np.array([0.0, 0.0, 1.0]), np.array([0.0, 2.0, 0.0]))),
    ("xlog1py", (REAL, POS - 1.0)), ("xlog1py", (np.array([0.0, 2.0]), np.array([-1.0, -1.0]))),
    ("i0", (REAL,)), ("i1", (REAL,)), ("iv", (np.array([0.0, 0.5, 1.0, 2.5]), POS)),
    ("iv", (2, REAL)), ("ive", (1, REAL * 50.0)), ("ive", (np.array([0.0, 1.5, 3.0, 4.0]), POS)),
    ("j0", (REAL * 5.0,)), ("j1", (REAL * 5.0,)), ("jv", (np.array([0.0, 1.0, 2.5, 4.0]), POS)),
    ("jv", (3, REAL)), ("y0", (POS,)), ("y1", (POS,)),
    ("yv", (np.array([0.0, 1.0, 1.5, 3.0]), POS)), ("erfcx", (REAL * 10.0,)),
]


@pytest.mark.parametrize("name,args", CALLS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CALLS)])
def test_values_match_scipy_on_grids(name, args):
    want = getattr(sc, name)(*args)
    with np.errstate(all="ignore"):
        got = getattr(dsp, name)(*args)
    assert np.shape(got) == np.shape(want), f"{name}: shape {np.shape(got)} vs {np.shape(want)}"
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0, equal_nan=True, err_msg=name)


@pytest.mark.parametrize("name,args", [
    ("gammaln", (3.5,)), ("digamma", (0.7,)), ("polygamma", (1, 2.0)), ("erfinv", (0.25,)),
    ("xlogy", (2.0, 3.0)), ("iv", (1, 0.5)), ("stdtr", (3.0, 0.4)), ("betainc", (2.0, 3.0, 0.4)),
])
def test_python_floats_0d_arrays_and_lists_give_scipy_values(name, args):
    want = getattr(sc, name)(*args)
    fn = getattr(dsp, name)
    got = fn(*args)
    assert type(got) in (float, np.float64), f"{name}(floats) is a {type(got).__name__}"
    assert got == pytest.approx(want, rel=1e-15)
    assert float(fn(*[np.asarray(a) for a in args])) == pytest.approx(want, rel=1e-15)
    listed = fn(*[[a, a] for a in args])
    np.testing.assert_allclose(listed, [want, want], rtol=1e-15)


def test_the_forward_and_reverse_values_are_the_plain_values():
    for name, args in CALLS[:12]:
        x = np.asarray(args[-1], dtype=float)
        f = lambda v, n=name, a=args: getattr(dsp, n)(*a[:-1], v)
        with np.errstate(all="ignore"):
            plain = f(x)
            fwd = dn.jvp(f, (x,), (np.ones_like(x),))[0]
            rev = dn.vjp(f, x)[0]
        np.testing.assert_array_equal(fwd, plain, err_msg=name)
        np.testing.assert_array_equal(rev, plain, err_msg=name)


def test_aliases_are_the_same_functions():
    import dualnum.numpy as dnp
    assert dsp.psi is dsp.digamma
    assert dsp.erf is dnp.erf and dsp.expit is dnp.sigmoid
    np.testing.assert_allclose(dsp.expit(REAL * 100.0), sc.expit(REAL * 100.0), rtol=1e-15)


def test_sympy_symbols_give_sympys_functions():
    x, y = sympy.symbols("x y", positive=True)
    assert dsp.gammaln(x) == sympy.loggamma(x)
    assert dsp.gamma(x) == sympy.gamma(x)
    assert dsp.digamma(x) == sympy.polygamma(0, x)
    assert dsp.polygamma(2, x) == sympy.polygamma(2, x)
    assert dsp.erfc(x) == sympy.erfc(x) and dsp.erfinv(x) == sympy.erfinv(x)
    assert dsp.beta(x, y) == sympy.beta(x, y)
    assert dsp.i0(x) == sympy.besseli(0, x) and dsp.jv(2, x) == sympy.besselj(2, x)
    assert dsp.y1(x) == sympy.bessely(1, x)
    assert sympy.simplify(dsp.xlogy(x, y) - x * sympy.log(y)) == 0
    assert sympy.simplify(dsp.logit(x) - sympy.log(x / (1 - x))) == 0
    # and they evaluate to scipy's numbers
    for expr, want in [(dsp.gammaln(x), sc.gammaln(2.5)), (dsp.ndtr(x), sc.ndtr(2.5)),
                       (dsp.ive(1, x), sc.ive(1, 2.5)), (dsp.stdtr(3, x), sc.stdtr(3, 2.5)),
                       (dsp.betainc(2, 3, x / 5), sc.betainc(2, 3, 0.5)),
                       (dsp.erfcinv(x / 2), sc.erfcinv(1.25)), (dsp.ndtri(x / 5), sc.ndtri(0.5))]:
        assert float(expr.subs(x, 2.5).evalf(30)) == pytest.approx(want, rel=1e-13), expr


def test_bad_shapes_name_the_function():
    with pytest.raises(ValueError, match="xlogy"):
        dsp.xlogy(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="betainc"):
        dsp.betainc(np.ones(2), 1.0, np.full(3, 0.5))
