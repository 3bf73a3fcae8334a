"""The notes' hand-derived backpropagation, written literally as the notes write it (plain numpy).

These functions are a fourth, independent source of derivatives (besides forward mode, reverse
mode and the references): they never touch `dualnum`. Each one follows the equations of one set
of notes, in the notes' own index notation where that helps, so a disagreement with `dn.grad`
points at a formula, not at the machinery. This file holds the backprop of Rousseau, Lepetit and
Bradbury and re-exports the activations' and losses' local derivatives of
`models/backprop_local.py`; Jiang's per-block rules (softmax Jacobian, convolution,
max-pooling, batch normalization, the DNN backward pass) are in `models/backprop_jiang.py`, and
Igel's deltas for general feed-forward networks in `models/backprop_igel.py`.

Where the notes contain a slip (see `shared/seeds/README.md`), the literal formula is kept next to
the corrected one (functions named ``*_as_written``), so a comparison can show the discrepancy.

>>> import numpy as np
>>> bradbury_f_local_derivatives(x0=3.0, w0=-2.0, w1=4.0)["df_dw0"]
-0.75
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .backprop_local import (  # re-exported: the activations' and losses' local derivatives
    ACTIVATIONS,
    activation,
    bce_grad,
    bce_logits_grad,
    cross_entropy_grad,
    gelu,
    gelu_prime,
    mse_grad,
    relu,
    sigmoid,
    sigmoid_prime,
    softmax,
    softmax_cross_entropy_grad,
    softsign,
    softsign_prime,
    step,
    sum_of_squares_grad,
    tanh_prime,
)

Array = np.ndarray

__all__ = [
    "activation", "ACTIVATIONS", "bce_grad", "bce_logits_grad", "bradbury_backprop",
    "bradbury_delta_K", "bradbury_delta_K_as_written", "bradbury_f_local_derivatives",
    "bradbury_scalar_backprop", "cross_entropy_grad", "gelu", "gelu_prime", "lepetit_backprop",
    "lepetit_dL_dW2_elementwise", "lepetit_dL_dW3_elementwise", "lepetit_dx2_dW2",
    "lepetit_dx2_dW2_as_written", "mse_grad", "relu",
    "rousseau_backprop", "rousseau_penalty_grad_as_written",
    "rousseau_penalty_grad_of_written_penalty", "sigmoid", "sigmoid_prime", "softmax",
    "softmax_cross_entropy_grad", "softsign", "softsign_prime", "step", "sum_of_squares_grad",
    "tanh_prime",
]


# --------------------------------------------------------------------------- Rousseau
def rousseau_backprop(
    params: dict, x: Array, y: Array, activations: Sequence[str], loss: str = "mse"
) -> dict:
    """Gradient of ℓ(x^{(K)}, y) for Rousseau's K-layer network, by his equations (2)–(4).

    Network (Rousseau, "All layers"): ``x^{(k)} = σ_k(w^{(k)T} x^{(k-1)} + b^{(k)})``, with the
    matrix ``w^{(k)}`` of size n_{k-1} × n_k stored as ``params["Wk"]`` and ``b^{(k)}`` as
    ``params["bk"]``. In the scalar equations ``w_{pq}^{(k)}`` is the q-th coefficient of neuron p,
    i.e. the matrix entry ``W[q, p]``. The equations (printed with x^{(k)} in the numerators, read
    x^{(K)}: the derivative of the last layer):

    * (4) ``∂x_i^{(K)}/∂x_p^{(k)} = Σ_j ∂x_i^{(K)}/∂x_j^{(k+1)} σ'(z_j^{(k+1)}) w_{jp}^{(k+1)}``
    * (2) ``∂x_i^{(K)}/∂w_{pq}^{(k)} = ∂x_i^{(K)}/∂x_p^{(k)} σ'(z_p^{(k)}) x_q^{(k-1)}``
    * (3) ``∂x_i^{(K)}/∂b_p^{(k)} = ∂x_i^{(K)}/∂x_p^{(k)} σ'(z_p^{(k)})``

    combined with the loss: MSE ``ℓ = (1/n_K) Σ_i (x_i^{(K)} − y_i)²`` (∂ℓ/∂x_i = 2(x_i − y_i)/n_K)
    or cross-entropy ``ℓ = −Σ_i y_i log x_i^{(K)}`` (∂ℓ/∂x_i = −y_i / x_i). ``x`` is one sample.

    >>> p = {"W1": np.eye(2), "b1": np.zeros(2)}
    >>> g = rousseau_backprop(p, np.array([1.0, 2.0]), np.zeros(2), ["identity"])
    >>> g["W1"].tolist()
    [[1.0, 2.0], [2.0, 4.0]]
    """
    K = len(activations)
    xs = [np.asarray(x, dtype=float)]
    zs = [None]
    for k in range(1, K + 1):
        W, b = np.asarray(params[f"W{k}"], float), np.asarray(params[f"b{k}"], float)
        # z_i^{(k)} = <w_i^{(k)}, x^{(k-1)}> + b_i^{(k)}: w_i is the i-th column of W
        z = np.array([W[:, i] @ xs[-1] + b[i] for i in range(W.shape[1])])
        zs.append(z)
        xs.append(activation(activations[k - 1])[0](z))
    xK = xs[K]
    y = np.asarray(y, dtype=float)
    if loss == "mse":
        dl_dx = 2.0 * (xK - y) / xK.size
    elif loss == "ce":
        dl_dx = -y / xK
    else:
        raise ValueError(f"rousseau_backprop: unknown loss {loss!r}; expected 'mse' or 'ce'")

    nK = xK.size
    D = {K: np.eye(nK)}  # D[k][i, p] = ∂x_i^{(K)} / ∂x_p^{(k)}
    for k in range(K - 1, 0, -1):  # equation (4), one sweep backward
        W = np.asarray(params[f"W{k + 1}"], float)
        dsig = activation(activations[k])[1](zs[k + 1])
        nk = xs[k].size
        Dk = np.zeros((nK, nk))
        for i in range(nK):
            for p in range(nk):
                Dk[i, p] = sum(D[k + 1][i, j] * dsig[j] * W[p, j] for j in range(W.shape[1]))
        D[k] = Dk
    grads = {}
    for k in range(1, K + 1):
        dsig = activation(activations[k - 1])[1](zs[k])
        n_prev, nk = xs[k - 1].size, xs[k].size
        gW = np.zeros((n_prev, nk))
        gb = np.zeros(nk)
        for p in range(nk):
            for i in range(nK):
                dxi_dbp = D[k][i, p] * dsig[p]  # equation (3)
                gb[p] += dl_dx[i] * dxi_dbp
                for q in range(n_prev):
                    gW[q, p] += dl_dx[i] * dxi_dbp * xs[k - 1][q]  # equation (2)
        grads[f"W{k}"], grads[f"b{k}"] = gW, gb
    return grads


def rousseau_penalty_grad_as_written(W: Array, lam: float) -> Array:
    """Rousseau's printed gradient of the penalty ``λ Σ_k ‖w^{(k)}‖_F``: ``2 λ w_ij``.

    This is a slip: ``2λw`` is the gradient of ``λ‖w‖²_F`` (squared); the gradient of the
    penalty as written is :func:`rousseau_penalty_grad_of_written_penalty`.

    >>> rousseau_penalty_grad_as_written(np.array([3.0, 4.0]), 0.5).tolist()
    [3.0, 4.0]
    """
    return 2.0 * lam * np.asarray(W, dtype=float)


def rousseau_penalty_grad_of_written_penalty(W: Array, lam: float) -> Array:
    """The true gradient of Rousseau's penalty as written, ``∂(λ‖w‖_F)/∂w = λ w / ‖w‖_F``.

    >>> rousseau_penalty_grad_of_written_penalty(np.array([3.0, 4.0]), 0.5).tolist()
    [0.3, 0.4]
    """
    W = np.asarray(W, dtype=float)
    return lam * W / np.sqrt(np.sum(W * W))


# --------------------------------------------------------------------------- Lepetit
def lepetit_backprop(params: dict, x0: Array, e: Array, g: str = "tanh") -> dict:
    """Lepetit's delta recursion for the bias-free 3-layer network (eqs. 14, 30, 45, 46, 47).

    Forward (14): ``x̄1 = W1 x0, x1 = g(x̄1), x̄2 = W2 x1, x2 = g(x̄2), x3 = W3 x2``,
    ``L = ½‖x3 − e‖²``. Backward (47): ``δ3 = x3 − e``, ``∂L/∂W3 = δ3 x2ᵀ`` (30),
    ``δ2 = W3ᵀ δ3 ⊙ g'(x̄2)``, ``∂L/∂W2 = δ2 x1ᵀ`` (45), ``δ1 = W2ᵀ δ2 ⊙ g'(x̄1)``,
    ``∂L/∂W1 = δ1 x0ᵀ`` (46).

    >>> p = {"W1": np.eye(2), "W2": np.eye(2), "W3": np.eye(2)}
    >>> lepetit_backprop(p, np.zeros(2), np.ones(2))["W3"].tolist()
    [[-0.0, -0.0], [-0.0, -0.0]]
    """
    gf, gp = activation(g)
    W1, W2, W3 = (np.asarray(params[k], dtype=float) for k in ("W1", "W2", "W3"))
    x0 = np.asarray(x0, dtype=float)
    xb1 = W1 @ x0
    x1 = gf(xb1)
    xb2 = W2 @ x1
    x2 = gf(xb2)
    x3 = W3 @ x2
    d3 = x3 - np.asarray(e, dtype=float)
    d2 = (W3.T @ d3) * gp(xb2)
    d1 = (W2.T @ d2) * gp(xb1)
    return {"W1": np.outer(d1, x0), "W2": np.outer(d2, x1), "W3": np.outer(d3, x2)}


def lepetit_dL_dW3_elementwise(params: dict, x0: Array, e: Array, g: str = "tanh") -> Array:
    """Lepetit eq. (28) entry by entry: ``∂L/∂W3^{kl} = (x3^k − e^k) x2^l``.

    >>> p = {"W1": np.eye(1), "W2": np.eye(1), "W3": np.eye(1)}
    >>> lepetit_dL_dW3_elementwise(p, np.zeros(1), np.ones(1)).tolist()
    [[-0.0]]
    """
    gf, _ = activation(g)
    W1, W2, W3 = (np.asarray(params[k], dtype=float) for k in ("W1", "W2", "W3"))
    x2 = gf(W2 @ gf(W1 @ np.asarray(x0, dtype=float)))
    x3 = W3 @ x2
    e = np.asarray(e, dtype=float)
    out = np.zeros_like(W3)
    for k in range(W3.shape[0]):
        for l_ in range(W3.shape[1]):
            out[k, l_] = (x3[k] - e[k]) * x2[l_]
    return out


def lepetit_dL_dW2_elementwise(params: dict, x0: Array, e: Array, g: str = "tanh") -> Array:
    """Lepetit eq. (43)/(44) entry by entry.

    ``∂L/∂W2^{kl} = Σ_i (x3^i − e^i) W3^{ik} g'(x̄2^k) x1^l``.

    (Eq. (38) prints ``g'(x̄2^m) x2^{jl}``, an index typo; (39)–(44) use the right indices: see
    :func:`lepetit_dx2_dW2_as_written` and :func:`lepetit_dx2_dW2`.)

    >>> p = {"W1": np.eye(1), "W2": np.eye(1), "W3": np.eye(1)}
    >>> lepetit_dL_dW2_elementwise(p, np.ones(1), np.zeros(1), g="identity").tolist()
    [[1.0]]
    """
    gf, gp = activation(g)
    W1, W2, W3 = (np.asarray(params[k], dtype=float) for k in ("W1", "W2", "W3"))
    x1 = gf(W1 @ np.asarray(x0, dtype=float))
    xb2 = W2 @ x1
    x3 = W3 @ gf(xb2)
    e = np.asarray(e, dtype=float)
    out = np.zeros_like(W2)
    for k in range(W2.shape[0]):
        for l_ in range(W2.shape[1]):
            out[k, l_] = sum(
                (x3[i] - e[i]) * W3[i, k] * gp(xb2[k]) * x1[l_] for i in range(W3.shape[0])
            )
    return out


def lepetit_dx2_dW2_as_written(params: dict, x0: Array, m: int, g: str = "tanh") -> Array:
    """Lepetit eq. (38) as printed: ``∂x2^j/∂W2^{kl} = g'(x̄2^m) x2^{jl}`` if k = j, else 0.

    The printed right-hand side does not type-check: ``m`` is a free index (left over from the
    sum ``Σ_m W2^{jm} x1^m`` of eq. (36)) and ``x2`` is a vector, so ``x2^{jl}`` has one index too
    many. This evaluates the only reading that can be computed: ``m`` given by the caller and
    ``x2^{jl}`` read as ``x2^l``. Returns the tensor ``T[j, k, l]``; ``l`` runs over layer 1, so
    layer 2 must be at least as wide for ``x2^l`` to exist. Compare :func:`lepetit_dx2_dW2`, the
    corrected ``g'(x̄2^j) x1^l`` that eq. (39) goes on to use.

    >>> p = {"W1": np.eye(2), "W2": np.eye(2), "W3": np.eye(2)}
    >>> lepetit_dx2_dW2_as_written(p, np.array([1.0, 0.0]), m=1, g="identity")[0, 0].tolist()
    [1.0, 0.0]
    """
    gf, gp = activation(g)
    W1, W2 = (np.asarray(params[k], dtype=float) for k in ("W1", "W2"))
    x1 = gf(W1 @ np.asarray(x0, dtype=float))
    xb2 = W2 @ x1
    x2 = gf(xb2)
    n2, n1 = W2.shape
    if n1 > n2:
        raise ValueError(f"lepetit_dx2_dW2_as_written: x2^l needs l < {n2} but layer 1 has "
                         f"{n1} units (the printed x2^{{jl}} cannot be read as x2^l)")
    T = np.zeros((n2, n2, n1))
    for j in range(n2):
        for l_ in range(n1):
            T[j, j, l_] = gp(xb2[m]) * x2[l_]  # k = j: g'(x̄2^m) x2^{jl}, read x2^l
    return T


def lepetit_dx2_dW2(params: dict, x0: Array, g: str = "tanh") -> Array:
    """The corrected eq. (38): ``∂x2^j/∂W2^{kl} = g'(x̄2^j) x1^l`` if k = j, else 0, as the
    tensor ``T[j, k, l]`` (the chain rule of eq. (36) with eq. (37); the form eqs. (39)–(45) use).

    >>> p = {"W1": np.eye(2), "W2": np.eye(2), "W3": np.eye(2)}
    >>> lepetit_dx2_dW2(p, np.array([1.0, 0.0]), g="identity")[0, 0].tolist()
    [1.0, 0.0]
    """
    gf, gp = activation(g)
    W1, W2 = (np.asarray(params[k], dtype=float) for k in ("W1", "W2"))
    x1 = gf(W1 @ np.asarray(x0, dtype=float))
    xb2 = W2 @ x1
    n2, n1 = W2.shape
    T = np.zeros((n2, n2, n1))
    for j in range(n2):
        for l_ in range(n1):
            T[j, j, l_] = gp(xb2[j]) * x1[l_]
    return T


# --------------------------------------------------------------------------- Bradbury
def bradbury_f_local_derivatives(x0: float, w0: float, w1: float) -> dict:
    """Bradbury's graph of ``f(x, w) = 1/(w0 x0 + w1)``, local derivatives chained by hand.

    ``y1 = w0 x0``, ``y2 = y1 + w1``, ``f = y3 = 1/y2``; ``∂f/∂y2 = −1/y2²``,
    ``∂f/∂y1 = ∂f/∂y2 · 1``, ``∂f/∂w0 = ∂f/∂y1 · x0``, ``∂f/∂x0 = ∂f/∂y1 · w0``,
    ``∂f/∂w1 = ∂f/∂y2 · 1``. At x0 = 3, w0 = −2, w1 = 4: −0.25, −0.75, 0.5, −0.25.

    >>> d = bradbury_f_local_derivatives(3.0, -2.0, 4.0); (d["y1"], d["y2"], d["df_dx0"])
    (-6.0, -2.0, 0.5)
    """
    y1 = w0 * x0
    y2 = y1 + w1
    f = 1.0 / y2
    df_dy2 = 1.0 * (-1.0 / y2**2)
    df_dy1 = df_dy2 * 1.0
    return {
        "y1": y1,
        "y2": y2,
        "f": f,
        "df_dy2": df_dy2,
        "df_dw0": df_dy1 * x0,
        "df_dx0": df_dy1 * w0,
        "df_dw1": df_dy2 * 1.0,
    }


def bradbury_scalar_backprop(params: dict, x: float, y: float) -> dict:
    """Bradbury's scalar network ``ŷ = σ(w2 σ(w1 x))``, ``E = ½(ŷ − y)²``, by the chain rule.

    ``∂E/∂w1 = (ŷ − y) σ'(a2) w2 σ'(a1) x`` and ``∂E/∂w2 = (ŷ − y) σ'(a2) z1``.

    >>> g = bradbury_scalar_backprop({"w1": 0.0, "w2": 0.0}, 1.0, 0.5); g["w1"], g["w2"]
    (0.0, 0.0)
    """
    w1, w2 = float(params["w1"]), float(params["w2"])
    a1 = w1 * x
    z1 = float(sigmoid(a1))
    a2 = w2 * z1
    yh = float(sigmoid(a2))
    dE_dy = yh - y
    return {
        "w1": dE_dy * float(sigmoid_prime(a2)) * w2 * float(sigmoid_prime(a1)) * x,
        "w2": dE_dy * float(sigmoid_prime(a2)) * z1,
    }


def _bradbury_forward(params: dict, x: Array) -> tuple[list, list]:
    K = len([k for k in params if k.startswith("W")])
    zs, as_ = [np.asarray(x, dtype=float)], [None]
    for k in range(1, K + 1):
        a = np.asarray(params[f"W{k}"], dtype=float) @ zs[-1]  # a^{(k)} = W^{(k)} z^{(k-1)}
        as_.append(a)
        zs.append(sigmoid(a))  # z^{(k)} = σ(a^{(k)})
    return zs, as_


def bradbury_backprop(params: dict, x: Array, y: Array) -> dict:
    """Bradbury's matrix-form quick reference for a K-layer sigmoid net, ``E = ½‖z^{(K)} − y‖²``.

    ``δ^{(K)} = (z^{(K)} − y) ∘ σ'(a^{(K)})``; ``δ^{(k)} = W^{(k+1)ᵀ} δ^{(k+1)} ∘ σ'(a^{(k)})``;
    ``∂E/∂W^{(k)} = δ^{(k)} z^{(k-1)ᵀ}``. Weights ``params["W1"] … params["WK"]``, no biases.

    >>> g = bradbury_backprop({"W1": np.zeros((1, 1))}, np.ones(1), np.array([0.5]))
    >>> g["W1"].tolist()
    [[0.0]]
    """
    zs, as_ = _bradbury_forward(params, x)
    K = len(zs) - 1
    delta = (zs[K] - np.asarray(y, dtype=float)) * sigmoid_prime(as_[K])
    grads = {}
    for k in range(K, 0, -1):
        grads[f"W{k}"] = np.outer(delta, zs[k - 1])
        if k > 1:
            delta = (np.asarray(params[f"W{k}"], dtype=float).T @ delta) * sigmoid_prime(as_[k - 1])
    return {f"W{k}": grads[f"W{k}"] for k in range(1, K + 1)}


def bradbury_delta_K_as_written(params: dict, x: Array, y: Array) -> Array:
    """Bradbury's δ^{(K)} exactly as printed: ``(z_i^{(3)} − y_i) σ'(a_i^{(3)})``.

    The printed formula hard-codes layer 3: it is δ^{(K)} only when K = 3 (for K ≠ 3 it is the
    δ of the wrong layer, or not even the right shape).

    >>> p = {f"W{k}": np.eye(2) for k in (1, 2, 3)}
    >>> np.allclose(bradbury_delta_K_as_written(p, np.ones(2), np.zeros(2)),
    ...             bradbury_delta_K(p, np.ones(2), np.zeros(2)))
    True
    """
    zs, as_ = _bradbury_forward(params, x)
    if len(zs) <= 3:
        raise ValueError(
            f"bradbury_delta_K_as_written: the printed formula needs layer 3, network has "
            f"K = {len(zs) - 1} layers"
        )
    return (zs[3] - np.asarray(y, dtype=float)) * sigmoid_prime(as_[3])


def bradbury_delta_K(params: dict, x: Array, y: Array) -> Array:
    """The corrected δ^{(K)} = (z^{(K)} − y) ∘ σ'(a^{(K)}) for any K.

    >>> bradbury_delta_K({"W1": np.zeros((1, 1))}, np.ones(1), np.zeros(1)).tolist()
    [0.125]
    """
    zs, as_ = _bradbury_forward(params, x)
    return (zs[-1] - np.asarray(y, dtype=float)) * sigmoid_prime(as_[-1])
