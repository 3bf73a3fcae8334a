"""Each optimizer against the notes' own update formula, run by hand with the analytic gradient.

Problems: Rousseau's ``f(x, y) = 1.5x² + y² + 2`` (∇f = (3x, 2y)) and the linear-model risk
``(w − w0)ᵀ Σ (w − w0)`` (∇ = 2Σ(w − w0)). The optimizers are fed gradients from ``dn.grad``;
the references below use only the closed-form gradients and the notes' formulas.
"""

from __future__ import annotations

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.models import optimizers as opt
from dualnum.models.datasets import linear_model, linear_risk, train_val_split

P0 = {"x": 1.2, "y": -0.8}
W0 = np.array([1.0, -2.0])
SIGMA = np.array([[1.0, 0.5], [0.5, 2.0]])
WSTART = {"w": np.array([-0.5, 0.7])}


def f(p):
    return 1.5 * p["x"] ** 2 + p["y"] ** 2 + 2.0


def grad_f(x, y):
    return np.array([3.0 * x, 2.0 * y])


def quad(p):
    d = p["w"] - W0
    return dnp.sum(d * dnp.matmul(SIGMA, d))


def grad_quad(w):
    return 2.0 * SIGMA @ (w - W0)


def run(name, params, objective, steps, **hyper):
    init, step = opt.get_optimizer(name)
    state = init(params)
    for _ in range(steps):
        params, state = step(params, dn.grad(objective)(params), state, **hyper)
    return params, state


def as_vec(p):
    return np.array([p["x"], p["y"]], dtype=float) if "x" in p else np.asarray(p["w"], float)


def test_gradients_are_the_notes_ones():
    g = dn.grad(f)(P0)
    assert (g["x"], g["y"]) == pytest.approx((3 * 1.2, 2 * -0.8), rel=1e-15)
    np.testing.assert_allclose(dn.grad(quad)(WSTART)["w"], grad_quad(WSTART["w"]), rtol=1e-14)


@pytest.mark.parametrize("lr", [0.1, 0.3])
def test_gd_closed_form(lr):
    p, _ = run("gd", P0, f, 25, lr=lr)
    assert p["x"] == pytest.approx((1 - 3 * lr) ** 25 * 1.2, rel=1e-12)
    assert p["y"] == pytest.approx((1 - 2 * lr) ** 25 * -0.8, rel=1e-12)
    w, _ = run("gd", WSTART, quad, 25, lr=lr / 2)
    A = np.eye(2) - 2 * (lr / 2) * SIGMA
    np.testing.assert_allclose(w["w"] - W0, np.linalg.matrix_power(A, 25) @ (WSTART["w"] - W0),
                               rtol=1e-12)


def test_gd_learning_rate_of_the_notes_oscillates_at_the_stability_edge():
    # Rousseau's η = 0.665757: 1 − 3η ≈ −0.99727, x flips sign every step and decays slowly
    p = dict(P0)
    xs = []
    for _ in range(6):
        p, _ = opt.gd_step(p, dn.grad(f)(p), lr=0.665757)
        xs.append(p["x"])
    assert all(np.sign(xs[i]) != np.sign(xs[i + 1]) for i in range(5))
    assert abs(xs[-1]) < 1.2 and abs(xs[-1]) > 1.1
    p, _ = run("gd", P0, f, 30, lr=0.7)  # 1 − 3η = −1.1: diverges
    assert abs(p["x"]) > 10


def test_momentum_ema_form_with_v0_gradient():
    lr, beta = 0.1, 0.9
    p, state = run("momentum", P0, f, 40, lr=lr, beta=beta)
    th = np.array([P0["x"], P0["y"]])
    v = None
    grads = []
    for _ in range(40):
        g = grad_f(*th)
        grads.append(g)
        v = g if v is None else beta * v + (1 - beta) * g
        th = th - lr * v
    np.testing.assert_allclose(as_vec(p), th, rtol=1e-12)
    # Rousseau's unrolled form: v_t = (1−β) Σ_{i=0}^{t−1} β^i ∇θ_{t−i} + β^t ∇θ_0
    t = len(grads) - 1
    unrolled = (1 - beta) * sum(beta**i * grads[t - i] for i in range(t)) + beta**t * grads[0]
    np.testing.assert_allclose([state["v"]["x"], state["v"]["y"]], unrolled, rtol=1e-12)


