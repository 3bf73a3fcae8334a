"""Local derivatives the notes state for activations and losses (plain numpy).

The building blocks of the hand-derived backprop in ``models/backprop.py`` (which re-exports
every name here): each activation with its derivative as the notes give it, and ``∂ℓ/∂output``
for each loss.

>>> import numpy as np
>>> float(sigmoid_prime(0.0)), mse_grad(np.array([1.0]), np.array([0.0])).tolist()
(0.25, [2.0])
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Array = np.ndarray

# --------------------------------------------------------------------------- activations
# Each activation with its derivative, as the notes state it (Rousseau p. "Activation functions",
# Jiang "Automatic Differentiation (III)", Igel "Activation functions").

_erf = np.vectorize(math.erf, otypes=[float])


def sigmoid(x: Array) -> Array:
    """Logistic function σ(x) = 1/(1+e^{-x}) (Rousseau, Igel "Fermi / logistic").

    >>> float(sigmoid(0.0))
    0.5
    """
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1/(1+e^{-x}), without overflow for large |x|


def sigmoid_prime(x: Array) -> Array:
    """σ'(x) = σ(x)(1 − σ(x)) (Rousseau; Jiang writes l(x) ⊙ (1 − l(x))).

    >>> float(sigmoid_prime(0.0))
    0.25
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh_prime(x: Array) -> Array:
    """tanh'(x) = 1 − tanh²(x) (Rousseau).

    >>> float(tanh_prime(0.0))
    1.0
    """
    t = np.tanh(x)
    return 1.0 - t * t


def relu(x: Array) -> Array:
    """ReLU(x) = max(x, 0) (Rousseau, Jiang, Igel).

    >>> relu(np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def step(x: Array) -> Array:
    """Step / Heaviside H(x) = 𝕀{x > 0} (Igel; Jiang's H, with H(0) = 0).

    >>> step(np.array([-1.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 1.0]
    """
    return (np.asarray(x, dtype=float) > 0).astype(float)


def gelu(x: Array) -> Array:
    """GELU(x) = x Φ(x), Φ the standard normal CDF (Rousseau, after Hendrycks & Gimpel).

    >>> round(float(gelu(1.0)), 6)
    0.841345
    """
    x = np.asarray(x, dtype=float)
    return x * 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def gelu_prime(x: Array) -> Array:
    """GELU'(x) = Φ(x) + x φ(x).

    >>> float(gelu_prime(0.0))
    0.5
    """
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x * x) / math.sqrt(
        2.0 * math.pi
    )


def softsign(x: Array) -> Array:
    """Igel's alternative sigmoid a/(1 + |a|).

    >>> float(softsign(1.0))
    0.5
    """
    x = np.asarray(x, dtype=float)
    return x / (1.0 + np.abs(x))


def softsign_prime(x: Array) -> Array:
    """d/da [a/(1+|a|)] = 1/(1+|a|)².

    >>> float(softsign_prime(1.0))
    0.25
    """
    return 1.0 / (1.0 + np.abs(np.asarray(x, dtype=float))) ** 2


# name -> (function, derivative). relu' is Jiang's H(x) (0 at 0, the PyTorch convention too).
ACTIVATIONS: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array]]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (np.tanh, tanh_prime),
    "relu": (relu, step),
    "identity": (lambda x: np.asarray(x, dtype=float), lambda x: np.ones_like(x, dtype=float)),
    "gelu": (gelu, gelu_prime),
    "softsign": (softsign, softsign_prime),
    "step": (step, lambda x: np.zeros_like(x, dtype=float)),
}


def activation(name: str) -> tuple[Callable[[Array], Array], Callable[[Array], Array]]:
    """Return ``(h, h')`` for an activation name; unknown names raise a clear ValueError.

    >>> h, dh = activation("tanh"); float(dh(0.0))
    1.0
    """
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}"
        ) from None


def softmax(x: Array) -> Array:
    """softmax(x)_i = e^{x_i} / Σ_j e^{x_j}, shifted by max x (softmax(x + c1) = softmax(x)).

    >>> softmax(np.zeros(2)).tolist()
    [0.5, 0.5]
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)



# --------------------------------------------------------------------------- loss gradients
# ∂ℓ/∂(output) as the notes state them, for the catalogue's loss entries.
def mse_grad(x: Array, y: Array) -> Array:
    """Rousseau: ``∂ℓ/∂x_i = 2(x_i − y_i)`` for ``(x_i − y_i)²``, divided by n_K for the mean.

    >>> mse_grad(np.array([1.0, 3.0]), np.zeros(2)).tolist()
    [1.0, 3.0]
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return 2.0 * (x - y) / x.size


def cross_entropy_grad(x: Array, y: Array) -> Array:
    """Rousseau: ``∂ℓ/∂x_i = −y_i / x_i`` for ``ℓ = −Σ y_i log x_i``.

    >>> cross_entropy_grad(np.array([0.5, 0.5]), np.array([1.0, 0.0])).tolist()
    [-2.0, -0.0]
    """
    return -np.asarray(y, dtype=float) / np.asarray(x, dtype=float)


def sum_of_squares_grad(x: Array, y: Array) -> Array:
    """Lepetit eq. (47)/Igel: ``∂(½‖x − e‖²)/∂x = x − e`` (= δ3 for a linear output).

    >>> sum_of_squares_grad(np.array([2.0]), np.array([0.5])).tolist()
    [1.5]
    """
    return np.asarray(x, dtype=float) - np.asarray(y, dtype=float)


def softmax_cross_entropy_grad(a: Array, y: Array) -> Array:
    """Jiang's ``e^{(L)} = y − onehot(r)`` / Igel's ``δ = z − y`` for soft-max + cross-entropy.

    >>> softmax_cross_entropy_grad(np.zeros(2), np.array([0.0, 1.0])).tolist()
    [0.5, -0.5]
    """
    return softmax(a) - np.asarray(y, dtype=float)


def bce_logits_grad(a: Array, y: Array) -> Array:
    """Igel's ``δ = z − y`` for one logistic output with binary cross-entropy (z = σ(a)).

    >>> bce_logits_grad(np.array([0.0]), np.array([1.0])).tolist()
    [-0.5]
    """
    return sigmoid(a) - np.asarray(y, dtype=float)


def bce_grad(p: Array, y: Array) -> Array:
    """``∂/∂f [−y ln f − (1 − y) ln(1 − f)] = −y/f + (1 − y)/(1 − f)``.

    >>> bce_grad(np.array([0.5]), np.array([1.0])).tolist()
    [-2.0]
    """
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return -y / p + (1.0 - y) / (1.0 - p)
