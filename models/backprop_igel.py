"""Igel's backpropagation for general feed-forward networks with shortcuts (plain numpy).

Igel ("Deep Learning, Part I") numbers the neurons: ``z_0 = 1`` (bias), ``z_1 … z_d`` the inputs,
``z_{d+1} … z_{d+M}`` hidden neurons and ``z_{d+M+1} … z_{d+M+K}`` outputs; neuron i reads any
neuron j < i through the weight ``w_ij``. Here the weights are one matrix ``params["W"]`` of shape
``(M + K, 1 + d + M)``: row r is neuron ``i = d + 1 + r``, column j is neuron j. Hidden neurons use
every column j < i; output neurons read the bias, the inputs and all hidden neurons (not each
other, so a soft-max output is well defined). Entries that are not connections are ignored (their
gradient is zero). :func:`connection_mask` gives that pattern; ``models.networks.igel_network`` is
the same network written against ``dualnum.numpy``.

>>> import numpy as np
>>> output_delta(np.array([0.8]), np.array([1.0])).round(12).tolist()
[-0.2]
"""

from __future__ import annotations

import numpy as np

from .backprop import activation, sigmoid, softmax

Array = np.ndarray

#: the three matched output/loss pairs of Igel's "Other error functions" slide
MATCHED_PAIRS = (("identity", "sse"), ("sigmoid", "bce"), ("softmax", "ce"))


def connection_mask(d: int, M: int, K: int) -> Array:
    """The (M+K) × (1+d+M) 0/1 pattern of Igel's connections (``w_ij`` exists iff j < i).

    >>> connection_mask(1, 1, 1).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    mask = np.zeros((M + K, 1 + d + M))
    for r in range(M + K):
        i = d + 1 + r
        mask[r, : min(i, d + M + 1)] = 1.0
    return mask


def igel_forward(params: dict, x: Array, d: int, M: int, K: int, h: str, out: str) -> tuple:
    """Forward pass in sequential order: returns ``(z, a)`` with ``z`` of length 1+d+M+K.

    ``z_i = h(Σ_{0≤j<i} w_ij z_j)`` for hidden i, ``z_i = σ(Σ_j w_ij z_j)`` for outputs
    (σ elementwise, or soft-max jointly over the K outputs).

    >>> z, a = igel_forward({"W": np.ones((2, 3))}, np.array([1.0]), 1, 1, 1, "identity",
    ...                     "identity")
    >>> z.tolist()
    [1.0, 1.0, 2.0, 4.0]
    """
    W = np.asarray(params["W"], dtype=float) * connection_mask(d, M, K)
    z = np.zeros(1 + d + M + K)
    a = np.zeros(1 + d + M + K)
    z[0] = 1.0
    z[1 : d + 1] = np.asarray(x, dtype=float)
    hf = activation(h)[0]
    for i in range(d + 1, d + M + 1):
        a[i] = sum(W[i - d - 1, j] * z[j] for j in range(i))
        z[i] = hf(a[i])
    for i in range(d + M + 1, d + M + K + 1):
        a[i] = sum(W[i - d - 1, j] * z[j] for j in range(d + M + 1))
    outs = a[d + M + 1 :]
    if out == "softmax":
        z[d + M + 1 :] = softmax(outs)
    elif out == "sigmoid":
        z[d + M + 1 :] = sigmoid(outs)
    else:
        z[d + M + 1 :] = activation(out)[0](outs)
    return z, a


def output_delta(z_out: Array, y: Array) -> Array:
    """``δ_i = z_i − y_{i−M−d}`` for an output unit, Igel's identity for the matched pairs.

    Holds for (1) sum-of-squares with linear outputs, (2) binary cross-entropy with one logistic
    output, (3) multi-class cross-entropy with a soft-max output.

    >>> output_delta(np.array([0.2, 0.8]), np.array([0.0, 1.0])).round(12).tolist()
    [0.2, -0.2]
    """
    return np.asarray(z_out, dtype=float) - np.asarray(y, dtype=float)


def igel_backprop(
    params: dict,
    x: Array,
    y: Array,
    d: int,
    M: int,
    K: int,
    h: str = "tanh",
    out: str = "identity",
    loss: str = "sse",
) -> dict:
    """Igel's backward pass: gradient of one pattern's error ``E^n`` w.r.t. ``params["W"]``.

    Output units: ``δ_i = σ'(a_i) ∂E/∂z_i``, which is ``δ_i = z_i − y`` for the matched pairs
    (:data:`MATCHED_PAIRS`); also supported: logistic outputs with sum-of-squares,
    ``δ_i = σ'(a_i)(z_i − y_i)``. Hidden units, in reverse order:
    ``δ_i = h'(a_i) Σ_{k=i+1}^{M+d+K} w_ki δ_k``. Then ``∂E/∂w_ij = δ_i z_j``.

    >>> g = igel_backprop({"W": np.ones((2, 3))}, np.array([1.0]), np.array([4.0]), 1, 1, 1,
    ...                   "identity", "identity", "sse")
    >>> g["W"].tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    z, a = igel_forward(params, x, d, M, K, h, out)
    W = np.asarray(params["W"], dtype=float) * connection_mask(d, M, K)
    y = np.asarray(y, dtype=float).reshape(K)
    delta = np.zeros(1 + d + M + K)
    zo = z[d + M + 1 :]
    if (out, loss) in MATCHED_PAIRS:
        delta[d + M + 1 :] = output_delta(zo, y)
    elif (out, loss) == ("sigmoid", "sse"):
        delta[d + M + 1 :] = zo * (1.0 - zo) * (zo - y)
    else:
        raise ValueError(
            f"igel_backprop: unsupported output/loss pair ({out!r}, {loss!r}); expected one of "
            f"{list(MATCHED_PAIRS) + [('sigmoid', 'sse')]}"
        )
    hp = activation(h)[1]
    for i in range(d + M, d, -1):  # hidden units in reverse order
        delta[i] = hp(a[i]) * sum(
            W[k - d - 1, i] * delta[k] for k in range(i + 1, d + M + K + 1)
        )
    grad = np.zeros_like(W)
    for r in range(M + K):
        i = d + 1 + r
        for j in range(1 + d + M):
            grad[r, j] = delta[i] * z[j]  # ∂E/∂w_ij = δ_i z_j
    return {"W": grad * connection_mask(d, M, K)}