def test_momentum_ema_lepetit_zero_start():
    init_state = opt.momentum_ema_init(WSTART, first="zero")
    params, s = WSTART, init_state
    w, g_ = WSTART["w"].copy(), np.zeros(2)
    for _ in range(30):
        params, s = opt.momentum_ema_step(params, dn.grad(quad)(params), s, lr=0.05, beta=0.8)
        g_ = 0.8 * g_ + 0.2 * grad_quad(w)
        w = w - 0.05 * g_
    np.testing.assert_allclose(params["w"], w, rtol=1e-12)


def test_heavy_ball_igel():
    p, _ = run("heavy_ball", P0, f, 40, lr=0.05, mu=0.9)
    th, dw = np.array([P0["x"], P0["y"]]), np.zeros(2)
    for _ in range(40):
        dw = -0.05 * grad_f(*th) + 0.9 * dw
        th = th + dw
    np.testing.assert_allclose(as_vec(p), th, rtol=1e-12)


@pytest.mark.parametrize("problem", ["f", "quad"])
def test_adagrad_and_rmsprop_lepetit(problem):
    start, obj, grad = ((P0, f, lambda v: grad_f(*v)) if problem == "f"
                        else (WSTART, quad, grad_quad))
    p, _ = run("adagrad", start, obj, 30, lr=0.3, delta=1e-7)
    th, r = as_vec(start).copy(), np.zeros(2)
    for _ in range(30):
        g = grad(th)
        r = r + g * g
        th = th - 0.3 / (1e-7 + np.sqrt(r)) * g
    np.testing.assert_allclose(as_vec(p), th, rtol=1e-12)

    p, _ = run("rmsprop", start, obj, 30, lr=0.05, rho=0.9, delta=1e-6)
    th, r = as_vec(start).copy(), np.zeros(2)
    for _ in range(30):
        g = grad(th)
        r = 0.9 * r + 0.1 * g * g
        th = th - 0.05 / (1e-6 + np.sqrt(r)) * g
    np.testing.assert_allclose(as_vec(p), th, rtol=1e-12)


@pytest.mark.parametrize("form", ["igel", "jiang"])
@pytest.mark.parametrize("problem", ["f", "quad"])
def test_adam_against_the_algorithm(form, problem):
    start, obj, grad = ((P0, f, lambda v: grad_f(*v)) if problem == "f"
                        else (WSTART, quad, grad_quad))
    alpha, b1, b2, eps = 0.02, 0.9, 0.999, 1e-8
    p, state = run("adam", start, obj, 50, lr=alpha, form=form)
    th, m, v = as_vec(start).copy(), np.zeros(2), np.zeros(2)
    for t in range(1, 51):  # Igel, Algorithm 1 (t from 1)
        g = grad(th)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mh, vh = m / (1 - b1**t), v / (1 - b2**t)
        th = th - (alpha * mh / (np.sqrt(vh) + eps) if form == "igel"
                   else alpha * mh * (vh + eps**2) ** -0.5)
    np.testing.assert_allclose(as_vec(p), th, rtol=1e-12)
    assert state["t"] == 51


def test_adam_defaults_are_igels():
    import inspect

    sig = inspect.signature(opt.adam_step)
    assert [sig.parameters[k].default for k in ("lr", "beta1", "beta2", "eps")] == [
        0.001, 0.9, 0.999, 1e-8]


