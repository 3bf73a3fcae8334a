"""Activation functions of the notes, written once against ``dualnum.numpy``.

Each runs unchanged on floats / ndarrays, ``Dual`` numbers, tape variables and sympy symbols.

>>> import numpy as np
>>> float(sigmoid(0.0)), float(softsign(1.0))
(0.5, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import dualnum.numpy as dnp

_SQRT2 = math.sqrt(2.0)


def sigmoid(x: Any) -> Any:
    """Logistic ``σ(x) = 1/(1 + e^{−x})`` (Rousseau; Igel "Fermi / logistic"; Jiang).

    σ' = σ(1 − σ); it saturates at 0 and 1 ("killing gradients").

    >>> float(sigmoid(0.0))
    0.5
    """
    return dnp.sigmoid(x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent ``(e^x − e^{−x})/(e^x + e^{−x})`` = ``2σ(2x) − 1`` (Rousseau).

    >>> float(tanh(0.0))
    0.0
    """
    return dnp.tanh(x)


def relu(x: Any) -> Any:
    """``ReLU(x) = max(x, 0)`` (Rousseau, Jiang, Igel); ReLU'(0) = 0 by the PyTorch convention.

    >>> float(relu(-2.0)), float(relu(3.0))
    (0.0, 3.0)
    """
    return dnp.relu(x)


def gelu(x: Any) -> Any:
    """``GELU(x) = x Φ(x)``, Φ the standard normal CDF, exact: ``Φ(x) = ½(1 + erf(x/√2))``
    (Rousseau, after Hendrycks & Gimpel).

    >>> round(float(gelu(1.0)), 6)
    0.841345
    """
    return x * (0.5 * (1.0 + dnp.erf(x / _SQRT2)))


def step(x: Any) -> Any:
    """Step / threshold ``h(a) = 𝕀{a > 0}`` (Igel; Jiang's H), derivative 0 everywhere.

    >>> float(step(-1.0)), float(step(2.0))
    (0.0, 1.0)
    """
    return dnp.heaviside(x)


def softsign(x: Any) -> Any:
    """Igel's "alternative sigmoid" ``h(a) = a/(1 + |a|)``.

    >>> float(softsign(-3.0))
    -0.75
    """
    return x / (1.0 + dnp.abs(x))


def identity(x: Any) -> Any:
    """Linear output ``σ(a) = a`` (Igel: "usually linear output neurons" for regression).

    >>> identity(2.5)
    2.5
    """
    return x


def softmax(x: Any, axis: int = -1) -> Any:
    """``softmax(x)_i = e^{x_i} / Σ_j e^{x_j}`` along ``axis`` (Rousseau, Lepetit eq. 5, Jiang,
    Igel). Its Jacobian is ``y_i(δ_ij − y_j)``.

    >>> import numpy as np
    >>> softmax(np.zeros(4)).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    return dnp.softmax(x, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """``log softmax(x)_i = x_i − log Σ_j e^{x_j}``: the log of Lepetit's eq. (5), the stable
    form behind his negative log-likelihood (eq. 7) and Jiang's ``−ln [y]_r``.

    >>> import numpy as np
    >>> round(float(log_softmax(np.zeros(2))[0]), 12)
    -0.69314718056
    """
    return dnp.log_softmax(x, axis=axis)


#: elementwise activations by name (the names ``models.backprop.ACTIVATIONS`` uses too)
ACTIVATIONS: dict[str, Callable[[Any], Any]] = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "gelu": gelu,
    "step": step,
    "softsign": softsign,
    "identity": identity,
}


def get_activation(name: str | Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Resolve an activation given by name (or pass a callable through).

    >>> get_activation("tanh") is tanh
    True
    """
    if callable(name):
        return name
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)} or a callable"
        ) from None
