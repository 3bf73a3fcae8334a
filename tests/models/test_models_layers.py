"""Forward values of the layers against independent numpy loops, data sets, init, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from dualnum.models import backprop_jiang as bj
from dualnum.models import conv, datasets, layers, losses, sequence
from dualnum.models.activations import get_activation
from dualnum.models.init import init_mlp, xavier_bound, xavier_uniform
from dualnum.models.networks import rousseau_mlp

rng = np.random.default_rng(11)


def test_conv1d_plies_kernels_padding_stride_against_loops():
    x, w = rng.normal(size=(7, 2)), rng.normal(size=(3, 2, 4))
    np.testing.assert_allclose(conv.conv1d(x, w), bj.conv1d_plies(x, w), rtol=1e-13)
    xp = np.pad(x, ((2, 2), (0, 0)))
    np.testing.assert_allclose(conv.conv1d(x, w, stride=3, padding=2),
                               bj.conv1d_plies(xp, w)[::3], rtol=1e-13)
    assert conv.conv1d(x, w, stride=3, padding=2).shape == ((7 + 4 - 3) // 3 + 1, 4)


def test_conv2d_against_loops():
    x, w = rng.normal(size=(5, 6, 2)), rng.normal(size=(3, 2, 2, 3))
    np.testing.assert_allclose(conv.conv2d(x, w), bj.conv2d(x, w), rtol=1e-13)
    xp = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    np.testing.assert_allclose(conv.conv2d(x, w, stride=2, padding=1),
                               bj.conv2d(xp, w)[::2, ::2], rtol=1e-13)


def test_maxpool():
    x = rng.normal(size=(6, 3))
    np.testing.assert_array_equal(conv.maxpool1d(x, 3), x.reshape(2, 3, 3).max(axis=1))
    x = rng.normal(size=(4, 6, 2))
    ref = np.array([[[x[2 * i:2 * i + 2, 2 * j:2 * j + 2, c].max() for c in range(2)]
                     for j in range(3)] for i in range(2)])
    np.testing.assert_array_equal(conv.maxpool2d(x, 2), ref)


def test_batch_and_layer_norm_statistics():
    X = rng.normal(3.0, 2.0, size=(8, 3))
    y = layers.batch_norm(X, np.ones(3), np.zeros(3), eps=0.0)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-14)
    np.testing.assert_allclose(y.var(axis=0), 1, rtol=1e-13)
    g, b = np.array([2.0, 0.5, 1.0]), np.array([1.0, 0.0, -1.0])
    np.testing.assert_allclose(layers.batch_norm(X, g, b, eps=0.0), g * y + b, rtol=1e-13)
    Z = rng.normal(size=(4, 5))  # d × T: normalize each column
    ln = layers.layer_norm(Z, np.ones(4), np.zeros(4), eps=0.0, axis=0)
    np.testing.assert_allclose(ln, (Z - Z.mean(0)) / Z.std(0), rtol=1e-12)
    np.testing.assert_allclose(layers.layer_norm(Z.T, np.ones(4), np.zeros(4), eps=0.0),
                               ln.T, rtol=1e-12)


def test_rousseau_batch_norm_as_printed_divides_by_the_variance():
    X = rng.normal(3.0, 2.0, size=(8, 3))
    lit = layers.batch_norm_rousseau_as_written(X, np.ones(3), np.zeros(3))
    std = X.std(axis=0)
    np.testing.assert_allclose(lit.std(axis=0), 1.0 / std, rtol=1e-12)  # not 1
    np.testing.assert_allclose(lit * std, layers.batch_norm(X, np.ones(3), np.zeros(3), eps=0.0),
                               rtol=1e-12)


def test_dropout_mask_and_test_time_rescaling():
    x = rng.normal(size=6)
    masks = np.array([layers.dropout_mask((6,), 0.25, seed=s) for s in range(4000)])
    assert set(np.unique(masks)) == {0.0, 1.0}
    np.testing.assert_allclose(masks.mean(), 0.75, atol=0.01)
    train_mean = np.mean([layers.dropout(x, m) for m in masks], axis=0)
    np.testing.assert_allclose(train_mean, layers.dropout_test(x, 0.75), atol=0.06)
    with pytest.raises(ValueError, match="mask shape"):
        layers.dropout(x, np.ones(5))


def test_weight_norm_rows_have_norm_gamma():
    v, g = rng.normal(size=(3, 4)), np.array([0.5, 2.0, 3.0])
    w = layers.weight_norm(v, g)
    np.testing.assert_allclose(np.linalg.norm(w, axis=1), g, rtol=1e-13)
    np.testing.assert_allclose(w / np.linalg.norm(w, axis=1, keepdims=True),
                               v / np.linalg.norm(v, axis=1, keepdims=True), rtol=1e-13)


def test_tapped_delay_line_against_loop():
    Y, a = rng.normal(size=(5, 2)), rng.normal(size=(3, 2))
    ref = np.array([sum(a[i] * Y[t - i] for i in range(3) if t - i >= 0) for t in range(5)])
    np.testing.assert_allclose(sequence.tapped_delay_line(Y, a), ref, rtol=1e-13)


def test_attention_columnwise_softmax_and_heads():
    X = rng.normal(size=(3, 4))
    A, B, C = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(5, 3))
    S = (A @ X).T @ (B @ X)
    P = np.exp(S - S.max(0)) / np.exp(S - S.max(0)).sum(0)
    np.testing.assert_allclose(P.sum(axis=0), 1.0)
    Z = sequence.attention(X, A, B, C)
    for t in range(4):  # ẑ_t = V a_t
        np.testing.assert_allclose(Z[:, t], (C @ X) @ P[:, t], rtol=1e-12)
    heads = [{"A": A, "B": B, "C": C}, {"A": B, "B": A, "C": C[:2]}]
    np.testing.assert_allclose(sequence.multi_head_attention(X, heads),
                               np.vstack([sequence.attention(X, **h) for h in heads]))


def test_rnn_against_loop():
    p = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=3), "W2": rng.normal(size=(2, 3)),
         "b2": rng.normal(size=2)}
    X = rng.normal(size=(4, 2))
    h, ys = np.zeros(3), []
    for t in range(4):
        h = np.tanh(p["W1"] @ np.concatenate([X[t], h]) + p["b1"])
        ys.append(p["W2"] @ h + p["b2"])
    np.testing.assert_allclose(sequence.rnn(X, p), np.array(ys), rtol=1e-13)


def test_dense_conventions_and_batches():
    W, b, x = rng.normal(size=(2, 3)), rng.normal(size=2), rng.normal(size=(4, 3))
    np.testing.assert_allclose(layers.dense(x, W, b), x @ W.T + b)
    np.testing.assert_allclose(layers.dense(x[0], W, b), W @ x[0] + b)
    np.testing.assert_allclose(layers.dense_t(x[0], W.T, b), W @ x[0] + b)
    p = init_mlp([3, 4, 2], seed=0, convention="WTx")
    out = rousseau_mlp(p, x, ["tanh", "identity"])
    np.testing.assert_allclose(out, np.tanh(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"])


@pytest.mark.parametrize("call, message", [
    (lambda: layers.dense(np.ones(3), np.ones((2, 4)), np.ones(2)), "does not fit"),
    (lambda: conv.conv1d(np.ones((5, 2)), np.ones((3, 3, 1))), "do not fit"),
    (lambda: conv.conv1d(np.ones(3), np.ones(5)), "exceeds"),
    (lambda: conv.conv2d(np.ones((4, 4)), np.ones((2, 2, 1, 1))), "do not fit"),
    (lambda: conv.maxpool1d(np.ones(5), 2), "not divisible"),
    (lambda: conv.maxpool2d(np.ones((4, 5, 1)), 2), "divisible"),
    (lambda: get_activation("swish"), "unknown activation"),
    (lambda: sequence.rnn(np.ones((3, 2)), {"W1": np.ones((2, 3)), "b1": np.ones(2),
                                            "W2": np.ones((1, 2)), "b2": np.ones(1)}), "W1"),
    (lambda: sequence.attention(np.ones((3, 2)), np.ones((2, 4)), np.ones((2, 3)),
                                np.ones((2, 3))), "A of shape"),
    (lambda: losses.nll_categorical(np.zeros((2, 3)), np.array([0, 3])), "class labels"),
    (lambda: rousseau_mlp({"W1": np.eye(2), "b1": np.zeros(2)}, np.ones(2), ["tanh", "tanh"]),
     "activations"),
    (lambda: datasets.one_hot(np.array([4]), 3), "labels"),
    (lambda: datasets.gaussian_mixture(n=7), "even"),
    (lambda: layers.dense(np.ones(3), np.ones((2, 3)), np.ones(3)), "bias of shape"),
    (lambda: layers.dense_t(np.ones(3), np.ones((3, 2)), np.ones(3)), "bias of shape"),
    (lambda: layers.weight_norm(np.ones((2, 3)), np.ones(3)), "gamma of shape"),
    (lambda: conv.maxpool1d(np.ones(4), 0), "window size"),
    (lambda: conv.maxpool2d(np.ones((4, 4, 1)), 2.0), "window size"),
    (lambda: sequence.multi_head_attention(np.ones((2, 3)), [{"A": np.ones((1, 2))}]),
     "head 0 must be a dict with keys"),
    (lambda: rousseau_mlp({"W1": np.eye(2)}, np.ones(2), ["tanh"]), "no biases"),
])

def test_bad_input_gives_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("loss", [losses.mse, losses.sum_of_squares, losses.cross_entropy,
                                  losses.softmax_cross_entropy, losses.binary_cross_entropy,
                                  losses.binary_cross_entropy_with_logits, losses.nll_gaussian])
def test_losses_refuse_broadcasting_targets(loss):
    """(3,) against (2, 3) would broadcast to six terms: a silently wrong number."""
    p = np.full(3, 0.25)
    with pytest.raises(ValueError, match=r"prediction of shape \(3,\) and target of shape"):
        loss(p, np.full((2, 3), 0.5))
    with pytest.raises(ValueError, match=loss.__name__):
        loss(p[:, None], np.full(3, 0.5))  # (3, 1) against (3,) would give nine terms


def test_datasets():
    X, y = datasets.xor()
    assert y.tolist() == [float(a != b) for a, b in X]
    X, y = datasets.gaussian_mixture()
    X2, y2 = datasets.gaussian_mixture()
    assert X.shape == (200, 2) and np.bincount(y).tolist() == [100, 100]
    np.testing.assert_array_equal(X, X2)
    assert not np.allclose(X, datasets.gaussian_mixture(seed=1)[0])
    # the classes are centred around (1, 0) and (0, 1) on average (means drawn from there)
    assert X[y == 0, 0].mean() > X[y == 1, 0].mean()
    assert X[y == 1, 1].mean() > X[y == 0, 1].mean()
    tr = datasets.train_val_split(X, y, 0.25, seed=0)
    assert (len(tr[1]), len(tr[3])) == (150, 50)


def test_linear_model_risk_includes_the_noise_the_notes_omit():
    w0, S, sigma = np.array([1.0, -2.0]), np.array([[1.0, 0.5], [0.5, 2.0]]), 0.5
    X, Y = datasets.linear_model(n=200_000, sigma=sigma, seed=1)
    np.testing.assert_allclose(np.cov(X.T), S, atol=0.03)
    w = np.array([0.2, 0.1])
    empirical = np.mean((Y - X @ w) ** 2)
    quad = (w - w0) @ S @ (w - w0)
    assert empirical == pytest.approx(quad + sigma**2, rel=0.02)
    assert abs(empirical - quad) > 0.2  # the printed (w − w0)ᵀΣ(w − w0) misses σ² = 0.25
    assert datasets.linear_risk(w, w0, S, sigma) == pytest.approx(quad + sigma**2)


def test_xavier_uniform():
    W = xavier_uniform(300, 200, rng=0)
    b = xavier_bound(300, 200)
    assert W.shape == (200, 300) and b == pytest.approx(np.sqrt(6 / 500))
    assert np.abs(W).max() <= b and np.abs(W).max() > 0.99 * b
    assert W.var() == pytest.approx(b**2 / 3, rel=0.02)  # = 2/(m+n)
    assert xavier_uniform(3, 2, rng=0, convention="WTx").shape == (3, 2)
    p = init_mlp([2, 5, 1], seed=3)
    assert p["W1"].shape == (5, 2) and not p["b1"].any() and not p["b2"].any()
