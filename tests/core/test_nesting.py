"""Perturbation confusion: nested derivative calls never mix up their perturbations.

Cases from ForwardDiff.jl's ConfusionTest and its issues #313 / #443, translated.
"""
import math

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import derivative as D


def test_siskind_pearlmutter_classic():
    # d/dx [x · d/dy (x + y)] = 1 (a confused implementation answers 2)
    assert D(lambda x: x * D(lambda y: x + y, 1.0), 1.0) == 1.0


def test_nested_product_rule():
    # d/dx [x · d/dy (x · y)] at 1 = d/dx [x²] = 2
    assert D(lambda x: x * D(lambda y: x * y, 2.0), 1.0) == 2.0


def test_three_levels():
    # d/dx [ d/dy [ d/dz (x·y·z) ] ] = 1 at any point
    f = lambda x: D(lambda y: D(lambda z: x * y * z, 3.0), 2.0)
    assert D(f, 1.5) == 1.0


def test_function_that_differentiates_itself():
    # ForwardDiff #313-style: g calls D on a closure over its own argument
    def g(x):
        return D(lambda y: dnp.sin(x * y), 1.0)      # = x cos(x y) at y=1 -> x cos x

    x = 0.8
    expected = math.cos(x) - x * math.sin(x)          # d/dx [x cos x]
    assert D(g, x) == pytest.approx(expected, rel=1e-14)


def test_closure_that_mutates():
    # ForwardDiff #443-style: the closure mutates captured state between nested calls
    state = {"scale": 1.0}

    def inner(y):
        state["scale"] = state["scale"] * 2.0       # a plain float: no derivative info
        return y * state["scale"]

    def outer(x):
        return x * D(inner, x)

    # outer(x) = x * 2 (scale doubles once per inner call), so d/dx = 2
    assert D(outer, 3.0) == 2.0
    # the same closure capturing the outer dual and mutating a list of duals
    acc = []

    def outer2(x):
        acc.append(x)
        return D(lambda y: acc[-1] * y + y * y, 1.0) * x   # (x + 2) x

    assert D(outer2, 1.5) == pytest.approx(2 * 1.5 + 2)


def test_gradient_of_gradient_mixed_modes():
    f = lambda x: dnp.sum(dnp.sin(x) * x[0])
    x = np.array([0.3, 1.1])
    H_fr = dn.hessian(f)(x)
    H_rr = dn.jacrev(dn.grad(f))(x)
    H_rf = dn.jacrev(dn.jacfwd(f))(x)
    H_ff = dn.jacfwd(dn.jacfwd(f))(x)
    for H in (H_rr, H_rf, H_ff):
        np.testing.assert_allclose(H, H_fr, rtol=1e-13)
    ref = np.array([[2 * math.cos(0.3) - 0.3 * math.sin(0.3), math.cos(1.1)],
                    [math.cos(1.1), -0.3 * math.sin(1.1)]])
    np.testing.assert_allclose(H_fr, ref, rtol=1e-13)


def test_escaped_dual_is_an_error():
    box = []
    D(lambda x: box.append(x) or x, 1.0)
    with pytest.raises(dn.LeakedBoxError, match="finished"):
        dnp.sin(box[0])


def test_user_duals_share_one_epsilon():
    a, b = dn.Dual(2.0, 1.0), dn.Dual(3.0, 1.0)
    c = a * b
    assert c.primal == 6.0 and c.tangent == 5.0
    # and a derivative call treats them as constants
    assert D(lambda x: x * a, 1.0).primal == 2.0
