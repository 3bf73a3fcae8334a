"""The networks of the notes, written once against ``dualnum.numpy``.

Every network is ``net(params, x, ...) -> output`` and has a scalar ``net_loss(params, x, y,
...)``; ``params`` is a flat dict of arrays (``{"W1": ..., "b1": ...}``). Igel's general
feed-forward network and the XOR network are in ``models/networks_igel.py``.

>>> import numpy as np
>>> float(bradbury_f(3.0, -2.0, 4.0))
-0.5
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np  # noqa: F401 - the docstrings' examples use np

import dualnum.numpy as dnp

from .activations import get_activation, sigmoid, softmax
from .conv import conv2d, maxpool2d
from .layers import dense, dense_t
from .losses import (
    cross_entropy,
    frobenius_penalty,
    l2_penalty,
    mse,
    nll_categorical,
    nll_gaussian,
    sum_of_squares,
)
from .sequence import rnn, transformer_block

Act = str | Callable[[Any], Any]


def _n_layers(params: dict, name: str) -> int:
    K = 0
    while f"W{K + 1}" in params:
        K += 1
    if K == 0:
        raise ValueError(f"{name}: params need weights 'W1', 'W2', …; got keys {sorted(params)}")
    return K


def _need_biases(params: dict, K: int, name: str) -> None:
    missing = [f"b{k}" for k in range(1, K + 1) if f"b{k}" not in params]
    if missing:
        raise ValueError(f"{name}: params have weights W1…W{K} but no biases {missing}")


# --------------------------------------------------------------------------- Rousseau
def rousseau_mlp(params: dict, x: Any, activations: Sequence[Act] = ("tanh", "identity")) -> Any:
    """Rousseau's K-layer network ``x^{(k)} = σ_k(w^{(k)T} x^{(k−1)} + b^{(k)})``, k = 1 … K,
    ``w^{(k)}`` of size n_{k−1} × n_k in ``params["Wk"]``, ``b^{(k)}`` in ``params["bk"]``; one
    activation per layer (the output layer may be ``"identity"``).

    >>> p = {"W1": np.eye(2), "b1": np.zeros(2)}
    >>> rousseau_mlp(p, np.array([1.0, -1.0]), ["relu"]).tolist()
    [1.0, 0.0]
    """
    K = _n_layers(params, "rousseau_mlp")
    _need_biases(params, K, "rousseau_mlp")
    if len(activations) != K:
        raise ValueError(f"rousseau_mlp: {K} layers but {len(activations)} activations")
    for k in range(1, K + 1):
        x = get_activation(activations[k - 1])(dense_t(x, params[f"W{k}"], params[f"b{k}"]))
    return x


def rousseau_loss(
    params: dict,
    x: Any,
    y: Any,
    activations: Sequence[Act] = ("tanh", "identity"),
    loss: str = "mse",
    lam: float = 0.0,
    penalty: str = "squared",
) -> Any:
    """Rousseau's (regularized) empirical risk on a mini-batch:
    ``L_B = (1/|B|) Σ ℓ(F_Θ(x), y) [+ λ Σ_k ‖w^{(k)}‖²_F or + λ Σ_k ‖w^{(k)}‖_F]``.

    ``loss``: ``"mse"`` (``(1/n_K)‖x^{(K)} − y‖²``) or ``"ce"`` (``−Σ y_i log x_i^{(K)}``);
    ``penalty="frobenius"`` is the penalty exactly as printed (unsquared norm), ``"squared"``
    the one whose gradient is the printed ``2λw``. A 1-D ``x`` is one sample.

    >>> p = {"W1": np.eye(2), "b1": np.zeros(2)}
    >>> float(rousseau_loss(p, np.array([1.0, 1.0]), np.zeros(2), ["identity"]))
    1.0
    """
    out = rousseau_mlp(params, x, activations)
    n = 1 if len(dnp.shape(out)) == 1 else dnp.shape(out)[0]
    if loss == "mse":
        value = mse(out, y)  # the mean over the batch of the per-sample (1/n_K)‖·‖²
    elif loss == "ce":
        value = cross_entropy(out, y) / n
    else:
        raise ValueError(f"rousseau_loss: loss must be 'mse' or 'ce', got {loss!r}")
    if lam:
        if penalty == "squared":
            value = value + l2_penalty(params, lam)
        elif penalty == "frobenius":
            value = value + frobenius_penalty(params, lam)
        else:
            raise ValueError("rousseau_loss: penalty must be 'squared' or 'frobenius'")
    return value


# --------------------------------------------------------------------------- Lepetit
def lepetit_two_layer(params: dict, x: Any, g: Act = "relu") -> Any:
    """Lepetit's two-layer network ``h = g(Wx + b)``, ``o = W2 h + b2``; ``params`` has
    ``"W", "b", "W2", "b2"``. ``x`` is (d,) or a batch (N, d).

    >>> p = {"W": np.eye(2), "b": np.zeros(2), "W2": np.ones((1, 2)), "b2": np.zeros(1)}
    >>> lepetit_two_layer(p, np.array([1.0, -1.0])).tolist()
    [1.0]
    """
    h = get_activation(g)(dense(x, params["W"], params["b"]))
    return dense(h, params["W2"], params["b2"])


def lepetit_two_layer_loss(
    params: dict, X: Any, targets: Any, kind: str = "regression", g: Act = "relu"
) -> Any:
    """Lepetit's negative log-likelihood of the training set (sum over the set):
    regression ``Σ_i ‖e_i − o(x_i)‖²`` (eq. 4), classification ``Σ_i −log softmax(o(x_i))_{c_i}``
    (eq. 7, ``targets`` are 0-based class indices).

    >>> p = {"W": np.eye(2), "b": np.zeros(2), "W2": np.zeros((2, 2)), "b2": np.zeros(2)}
    >>> round(float(lepetit_two_layer_loss(p, np.ones((1, 2)), np.array([1]), "classification")), 9)
    0.693147181
    """
    o = lepetit_two_layer(params, X, g)
    if kind == "regression":
        return nll_gaussian(o, targets)
    if kind == "classification":
        return nll_categorical(o, targets)
    raise ValueError("lepetit_two_layer_loss: kind must be 'regression' or 'classification'")


def lepetit_three_layer(params: dict, x0: Any, g: Act = "tanh") -> Any:
    """Lepetit's bias-free 3-layer network (eq. 14): ``x̄1 = W1 x0, x1 = g(x̄1), x̄2 = W2 x1,
    x2 = g(x̄2), x3 = W3 x2 = o(x0; Θ)``, Θ = [W1, W2, W3].

    >>> p = {"W1": np.eye(2), "W2": np.eye(2), "W3": np.eye(2)}
    >>> lepetit_three_layer(p, np.zeros(2)).tolist()
    [0.0, 0.0]
    """
    act = get_activation(g)
    x1 = act(dnp.matmul(params["W1"], x0))
    x2 = act(dnp.matmul(params["W2"], x1))
    return dnp.matmul(params["W3"], x2)


def lepetit_three_layer_loss(params: dict, x0: Any, e: Any, g: Act = "tanh") -> Any:
    """``L(o(x0; Θ), e) = ½‖x3 − e‖²`` (Lepetit eq. 14); its gradient is the delta recursion
    of eq. (47) (``models.backprop.lepetit_backprop``).

    >>> p = {"W1": np.eye(2), "W2": np.eye(2), "W3": np.eye(2)}
    >>> float(lepetit_three_layer_loss(p, np.zeros(2), np.ones(2)))
    1.0
    """
    return sum_of_squares(lepetit_three_layer(params, x0, g), e)


# --------------------------------------------------------------------------- Bradbury
def bradbury_chain(x: Any) -> Any:
    """Bradbury's example #1: ``y = 2a``, ``a = 3x``, so dy/dx = 6.

    >>> bradbury_chain(1.0)
    6.0
    """
    return 2.0 * (3.0 * x)


def bradbury_sum(x: Any) -> Any:
    """Bradbury's sum-rule example: ``y = 2a1 + a2``, ``a1 = 3x``, ``a2 = −x``: dy/dx = 5.

    >>> bradbury_sum(1.0)
    5.0
    """
    return 2.0 * (3.0 * x) + 1.0 * (-x)


def bradbury_f(x0: Any, w0: Any, w1: Any) -> Any:
    """Bradbury's graph ``f(x, w) = 1/(w0 x0 + w1)`` (y1 = w0 x0, y2 = y1 + w1, y3 = 1/y2).

    >>> float(bradbury_f(3.0, -2.0, 4.0))
    -0.5
    """
    return 1.0 / (w0 * x0 + w1)


def bradbury_scalar_net(params: dict, x: Any) -> Any:
    """Bradbury's scalar network ``ŷ = σ(w2 σ(w1 x))`` (a1 = w1 z0, z1 = σ(a1), a2 = w2 z1).

    >>> float(bradbury_scalar_net({"w1": 0.0, "w2": 0.0}, 1.0))
    0.5
    """
    return sigmoid(params["w2"] * sigmoid(params["w1"] * x))


def bradbury_scalar_loss(params: dict, x: Any, y: Any) -> Any:
    """Bradbury's error ``E = ½(ŷ − y)²``; ``∂E/∂w1 = (ŷ − y) σ'(a2) w2 σ'(a1) x``.

    >>> float(bradbury_scalar_loss({"w1": 0.0, "w2": 0.0}, 1.0, 0.0))
    0.125
    """
    return 0.5 * (bradbury_scalar_net(params, x) - y) ** 2


def bradbury_mlp(params: dict, x: Any) -> Any:
    """Bradbury's K-layer sigmoid net: ``a^{(k)} = W^{(k)} z^{(k−1)}``, ``z^{(k)} = σ(a^{(k)})``.

    >>> bradbury_mlp({"W1": np.zeros((1, 2))}, np.ones(2)).tolist()
    [0.5]
    """
    z = x
    for k in range(1, _n_layers(params, "bradbury_mlp") + 1):
        z = sigmoid(dnp.matmul(params[f"W{k}"], z))
    return z


def bradbury_mlp_loss(params: dict, x: Any, y: Any) -> Any:
    """Bradbury's ``E_n = ½ Σ_k (ŷ_k − y_k)²`` for :func:`bradbury_mlp`.

    >>> float(bradbury_mlp_loss({"W1": np.zeros((1, 2))}, np.ones(2), np.zeros(1)))
    0.125
    """
    return sum_of_squares(bradbury_mlp(params, x), y)


# --------------------------------------------------------------------------- Jiang
def jiang_dnn_logits(params: dict, x: Any) -> Any:
    """The output pre-activation ``a_L`` of Jiang's DNN: ``a_l = W^{(l)} z_{l−1} + b^{(l)}``,
    ``z_l = ReLU(a_l)`` for the hidden layers l < L, ``z_0 = x``.

    >>> jiang_dnn_logits({"W1": np.eye(2), "b1": np.ones(2)}, np.ones(2)).tolist()
    [2.0, 2.0]
    """
    L = _n_layers(params, "jiang_dnn")
    _need_biases(params, L, "jiang_dnn")
    z = x
    for l_ in range(1, L):
        z = dnp.relu(dense(z, params[f"W{l_}"], params[f"b{l_}"]))
    return dense(z, params[f"W{L}"], params[f"b{L}"])


def jiang_dnn(params: dict, x: Any) -> Any:
    """Jiang's fully-connected DNN: ReLU hidden layers, ``y = softmax(a_L)``.

    >>> jiang_dnn({"W1": np.eye(2), "b1": np.ones(2)}, np.ones(2)).tolist()
    [0.5, 0.5]
    """
    return softmax(jiang_dnn_logits(params, x))


def jiang_dnn_loss(params: dict, x: Any, r: Any) -> Any:
    """Jiang's cross-entropy ``Q = −ln [y]_r`` (over a batch ``Q_CE = −Σ_i ln [y_i]_{r_i}``),
    computed stably from the logits.

    >>> round(float(jiang_dnn_loss({"W1": np.eye(2), "b1": np.ones(2)}, np.ones(2), 0)), 9)
    0.693147181
    """
    return nll_categorical(jiang_dnn_logits(params, x), r)


def small_cnn_logits(params: dict, x: Any, pool: int = 2) -> Any:
    """A small CNN in Jiang's spirit: ``conv2d → +bias → ReLU → maxpool → flatten → dense``.

    ``params``: ``"K"`` kernels (f, f, p, k), ``"c"`` kernel biases (k,), ``"W"`` (classes, ·),
    ``"b"`` (classes,). ``x`` is one image (d, d, p), or a batch (B, d, d, p) (then the logits
    are (B, classes): the batched layers, no loop over images).

    >>> p = {"K": np.ones((2, 2, 1, 1)), "c": np.zeros(1), "W": np.ones((2, 1)), "b": np.zeros(2)}
    >>> small_cnn_logits(p, np.ones((3, 3, 1))).tolist()
    [4.0, 4.0]
    >>> small_cnn_logits(p, np.ones((2, 3, 3, 1))).tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """
    fmap = dnp.relu(conv2d(x, params["K"]) + params["c"])
    shape = tuple(dnp.shape(fmap))
    lead, (n1, n2, k) = shape[:-3], shape[-3:]
    m1, m2 = (n1 // pool) * pool, (n2 // pool) * pool
    if (m1, m2) != (n1, n2):    # drop a ragged last row/column
        fmap = fmap[..., :m1, :m2, :]
    pooled = maxpool2d(fmap, pool)
    flat = dnp.reshape(pooled, lead + ((m1 // pool) * (m2 // pool) * k,))
    return dense(flat, params["W"], params["b"])


def small_cnn_loss(params: dict, x: Any, r: Any) -> Any:
    """Jiang's cross-entropy ``Q = −ln softmax(logits)_r`` of :func:`small_cnn_logits`; for a
    batch ``x`` (B, d, d, p) with labels ``r`` (B,), summed over the batch.

    >>> p = {"K": np.ones((2, 2, 1, 1)), "c": np.zeros(1), "W": np.ones((2, 1)), "b": np.zeros(2)}
    >>> round(float(small_cnn_loss(p, np.ones((3, 3, 1)), 1)), 9)
    0.693147181
    """
    return nll_categorical(small_cnn_logits(params, x), r)


def rnn_loss(params: dict, X: Any, Y: Any) -> Any:
    """Sum-of-squares ``½ Σ_t ‖y_t − target_t‖²`` of Jiang's unrolled RNN (``models.sequence.rnn``).

    >>> p = {"W1": np.zeros((1, 2)), "b1": np.zeros(1), "W2": np.ones((1, 1)), "b2": np.ones(1)}
    >>> float(rnn_loss(p, np.ones((3, 1)), np.zeros((3, 1))))
    1.5
    """
    return sum_of_squares(rnn(X, params), Y)


def transformer_loss(params: dict, X: Any, Y: Any) -> Any:
    """Sum-of-squares ``½‖transformer_block(X) − Y‖²`` of one transformer block (Jiang's
    ``Y = feedforward(LN(X + Z))``).

    >>> h = {"A": np.zeros((1, 2)), "B": np.zeros((1, 2)), "C": np.zeros((2, 2))}
    >>> p = {"heads": [h], "gamma": np.ones(2), "beta": np.zeros(2), "W1": np.eye(2),
    ...      "b1": np.zeros(2), "W2": np.eye(2), "b2": np.zeros(2)}
    >>> round(float(transformer_loss(p, np.array([[1.0], [-1.0]]), np.zeros((2, 1)))), 4)
    0.5
    """
    return sum_of_squares(transformer_block(X, params), Y)
