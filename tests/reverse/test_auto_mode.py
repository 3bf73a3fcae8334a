"""``dn.jacobian(f)`` and ``dn.hessian(f)`` without a mode: the cheaper mode from the shapes
(``dualnum._choose``). The choice is observed through the functions that run (wrapped), the
results are checked against central differences and closed forms, and the cost of choosing
(one plain evaluation per argument signature) through a counter in ``f``.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import reverse

from ..core.refs import assert_close, central_jacobian

RNG = np.random.default_rng(21)


@pytest.fixture
def ran(monkeypatch):
    """The modes that ran, in order: 'jacfwd', 'jacrev', 'fwd-over-rev', 'fwd-over-fwd'."""
    log = []
    jacfwd, jacrev, grad = reverse._jacfwd, reverse._jacrev, reverse._grad

    def fwd(f, *a, outer=False, **k):
        log.append("fwd-over-fwd" if outer else "jacfwd")
        return jacfwd(f, *a, outer=outer, **k)

    def rev(*a, **k):
        log.append("jacrev")
        return jacrev(*a, **k)

    def g(*a, **k):
        log.append("grad")
        return grad(*a, **k)

    monkeypatch.setattr(reverse, "_jacfwd", fwd)
    monkeypatch.setattr(reverse, "_jacrev", rev)
    monkeypatch.setattr(reverse, "_grad", g)
    return log


def _jac_case(m, n):
    A = RNG.normal(size=(m, n))
    return (lambda x: dnp.tanh(A @ x) * 2.0), (lambda x: np.tanh(A @ x) * 2.0), \
        RNG.normal(size=n)


@pytest.mark.parametrize("m, n, want", [(2, 6, "jacrev"), (6, 2, "jacfwd"), (4, 4, "jacfwd"),
                                        (1, 1, "jacfwd"), (5, 6, "jacrev")],
                         ids=["wide", "tall", "square-tie", "scalar-tie", "wide-by-one"])
def test_jacobian_picks_reverse_for_fewer_outputs_than_inputs(ran, m, n, want):
    f, f_np, x = _jac_case(m, n)
    J = dn.jacobian(f)(x)
    assert ran == [want]
    assert_close(J, central_jacobian(f_np, [x], [0])[0], 1e-7, 1e-9, f"{m}x{n}")


def test_jacobian_of_trees_counts_every_leaf(ran):
    p = {"w": RNG.normal(size=3), "b": RNG.normal(size=2)}        # 5 input entries
    few = lambda p: (dnp.sum(p["w"] ** 2), p["b"] * p["w"][0])    # 1 + 2 = 3 entries
    many = lambda p: {"a": p["w"] * p["b"][0], "c": p["b"] ** 3}  # 3 + 2 = 5 entries: a tie
    Jf, Jm = dn.jacobian(few)(p), dn.jacobian(many)(p)
    assert ran == ["jacrev", "jacfwd"]
    w, b = p["w"], p["b"]
    assert_close(Jf[0]["w"], 2 * w, 1e-14, 0, "few w")
    assert_close(Jf[1]["b"], np.eye(2) * w[0], 1e-14, 0, "few b")
    assert_close(Jf[1]["w"], np.outer(b, [1, 0, 0]), 1e-14, 0, "few bw")
    assert_close(Jm["a"]["w"], np.eye(3) * b[0], 1e-14, 0, "many a")
    assert_close(Jm["c"]["b"], np.diag(3 * b ** 2), 1e-14, 0, "many c")
    assert_close(Jm["c"]["w"], np.zeros((2, 3)), 0, 0, "many cw")


def test_jacobian_counts_argnums_once_each_and_complex_outputs_twice(ran):
    x, y = RNG.normal(size=3), RNG.normal(size=2)
    f = lambda x, y: dnp.stack([dnp.sum(x) * y[0], dnp.sum(y ** 2), x[1]])   # 3 entries
    dn.jacobian(f, argnums=(0, 1))(x, y)               # 5 inputs: reverse
    dn.jacobian(f, argnums=(1, 1))(x, y)               # y once: 2 inputs, forward
    c = lambda x: dnp.exp(1j * x[:2])                  # 2 complex entries of 3 real inputs
    c3 = lambda x: dnp.exp(1j * x[:3])                 # 3 complex (counted 6) of 5
    np.testing.assert_allclose(dn.jacobian(c)(x), np.diag(1j * np.exp(1j * x[:2])) @ np.eye(3)[:2],
                               rtol=1e-14, atol=1e-15)
    z = RNG.normal(size=5) + 1j * RNG.normal(size=5)
    dn.jacobian(c3)(RNG.normal(size=5))
    dn.jacobian(c3)(z)                                 # complex inputs: 3 < 5, reverse
    assert ran == ["jacrev", "jacfwd", "jacfwd", "jacfwd", "jacrev"]


def test_jacobian_has_aux(ran):
    f, f_np, x = _jac_case(2, 5)
    J, aux = dn.jacobian(lambda x: (f(x), {"x0": x[0]}), has_aux=True)(x)
    assert ran == ["jacrev"] and aux == {"x0": x[0]} and type(aux["x0"]) is not dn.Dual
    assert_close(J, central_jacobian(f_np, [x], [0])[0], 1e-7, 1e-9, "has_aux")


def test_hessian_of_a_scalar_is_forward_over_reverse_else_forward(ran):
    x = RNG.normal(size=4)
    H = dn.hessian(lambda x: dnp.sum(dnp.sin(x) * x[0]))(x)
    assert ran[:2] == ["grad", "jacfwd"] and "fwd-over-fwd" not in ran
    want = np.diag(-np.sin(x) * x[0])
    want[0, :] += np.cos(x)
    want[:, 0] += np.cos(x)
    assert_close(H, want, 1e-13, 1e-14, "scalar")
    ran.clear()
    Hv = dn.hessian(lambda x: x ** 3)(x)                   # a vector output: forward
    assert "fwd-over-fwd" in ran and "grad" not in ran
    assert_close(Hv, np.einsum("i,ij,ik->ijk", 6 * x, np.eye(4), np.eye(4)), 1e-14, 0, "x^3")
    ran.clear()
    Ht = dn.hessian(lambda x: {"s": dnp.sum(x ** 2), "p": x[0] * x[1]})(x)   # a tree: forward
    assert "fwd-over-fwd" in ran
    assert_close(Ht["s"], 2 * np.eye(4), 1e-14, 0, "tree s")
    assert_close(Ht["p"], np.eye(4)[[1, 0, 2, 3]] * np.array([1, 1, 0, 0])[:, None], 0, 0,
                 "tree p")
    ran.clear()
    H1 = dn.hessian(lambda x: dnp.reshape(x[0] ** 3, (1, 1)))(x)   # size 1: as grad takes it
    assert ran[:2] == ["grad", "jacfwd"] and H1.shape == (4, 4)
    assert H1[0, 0] == pytest.approx(6 * x[0], rel=1e-14)


def test_hessian_has_aux_and_non_scalar_against_central_differences():
    A = RNG.normal(size=(3, 4))
    x = RNG.normal(size=4)
    f = lambda x: (dnp.tanh(A @ x), "aux")
    H, aux = dn.hessian(f, has_aux=True)(x)
    jac_np = lambda v: central_jacobian(lambda u: np.tanh(A @ u), [v], [0], 1e-5)[0]
    assert aux == "aux" and H.shape == (3, 4, 4)
    assert_close(H, central_jacobian(jac_np, [x], [0], 1e-5)[0], 2e-5, 2e-6, "tanh(Ax)")


def test_one_plain_evaluation_per_argument_signature_and_none_for_explicit_modes():
    calls = []

    def f(x):
        calls.append(type(x).__name__)
        return dnp.sum(x ** 3)

    jac = dn.jacobian(f)
    jac(np.ones(3))
    assert calls == ["ndarray", "TapeVar"]                 # one plain run, then jacrev's
    jac(np.full(3, 2.0))
    assert calls[2:] == ["TapeVar"]                        # same signature: no plain run
    jac(np.ones(4))
    assert calls[3:] == ["ndarray", "TapeVar"]             # a new shape: one more
    calls.clear()
    dn.jacobian(f, mode="forward")(np.ones(3))
    dn.hessian(f, mode="forward")(np.ones(3))
    dn.hessian(f, mode="forward-over-reverse")(np.ones(3))
    assert "ndarray" not in calls and len(calls) == 3
    calls.clear()
    hess = dn.hessian(f)
    hess(np.ones(3))
    hess(np.ones(3))
    assert calls.count("ndarray") == 1


def test_the_plain_evaluation_leaves_the_callers_arrays_alone():
    def f(x):
        x += 1.0                        # in place on a plain array; a box rebinds the name
        return dnp.sum(x * x)

    x0 = np.array([1.0, 2.0])
    before = x0.copy()
    np.testing.assert_array_equal(dn.jacobian(f)(x0), 2 * (before + 1))
    np.testing.assert_array_equal(x0, before)


def test_explicit_modes_and_unknown_modes():
    f, f_np, x = _jac_case(3, 2)
    for mode in ("forward", "reverse"):
        assert_close(dn.jacobian(f, mode=mode)(x), central_jacobian(f_np, [x], [0])[0], 1e-7,
                     1e-9, mode)
    with pytest.raises(ValueError, match=r"^jacobian: unknown mode 'sideways'"):
        dn.jacobian(f, mode="sideways")
    with pytest.raises(ValueError, match=r"^hessian: unknown mode 'sideways'"):
        dn.hessian(f, mode="sideways")
