"""derivative / jvp / jacfwd with trees, argnums and chunks, against central differences."""
import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp

from .refs import assert_close, central_gradient


def loss(p, x):
    h = dnp.tanh(p["W"] @ x + p["b"])
    return dnp.sum(h * p["v"][0]) + p["v"][1] * dnp.sum(x * x)


P = {"W": np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]]), "b": np.array([0.05, -0.1]),
     "v": [np.array([1.5, -2.0]), 0.7]}
X = np.array([0.2, -0.4, 0.9])


def test_jacfwd_on_a_tree_matches_reverse_and_differences():
    g_fwd = dn.jacfwd(loss)(P, X)
    g_rev = dn.grad(loss)(P, X)
    assert set(g_fwd) == {"W", "b", "v"} and isinstance(g_fwd["v"], list)
    for k in ("W", "b"):
        np.testing.assert_allclose(g_fwd[k], g_rev[k], rtol=1e-13)
    np.testing.assert_allclose(g_fwd["v"][0], g_rev["v"][0], rtol=1e-13)
    assert g_fwd["v"][1] == pytest.approx(g_rev["v"][1], rel=1e-13)
    flatW = lambda w: [loss({**P, "W": w.reshape(2, 3)}, X)]
    assert_close(g_fwd["W"].ravel(), central_gradient(flatW, P["W"].ravel())[0], 1e-8, 1e-10,
                 "dloss/dW")


def test_argnums_tuple_and_chunks():
    gp, gx = dn.jacfwd(loss, argnums=(0, 1))(P, X)
    gx_c = dn.jacfwd(loss, argnums=1, chunk=2)(P, X)          # 3 inputs in 2 passes of 2
    np.testing.assert_allclose(gx, gx_c, rtol=1e-15)
    np.testing.assert_allclose(gx, dn.grad(loss, argnums=1)(P, X), rtol=1e-13)
    assert_close(gx, central_gradient(lambda x: [loss(P, x)], X)[0], 1e-8, 1e-10, "dloss/dx")
    with pytest.raises(ValueError, match="chunk"):
        dn.jacfwd(loss, chunk=0)


def test_jvp_with_tree_tangents():
    tang = {"W": np.ones((2, 3)), "b": np.zeros(2), "v": [np.zeros(2), 0.0]}
    val, dval = dn.jvp(lambda p: loss(p, X), (P,), (tang,))
    g = dn.grad(loss)(P, X)
    assert val == pytest.approx(loss(P, X))
    assert dval == pytest.approx(np.sum(g["W"]), rel=1e-13)


def test_jacobian_shapes_follow_out_plus_in():
    f = lambda A: dnp.tanh(A) @ np.ones((3, 4))
    A = np.arange(6.0).reshape(2, 3) / 10
    J = dn.jacfwd(f)(A)
    assert J.shape == (2, 4, 2, 3)
    np.testing.assert_allclose(J, dn.jacrev(f)(A), rtol=1e-13)


def test_batched_jvp_matches_separate_jvps():
    rng = np.random.default_rng(2)
    V = rng.normal(size=(5, 3))
    vals, tans = dn.jvp(lambda x: loss(P, x), (X,), (V,), batched=True)
    assert tans.shape == (5,)
    for k in range(5):
        assert tans[k] == pytest.approx(dn.jvp(lambda x: loss(P, x), (X,), (V[k],))[1],
                                        rel=1e-13)
    with pytest.raises(ValueError, match="leading axis"):
        dn.jvp(lambda x: x, (X,), (1.0,), batched=True)


def test_jvp_matches_dict_tangents_by_key():
    f = lambda p: 10 * p["a"] + p["b"]
    assert dn.jvp(f, ({"a": 1.0, "b": 2.0},), ({"b": 0.0, "a": 1.0},))[1] == 10.0
    with pytest.raises(ValueError, match=r"jvp tangent 0: expected a dict with keys \['a'\]"):
        dn.jvp(lambda p: p["a"], ({"a": 1.0},), ({"b": 0.0},))
