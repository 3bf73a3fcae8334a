"""Igel's general feed-forward network with shortcuts, its losses, and the XOR network with
hand-set weights, written against ``dualnum.numpy``.

Neurons are numbered as in Igel's notes: ``z_0 = 1`` (bias), ``z_1 … z_d`` inputs, hidden
neurons ``d+1 … d+M``, outputs ``d+M+1 … d+M+K``; ``z_i = h(Σ_{0≤j<i} w_ij z_j)``. The weights
are one matrix ``params["W"]`` of shape (M + K, 1 + d + M): row r is neuron ``d + 1 + r``.
Hidden neurons read every j < i; output neurons read the bias, inputs and hidden neurons.
Entries outside this pattern are multiplied by 0 (see ``models.backprop_igel.connection_mask``,
which the hand-derived deltas use too).

>>> import numpy as np
>>> xor_network(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])).ravel().tolist()
[0.0, 1.0, 1.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp

from .activations import get_activation, softmax
from .backprop_igel import connection_mask
from .losses import binary_cross_entropy, cross_entropy, sum_of_squares

OUTPUT_LOSS_PAIRS = (("identity", "sse"), ("sigmoid", "bce"), ("softmax", "ce"))


def igel_preactivations(params: dict, x: Any, d: int, M: int, K: int, h: Any = "tanh") -> tuple:
    """Igel's forward pass ("compute z_{d+1}, …, z_{d+M+K} in sequential order"); returns
    ``(z, a_out)``: the vector ``(z_0, …, z_{d+M})`` and the K output pre-activations
    ``a_i = Σ_j w_ij z_j``.

    >>> z, a = igel_preactivations({"W": np.ones((2, 3))}, np.array([1.0]), 1, 1, 1, "identity")
    >>> z.tolist(), a.tolist()
    ([1.0, 1.0, 2.0], [4.0])
    """
    sW = tuple(dnp.shape(params["W"]))
    if sW != (M + K, 1 + d + M):
        raise ValueError(f"igel_network: W must have shape (M+K, 1+d+M) = {(M + K, 1 + d + M)}, "
                         f"got {sW}")
    if tuple(dnp.shape(x)) != (d,):
        raise ValueError(f"igel_network: one input pattern of shape ({d},) expected, "
                         f"got {dnp.shape(x)}")
    W = params["W"] * connection_mask(d, M, K)
    act = get_activation(h)
    z = dnp.concatenate([np.ones(1), x])
    for i in range(d + 1, d + M + 1):
        a_i = dnp.sum(W[i - d - 1, :i] * z)  # Σ_{0≤j<i} w_ij z_j
        z = dnp.concatenate([z, dnp.reshape(act(a_i), (1,))])
    return z, dnp.matmul(W[M:, :], z)


def igel_network(
    params: dict, x: Any, d: int, M: int, K: int, h: Any = "tanh", out: Any = "identity"
) -> Any:
    """Igel's network output ``ŷ = (z_{d+M+1}, …, z_{d+M+K})``, ``z_i = σ(a_i)`` with σ an
    elementwise activation (``"identity"``, ``"sigmoid"``, ``"step"``, …) or ``"softmax"``
    over the K outputs. ``x`` is one pattern (d,) or N patterns (N, d).

    >>> igel_network({"W": np.ones((2, 3))}, np.array([1.0]), 1, 1, 1, "identity").tolist()
    [4.0]
    """
    if len(dnp.shape(x)) == 2:
        return dnp.stack([igel_network(params, x[n], d, M, K, h, out)
                          for n in range(dnp.shape(x)[0])])
    _, a = igel_preactivations(params, x, d, M, K, h)
    return softmax(a) if out == "softmax" else get_activation(out)(a)


def output_loss(a: Any, y: Any, pair: tuple) -> Any:
    """One pattern's error as a function of the output pre-activations ``a``, for Igel's three
    matched pairs: linear + ``½‖z − y‖²``; logistic + binary CE
    ``−{y ln z + (1 − y) ln(1 − z)}``; soft-max + ``−Σ_k y_k ln z_k``. For each,
    ``∂E/∂a_i = z_i − y_i``.

    >>> float(output_loss(np.array([1.0]), np.array([0.0]), ("identity", "sse")))
    0.5
    """
    if pair == ("identity", "sse"):
        return sum_of_squares(a, y)
    if pair == ("sigmoid", "bce"):
        return binary_cross_entropy(dnp.sigmoid(a), y)
    if pair == ("softmax", "ce"):
        return cross_entropy(softmax(a), y)
    raise ValueError(f"output_loss: pair must be one of {OUTPUT_LOSS_PAIRS}, got {pair!r}")


def igel_loss(
    params: dict,
    X: Any,
    Y: Any,
    d: int,
    M: int,
    K: int,
    h: Any = "tanh",
    out: str = "identity",
    loss: str = "sse",
) -> Any:
    """Igel's ``E = Σ_n E^n`` over the patterns (rows of ``X``, or one pattern) with
    ``(out, loss)`` one of the matched pairs or ``("sigmoid", "sse")``.

    >>> float(igel_loss({"W": np.ones((2, 3))}, np.array([1.0]), np.array([3.0]), 1, 1, 1,
    ...                 "identity"))
    0.5
    """
    if len(dnp.shape(X)) == 2:
        Ya = np.asarray(Y, dtype=float).reshape(dnp.shape(X)[0], K)
        total = 0.0
        for n in range(dnp.shape(X)[0]):
            total = total + igel_loss(params, X[n], Ya[n], d, M, K, h, out, loss)
        return total
    _, a = igel_preactivations(params, X, d, M, K, h)
    y = np.asarray(Y, dtype=float).reshape(K)
    if (out, loss) == ("sigmoid", "sse"):
        return sum_of_squares(dnp.sigmoid(a), y)
    return output_loss(a, y, (out, loss))


def xor_params() -> dict:
    """Hand-set weights of the MLP that solves XOR (Igel), in the (M+K, 1+d+M) layout, d = M = 2,
    K = 1: neuron 3 is the "both 1" detector ``𝕀{x1 + x2 − 1.5 > 0}``, neuron 4 the "at least
    one 1" detector ``𝕀{x1 + x2 − 0.5 > 0}``, and the output ``𝕀{z4 − z3 − 0.5 > 0}`` is
    "at least one but not both".

    >>> xor_params()["W"].shape
    (3, 5)
    """
    return {
        "W": np.array(
            [
                [-1.5, 1.0, 1.0, 0.0, 0.0],  # z3: both 1
                [-0.5, 1.0, 1.0, 0.0, 0.0],  # z4: at least one 1
                [-0.5, 0.0, 0.0, -1.0, 1.0],  # output: z4 and not z3
            ]
        )
    }


def xor_network(X: Any, params: dict | None = None) -> Any:
    """Igel's step-activation MLP with :func:`xor_params`; returns exactly XOR of the inputs.

    >>> xor_network(np.array([1.0, 1.0])).tolist()
    [0.0]
    """
    p = xor_params() if params is None else params
    return igel_network(p, X, 2, 2, 1, h="step", out="step")
