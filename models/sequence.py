"""Sequence blocks of Jiang's chapter 8: tapped delay line, attention, multi-head attention, the
transformer block and the simple RNN, written against ``dualnum.numpy``.

Sequences follow the notes: for attention and the transformer a sequence is a matrix
``X = [x_T … x_2 x_1]`` whose *columns* are the time steps (d × T), and the softmax of
``(AX)ᵀ(BX)`` is taken column-wise; for the tapped delay line and the RNN the time steps are
the *rows* of ``X`` (T × d), in time order ``x_1 … x_T``.

>>> import numpy as np
>>> tapped_delay_line(np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 0.5])).ravel().tolist()
[1.0, 2.5, 4.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp

from .activations import relu, softmax
from .layers import layer_norm


def tapped_delay_line(Y: Any, a: Any) -> Any:
    """``ẑ_t = Σ_{i=0}^{L−1} a_i ⊗ y_{t−i}`` (Jiang), with ``y_s = 0`` before the start.

    ``Y`` is (T, n), rows ``y_1 … y_T``; ``a`` is (L,) (one scalar per tap) or (L, n)
    (elementwise weights per tap). Returns (T, n).

    >>> tapped_delay_line(np.array([[1.0, 1.0], [0.0, 2.0]]), np.array([[1.0, 1.0], [2.0, 3.0]]))
    array([[1., 1.],
           [2., 5.]])
    """
    sY, sa = tuple(dnp.shape(Y)), tuple(dnp.shape(a))
    if len(sY) != 2 or len(sa) not in (1, 2) or (len(sa) == 2 and sa[1] != sY[1]):
        raise ValueError(
            f"tapped_delay_line: Y must be (T, n) and a (L,) or (L, n); got {sY}, {sa}"
        )
    T, L = sY[0], sa[0]
    Ypad = dnp.pad(Y, ((L - 1, 0), (0, 0))) if L > 1 else Y
    Z = 0.0
    for i in range(L):
        delayed = Ypad[np.arange(T) + (L - 1) - i]  # rows y_{t−i}
        Z = Z + a[i] * delayed
    return Z


def attention(X: Any, A: Any, B: Any, C: Any) -> Any:
    """Jiang's transformer attention ``Z = (CX) softmax((AX)ᵀ(BX))``, softmax column-wise:
    ``Q = AX``, ``K = BX``, ``V = CX``, ``g(Q, K) = QᵀK`` (T × T). X is d × T, A and B are
    l × d, C is o × d; Z is o × T. (No 1/√l scaling: the notes do not use one.)

    >>> Z = attention(np.eye(2), np.zeros((1, 2)), np.zeros((1, 2)), np.eye(2)); Z.tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    sX = tuple(dnp.shape(X))
    for name, M in (("A", A), ("B", B), ("C", C)):
        sM = tuple(dnp.shape(M))
        if len(sM) != 2 or len(sX) != 2 or sM[1] != sX[0]:
            raise ValueError(f"attention: {name} of shape {sM} cannot multiply X of shape {sX}")
    Q, K, V = dnp.matmul(A, X), dnp.matmul(B, X), dnp.matmul(C, X)
    return dnp.matmul(V, softmax(dnp.matmul(dnp.transpose(Q), K), axis=0))


def multi_head_attention(X: Any, heads: list) -> Any:
    """Jiang's multi-head attention: ``Z^{(j)} = (C^{(j)}X) softmax((A^{(j)}X)ᵀ(B^{(j)}X))``
    for each head ``{"A", "B", "C"}``, then ``Z = concat(Z^{(1)}, …, Z^{(h)})`` along the rows.

    >>> h = {"A": np.zeros((1, 2)), "B": np.zeros((1, 2)), "C": np.eye(2)[:1]}
    >>> multi_head_attention(np.eye(2), [h, h]).shape
    (2, 2)
    """
    if not heads:
        raise ValueError("multi_head_attention: need at least one head")
    for j, h in enumerate(heads):
        if not isinstance(h, dict) or not {"A", "B", "C"} <= set(h):
            got = sorted(h) if isinstance(h, dict) else type(h).__name__
            raise ValueError(f"multi_head_attention: head {j} must be a dict with keys "
                             f"'A', 'B', 'C', got {got}")
    return dnp.concatenate([attention(X, h["A"], h["B"], h["C"]) for h in heads], axis=0)


