"""The fast paths (float fast functions, identity seeds, the one-vector jacfwd, plain-array
shortcuts) must give exactly what the general paths give, and must not leak or alias memory.

References here are independent: closed forms and central differences, never the code itself.
"""
from __future__ import annotations

import gc
import math
import weakref

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules.linalg import _is_identity_seed as is_identity_seed

RNG = np.random.default_rng(7)


def _central(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        cols.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h))
    return np.stack(cols, axis=-1)


def test_jacfwd_of_a_linear_map_is_the_matrix_and_not_a_view_of_it():
    A = RNG.normal(size=(5, 3))
    A0 = A.copy()
    J = dn.jacfwd(lambda x: A @ x)(RNG.normal(size=3))
    np.testing.assert_array_equal(J, A0)
    J[0, 0] = 123.0                      # the Jacobian is the caller's to change ...
    np.testing.assert_array_equal(A, A0)  # ... without touching A
    Jr = dn.jacfwd(lambda x: x @ A.T)(RNG.normal(size=3))   # the x @ B side of the rule
    np.testing.assert_array_equal(Jr, A0)


def test_identity_seed_shortcut_matches_central_differences_and_chunks():
    A = RNG.normal(size=(7, 4))
    x = RNG.normal(size=4)
    f = lambda v: dnp.tanh(A @ v) + 0.1 * (A @ v) ** 2
    fn = lambda v: np.tanh(A @ v) + 0.1 * (A @ v) ** 2
    ref = _central(fn, x)
    for chunk in (None, 4, 3, 1):        # one pass (identity seed) and chunked passes
        np.testing.assert_allclose(dn.jacfwd(f, chunk=chunk)(x), ref, rtol=1e-8, atol=1e-9)


def test_identity_seeds_are_unmarked_after_the_pass():
    seen, during = [], []

    def f(v):
        seen.append(v.tangent)
        during.append(is_identity_seed(v.tangent))
        return v * 2.0

    dn.jacfwd(f)(np.ones(3))
    assert during == [True] and not is_identity_seed(seen[0])


def test_hessian_of_a_logistic_energy_matches_its_closed_form():
    A = RNG.normal(size=(9, 4)) / 2.0
    x = RNG.normal(size=4)
    H = dn.hessian(lambda v: dnp.sum(dnp.log(1.0 + dnp.exp(A @ v))) + 0.5 * dnp.sum(v * v))(x)
    s = 1.0 / (1.0 + np.exp(-(A @ x)))
    np.testing.assert_allclose(H, A.T @ ((s * (1 - s))[:, None] * A) + np.eye(4),
                               rtol=1e-12, atol=1e-13)


def test_one_vector_jacfwd_handles_tree_outputs_and_argnums():
    x = np.array([0.3, -1.2])
    out = dn.jacfwd(lambda c, v: {"a": v * c, "b": (dnp.sin(v), dnp.sum(v))}, argnums=1)(2.0, x)
    np.testing.assert_allclose(out["a"], 2.0 * np.eye(2))
    np.testing.assert_allclose(out["b"][0], np.diag(np.cos(x)), rtol=1e-15)
    np.testing.assert_allclose(out["b"][1], [1.0, 1.0])


def test_grad_results_are_freed_by_reference_counting_alone():
    # unflatten once built a self-referencing closure: a cycle that kept every returned
    # gradient alive until the cyclic collector ran
    W = RNG.normal(size=(30, 20))
    g = dn.grad(lambda p: dnp.sum(dnp.tanh(p[0] @ p[1])))
    was = gc.isenabled()
    gc.disable()
    try:
        gW, gv = g([W, np.ones(20)])
        ref = weakref.ref(gW)
        del gW, gv
        assert ref() is None
    finally:
        if was:
            gc.enable()


def test_float_fast_functions_agree_with_numpy_and_keep_its_domain_answers():
    d = dn.derivative
    assert d(dnp.sin, 0.7) == pytest.approx(math.cos(0.7), rel=1e-15)
    assert d(lambda x: x * x / (1.0 + x), 2.0) == pytest.approx(8 / 9, rel=1e-15)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        assert math.isnan(dnp.log(-1.0)) and dnp.log(0.0) == -math.inf   # not ValueError
        assert dnp.divide(1.0, 0.0) == math.inf                          # not ZeroDivision
        assert dnp.exp(1000.0) == math.inf                               # not OverflowError


def test_small_broadcasts_are_filled_copies_with_the_same_values():
    from dualnum.rules import broadcast_to
    a = broadcast_to(np.array([[1.0], [2.0]]), (2, 3))
    np.testing.assert_array_equal(a, [[1.0] * 3, [2.0] * 3])
    assert broadcast_to(2.0, 3).tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(ValueError, match=r"broadcast_to: shape \(2,\) cannot be broadcast"):
        broadcast_to(np.ones(2), (2, 3))
    big = broadcast_to(np.ones((1, 5000)), (3, 5000))     # large: still a view
    assert big.shape == (3, 5000) and not big.flags.writeable