def test_adam_bias_correction_at_step_one():
    g = dn.grad(f)(P0)
    p, s = opt.adam_step(P0, g, opt.adam_init(P0))
    for k in ("x", "y"):
        assert s["m"][k] == pytest.approx(0.1 * g[k], rel=1e-15)  # (1 − β1) g
        assert s["v"][k] == pytest.approx(0.001 * g[k] ** 2, rel=1e-12)  # (1 − β2) g²
        # corrected: m̂ = g, v̂ = g², so the first step is α g / (|g| + ε) ≈ α sign(g)
        assert P0[k] - p[k] == pytest.approx(0.001 * g[k] / (abs(g[k]) + 1e-8), rel=1e-12)
        assert abs(P0[k] - p[k]) == pytest.approx(0.001, rel=1e-7)
    # without the correction the first step would be (1−β1)/√(1−β2) ≈ 3.16 times larger
    raw = 0.001 * s["m"]["x"] / (np.sqrt(s["v"]["x"]) + 1e-8)
    assert raw / (P0["x"] - p["x"]) == pytest.approx(0.1 / np.sqrt(0.001), rel=1e-6)


def test_jiang_weight_decay_as_printed_and_its_slip():
    params = {"W": np.array([[1.0, -2.0], [0.5, 3.0]]), "b": np.array([0.3, -0.1])}
    x, r = np.array([0.4, -0.7]), np.array([1.0, 0.0])

    def Q(p):
        return 0.5 * dnp.sum((dnp.matmul(p["W"], x) + p["b"] - r) ** 2)

    lr, lam = 0.1, 0.05
    g = dn.grad(Q)(params)
    printed, _ = opt.weight_decay_step(params, g, lr=lr, lam=lam)
    np.testing.assert_allclose(printed["W"], params["W"] - lr * g["W"] - lam * params["W"])
    # it is a gradient step on Q + (λ/(2η))‖W‖², not on Q + (λ/2)‖W‖²
    for reg, should_match in ((lam / (2 * lr), True), (lam / 2, False)):
        def Qreg(p, c=reg):
            return Q(p) + c * (dnp.sum(p["W"] ** 2) + dnp.sum(p["b"] ** 2))

        gd, _ = opt.gd_step(params, dn.grad(Qreg)(params), lr=lr)
        assert np.allclose(gd["W"], printed["W"], rtol=1e-12) == should_match
        if not should_match:  # the exact discrepancy: −(1 − η) λ W
            np.testing.assert_allclose(printed["W"] - gd["W"], -(1 - lr) * lam * params["W"],
                                       rtol=1e-12)
    kept, _ = opt.weight_decay_step(params, g, lr=lr, lam=lam, decay_biases=False)
    np.testing.assert_allclose(kept["b"], params["b"] - lr * g["b"])


def test_minibatch_sgd_on_the_linear_model():
    X, Y = linear_model(n=400, sigma=0.1, seed=3)

    def risk(p, Xb, Yb):
        return dnp.mean((Yb - dnp.matmul(Xb, p["w"])) ** 2)

    batches = opt.minibatches(400, 10, seed=0)
    assert sorted(np.concatenate(batches).tolist()) == list(range(400))
    assert [len(b) for b in batches] == [10] * 40
    p = {"w": np.zeros(2)}
    for epoch in range(5):
        for b in opt.minibatches(400, 10, seed=epoch):
            g = dn.grad(risk)(p, X[b], Y[b])
            np.testing.assert_allclose(g["w"], -2 / len(b) * X[b].T @ (Y[b] - X[b] @ p["w"]),
                                       rtol=1e-10, atol=1e-14)
            p, _ = opt.gd_step(p, g, lr=0.05)
    assert linear_risk(p["w"], W0, SIGMA) < 5e-3


def test_early_stopping_returns_the_best_validation_hypothesis():
    X, Y = linear_model(n=60, sigma=1.0, seed=5)
    Xt, Yt, Xv, Yv = train_val_split(X, Y, 0.5, seed=0)
    Xt = np.hstack([Xt, np.random.default_rng(0).normal(size=(len(Yt), 20))])  # noise features
    Xv = np.hstack([Xv, np.random.default_rng(1).normal(size=(len(Yv), 20))])

    def risk(p, A, b):
        return dnp.mean((b - dnp.matmul(A, p["w"])) ** 2)

    def step(p, t):
        return opt.gd_step(p, dn.grad(risk)(p, Xt, Yt), lr=0.02)[0]

    best, t, hist = opt.early_stopping(step, {"w": np.zeros(22)},
                                       lambda p: float(risk(p, Xv, Yv)), 400, patience=30)
    assert hist[t] == min(hist)
    assert float(risk(best, Xv, Yv)) == hist[t]
    assert len(hist) - 1 - t == 30 < 400  # stopped by patience after the optimum


