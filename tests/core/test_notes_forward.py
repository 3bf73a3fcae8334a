"""The notes' worked numbers, forward side (../shared/seeds/README.md)."""
import math

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import Dual


def test_lepetit_forward_trace():
    # f(x1, x2) = ln(x1) + x1·x2 − sin(x2) at (2, 5), seeded ẋ1 = 1, ẋ2 = 0
    x1, x2 = Dual(2.0, 1.0), Dual(5.0, 0.0)
    v1 = dnp.log(x1)
    v2 = x1 * x2
    v3 = dnp.sin(x2)
    v4 = v1 + v2
    v5 = v4 - v3
    assert v1.primal == pytest.approx(math.log(2)) and v2.primal == 10.0
    assert v3.primal == pytest.approx(math.sin(5)) and v4.primal == pytest.approx(10.693, abs=5e-4)
    assert round(v5.primal, 3) == 11.652
    assert [v1.tangent, v2.tangent, v3.tangent, v4.tangent] == [0.5, 5.0, 0.0, 5.5]
    assert v5.tangent == 5.5
    f = lambda a, b: dnp.log(a) + a * b - dnp.sin(b)
    assert dn.jacfwd(f, argnums=(0, 1))(2.0, 5.0) == pytest.approx((5.5, 2 - math.cos(5)))
    assert dn.jacfwd(f, argnums=1)(2.0, 5.0) == pytest.approx(1.716, abs=5e-4)


def test_rousseau_quadratic_gradient():
    f = lambda v: 1.5 * v[0] ** 2 + v[1] ** 2 + 2.0
    rng = np.random.default_rng(0)
    for x, y in rng.uniform(-3, 3, size=(5, 2)):
        g = dn.gradient(f, np.array([x, y]), mode="forward")
        np.testing.assert_allclose(g, [3 * x, 2 * y], rtol=1e-15)


def test_bradbury_chain_and_sum_rules():
    # y = 2a, a = 3x  ->  dy/dx = 6 ;  y = 2a1 + a2, a1 = 3x, a2 = -x  ->  5
    assert dn.derivative(lambda x: 2.0 * (3.0 * x), 0.7) == 6.0
    assert dn.derivative(lambda x: 2.0 * (3.0 * x) + (-x), 0.7) == 5.0


@pytest.mark.parametrize("x", [-4.0, -0.3, 0.0, 0.8, 3.5])
def test_activation_identities(x):
    s = dnp.sigmoid(x)
    assert dn.derivative(dnp.sigmoid, x) == pytest.approx(s * (1 - s), rel=1e-15)
    t = dnp.tanh(x)
    assert dn.derivative(dnp.tanh, x) == pytest.approx(1 - t * t, rel=1e-15)
    assert t == pytest.approx(2 * dnp.sigmoid(2 * x) - 1, abs=1e-15)
    # the identity holds for the derivatives too
    assert dn.derivative(dnp.tanh, x) == pytest.approx(
        dn.derivative(lambda z: 2 * dnp.sigmoid(2 * z) - 1, x), rel=1e-12)


def test_softmax_jacobian_matches_notes_formula():
    z = np.array([0.3, -1.2, 2.0, 0.5])
    y = dnp.softmax(z)
    J = dn.jacfwd(dnp.softmax)(z)
    formula = np.array([[y[i] * ((i == j) - y[j]) for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(J, formula, rtol=1e-14, atol=1e-16)
