"""The notes' worked identities and hand-derived formulas, against dualnum and independent math.

σ' = σ(1−σ), tanh' = 1 − tanh², tanh(x) = 2σ(2x) − 1, the softmax Jacobian y_i(δ_ij − y_j),
δ = z − y for Igel's three matched pairs, Bradbury's worked numbers and his δ^(K) slip,
Lepetit's entry-wise equations, Jiang's convolution Jacobian, and the XOR network.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.models import activations as act
from dualnum.models import backprop as bp
from dualnum.models import backprop_igel as bi
from dualnum.models import backprop_jiang as bj
from dualnum.models import networks as nets
from dualnum.models import networks_igel as ni
from dualnum.models.datasets import xor

X = np.linspace(-4.0, 4.0, 17)


def test_sigmoid_derivative_is_sigma_one_minus_sigma():
    d = dn.jacfwd(lambda x: act.sigmoid(x))(X)
    s = 1.0 / (1.0 + np.exp(-X))
    np.testing.assert_allclose(np.diag(d), s * (1 - s), rtol=1e-13)
    np.testing.assert_allclose(bp.sigmoid_prime(X), s * (1 - s), rtol=1e-13)
    x = sympy.Symbol("x")
    sym = act.sigmoid(x)
    assert sympy.simplify(sympy.diff(sym, x) - sym * (1 - sym)) == 0


def test_tanh_derivative_and_relation_to_sigmoid():
    g = [dn.derivative(act.tanh, float(x)) for x in X]
    np.testing.assert_allclose(g, 1 - np.tanh(X) ** 2, rtol=1e-13)
    np.testing.assert_allclose(act.tanh(X), 2 * act.sigmoid(2 * X) - 1, atol=1e-15)
    x = sympy.Symbol("x")
    assert sympy.simplify((2 * act.sigmoid(2 * x) - 1 - sympy.tanh(x)).rewrite(sympy.exp)) == 0


def test_gelu_is_x_times_normal_cdf_and_its_derivative():
    phi = np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in X])
    np.testing.assert_allclose(act.gelu(X), X * phi, rtol=1e-14)
    dens = np.exp(-X**2 / 2) / math.sqrt(2 * math.pi)
    np.testing.assert_allclose(np.diag(dn.jacfwd(act.gelu)(X)), phi + X * dens, rtol=1e-12)
    np.testing.assert_allclose(bp.gelu_prime(X), phi + X * dens, rtol=1e-12)


def test_softsign_step_and_relu_derivatives():
    Xs = X[X != 0]
    np.testing.assert_allclose(np.diag(dn.jacrev(act.softsign)(Xs)), 1 / (1 + abs(Xs)) ** 2,
                               rtol=1e-13)
    np.testing.assert_array_equal(np.diag(dn.jacrev(act.step)(Xs)), np.zeros_like(Xs))
    np.testing.assert_array_equal(np.diag(dn.jacrev(act.relu)(Xs)), (Xs > 0).astype(float))
    # the kink conventions: relu'(0) = 0, step'(0) = 0 (PyTorch, Jiang's H(0) = 0)
    assert dn.derivative(act.relu, 0.0) == 0.0
    assert dn.derivative(act.step, 0.0) == 0.0


def test_softmax_jacobian_is_y_i_delta_ij_minus_y_j():
    x = np.array([0.3, -1.2, 2.0, 0.1])
    y = np.exp(x) / np.exp(x).sum()
    expected = np.array([[y[i] * ((i == j) - y[j]) for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(dn.jacfwd(act.softmax)(x), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dn.jacrev(act.softmax)(x), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bj.softmax_jacobian(y), expected, rtol=1e-12, atol=1e-15)
    # softmax(x + c1) = softmax(x) (Rousseau)
    np.testing.assert_allclose(act.softmax(x + 7.5), y, rtol=1e-13)


@pytest.mark.parametrize("pair", bi.MATCHED_PAIRS)
def test_delta_is_z_minus_y_for_the_three_matched_pairs(pair):
    rng = np.random.default_rng(4)
    a = rng.normal(size=3) if pair[0] != "sigmoid" else rng.normal(size=1)
    if pair[0] == "identity":
        y, z = rng.normal(size=3), a
    elif pair[0] == "sigmoid":
        y, z = np.array([1.0]), 1 / (1 + np.exp(-a))
    else:
        y, z = np.eye(3)[1], np.exp(a) / np.exp(a).sum()
    g = dn.grad(ni.output_loss)(a, y, pair)
    np.testing.assert_allclose(g, z - y, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bi.output_delta(z, y), z - y)


def test_delta_is_not_z_minus_y_for_a_mismatched_pair():
    a, y = np.array([0.7]), np.array([1.0])
    z = 1 / (1 + np.exp(-a))
    g = dn.grad(lambda a: 0.5 * dnp.sum((dnp.sigmoid(a) - y) ** 2))(a)
    np.testing.assert_allclose(g, z * (1 - z) * (z - y), rtol=1e-12)
    assert abs(g[0] - (z - y)[0]) > 0.1


def test_bradbury_worked_numbers():
    d = bp.bradbury_f_local_derivatives(x0=3.0, w0=-2.0, w1=4.0)
    assert (d["y1"], d["y2"], d["df_dy2"]) == (-6.0, -2.0, -0.25)
    assert (d["df_dw0"], d["df_dx0"], d["df_dw1"]) == (-0.75, 0.5, -0.25)
    g = dn.grad(nets.bradbury_f, argnums=(0, 1, 2))(3.0, -2.0, 4.0)
    assert g == pytest.approx((0.5, -0.75, -0.25), abs=1e-15)
    assert dn.derivative(nets.bradbury_chain, 1.3) == 6.0
    assert dn.derivative(nets.bradbury_sum, -0.4) == 5.0


def test_bradbury_dE_dw1_chain():
    w1, w2, x, y = 0.8, -1.3, 0.6, 0.2
    s = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    a1 = w1 * x
    a2 = w2 * s(a1)
    yh = s(a2)
    expected = (yh - y) * s(a2) * (1 - s(a2)) * w2 * s(a1) * (1 - s(a1)) * x
    g = dn.grad(nets.bradbury_scalar_loss)({"w1": w1, "w2": w2}, x, y)
    assert g["w1"] == pytest.approx(expected, rel=1e-12)
    assert bp.bradbury_scalar_backprop({"w1": w1, "w2": w2}, x, y)["w1"] == pytest.approx(
        expected, rel=1e-12)


def _bradbury_params(K, seed=0):
    rng = np.random.default_rng(seed)
    return {f"W{k}": rng.normal(size=(2, 2)) for k in range(1, K + 1)}


def _true_delta_K(params, x, y):
    """∂E/∂a^(K) by reverse mode: differentiate E as a function of the last pre-activation."""
    K = len(params)
    z = x
    for k in range(1, K):
        z = 1 / (1 + np.exp(-(params[f"W{k}"] @ z)))
    aK = params[f"W{K}"] @ z
    return dn.grad(lambda a: 0.5 * dnp.sum((dnp.sigmoid(a) - y) ** 2))(aK)


def test_bradbury_delta_K_as_written_is_the_K_equals_3_case():
    x, y = np.array([0.5, -1.0]), np.array([0.3, 0.9])
    p3 = _bradbury_params(3)
    np.testing.assert_allclose(bp.bradbury_delta_K_as_written(p3, x, y), _true_delta_K(p3, x, y),
                               rtol=1e-12)
    p4 = _bradbury_params(4)
    true4 = _true_delta_K(p4, x, y)
    np.testing.assert_allclose(bp.bradbury_delta_K(p4, x, y), true4, rtol=1e-12)
    # as printed (z^(3), a^(3)) it is the δ-like quantity of layer 3, not δ^(4)
    assert np.max(np.abs(bp.bradbury_delta_K_as_written(p4, x, y) - true4)) > 1e-2
    with pytest.raises(ValueError, match="needs layer 3"):
        bp.bradbury_delta_K_as_written(_bradbury_params(2), x, y)


def test_lepetit_entrywise_equations_28_and_43():
    rng = np.random.default_rng(2)
    p = {"W1": rng.normal(size=(3, 2)), "W2": rng.normal(size=(3, 3)),
         "W3": rng.normal(size=(2, 3))}
    x0, e = rng.normal(size=2), rng.normal(size=2)
    g = dn.grad(nets.lepetit_three_layer_loss)(p, x0, e)
    np.testing.assert_allclose(bp.lepetit_dL_dW3_elementwise(p, x0, e), g["W3"], rtol=1e-12)
    np.testing.assert_allclose(bp.lepetit_dL_dW2_elementwise(p, x0, e), g["W2"], rtol=1e-12)


def test_jiang_convolution_jacobian_and_error_signal():
    w = np.array([0.5, -1.0, 2.0])
    x = np.array([1.0, 0.2, -0.3, 0.7, 1.1])
    J = bj.conv1d_jacobian_x(w, 5)  # [∂y_j/∂x_i], d × n
    from dualnum.models.conv import conv1d

    np.testing.assert_allclose(dn.jacfwd(lambda v: conv1d(v, w))(x).T, J, atol=1e-15)
    np.testing.assert_allclose(bj.conv1d(x, w), conv1d(x, w), rtol=1e-14)
    y = act.softmax(np.array([0.1, 0.4, -0.2]))
    e = bj.ce_error_signal(y, 2)
    np.testing.assert_allclose(bj.softmax_jacobian(y) @ e, y - np.eye(3)[2], rtol=1e-12,
                               atol=1e-15)


def test_jiang_maxpool_rule_per_column_and_ce_error_signal_against_reverse_mode():
    """The (n, k) path of the max-pool rule (one window sequence per feature column; the
    catalogue's maxpool1d case is 1-D) and ∂(−ln y_r)/∂y = −1/y_r at r, 0 elsewhere."""
    from dualnum.models.conv import maxpool1d

    r = np.random.default_rng(7)
    x, e = r.normal(size=(6, 3)), r.normal(size=(3, 3))
    g = dn.grad(lambda v: dnp.sum(e * maxpool1d(v, 2)))(x)
    hand = bj.maxpool_backward(x, 2, e)
    np.testing.assert_allclose(hand, g, rtol=1e-10, atol=0)
    assert np.count_nonzero(hand) == 9  # one arg-max per window and column
    y = np.array([0.2, 0.5, 0.3])
    np.testing.assert_allclose(bj.ce_error_signal(y, 1), dn.grad(lambda v: -dnp.log(v[1]))(y),
                               rtol=1e-12, atol=0)
    np.testing.assert_allclose(bj.ce_error_signal(y, 1), [0.0, -2.0, 0.0], rtol=1e-15)


def test_rousseau_penalty_gradients():
    W = np.array([[3.0, 0.0], [0.0, 4.0]])
    lam = 0.1
    from dualnum.models import losses

    g_sq = dn.grad(lambda W: losses.l2_penalty({"W1": W}, lam))(W)
    g_fro = dn.grad(lambda W: losses.frobenius_penalty({"W1": W}, lam))(W)
    np.testing.assert_allclose(g_sq, bp.rousseau_penalty_grad_as_written(W, lam), rtol=1e-14)
    np.testing.assert_allclose(g_fro, lam * W / 5.0, rtol=1e-14)
    np.testing.assert_allclose(bp.rousseau_penalty_grad_of_written_penalty(W, lam), g_fro,
                               rtol=1e-10)
    assert np.max(np.abs(g_fro - bp.rousseau_penalty_grad_as_written(W, lam))) == pytest.approx(
        0.1 * (8.0 - 0.8))


def test_xor_network_with_hand_set_weights_outputs_xor_exactly():
    X, y = xor()
    out = ni.xor_network(X)
    np.testing.assert_array_equal(out.ravel(), y)
    for row, target in zip(X, y):
        assert ni.xor_network(row).tolist() == [target]
    # hidden detectors: "both 1" and "at least one 1"
    z, _ = ni.igel_preactivations(ni.xor_params(), X[3], 2, 2, 1, h="step")
    assert z.tolist() == [1.0, 1.0, 1.0, 1.0, 1.0]
    z, _ = ni.igel_preactivations(ni.xor_params(), X[1], 2, 2, 1, h="step")
    assert z.tolist() == [1.0, 0.0, 1.0, 0.0, 1.0]
    # the step network is piecewise constant: its gradient is exactly zero
    g = dn.grad(lambda p: dnp.sum(ni.xor_network(X, p)))(ni.xor_params())
    np.testing.assert_array_equal(g["W"], np.zeros((3, 5)))


def test_igel_mask_is_feed_forward_and_masked_weights_have_zero_gradient():
    d, M, K = 2, 3, 2
    mask = bi.connection_mask(d, M, K)
    for r in range(M + K):
        i = d + 1 + r
        assert all(mask[r, j] == (j < min(i, d + M + 1)) for j in range(1 + d + M))
    W = np.random.default_rng(0).normal(size=(M + K, 1 + d + M))  # unmasked on purpose
    g = dn.grad(ni.igel_loss)({"W": W}, np.array([0.3, -0.5]), np.array([1.0, 0.0]), d, M, K)
    np.testing.assert_array_equal(g["W"][mask == 0], 0.0)


def test_igel_backprop_unmatched_pair_and_sum_over_patterns():
    d, M, K = 2, 3, 2
    rng = np.random.default_rng(8)
    W = rng.normal(size=(M + K, 1 + d + M)) * bi.connection_mask(d, M, K)
    X, Y = rng.normal(size=(4, d)), rng.uniform(size=(4, K))
    # logistic outputs with sum-of-squares: δ_i = σ'(a_i)(z_i − y_i), not z − y
    g = dn.grad(ni.igel_loss)({"W": W}, X, Y, d, M, K, "tanh", "sigmoid", "sse")
    hand = sum(bi.igel_backprop({"W": W}, X[n], Y[n], d, M, K, "tanh", "sigmoid", "sse")["W"]
               for n in range(4))  # ∂E/∂w = Σ_n ∂E^n/∂w
    np.testing.assert_allclose(hand, g["W"], rtol=1e-10, atol=1e-14)
    with pytest.raises(ValueError, match="unsupported output/loss pair"):
        bi.igel_backprop({"W": W}, X[0], Y[0], d, M, K, "tanh", "identity", "bce")


def test_losses_from_logits_are_stable_at_large_logits():
    """Where the naive −log softmax / −log σ overflow to inf or nan, the logit forms give the
    exact values: −log softmax(1000, 0)_1 = 1000 + log(1 + e^{−1000}) = 1000, and
    softplus(800) = 800; their gradients are softmax(a) − y and σ(a) − y (here ±1 exactly)."""
    from dualnum.models import losses

    a, y = np.array([1000.0, 0.0]), np.array([0.0, 1.0])
    assert float(losses.softmax_cross_entropy(a, y)) == 1000.0
    np.testing.assert_array_equal(dn.grad(losses.softmax_cross_entropy)(a, y), [1.0, -1.0])
    assert float(losses.nll_categorical(a[None, :], np.array([1]))) == 1000.0
    b, t = np.array([800.0, -800.0, 30.0]), np.array([0.0, 1.0, 1.0])
    expected = 800.0 + 800.0 + math.log1p(math.exp(-30.0))  # the last term ≈ 9.4e-14
    assert float(losses.binary_cross_entropy_with_logits(b, t)) == pytest.approx(expected,
                                                                                 rel=1e-15)
    g = dn.grad(losses.binary_cross_entropy_with_logits)(b, t)
    np.testing.assert_allclose(g, [1.0, -1.0, -1 / (1 + math.exp(30.0))], rtol=0, atol=1e-15)
    _, tangent = dn.jvp(lambda v: losses.binary_cross_entropy_with_logits(v, t), (b,),
                        (np.array([1.0, 1.0, 0.0]),))
    assert float(tangent) == pytest.approx(0.0, abs=1e-15)  # 1 + (−1) along (1, 1, 0)
