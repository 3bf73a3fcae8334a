"""``hessian(mode="forward")``: nested batched duals whose outer level keeps second-order
tangents factored (``dualnum._outer``) and contracts them where they meet a ``sum``.

Every Hessian is checked against a closed form or against central differences of a gradient
written in plain numpy (or of ``f`` itself, twice), never against dualnum alone; the factored
path is also run beside the plain nested duals (``MIN_SIZE`` out of reach) and beside the
default mode. ``factored`` runs each case with the factored path taken at every size.
"""
from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import _outer

from ..core.refs import assert_close, central_jacobian

RNG = np.random.default_rng(11)
N, M = 7, 9
A = RNG.normal(size=(M, N)) / np.sqrt(N)
Q = RNG.normal(size=(N, N))
B = RNG.normal(size=(3, 4))
X = RNG.normal(size=N)


@pytest.fixture(params=["factored", "plain"])
def path(request, monkeypatch):
    """Both paths of the outer level: every product kept factored (``MIN_SIZE = 0``), or
    none (the nested duals as they were, ``MIN_SIZE`` out of reach)."""
    monkeypatch.setattr(_outer, "MIN_SIZE", 0 if request.param == "factored" else 1 << 62)
    return request.param


def hess_fwd(f, *args, **kw):
    return dn.hessian(f, mode="forward", **kw)(*args)


def fd_hessian(f_np, x, h=1e-4):
    """Central differences of central differences of a plain-numpy ``f``: out + in + in."""
    grad = lambda v: central_jacobian(f_np, [v], [0], h)[0]
    return central_jacobian(grad, [x], [0], h)[0]


def fd_of_gradient(g_np, x, h=1e-6):
    """Central differences of a hand-written numpy gradient: grad.shape + in."""
    return central_jacobian(g_np, [x], [0], h)[0]


# ------------------------------------------------------------------ closed forms, scalar f
def logistic(x, xp=dnp):
    return xp.sum(xp.log(1.0 + xp.exp(A @ x))) + 0.5 * xp.sum(x * x)


def logistic_hessian(x):
    s = 1.0 / (1.0 + np.exp(-(A @ x)))
    return A.T @ ((s * (1 - s))[:, None] * A) + np.eye(N)


def logistic_grad(x):
    return A.T @ (1.0 / (1.0 + np.exp(-(A @ x)))) + x


def test_logistic_energy_closed_form_and_gradient_differences(path):
    H = hess_fwd(logistic, X)
    assert_close(H, logistic_hessian(X), 1e-12, 1e-13, "closed form")
    assert_close(H, fd_of_gradient(logistic_grad, X), 1e-7, 1e-8, "central diff of grad")
    assert_close(H, dn.hessian(logistic)(X), 1e-12, 1e-13, "default mode")


def test_quadratic_forms_with_matmul_on_both_sides(path):
    f = lambda x: x @ Q @ x + dnp.sum((Q @ x) * x) * 0.5
    assert_close(hess_fwd(f, X), 2 * (Q + Q.T) * 0.75, 1e-12, 1e-13, "x Q x")


def test_logsumexp_and_mean(path):
    f = lambda x: dnp.log(dnp.sum(dnp.exp(A @ x))) + dnp.mean(dnp.cos(x))
    z = A @ X
    p = np.exp(z - z.max())
    p /= p.sum()
    want = A.T @ (np.diag(p) - np.outer(p, p)) @ A - np.diag(np.cos(X)) / N
    assert_close(hess_fwd(f, X), want, 1e-11, 1e-12, "logsumexp + mean")


def test_matrix_argument_with_broadcasting(path):
    Xm = RNG.normal(size=(3, 4))
    row = RNG.normal(size=4)
    f = lambda W: dnp.sum(dnp.tanh(W) * B) + dnp.sum(W ** 3 * row) + dnp.sum(W[0] * W[1])
    t = np.tanh(Xm)
    diag = (-2 * t * (1 - t ** 2) * B + 6 * Xm * row).ravel()
    want = np.diag(diag)
    for j in range(4):                   # W[0, j] W[1, j]: a cross term between rows 0 and 1
        want[j, 4 + j] = want[4 + j, j] = 1.0
    H = hess_fwd(f, Xm)
    assert H.shape == (3, 4, 3, 4)
    assert_close(H.reshape(12, 12), want, 1e-12, 1e-13, "matrix argument")


