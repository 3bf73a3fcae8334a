"""Jiang's automatic-differentiation rules per building block, written by hand (plain numpy).

Jiang ("Machine Learning Fundamentals", ch. 8, "Automatic Differentiation (I)–(VI)") gives, for each
block ``y = f_w(x)`` and an error signal ``e = ∂Q/∂y``, the back-propagated signal
``∂Q/∂x = J_x e`` and the local gradient ``∂Q/∂w = J_w e``. Shapes follow Jiang's index formulas:
a 1-D input with plies is ``x[position, ply]`` of shape (d, p), kernels ``w[i1, ply, kernel]`` of
shape (f, p, k) and the output ``y[j1, kernel]`` of shape (n, k); 2-D: x (d1, d2, p),
w (f1, f2, p, k), y (n1, n2, k). Convolutions here are stride 1, no padding (the case the notes
derive); ``*`` is Jiang's convolution sum ``y_j = Σ_i w_i x_{j+i−1}``.

>>> import numpy as np
>>> softmax_jacobian(np.array([0.5, 0.5])).tolist()
[[0.25, -0.25], [-0.25, 0.25]]
"""

from __future__ import annotations

import numpy as np

from .backprop import activation, relu, softmax, step

Array = np.ndarray


# --------------------------------------------------------------------------- full connection
def full_connection_backward(W: Array, x: Array, e: Array) -> dict:
    """``y = Wx + b``: ``∂Q/∂x = Wᵀ e``, ``∂Q/∂W = e xᵀ``, ``∂Q/∂b = e``.

    >>> g = full_connection_backward(np.eye(2), np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    >>> g["W"].tolist(), g["x"].tolist()
    ([[1.0, 2.0], [0.0, 0.0]], [1.0, 0.0])
    """
    W, x, e = (np.asarray(v, dtype=float) for v in (W, x, e))
    return {"x": W.T @ e, "W": np.outer(e, x), "b": e.copy()}


def activation_backward(x: Array, e: Array, name: str) -> Array:
    """``y = φ(x)``: ``∂Q/∂x = φ'(x) ⊙ e`` (ReLU: ``H(x) ⊙ e``; sigmoid: ``l(x)(1 − l(x)) ⊙ e``).

    >>> activation_backward(np.array([-1.0, 2.0]), np.array([5.0, 5.0]), "relu").tolist()
    [0.0, 5.0]
    """
    return activation(name)[1](np.asarray(x, dtype=float)) * np.asarray(e, dtype=float)


# --------------------------------------------------------------------------- softmax
def softmax_jacobian(y: Array) -> Array:
    """Jiang's softmax Jacobian ``J_x = [∂y_j/∂x_i] = [y_i(δ_ij − y_j)]`` from the output ``y``.

    >>> softmax_jacobian(np.array([0.75, 0.25])).tolist()
    [[0.1875, -0.1875], [-0.1875, 0.1875]]
    """
    y = np.asarray(y, dtype=float)
    return np.diag(y) - np.outer(y, y)


def softmax_backward(x: Array, e: Array) -> Array:
    """``∂Q/∂x = J_x e`` for ``y = softmax(x)``.

    >>> softmax_backward(np.zeros(2), np.array([1.0, 1.0])).tolist()
    [0.0, 0.0]
    """
    return softmax_jacobian(softmax(x)) @ np.asarray(e, dtype=float)


def ce_error_signal(y: Array, r: int) -> Array:
    """``∂Q/∂y`` for ``Q = −ln y_r``: ``[0 … 0, −1/y_r, 0 … 0]ᵀ``.

    >>> ce_error_signal(np.array([0.5, 0.25, 0.25]), 1).tolist()
    [0.0, -4.0, 0.0]
    """
    y = np.asarray(y, dtype=float)
    e = np.zeros_like(y)
    e[r] = -1.0 / y[r]
    return e


# --------------------------------------------------------------------------- convolution
def conv1d(x: Array, w: Array) -> Array:
    """Jiang's convolution sum ``y_j = Σ_{i=1}^f w_i x_{j+i−1}``, n = d − f + 1 (1-D, one ply).

    >>> conv1d(np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0])).tolist()
    [-1.0, -1.0]
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    f, n = w.size, x.size - w.size + 1
    return np.array([sum(w[i] * x[j + i] for i in range(f)) for j in range(n)])


def conv1d_jacobian_x(w: Array, d: int) -> Array:
    """The banded ``J_x = [∂y_j/∂x_i]_{d×n}`` with ``w_1 … w_f`` running down each column.

    >>> conv1d_jacobian_x(np.array([1.0, 2.0]), 3).tolist()
    [[1.0, 0.0], [2.0, 1.0], [0.0, 2.0]]
    """
    w = np.asarray(w, dtype=float)
    n = d - w.size + 1
    J = np.zeros((d, n))
    for j in range(n):
        J[j : j + w.size, j] = w
    return J


def conv1d_backward(x: Array, w: Array, e: Array) -> dict:
    """``∂Q/∂x = e^{(0)} * w⃖`` (zero-padded error, flipped kernel), ``∂Q/∂w = x * e``.

    >>> g = conv1d_backward(np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0]), np.ones(2))
    >>> g["x"].tolist(), g["w"].tolist()
    ([1.0, 0.0, -1.0], [3.0, 5.0])
    """
    x, w, e = (np.asarray(v, dtype=float) for v in (x, w, e))
    f = w.size
    e0 = np.concatenate([np.zeros(f - 1), e, np.zeros(f - 1)])
    return {"x": conv1d(e0, w[::-1]), "w": conv1d(x, e)}


def conv1d_plies(x: Array, w: Array) -> Array:
    """Plies and kernels: ``y_{j1,j2} = Σ_{i2=1}^p Σ_{i1=1}^f w_{i1,i2,j2} x_{j1+i1−1,i2}``.

    >>> conv1d_plies(np.ones((3, 1)), np.ones((2, 1, 1))).tolist()
    [[2.0], [2.0]]
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    f, p, k = w.shape
    n = x.shape[0] - f + 1
    y = np.zeros((n, k))
    for j1 in range(n):
        for j2 in range(k):
            y[j1, j2] = sum(w[i1, i2, j2] * x[j1 + i1, i2] for i2 in range(p) for i1 in range(f))
    return y


