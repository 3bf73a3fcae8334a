"""Dense layers, normalizations, dropout and weight normalization (``dualnum.numpy``).

Convolution and max-pooling are in ``models/conv.py``; the tapped delay line, attention, the
transformer block and the RNN in ``models/sequence.py``.

>>> import numpy as np
>>> dense(np.ones(2), np.eye(2), np.zeros(2)).tolist()
[1.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp


def _check_matmul(name: str, x: Any, W: Any, b: Any, axis_x: int, axis_w: int) -> None:
    sx, sw, sb = tuple(dnp.shape(x)), tuple(dnp.shape(W)), tuple(dnp.shape(b))
    if len(sw) != 2 or len(sx) == 0 or sx[axis_x] != sw[axis_w]:
        raise ValueError(f"{name}: input of shape {sx} does not fit weight matrix of shape {sw}")
    if sb != (sw[1 - axis_w],):
        raise ValueError(f"{name}: bias of shape {sb} does not fit weight matrix of shape {sw}; "
                         f"expected ({sw[1 - axis_w]},)")


def dense(x: Any, W: Any, b: Any) -> Any:
    """Full connection ``y = W x + b`` (Lepetit ``h = g(Wx + b)``; Jiang, W ∈ ℝ^{n×d}).

    ``x`` is one sample (d,) or a batch (N, d) of row samples (then ``y = x Wᵀ + b``).

    >>> dense(np.array([1.0, 2.0]), np.array([[1.0, 1.0]]), np.array([0.5])).tolist()
    [3.5]
    """
    _check_matmul("dense (Wx + b)", x, W, b, -1, 1)
    return dnp.matmul(x, dnp.transpose(W)) + b


def dense_t(x: Any, W: Any, b: Any) -> Any:
    """Rousseau's convention ``x^{(k)} = wᵀ x^{(k−1)} + b``, w of size n_{k−1} × n_k (its columns
    are the neurons' weight vectors). ``x`` is (n_{k−1},) or a batch (N, n_{k−1}).

    >>> dense_t(np.array([1.0, 2.0]), np.array([[1.0], [1.0]]), np.array([0.5])).tolist()
    [3.5]
    """
    _check_matmul("dense_t (Wᵀx + b)", x, W, b, -1, 0)
    return dnp.matmul(x, W) + b


def batch_norm(X: Any, gamma: Any, beta: Any, eps: float = 1e-5) -> Any:
    """Batch normalization with the mini-batch statistics (training mode), rows = samples:
    ``x̂_i = (x_i − μ_B(i)) / √(σ²_B(i) + ε)``, ``y_i = γ_i x̂_i + β_i`` (Jiang; Lepetit eq. 78;
    Rousseau, Ioffe & Szegedy). σ²_B is the biased (1/M) variance.

    >>> y = batch_norm(np.array([[0.0], [2.0]]), np.ones(1), np.zeros(1), eps=0.0)
    >>> y.ravel().tolist()
    [-1.0, 1.0]
    """
    if len(dnp.shape(X)) != 2:
        raise ValueError(f"batch_norm: expected a (batch, features) array, got {dnp.shape(X)}")
    M = dnp.shape(X)[0]
    mu = dnp.sum(X, axis=0) / M
    xc = X - mu
    var = dnp.sum(xc * xc, axis=0) / M
    return gamma * (xc / dnp.sqrt(var + eps)) + beta


def batch_norm_rousseau_as_written(Z: Any, gamma: Any, beta: Any) -> Any:
    """Rousseau's batch-norm slide exactly as printed: ``σ_i = (1/|B|) Σ (z_i − μ_i)²`` and
    ``z̃_i = (z_i − μ_i)/σ_i``, then ``γ_i z̃_i + β_i``.

    The printed ``σ_i`` is a variance, so this divides by the variance instead of the standard
    deviation (and has no ε): the result has standard deviation ``1/std`` per column, not 1.
    :func:`batch_norm` is the intended formula (Ioffe & Szegedy, Lepetit eq. 78, Jiang).

    >>> batch_norm_rousseau_as_written(np.array([[0.0], [4.0]]), np.ones(1), np.zeros(1)).ravel()
    array([-0.5,  0.5])
    """
    M = dnp.shape(Z)[0]
    zc = Z - dnp.sum(Z, axis=0) / M
    return gamma * (zc / (dnp.sum(zc * zc, axis=0) / M)) + beta


def layer_norm(x: Any, gamma: Any, beta: Any, eps: float = 1e-5, axis: int = -1) -> Any:
    """Layer normalization ``LN_{γ,β}``: like batch norm, but the statistics are taken over all
    dimensions of each input vector (Jiang). ``axis`` is the feature axis (0 for the columns
    ``x_t`` of a d × T transformer input). ``gamma``/``beta`` broadcast along ``axis``.

    >>> layer_norm(np.array([0.0, 2.0]), np.ones(2), np.zeros(2), eps=0.0).tolist()
    [-1.0, 1.0]
    """
    n = dnp.shape(x)[axis]
    mu = dnp.sum(x, axis=axis, keepdims=True) / n      # keepdims: no reshape on the tape
    xc = x - mu
    var = dnp.sum(xc * xc, axis=axis, keepdims=True) / n
    xhat = xc / dnp.sqrt(var + eps)
    if axis not in (-1, len(dnp.shape(x)) - 1):
        shape = [1] * len(dnp.shape(x))
        shape[axis] = n
        gamma, beta = dnp.reshape(gamma, shape), dnp.reshape(beta, shape)
    return gamma * xhat + beta


def dropout(x: Any, mask: Any) -> Any:
    """Dropout at training time with an explicit 0/1 ``mask``: ``x ⊙ h`` (Rousseau
    ``σ(W(x ⊙ h) + b)``; Lepetit's binary masks μ). Draw masks with :func:`dropout_mask`.

    >>> dropout(np.array([1.0, 2.0]), np.array([0.0, 1.0])).tolist()
    [0.0, 2.0]
    """
    if tuple(np.shape(mask)) != tuple(dnp.shape(x)):
        raise ValueError(f"dropout: mask shape {np.shape(mask)} != input shape {dnp.shape(x)}")
    return x * mask


def dropout_test(x: Any, keep_prob: float) -> Any:
    """Test-time dropout: no mask, the activations rescaled by the keep probability (Rousseau
    "Rescaling needed at test-time"), so their expectation matches training.

    >>> dropout_test(np.array([2.0]), 0.5).tolist()
    [1.0]
    """
    if not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"dropout_test: keep_prob must be in (0, 1], got {keep_prob}")
    return x * keep_prob


def dropout_mask(shape: tuple, drop_prob: float, seed: int = 0) -> np.ndarray:
    """A seeded 0/1 mask: each unit removed with probability ``drop_prob`` (Lepetit's p).

    >>> dropout_mask((4,), 0.5, seed=0).tolist()
    [1.0, 0.0, 0.0, 0.0]
    """
    if not 0.0 <= drop_prob < 1.0:
        raise ValueError(f"dropout_mask: drop_prob must be in [0, 1), got {drop_prob}")
    rng = np.random.default_rng(seed)
    return (rng.random(shape) >= drop_prob).astype(float)


def weight_norm(v: Any, gamma: Any, axis: int = -1) -> Any:
    """Jiang's normalizing reparameterization ``w = (γ/‖v‖) v``. For a matrix, every slice
    along ``axis`` (default: each row, one neuron's weight vector) is normalized, with one
    ``γ`` per row.

    >>> weight_norm(np.array([3.0, 4.0]), 10.0).tolist()
    [6.0, 8.0]
    """
    expected = tuple(np.delete(np.array(dnp.shape(v), dtype=int), axis))
    if tuple(dnp.shape(gamma)) not in (expected, ()):
        raise ValueError(f"weight_norm: gamma of shape {tuple(dnp.shape(gamma))} does not fit v "
                         f"of shape {tuple(dnp.shape(v))} normalized along axis {axis}; "
                         f"expected {expected} or a scalar")
    norm = dnp.sqrt(dnp.sum(v * v, axis=axis))
    scale = gamma / norm
    if len(dnp.shape(v)) > 1:
        scale = dnp.expand_dims(scale, axis)
    return scale * v