def test_structural_steps_between_products_and_the_sum(path):
    # concatenate, getitem, reshape, cumsum, max, transpose and prod see dense tangents
    def f(x, xp=dnp):
        e = xp.exp(x) * x
        c = xp.concatenate([e, xp.sin(x) * e])
        m = xp.reshape(c[: 2 * (N // 2)], (2, N // 2))
        return xp.sum(xp.cumsum(m.T * m.T, axis=0)) + xp.max(e * x) + xp.prod(1.0 + 0.1 * x)
    f_np = lambda v: f(v, xp=np)
    assert_close(hess_fwd(f, X), fd_hessian(f_np, X), 2e-5, 2e-6, "central diff twice")


# ------------------------------------------------------------------ non-scalar outputs
def test_vector_output_closed_form(path):
    f = lambda x: dnp.tanh(A @ x)
    t = np.tanh(A @ X)
    want = np.einsum("i,ij,ik->ijk", -2 * t * (1 - t ** 2), A, A)
    H = hess_fwd(f, X)
    assert H.shape == (M, N, N)
    assert_close(H, want, 1e-12, 1e-13, "tanh(Ax)")


def test_matrix_output_outer_product(path):
    f = lambda x: x[:, None] * dnp.sin(x)[None, :]
    H = hess_fwd(f, X)
    assert H.shape == (N, N, N, N)
    f_np = lambda v: v[:, None] * np.sin(v)[None, :]
    assert_close(H, fd_hessian(f_np, X), 2e-5, 2e-6, "x_i sin(x_j)")


def test_tree_output_and_tree_argument(path):
    p = {"w": RNG.normal(size=3), "b": 0.3}
    f = lambda p: {"s": dnp.sum(dnp.exp(p["w"] * p["b"])), "v": p["w"] ** 2 * p["b"]}
    H = hess_fwd(f, p)
    w, b = p["w"], p["b"]
    e = np.exp(w * b)
    assert_close(H["s"]["w"]["w"], np.diag(e * b * b), 1e-13, 1e-14, "s ww")
    assert_close(H["s"]["w"]["b"], e * (1 + w * b), 1e-13, 1e-14, "s wb")
    assert_close(H["s"]["b"]["b"], np.sum(e * w * w), 1e-13, 1e-14, "s bb")
    assert_close(H["v"]["w"]["w"], np.einsum("ij,jk->ijk", np.eye(3), np.eye(3)) * 2 * b,
                 1e-13, 1e-14, "v ww")
    assert_close(H["v"]["w"]["b"], np.diag(2 * w), 1e-13, 1e-14, "v wb")
    assert_close(H["v"]["b"]["b"], np.zeros(3), 0, 0, "v bb")


def test_has_aux_and_argnums_tuple(path):
    f = lambda x, y: (dnp.sum(dnp.sin(x) * y) + dnp.sum(y ** 3), {"y": y})
    y = RNG.normal(size=N)
    H, aux = hess_fwd(f, X, y, argnums=(0, 1), has_aux=True)
    assert type(aux["y"]) is np.ndarray and np.array_equal(aux["y"], y)
    assert_close(H[0][0], np.diag(-np.sin(X) * y), 1e-13, 1e-14, "xx")
    assert_close(H[0][1], np.diag(np.cos(X)), 1e-13, 1e-14, "xy")
    assert_close(H[1][1], np.diag(6 * y), 1e-13, 1e-14, "yy")


def test_complex_input_holomorphic(path):
    z = RNG.normal(size=5) + 1j * RNG.normal(size=5)
    C = RNG.normal(size=(6, 5))
    f = lambda z: dnp.sum(dnp.exp(C @ z)) + dnp.sum(z ** 3)
    want = C.T @ (np.exp(C @ z)[:, None] * C) + np.diag(6 * z)    # f'' along real directions
    H = hess_fwd(f, z)
    assert H.dtype == np.complex128
    np.testing.assert_allclose(H, want, rtol=1e-12, atol=1e-13)


def test_nested_in_an_outer_derivative(path):
    # a third derivative: the factored level's values are duals of the outer jacfwd, and a
    # Hessian differentiated by a tape: no factors are made of boxes
    f = lambda x: dnp.sum(dnp.sin(x) * x[0])
    T = dn.jacfwd(lambda x: dn.hessian(f, mode="forward")(x))(X)
    want = np.zeros((N, N, N))
    for i in range(N):
        want[i, i, i] = -np.cos(X[i]) * X[0]
        want[i, i, 0] += -np.sin(X[i])
        want[0, i, i] += -np.sin(X[i])
        want[i, 0, i] += -np.sin(X[i])
    want[0, 0, 0] = -np.cos(X[0]) * X[0] - 3 * np.sin(X[0])
    assert_close(T, want, 1e-12, 1e-13, "third derivative")
    g = dn.grad(lambda x: dnp.sum(dn.hessian(lambda v: dnp.sum(v ** 4), mode="forward")(x)))
    assert_close(g(X), 24 * X, 1e-13, 1e-14, "grad of the Hessian's sum")


# ------------------------------------------------------------------ the benchmark's size
def test_at_the_benchmark_size_no_second_order_tangent_is_materialized(monkeypatch):
    n, m = 100, 200
    rng = np.random.default_rng(2)
    A2, x = rng.normal(size=(m, n)) / np.sqrt(n), rng.normal(size=n)
    made = []
    dense = _outer.Outer.dense
    monkeypatch.setattr(_outer.Outer, "dense", lambda self: made.append(self.shape)
                        or dense(self))
    H = dn.hessian(lambda x: dnp.sum(dnp.log(1.0 + dnp.exp(A2 @ x))) + 0.5 * dnp.sum(x * x),
                   mode="forward")(x)
    s = 1.0 / (1.0 + np.exp(-(A2 @ x)))
    np.testing.assert_allclose(H, A2.T @ ((s * (1 - s))[:, None] * A2) + np.eye(n),
                               rtol=1e-10, atol=1e-12)
    # the (k1, k2, m) = (100, 100, 200) second-order tangents stay factored; what is made
    # dense is at most first-order sized (the Hessian itself, as the result)
    assert max((np.prod(s) for s in made), default=0) <= n * n, made