def feedforward(H: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> Any:
    """Position-wise feed-forward net on the columns of H: ``W2 ReLU(W1 h_t + b1) + b2``.

    (Jiang writes "feedforward" without detail; one ReLU hidden layer is the usual choice.)

    >>> feedforward(np.ones((1, 2)), np.ones((1, 1)), np.zeros(1), np.ones((1, 1)),
    ...             np.zeros(1)).tolist()
    [[1.0, 1.0]]
    """
    hidden = relu(dnp.matmul(W1, H) + dnp.reshape(b1, (dnp.shape(b1)[0], 1)))
    return dnp.matmul(W2, hidden) + dnp.reshape(b2, (dnp.shape(b2)[0], 1))


def transformer_block(X: Any, params: dict, eps: float = 1e-5) -> Any:
    """Jiang's transformer layer ``Y = feedforward(LN_{γ,β}(X + Z))`` with ``Z`` the multi-head
    attention of X (the heads' outputs must stack back to X's d rows).

    ``params``: ``{"heads": [{"A", "B", "C"}, …], "gamma", "beta", "W1", "b1", "W2", "b2"}``.
    Layer normalization is over each column ``x_t + z_t``.

    >>> h = {"A": np.zeros((1, 2)), "B": np.zeros((1, 2)), "C": np.zeros((2, 2))}
    >>> p = {"heads": [h], "gamma": np.ones(2), "beta": np.zeros(2), "W1": np.eye(2),
    ...      "b1": np.zeros(2), "W2": np.eye(2), "b2": np.zeros(2)}
    >>> transformer_block(np.array([[1.0], [-1.0]]), p, eps=0.0).ravel().tolist()
    [1.0, 0.0]
    """
    Z = multi_head_attention(X, params["heads"])
    if tuple(dnp.shape(Z)) != tuple(dnp.shape(X)):
        raise ValueError(
            f"transformer_block: heads produce Z of shape {dnp.shape(Z)}, X is {dnp.shape(X)}; "
            f"the residual X + Z needs equal shapes"
        )
    H = layer_norm(X + Z, params["gamma"], params["beta"], eps=eps, axis=0)
    return feedforward(H, params["W1"], params["b1"], params["W2"], params["b2"])


def rnn(X: Any, params: dict, h0: Any = None) -> Any:
    """Jiang's simple RNN, unrolled over t = 1 … T:
    ``a_t = W1 [x_t; h_{t−1}] + b1``, ``h_t = tanh(a_t)``, ``y_t = W2 h_t + b2``.

    ``X`` is (T, d) (rows ``x_t``), ``params = {"W1": (m, d + m), "b1": (m,), "W2": (o, m),
    "b2": (o,)}``, ``h0`` defaults to zeros. Returns the outputs ``[y_1 … y_T]`` as (T, o).

    >>> p = {"W1": np.zeros((1, 2)), "b1": np.zeros(1), "W2": np.ones((1, 1)), "b2": np.ones(1)}
    >>> rnn(np.ones((3, 1)), p).ravel().tolist()
    [1.0, 1.0, 1.0]
    """
    sX, sW = tuple(dnp.shape(X)), tuple(dnp.shape(params["W1"]))
    m = dnp.shape(params["b1"])[0]
    if len(sX) != 2 or len(sW) != 2 or sW != (m, sX[1] + m):
        raise ValueError(
            f"rnn: W1 must be (m, d + m) = ({m}, {sX[1] if len(sX) == 2 else '?'} + {m}) for "
            f"X of shape {sX}, got {sW}"
        )
    h = np.zeros(m) if h0 is None else h0
    ys = []
    for t in range(sX[0]):
        a = dnp.matmul(params["W1"], dnp.concatenate([X[t], h])) + params["b1"]
        h = dnp.tanh(a)
        ys.append(dnp.matmul(params["W2"], h) + params["b2"])
    return dnp.stack(ys)
