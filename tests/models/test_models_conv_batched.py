"""The batched layers of models/conv.py and the batched small CNN: values against the notes'
loops (backprop_jiang) sample by sample, derivatives against central differences, the tie rule
of the pooling, and the hand-written numpy CNN backprop of benchmarks/ against ``dn.grad``.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from models_helpers import central_grad, max_rel_err

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.models import backprop_jiang as bj
from dualnum.models import conv, networks

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks"))
from _numpy_cnn import cnn_backprop, cnn_data, cnn_loss, init_cnn  # noqa: E402

rng = np.random.default_rng(23)


def _check_grad(f, params):
    """dn.grad of a scalar ``f(params)`` against central differences."""
    g = dn.grad(f)(params)
    ref = central_grad(lambda p, i, t: f(p), params, None, None)
    assert max_rel_err(g, ref) < 1e-6


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (3, 2)])
def test_conv1d_batch_is_each_sample(stride, padding):
    x, w = rng.normal(size=(3, 7, 2)), rng.normal(size=(3, 2, 4))
    y = conv.conv1d(x, w, stride=stride, padding=padding)
    for s in range(3):
        xp = np.pad(x[s], ((padding, padding), (0, 0)))
        np.testing.assert_allclose(y[s], bj.conv1d_plies(xp, w)[::stride], rtol=1e-13)
    # one ply, one kernel: (B, d) with w (f,)
    x1, w1 = rng.normal(size=(4, 6)), rng.normal(size=3)
    y1 = conv.conv1d(x1, w1, stride=stride, padding=padding)
    for s in range(4):
        np.testing.assert_allclose(y1[s], conv.conv1d(x1[s], w1, stride, padding), rtol=1e-13)
        np.testing.assert_allclose(
            y1[s], bj.conv1d(np.pad(x1[s], padding), w1)[::stride], rtol=1e-13)


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1)])
def test_conv2d_batch_is_each_sample(stride, padding):
    x, w = rng.normal(size=(3, 5, 6, 2)), rng.normal(size=(3, 2, 2, 3))
    y = conv.conv2d(x, w, stride=stride, padding=padding)
    for s in range(3):
        xp = np.pad(x[s], ((padding, padding), (padding, padding), (0, 0)))
        np.testing.assert_allclose(y[s], bj.conv2d(xp, w)[::stride, ::stride], rtol=1e-13)
        np.testing.assert_allclose(y[s], conv.conv2d(x[s], w, stride, padding), rtol=1e-13)


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1)])
def test_conv_batch_derivatives_against_differences(stride, padding):
    x, w = rng.normal(size=(2, 5, 4, 2)), rng.normal(size=(3, 2, 2, 2))
    e = rng.normal(size=conv.conv2d(x, w, stride, padding).shape)
    _check_grad(lambda p: dnp.sum(e * conv.conv2d(p["x"], p["w"], stride, padding) ** 2),
                {"x": x, "w": w})
    x, w = rng.normal(size=(2, 7, 2)), rng.normal(size=(3, 2, 2))
    e = rng.normal(size=conv.conv1d(x, w, stride, padding).shape)
    _check_grad(lambda p: dnp.sum(e * dnp.tanh(conv.conv1d(p["x"], p["w"], stride, padding))),
                {"x": x, "w": w})


def test_conv2d_batch_backward_is_the_notes_formula_per_sample():
    x, w = rng.normal(size=(3, 4, 5, 2)), rng.normal(size=(2, 3, 2, 2))
    e = rng.normal(size=(3, 3, 3, 2))
    g = dn.grad(lambda x, w: dnp.sum(e * conv.conv2d(x, w)), argnums=(0, 1))(x, w)
    per = [bj.conv2d_backward(x[s], w, e[s]) for s in range(3)]
    np.testing.assert_allclose(g[0], np.stack([p["x"] for p in per]), rtol=1e-12)
    np.testing.assert_allclose(g[1], np.sum([p["w"] for p in per], axis=0), rtol=1e-12)


def test_maxpool_batch_is_each_sample_and_its_gradient_the_notes():
    x = rng.normal(size=(3, 4, 6, 2))
    y = conv.maxpool2d(x, 2)
    e = rng.normal(size=y.shape)
    g = dn.grad(lambda x: dnp.sum(e * conv.maxpool2d(x, 2)))(x)
    for s in range(3):
        np.testing.assert_array_equal(y[s], conv.maxpool2d(x[s], 2))
        np.testing.assert_allclose(g[s], bj.maxpool2d_backward(x[s], 2, e[s]), rtol=1e-15)
    x1 = rng.normal(size=(3, 6, 2))
    e1 = rng.normal(size=(3, 2, 2))
    g1 = dn.grad(lambda x: dnp.sum(e1 * conv.maxpool1d(x, 3)))(x1)
    for s in range(3):
        np.testing.assert_array_equal(conv.maxpool1d(x1, 3)[s], conv.maxpool1d(x1[s], 3))
        np.testing.assert_allclose(g1[s], bj.maxpool_backward(x1[s], 3, e1[s]), rtol=1e-15)


def test_maxpool2d_ties_share_the_derivative_evenly_over_the_window():
    # dnp.max's documented rule, over the whole 2×2 window: three tied maxima get 1/3 each
    # (the notes' formula sends it all to the first arg-max; the catalogue marks such points
    # as kinks, where conventions differ)
    x = np.zeros((1, 2, 2, 1))
    x[0, :, :, 0] = [[2.0, 2.0], [2.0, -1.0]]
    g = dn.grad(lambda x: dnp.sum(conv.maxpool2d(x, 2)))(x)
    np.testing.assert_allclose(g[0, :, :, 0], [[1 / 3, 1 / 3], [1 / 3, 0.0]])
    assert bj.maxpool2d_backward(x[0], 2, np.ones((1, 1, 1)))[:, :, 0].tolist() == \
        [[1.0, 0.0], [0.0, 0.0]]


def test_small_cnn_batch_is_the_sum_over_images_and_differentiates_right():
    p = {"K": rng.normal(size=(2, 2, 1, 2)), "c": rng.normal(0, 0.1, 2),
         "W": rng.normal(size=(3, 8)), "b": rng.normal(size=3)}
    X, r = rng.normal(size=(3, 5, 5, 1)), np.array([0, 2, 1])
    total = networks.small_cnn_loss(p, X, r)
    assert total == pytest.approx(sum(float(networks.small_cnn_loss(p, X[s], int(r[s])))
                                      for s in range(3)), rel=1e-13)
    np.testing.assert_allclose(networks.small_cnn_logits(p, X)[1],
                               networks.small_cnn_logits(p, X[1]), rtol=1e-13)
    _check_grad(lambda q: networks.small_cnn_loss(q, X, r), p)


@pytest.mark.parametrize("batch,d,k", [(3, 8, 2), (16, 28, 8)])
def test_the_benchmarks_hand_cnn_backprop_agrees_with_dn_grad(batch, d, k):
    params = init_cnn(d=d, k=k)
    X, r = cnn_data(batch, d=d)
    loss, hand = cnn_backprop(params, X, r)
    assert loss == pytest.approx(cnn_loss(params, X, r), rel=1e-14)
    assert loss == pytest.approx(float(networks.small_cnn_loss(params, X, r)), rel=1e-12)
    ours = dn.grad(lambda p: networks.small_cnn_loss(p, X, r))(params)
    for key in ("K", "c", "W", "b"):
        np.testing.assert_allclose(hand[key], ours[key], rtol=1e-10, atol=1e-12, err_msg=key)
    if batch == 3:      # small enough for differences: the hand backprop against them too
        ref = central_grad(lambda p, i, t: cnn_loss(p, X, r), params, None, None)
        assert max_rel_err(hand, ref) < 1e-6


def test_hand_cnn_backprop_splits_ties_like_dnp_max():
    params = init_cnn(d=6, k=1, classes=2)
    X, r = cnn_data(1, d=6, classes=2)
    params["K"][:] = 0.0                 # every map constant: four tied maxima per window
    params["c"][:] = 0.7                 # ... and positive, so the ReLU lets the ties through
    _, hand = cnn_backprop(params, X, r)
    ours = dn.grad(lambda p: networks.small_cnn_loss(p, X, r))(params)
    for key in ("K", "c", "W", "b"):
        np.testing.assert_allclose(hand[key], ours[key], rtol=1e-12, atol=1e-14, err_msg=key)


@pytest.mark.parametrize("call,match", [
    (lambda: conv.conv1d(np.ones((2, 5, 2)), np.ones((3, 3, 1))), "do not fit"),
    (lambda: conv.conv2d(np.ones((2, 2, 4, 4, 1)), np.ones((2, 2, 1, 1))), "do not fit"),
    (lambda: conv.conv2d(np.ones((4, 4, 1)), np.ones((2, 2, 1, 1)), stride=1.5), "integers"),
    (lambda: conv.maxpool1d(np.ones((2, 5, 1)), 2), "not divisible"),
    (lambda: conv.maxpool1d(np.ones((2, 2, 4, 1)), 2), "batch"),
    (lambda: conv.maxpool2d(np.ones((2, 4, 5, 1)), 2), "divisible"),
])
def test_batched_layer_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()