def conv1d_plies_backward(x: Array, w: Array, e: Array) -> dict:
    """``∂Q/∂x_i = Σ_j e_j^{(0)} * w⃖_ij``, ``∂Q/∂w_ij = x_i * e_j`` (i: ply, j: kernel).

    >>> g = conv1d_plies_backward(np.ones((3, 1)), np.ones((2, 1, 1)), np.ones((2, 1)))
    >>> g["x"][:, 0].tolist()
    [1.0, 2.0, 1.0]
    """
    x, w, e = (np.asarray(v, dtype=float) for v in (x, w, e))
    f, p, k = w.shape
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    for i in range(p):
        for j in range(k):
            g = conv1d_backward(x[:, i], w[:, i, j], e[:, j])
            dx[:, i] += g["x"]
            dw[:, i, j] = g["w"]
    return {"x": dx, "w": dw}


def conv2d_single(x: Array, w: Array) -> Array:
    """2-D convolution sum, one ply, one kernel: ``y_{j1,j2} = Σ w_{i1,i2} x_{j1+i1−1,j2+i2−1}``.

    >>> conv2d_single(np.ones((3, 3)), np.ones((2, 2))).tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    f1, f2 = w.shape
    n1, n2 = x.shape[0] - f1 + 1, x.shape[1] - f2 + 1
    y = np.zeros((n1, n2))
    for j1 in range(n1):
        for j2 in range(n2):
            y[j1, j2] = np.sum(w * x[j1 : j1 + f1, j2 : j2 + f2])
    return y


def conv2d(x: Array, w: Array) -> Array:
    """``y_{j1,j2,j3} = Σ_{i3} Σ_{i2} Σ_{i1} w_{i1,i2,i3,j3} x_{j1+i1−1, j2+i2−1, i3}``.

    >>> conv2d(np.ones((3, 3, 1)), np.ones((2, 2, 1, 1)))[:, :, 0].tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    f1, f2, p, k = w.shape
    n1, n2 = x.shape[0] - f1 + 1, x.shape[1] - f2 + 1
    y = np.zeros((n1, n2, k))
    for j3 in range(k):
        for i3 in range(p):
            y[:, :, j3] += conv2d_single(x[:, :, i3], w[:, :, i3, j3])
    return y


