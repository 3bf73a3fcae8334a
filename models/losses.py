"""Losses and weight penalties of the notes, written once against ``dualnum.numpy``.

Predictions come first, targets second: ``loss(prediction, target)``. Targets are constants
(arrays of floats, one-hot rows or integer class labels); predictions may be boxed values.

>>> import numpy as np
>>> float(mse(np.array([1.0, 3.0]), np.array([0.0, 1.0])))
2.5
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp

from .params import is_bias_key, keyed_leaves
from .activations import log_softmax


def _same_shape(name: str, prediction: Any, target: Any) -> None:
    """Predictions and targets must have the same shape: broadcasting would silently change
    the loss (e.g. ``(3,)`` against ``(2, 3)`` sums six squares instead of three)."""
    sp, st = tuple(dnp.shape(prediction)), tuple(dnp.shape(target))
    if sp != st:
        raise ValueError(f"{name}: prediction of shape {sp} and target of shape {st} differ")


def mse(x: Any, y: Any) -> Any:
    """Mean squared error ``(1/n_K)‖x − y‖² = (1/n_K) Σ_i (x_i − y_i)²`` (Rousseau).

    >>> float(mse(np.array([2.0]), np.array([0.0])))
    4.0
    """
    _same_shape("mse", x, y)
    return dnp.mean((x - y) ** 2)


def sum_of_squares(x: Any, y: Any) -> Any:
    """``½‖x − y‖²`` (Lepetit eq. 14, Bradbury ``E = ½ Σ (ŷ_k − y_k)²``, Igel's E).

    >>> float(sum_of_squares(np.array([2.0, 1.0]), np.zeros(2)))
    2.5
    """
    _same_shape("sum_of_squares", x, y)
    return 0.5 * dnp.sum((x - y) ** 2)


def cross_entropy(x: Any, y: Any) -> Any:
    """Cross-entropy on probabilities ``CE(x, y) = −Σ_i y_i log x_i`` (Rousseau; Igel's
    multi-class ``−Σ_n Σ_k [y_n]_k ln [f(x_n)]_k`` when ``x`` and ``y`` hold N rows).

    >>> round(float(cross_entropy(np.array([0.5, 0.5]), np.array([1.0, 0.0]))), 12)
    0.69314718056
    """
    _same_shape("cross_entropy", x, y)
    return -dnp.sum(y * dnp.log(x))


def softmax_cross_entropy(logits: Any, y: Any, axis: int = -1) -> Any:
    """Cross-entropy of ``softmax(logits)`` against ``y`` (one-hot or probabilities), computed
    stably as ``−Σ y ⊙ log_softmax(logits)`` (Lepetit eq. 7, Jiang ``−ln [y]_r``, Igel).

    >>> round(float(softmax_cross_entropy(np.zeros(2), np.array([0.0, 1.0]))), 12)
    0.69314718056
    """
    _same_shape("softmax_cross_entropy", logits, y)
    return -dnp.sum(y * log_softmax(logits, axis=axis))


def binary_cross_entropy(p: Any, y: Any) -> Any:
    """Igel's binary cross-entropy from probabilities:
    ``−Σ_n {y_n ln f(x_n) + (1 − y_n) ln(1 − f(x_n))}``.

    >>> round(float(binary_cross_entropy(np.array([0.5]), np.array([1.0]))), 12)
    0.69314718056
    """
    _same_shape("binary_cross_entropy", p, y)
    return -dnp.sum(y * dnp.log(p) + (1.0 - y) * dnp.log(1.0 - p))


def binary_cross_entropy_with_logits(a: Any, y: Any) -> Any:
    """Igel's binary cross-entropy from the logit ``a`` of a logistic output ``f = σ(a)``, stably:
    ``−y ln σ(a) − (1 − y) ln(1 − σ(a)) = softplus(a) − y a``.

    >>> round(float(binary_cross_entropy_with_logits(np.array([0.0]), np.array([1.0]))), 12)
    0.69314718056
    """
    _same_shape("binary_cross_entropy_with_logits", a, y)
    return dnp.sum(dnp.softplus(a) - y * a)


def nll_gaussian(outputs: Any, targets: Any) -> Any:
    """Lepetit's negative log-likelihood for regression (eq. 4), summed over the set:
    ``L(Θ) = Σ_i ‖e_i − o(x_i; Θ)‖²`` (the constants k_1, k_2 dropped).

    >>> float(nll_gaussian(np.array([[1.0, 1.0], [0.0, 2.0]]), np.zeros((2, 2))))
    6.0
    """
    _same_shape("nll_gaussian", outputs, targets)
    return dnp.sum((targets - outputs) ** 2)


def nll_categorical(outputs: Any, classes: Any) -> Any:
    """Lepetit's negative log-likelihood for classification (eq. 7), summed over the set:
    ``L(Θ) = Σ_i −log softmax(o(x_i; Θ))_{c_i}``. ``outputs`` is (N, C) (or (C,) for one
    sample), ``classes`` integer labels in [0, C) (0-based; Lepetit counts from 1).

    >>> round(float(nll_categorical(np.zeros((2, 2)), np.array([0, 1]))), 12)
    1.38629436112
    """
    C = dnp.shape(outputs)[-1]
    labels = np.atleast_1d(np.asarray(classes, dtype=int))
    if labels.size and (labels.min() < 0 or labels.max() >= C):
        raise ValueError(f"nll_categorical: class labels must lie in [0, {C}), got {labels}")
    one_hot = np.zeros((labels.size, C))
    one_hot[np.arange(labels.size), labels] = 1.0
    if len(dnp.shape(outputs)) == 1:
        one_hot = one_hot[0]
    return -dnp.sum(one_hot * log_softmax(outputs, axis=-1))


def _weights(params: Any) -> list:
    """The leaves of a parameter tree that are weights (keys not starting with ``b``)."""
    return [leaf for key, leaf in keyed_leaves(params) if not is_bias_key(key)]


def l2_penalty(params: Any, lam: float) -> Any:
    """``λ Σ_k ‖w^{(k)}‖²_F`` over the weights (biases excluded): the penalty whose gradient is
    Rousseau's printed ``2λ w``.

    >>> float(l2_penalty({"W1": np.array([3.0, 4.0]), "b1": np.ones(2)}, 0.5))
    12.5
    """
    return lam * sum(dnp.sum(W * W) for W in _weights(params))


def half_l2_penalty(params: Any, lam: float) -> Any:
    """``(λ/2)‖w‖²`` over the weights (Igel ``γ ½‖w‖²``, Jiang ``(λ/2)‖𝕎‖²``), biases excluded.

    >>> float(half_l2_penalty({"W": np.array([3.0, 4.0]), "b": np.ones(2)}, 0.5))
    6.25
    """
    return 0.5 * lam * sum(dnp.sum(W * W) for W in _weights(params))


def frobenius_penalty(params: Any, lam: float) -> Any:
    """Rousseau's penalty exactly as written: ``λ Σ_k ‖w^{(k)}‖_F`` (not squared), biases
    excluded. Its gradient is ``λ w/‖w‖_F``, not the printed ``2λ w``.

    >>> float(frobenius_penalty({"W1": np.array([3.0, 4.0]), "b1": np.ones(2)}, 0.5))
    2.5
    """
    return lam * sum(dnp.sqrt(dnp.sum(W * W)) for W in _weights(params))
