"""jacrev's identity seed carried as a diagonal through elementwise entries (tape_diag.py) and
matmul's diagonal VJP (rules/linalg.py): the fast path against the dense sweep (the generic
path), against forward mode and against central differences, on the shapes where it applies
and the ones where it must hand over to the dense batch.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import tape_diag as T

from ..core.refs import assert_close, central_jacobian

RNG = np.random.default_rng(31)
M, N = 80, 5                      # m >= tape_diag.DIAG_MIN outputs: the diagonal path applies
A = RNG.normal(size=(M, N)) / np.sqrt(N)
B = RNG.normal(size=(N, M)) / np.sqrt(N)
c = RNG.normal(size=M)

PROGRAMS = {
    "tanh(Ax)+0.1(Ax)^2": lambda x: dnp.tanh(A @ x) + 0.1 * (A @ x) ** 2,
    "relu, exp, division": lambda x: dnp.relu(A @ x) * dnp.exp(-(A @ x) ** 2) / (2.0 + c),
    "x @ B, sin": lambda x: dnp.sin(x @ B) * c,
    "sum of two paths": lambda x: dnp.tanh(A @ x) + dnp.sin(A @ x) * (A @ x),
    "a broadcast scalar": lambda x: dnp.tanh(A @ x) * x[0],
    "a structural entry": lambda x: dnp.reshape(dnp.tanh(A @ x), (8, 10)),
    "getitem and sum": lambda x: dnp.tanh(A @ x)[::-1] + dnp.sum(x),
    "complex constant": lambda x: dnp.real(dnp.exp(1j * (A @ x))),
    "max of a pair": lambda x: dnp.max(dnp.reshape(A @ x, (40, 2)), axis=1) * dnp.ones(40),
}


def _dense(monkeypatch):
    monkeypatch.setattr(T, "DIAG_MIN", 10 ** 9)      # never diagonal: the dense sweep


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_diagonal_path_agrees_with_dense_forward_and_differences(name, monkeypatch):
    f = PROGRAMS[name]
    x = RNG.normal(size=N)
    fast = dn.jacrev(f)(x)
    fwd = dn.jacfwd(f)(x)
    (ref,) = central_jacobian(f, [x], [0])
    assert_close(fast, ref, 1e-6, 1e-7, f"{name}: jacrev vs central differences")
    np.testing.assert_allclose(fast, fwd, rtol=1e-13, atol=1e-14)
    _dense(monkeypatch)
    np.testing.assert_allclose(fast, dn.jacrev(f)(x), rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("side", ["A @ x", "x @ B"])
def test_matmul_diagonal_vjp_with_respect_to_the_matrix(side, monkeypatch):
    x = RNG.normal(size=N)
    if side == "A @ x":
        f, W = (lambda W: dnp.tanh(W @ x)), A
    else:
        f, W = (lambda W: dnp.tanh(x @ W)), B
    fast = dn.jacrev(f)(W)
    np.testing.assert_allclose(fast, dn.jacfwd(f)(W), rtol=1e-13, atol=1e-14)
    _dense(monkeypatch)
    np.testing.assert_allclose(fast, dn.jacrev(f)(W), rtol=1e-13, atol=1e-14)


def test_both_arguments_and_tree_outputs(monkeypatch):
    x = RNG.normal(size=N)
    f = lambda W, x: {"a": dnp.tanh(W @ x), "b": dnp.sum(W)}  # noqa: E731
    fast = dn.jacrev(f, argnums=(0, 1))(A, x)
    fwd = dn.jacfwd(f, argnums=(0, 1))(A, x)
    for k in ("a", "b"):
        for got, want in zip(fast[k], fwd[k]):
            np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-14)
    # the input itself reached by the diagonal: written out at the end of the sweep
    np.testing.assert_allclose(dn.jacrev(lambda z: dnp.sin(z))(A @ x),
                               np.diag(np.cos(A @ x)), rtol=1e-15)
    g = lambda x: dnp.tanh(A @ x)  # noqa: E731
    _dense(monkeypatch)
    np.testing.assert_allclose(dn.jacrev(g)(x), dn.jacfwd(g)(x), rtol=1e-13)


def test_second_order_through_the_diagonal_path():
    # jacfwd of jacrev: the outer forward level differentiates the sweep (boxed values there:
    # the diagonal path hands over to the dense batch wherever a partial is boxed)
    x = RNG.normal(size=N)
    f = PROGRAMS["tanh(Ax)+0.1(Ax)^2"]
    H = dn.jacfwd(dn.jacrev(f))(x)
    ref = np.stack([central_jacobian(lambda z: dn.jacrev(f)(z)[:, j], [x], [0])[0]
                    for j in range(N)], axis=-1)
    assert_close(H, ref, 1e-5, 1e-6, "d/dx of jacrev")


def test_only_an_exact_identity_seed_takes_the_path():
    eye = np.eye(M)
    assert T.is_identity_seed(eye)
    assert not T.is_identity_seed(np.eye(10))                  # too small to be worth it
    for k, v in ((3, 1e-300), (5, -0.0), (7, np.nan)):
        s = eye.copy()
        s.reshape(-1)[k] = v
        assert not T.is_identity_seed(s), v
    s = eye.copy()
    s[4, 4] = 2.0
    assert not T.is_identity_seed(s)
    assert not T.is_identity_seed(np.asfortranarray(eye[:, ::-1]))
    # a seed that is not the identity gives the dense sweep's answer, row by row
    x0 = RNG.normal(size=N)
    with dn.Tape() as tape:
        v = tape.var(x0)
        y = dnp.tanh(A @ v)
    seed = eye.copy()
    seed[0, 1] = 0.5
    rows = tape.sweep(y.index, seed, 1, retain=False)[v.index]
    J = (1.0 - np.tanh(A @ x0) ** 2)[:, None] * A
    np.testing.assert_allclose(rows, seed @ J, rtol=1e-13, atol=1e-15)


def test_the_fast_path_is_taken_where_it_applies(monkeypatch):
    taken = []
    step = T.diag_step
    monkeypatch.setattr(dn.tape, "diag_step", lambda *a: taken.append(step(*a)) or taken[-1])
    x = RNG.normal(size=N)
    dn.jacrev(PROGRAMS["tanh(Ax)+0.1(Ax)^2"])(x)
    assert taken and all(taken)          # add, multiply, power, tanh, matmul: all diagonal
    taken.clear()
    dn.jacrev(PROGRAMS["a structural entry"])(x)
    assert taken == [False]              # reshape has no diagonal rule: dense from there