def conv2d_backward(x: Array, w: Array, e: Array) -> dict:
    """2-D (Jiang, "Convolution (3)"): ``∂Q/∂x_i = Σ_j e_j^{(0)} * w⃖_ij``, ``∂Q/∂w_ij = x_i * e_j``.

    ``e_j^{(0)}`` is the error map of kernel j zero-padded by f − 1 on every side, ``w⃖_ij`` the
    kernel flipped in both directions.

    >>> g = conv2d_backward(np.ones((3, 3, 1)), np.ones((2, 2, 1, 1)), np.ones((2, 2, 1)))
    >>> g["x"][:, :, 0].tolist()
    [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    x, w, e = (np.asarray(v, dtype=float) for v in (x, w, e))
    f1, f2, p, k = w.shape
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    for i in range(p):
        for j in range(k):
            e0 = np.pad(e[:, :, j], ((f1 - 1, f1 - 1), (f2 - 1, f2 - 1)))
            dx[:, :, i] += conv2d_single(e0, w[::-1, ::-1, i, j])
            dw[:, :, i, j] = conv2d_single(x[:, :, i], e[:, :, j])
    return {"x": dx, "w": dw}


# --------------------------------------------------------------------------- max-pooling
def maxpool_backward(x: Array, m: int, e: Array) -> Array:
    """``y = maxpool_{/m}(x)``: ``∂Q/∂x_i = ∂Q/∂y_j`` if i = ĵ (the arg-max of window j), else 0.

    ``x`` is (n,) or (n, k) (windows along the first axis, per column).

    >>> maxpool_backward(np.array([1.0, 3.0, 2.0, 0.0]), 2, np.array([10.0, 20.0])).tolist()
    [0.0, 10.0, 20.0, 0.0]
    """
    x, e = np.asarray(x, dtype=float), np.asarray(e, dtype=float)
    x2 = x.reshape(x.shape[0], -1)
    e2 = e.reshape(e.shape[0], -1)
    dx = np.zeros_like(x2)
    for c in range(x2.shape[1]):
        for j in range(x2.shape[0] // m):
            jhat = j * m + int(np.argmax(x2[j * m : (j + 1) * m, c]))
            dx[jhat, c] = e2[j, c]
    return dx.reshape(x.shape)


def maxpool2d_backward(x: Array, m: int, e: Array) -> Array:
    """The same rule for m × m windows of a (d1, d2, k) feature map.

    >>> x = np.arange(4.0).reshape(2, 2, 1)
    >>> maxpool2d_backward(x, 2, np.ones((1, 1, 1)))[:, :, 0].tolist()
    [[0.0, 0.0], [0.0, 1.0]]
    """
    x, e = np.asarray(x, dtype=float), np.asarray(e, dtype=float)
    dx = np.zeros_like(x)
    for c in range(x.shape[2]):
        for j1 in range(x.shape[0] // m):
            for j2 in range(x.shape[1] // m):
                win = x[j1 * m : (j1 + 1) * m, j2 * m : (j2 + 1) * m, c]
                a, b = np.unravel_index(int(np.argmax(win)), win.shape)
                dx[j1 * m + a, j2 * m + b, c] = e[j1, j2, c]
    return dx


# --------------------------------------------------------------------------- batch normalization
def batchnorm_backward(X: Array, gamma: Array, e: Array, eps: float = 1e-5) -> dict:
    """Jiang's batch-norm backward for a mini-batch ``X`` of M rows (``x^{(m)}``):

    ``∂Q/∂x^{(m)} = [M γ⊙e^{(m)} − Σ_k γ⊙e^{(k)} − γ⊙x̂^{(m)} ⊙ (Σ_k e^{(k)}⊙x̂^{(k)})]
    / (M √(σ_B² + ε))``, ``∂Q/∂γ = Σ_k x̂^{(k)} ⊙ e^{(k)}``, ``∂Q/∂β = Σ_k e^{(k)}``.

    >>> g = batchnorm_backward(np.array([[0.0], [2.0]]), np.ones(1), np.array([[1.0], [1.0]]))
    >>> g["x"].round(12).tolist(), g["beta"].tolist()
    ([[0.0], [0.0]], [2.0])
    """
    X, gamma, e = (np.asarray(v, dtype=float) for v in (X, gamma, e))
    M = X.shape[0]
    mu = X.mean(axis=0)
    var = ((X - mu) ** 2).mean(axis=0)
    xhat = (X - mu) / np.sqrt(var + eps)
    s_e = e.sum(axis=0)
    s_ex = (e * xhat).sum(axis=0)
    dx = np.stack(
        [(M * gamma * e[m] - gamma * s_e - gamma * xhat[m] * s_ex) / (M * np.sqrt(var + eps))
         for m in range(M)]
    )
    return {"x": dx, "gamma": s_ex, "beta": s_e}


# --------------------------------------------------------------------------- the DNN
def dnn_backward(params: dict, x: Array, r: int) -> dict:
    """Backward pass of Jiang's fully-connected DNN (ReLU hidden, softmax output, ``Q = −ln y_r``).

    Forward: ``z_0 = x``; ``a_l = W^{(l)} z_{l−1} + b^{(l)}``, ``z_l = ReLU(a_l)`` (l < L);
    ``y = softmax(a_L)``. Backward: ``e^{(L)} = [y_1, …, y_r − 1, …, y_n]ᵀ``;
    ``e^{(l)} = ((W^{(l+1)})ᵀ e^{(l+1)}) ⊙ H(z_l)``; ``∂Q/∂W^{(l)} = e^{(l)} z_{l−1}ᵀ``,
    ``∂Q/∂b^{(l)} = e^{(l)}``. Parameters ``params["W1"], params["b1"], …, params["WL"], ["bL"]``.

    >>> p = {"W1": np.zeros((2, 2)), "b1": np.zeros(2)}
    >>> dnn_backward(p, np.ones(2), 0)["b1"].tolist()
    [-0.5, 0.5]
    """
    L = len([k for k in params if k.startswith("W")])
    zs = [np.asarray(x, dtype=float)]
    for l_ in range(1, L):
        a = np.asarray(params[f"W{l_}"], float) @ zs[-1] + np.asarray(params[f"b{l_}"], float)
        zs.append(relu(a))
    aL = np.asarray(params[f"W{L}"], float) @ zs[-1] + np.asarray(params[f"b{L}"], float)
    y = softmax(aL)
    e = y.copy()
    e[r] -= 1.0
    grads = {}
    for l_ in range(L, 0, -1):
        grads[f"W{l_}"] = np.outer(e, zs[l_ - 1])
        grads[f"b{l_}"] = e.copy()
        if l_ > 1:
            e = (np.asarray(params[f"W{l_}"], float).T @ e) * step(zs[l_ - 1])
    return {k: grads[k] for k in params}
