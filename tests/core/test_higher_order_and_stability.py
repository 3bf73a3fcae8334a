"""Fourth derivatives by nested duals; numerically stable primitives at extreme inputs."""
import math

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp


def nth(f, n):
    for _ in range(n):
        f = (lambda g: lambda x: dn.derivative(g, x))(f)
    return f


@pytest.mark.parametrize("f, d4, x", [
    (dnp.sin, math.sin, 0.7),
    (dnp.exp, math.exp, 1.3),
    (lambda x: x ** 5, lambda x: 120.0 * x, 1.7),
    (dnp.log, lambda x: -6.0 / x ** 4, 0.9),
])
def test_fourth_derivative_by_nested_duals(f, d4, x):
    got = nth(f, 4)(x)
    assert abs(got - d4(x)) <= 1e-12 * abs(d4(x))


def test_logsumexp_and_softmax_at_1000():
    x = np.array([1000.0, 1000.0])
    v, t = dn.jvp(dnp.logsumexp, (x,), (np.array([1.0, 0.0]),))
    assert np.isfinite(v) and v == pytest.approx(1000 + math.log(2))
    assert t == pytest.approx(0.5)
    s, ts = dn.jvp(dnp.softmax, (x,), (np.array([1.0, 0.0]),))
    np.testing.assert_allclose(s, [0.5, 0.5])
    np.testing.assert_allclose(ts, [0.25, -0.25])
    g = dn.grad(lambda z: dnp.log_softmax(z)[0])(x)
    np.testing.assert_allclose(g, [0.5, -0.5])


@pytest.mark.parametrize("x", [800.0, -800.0])
def test_sigmoid_and_softplus_at_800(x):
    for f in (dnp.sigmoid, dnp.softplus):
        v = f(x)
        d = dn.derivative(f, x)
        assert math.isfinite(v) and math.isfinite(d)
        va = f(np.array([x]))
        assert np.all(np.isfinite(va))
    assert dnp.sigmoid(x) == (1.0 if x > 0 else 0.0) or dnp.sigmoid(x) < 1e-300
    assert dn.grad(lambda z: dnp.sum(dnp.sigmoid(z)))(np.array([x])) == pytest.approx([0.0])


def test_erf_accepts_complex_for_the_complex_step():
    h, x = 1e-20, 0.7
    cs = np.imag(dnp.erf(x + 1j * h)) / h
    assert abs(cs - 2 / math.sqrt(math.pi) * math.exp(-x * x)) <= 1e-15
