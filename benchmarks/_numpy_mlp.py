"""The MLP by hand in plain numpy: the forward pass and the notes' delta recursion.

This is the practical limit a reverse-mode tool is measured against (``reverse.py``) and the
plain numpy evaluation forward mode is measured against (``forward.py``). It shares nothing
with dualnum. Layout: ``params = [(W1, b1), ...]``, ``W`` of shape (fan_in, fan_out), rows of
``X`` are examples; the loss is the mean softmax cross-entropy against one-hot ``Y``.

Backprop (Lepetit eqs. 44-47, Bradbury's matrix form, batched, rows = examples)::

    delta_L = (softmax(a_L) - Y) / B                   # softmax + CE: z - y
    dL/dW_k = z_{k-1}^T delta_k,   dL/db_k = sum_rows delta_k
    delta_{k-1} = (delta_k W_k^T) * g'(a_{k-1})

>>> import numpy as np
>>> p = [(np.eye(2), np.zeros(2))]
>>> round(numpy_loss(p, np.zeros((1, 2)), np.array([[1.0, 0.0]]), "tanh"), 6)   # ln 2
0.693147
"""
from __future__ import annotations

import numpy as np

_ACT = {
    "tanh": np.tanh,
    "relu": lambda a: np.maximum(a, 0.0),
}


def _act_prime(act: str, a: np.ndarray, z: np.ndarray) -> np.ndarray:
    """g'(a) from the pre-activation ``a`` and the stored activation ``z = g(a)``."""
    if act == "tanh":
        return 1.0 - z * z
    if act == "relu":
        return (a > 0.0).astype(a.dtype)       # relu'(0) = 0, the PyTorch convention
    raise ValueError(f"unknown activation {act!r}")


def _log_softmax(a: np.ndarray) -> np.ndarray:
    s = a - a.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def numpy_loss(params: list, X: np.ndarray, Y: np.ndarray, act: str) -> float:
    """The forward pass only: mean softmax cross-entropy."""
    g = _ACT[act]
    z = X
    for W, b in params[:-1]:
        z = g(z @ W + b)
    W, b = params[-1]
    return float(-(Y * _log_softmax(z @ W + b)).sum() / X.shape[0])


def numpy_backprop(params: list, X: np.ndarray, Y: np.ndarray, act: str
                   ) -> tuple[float, list]:
    """``(loss, [(dW1, db1), ...])`` by the delta recursion, storing the forward pass once."""
    g = _ACT[act]
    zs, pre = [X], []
    for W, b in params[:-1]:
        a = zs[-1] @ W + b
        pre.append(a)
        zs.append(g(a))
    W, b = params[-1]
    logp = _log_softmax(zs[-1] @ W + b)
    B = X.shape[0]
    loss = float(-(Y * logp).sum() / B)
    delta = (np.exp(logp) - Y) / B
    grads = [None] * len(params)
    for k in range(len(params) - 1, -1, -1):
        W, _ = params[k]
        grads[k] = (zs[k].T @ delta, delta.sum(axis=0))
        if k:
            delta = (delta @ W.T) * _act_prime(act, pre[k - 1], zs[k])
    return loss, grads
