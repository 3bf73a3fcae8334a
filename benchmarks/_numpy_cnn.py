"""The small CNN by hand in plain numpy: im2col forward pass and its backprop.

The network of ``models.networks.small_cnn_loss`` on a batch, channels last:
``conv2d (3×3, 8 kernels) → + c → ReLU → 2×2 max-pool → flatten → dense → softmax CE``,
summed over the batch (``nll_categorical``). This is what a careful numpy programmer writes
for it, and what ``cnn.py`` measures ``dn.grad`` against; it shares nothing with dualnum.
Layout: ``X`` (B, d, d, p), ``K`` (f, f, p, k), ``c`` (k,), ``W`` (classes, features) (Jiang's
``y = W x + b``), ``b`` (classes,), integer labels ``r`` (B,).

* convolution as im2col: ``sliding_window_view`` gives the patches (B, n, n, p, f, f), one
  copy makes them a (B·n·n, p·f·f) matrix, one matrix product applies all kernels; the kernel
  gradient is ``patchesᵀ · δ`` (the input is data: no gradient flows back to it);
* 2×2 max-pool as three ``np.maximum`` of four strided slices (numpy's reductions over a
  length-2 axis are several times slower); its backward sends each window's error to the
  window's maxima, split evenly between tied maxima (the convention of ``dnp.max``; behind a
  ReLU, ties are windows of zeros, whose error the ReLU stops anyway);
* softmax + cross-entropy: ``δ = softmax(logits) − onehot(r)``.

>>> import numpy as np
>>> p = init_cnn(d=6, k=2, classes=3)
>>> X, r = cnn_data(2, d=6, classes=3)
>>> loss, g = cnn_backprop(p, X, r)
>>> round(loss, 9) == round(cnn_loss(p, X, r), 9), sorted(g)
(True, ['K', 'W', 'b', 'c'])
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def init_cnn(d: int = 28, f: int = 3, p: int = 1, k: int = 8, classes: int = 10,
             seed: int = 0) -> dict:
    """He-initialised kernels, small biases, a Xavier dense layer (pool 2, no padding)."""
    rng = np.random.default_rng(seed)
    n = (d - f + 1) // 2
    feats = n * n * k
    lim = np.sqrt(6.0 / (feats + classes))
    return {"K": rng.normal(0.0, np.sqrt(2.0 / (f * f * p)), (f, f, p, k)),
            "c": rng.normal(0.0, 0.1, k), "W": rng.uniform(-lim, lim, (classes, feats)),
            "b": rng.normal(0.0, 0.1, classes)}


def cnn_data(batch: int, d: int = 28, p: int = 1, classes: int = 10, seed: int = 1
             ) -> tuple[np.ndarray, np.ndarray]:
    """Random images ``X`` (batch, d, d, p) and integer labels ``r`` (batch,)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(batch, d, d, p)), rng.integers(0, classes, batch)


def _forward(params: dict, X: np.ndarray):
    K, c, W, b = params["K"], params["c"], params["W"], params["b"]
    f1, f2, p, k = K.shape
    B = X.shape[0]
    n1, n2 = X.shape[1] - f1 + 1, X.shape[2] - f2 + 1
    cols = sliding_window_view(X, (f1, f2), axis=(1, 2)).reshape(B * n1 * n2, p * f1 * f2)
    Kmat = K.transpose(2, 0, 1, 3).reshape(p * f1 * f2, k)      # rows ordered like cols
    z = (cols @ Kmat + c).reshape(B, n1, n2, k)
    a = np.maximum(z, 0.0)
    m1, m2 = n1 // 2, n2 // 2
    win = a[:, :2 * m1, :2 * m2].reshape(B, m1, 2, m2, 2, k)
    pooled = np.maximum(win[:, :, 0, :, 0], win[:, :, 0, :, 1])
    np.maximum(pooled, win[:, :, 1, :, 0], out=pooled)
    np.maximum(pooled, win[:, :, 1, :, 1], out=pooled)
    flat = pooled.reshape(B, -1)
    logits = flat @ W.T + b
    s = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(s)
    tot = e.sum(axis=1, keepdims=True)
    logp = s - np.log(tot)
    return cols, z, win, pooled, flat, logp, e / tot


def cnn_loss(params: dict, X: np.ndarray, r: np.ndarray) -> float:
    """The forward pass only: the summed cross-entropy."""
    logp = _forward(params, X)[5]
    return float(-logp[np.arange(len(r)), r].sum())


def cnn_backprop(params: dict, X: np.ndarray, r: np.ndarray) -> tuple[float, dict]:
    """``(loss, {"K", "c", "W", "b"})`` by backprop through the stored forward pass."""
    cols, z, win, pooled, flat, logp, prob = _forward(params, X)
    B, rows = X.shape[0], np.arange(len(r))
    loss = float(-logp[rows, r].sum())
    delta = prob
    delta[rows, r] -= 1.0                                  # softmax + CE: y − onehot(r)
    gW = delta.T @ flat
    gb = delta.sum(axis=0)
    gpool = (delta @ params["W"]).reshape(pooled.shape)    # (B, m1, m2, k)
    mask = win == pooled[:, :, None, :, None, :]
    if np.count_nonzero(mask) != pooled.size or np.isnan(pooled).any():
        cnt = np.add(mask[:, :, 0, :, 0], mask[:, :, 0, :, 1], dtype=np.uint8)
        cnt += mask[:, :, 1, :, 0]
        cnt += mask[:, :, 1, :, 1]
        gpool = gpool / cnt                                # tied maxima share the error
    m1, m2, k = pooled.shape[1:]
    gwin = (gpool[:, :, None, :, None, :] * mask).reshape(B, 2 * m1, 2 * m2, k)
    if gwin.shape == z.shape:
        ga = gwin
    else:                                                  # a ragged last row/column: 0
        ga = np.zeros(z.shape)
        ga[:, :2 * m1, :2 * m2] = gwin
    gz = ga * (z > 0.0)                                    # relu'(0) = 0
    f1, f2, p, k = params["K"].shape
    gKmat = cols.T @ gz.reshape(-1, k)
    gK = gKmat.reshape(p, f1, f2, k).transpose(1, 2, 0, 3)
    return loss, {"K": gK, "c": gz.sum(axis=(0, 1, 2)), "W": gW, "b": gb}