@pytest.mark.parametrize("name, hyper", [("heavy_ball", {"lr": 0.04, "mu": 0.8}),
                                         ("momentum", {"lr": 0.1, "beta": 0.7})])
def test_momentum_forms_on_the_linear_model_quadratic(name, hyper):
    p, _ = run(name, WSTART, quad, 35, **hyper)
    w, buf = WSTART["w"].copy(), None
    for _ in range(35):
        g = grad_quad(w)
        if name == "heavy_ball":  # Δw = −η∇ + μΔw
            buf = -hyper["lr"] * g + hyper["mu"] * (0 if buf is None else buf)
            w = w + buf
        else:  # v = βv + (1−β)∇, v_0 = ∇
            buf = g if buf is None else hyper["beta"] * buf + (1 - hyper["beta"]) * g
            w = w - hyper["lr"] * buf
    np.testing.assert_allclose(p["w"], w, rtol=1e-12)


def test_weight_decay_closed_form_on_rousseaus_quadratic():
    lr, lam = 0.1, 0.05
    p, _ = run("weight_decay", P0, f, 20, lr=lr, lam=lam)
    assert p["x"] == pytest.approx((1 - 3 * lr - lam) ** 20 * 1.2, rel=1e-12)
    assert p["y"] == pytest.approx((1 - 2 * lr - lam) ** 20 * -0.8, rel=1e-12)


def test_weight_decay_as_printed_on_the_linear_model_quadratic():
    """Jiang's W ← W − η∇Q − λW on (w − w0)ᵀΣ(w − w0): the linear map w − w* ↦ A(w − w*) with
    A = (1 − λ)I − 2ηΣ and fixed point w* = 2η(2ηΣ + λI)⁻¹Σ w0 (shrunk towards 0)."""
    lr, lam = 0.05, 0.02
    p, _ = run("weight_decay", WSTART, quad, 30, lr=lr, lam=lam)
    A = (1 - lam) * np.eye(2) - 2 * lr * SIGMA
    w_star = np.linalg.solve(2 * lr * SIGMA + lam * np.eye(2), 2 * lr * SIGMA @ W0)
    np.testing.assert_allclose(p["w"] - w_star,
                               np.linalg.matrix_power(A, 30) @ (WSTART["w"] - w_star), rtol=1e-12)
    assert np.linalg.norm(w_star) < np.linalg.norm(W0)


def test_sgd_one_sample_at_a_time_on_the_linear_model():
    """Online learning (Igel; Rousseau's SGD): Δw = −η ∇E^n for one pattern at a time, each
    step against the hand-written w ← w + 2η x_n (y_n − ⟨w, x_n⟩); after one pass the excess
    risk (w − w0)ᵀΣ(w − w0) is 2.5e-4."""
    X, Y = linear_model(n=300, sigma=0.1, seed=4)

    def sq(p, x, y):
        return (y - dnp.sum(x * p["w"])) ** 2

    batches = opt.minibatches(300, 1, seed=2)
    assert [len(b) for b in batches] == [1] * 300
    p, w = {"w": np.zeros(2)}, np.zeros(2)
    for (n,) in batches:
        p, _ = opt.gd_step(p, dn.grad(sq)(p, X[n], Y[n]), lr=0.02)
        w = w + 2 * 0.02 * X[n] * (Y[n] - X[n] @ w)
    np.testing.assert_allclose(p["w"], w, rtol=1e-12)
    assert linear_risk(p["w"], W0, SIGMA) < 5e-3
