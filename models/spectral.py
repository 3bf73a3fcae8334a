"""A spectral loss: the power spectrum of a model's output fitted to a target spectrum.

Not in the notes; it is the loss a user differentiates through ``dnp.fft.rfft``, derived by
hand in the notes' style (Jiang's ``e = ∂Q/∂y`` pushed back through a full connection). The
model is one dense layer with a tanh, producing a real signal ``y`` of length ``N``:

    y = tanh(W x + b),   Y = rfft(y),   P_k = |Y_k|²  (k = 0 … N//2),   Q = Σ_k (P_k − S_k)².

The hand derivation. With ``r_k = P_k − S_k`` and ``Y_k = Σ_j y_j e^{−2πijk/N}``,
``∂P_k/∂y_j = 2 Re(conj(Y_k) e^{−2πijk/N}) = 2 Re(Y_k e^{2πijk/N})``, so

    e_j = ∂Q/∂y_j = 4 Σ_{k ≤ N/2} r_k Re(Y_k e^{2πijk/N}).

That sum runs over the half spectrum only: it is ``N·irfft`` of ``r ⊙ Y`` *halved at the
inside bins* (irfft counts every bin but DC and Nyquist twice, once for its mirror image), the
Hermitian halving a naive "adjoint of rfft is irfft" gets wrong by a factor 2 there:

    e = 4N · irfft(v ⊙ r ⊙ Y),   v_0 = v_{N/2} = 1 (N even), v_k = ½ otherwise.

Then the full connection: ``δ = e ⊙ (1 − y²)``, ``∂Q/∂W = δ xᵀ``, ``∂Q/∂b = δ``.

>>> import numpy as np, dualnum as dn
>>> p = {"W": np.array([[0.5], [-0.3], [0.8], [0.1]]), "b": np.zeros(4)}
>>> x, S = np.array([1.0]), np.array([0.2, 0.5, 0.1])
>>> g = dn.grad(spectral_loss)(p, x, S)
>>> h = spectral_backprop(p, x, S)
>>> bool(np.allclose(g["W"], h["W"]) and np.allclose(g["b"], h["b"]))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp

__all__ = ["spectral_model", "power_spectrum", "spectral_loss", "spectral_backprop"]


def spectral_model(p: dict, x: Any) -> Any:
    """The signal ``y = tanh(W x + b)`` (``W`` is ``(N, d)``, ``b`` ``(N,)``).

    >>> spectral_model({"W": np.ones((3, 1)), "b": np.zeros(3)}, np.zeros(1))
    array([0., 0., 0.])
    """
    return dnp.tanh(p["W"] @ x + p["b"])


def power_spectrum(y: Any) -> Any:
    """``|rfft(y)|²``, bins ``0 … N//2``, as ``Re² + Im²`` (real, also on sympy values).

    >>> power_spectrum(np.array([1.0, 1.0, 1.0, 1.0]))
    array([16.,  0.,  0.])
    """
    Y = dnp.fft.rfft(y)
    return dnp.real(Y) ** 2 + dnp.imag(Y) ** 2


def spectral_loss(p: dict, x: Any, S: Any) -> Any:
    """``Q = Σ_k (|rfft(y)_k|² − S_k)²`` for the model's output ``y``.

    >>> float(spectral_loss({"W": np.zeros((4, 1)), "b": np.zeros(4)}, np.ones(1), np.ones(3)))
    3.0
    """
    P = power_spectrum(spectral_model(p, x))
    if dnp.shape(P) != np.shape(S):
        raise ValueError(f"spectral_loss: the spectrum has {dnp.shape(P)} bins but the target "
                         f"{np.shape(S)}")
    return dnp.sum((P - S) ** 2)


def spectral_backprop(p: dict, x: Any, S: Any) -> dict:
    """The hand-derived gradient of :func:`spectral_loss` (plain numpy; the module's
    docstring derives it): ``e = 4N·irfft(v ⊙ r ⊙ Y)``, ``δ = e ⊙ (1 − y²)``.

    >>> g = spectral_backprop({"W": np.zeros((4, 2)), "b": np.zeros(4)}, np.ones(2), np.ones(3))
    >>> g["W"].shape, g["b"].shape
    ((4, 2), (4,))
    """
    W, b, x = np.asarray(p["W"], float), np.asarray(p["b"], float), np.asarray(x, float)
    y = np.tanh(W @ x + b)
    N = y.size
    Y = np.fft.rfft(y)
    r = np.abs(Y) ** 2 - np.asarray(S, float)
    v = np.full(N // 2 + 1, 0.5)
    v[0] = 1.0
    if N % 2 == 0:
        v[-1] = 1.0
    e = 4 * N * np.fft.irfft(v * r * Y, n=N)
    delta = e * (1 - y ** 2)
    return {"W": np.outer(delta, x), "b": delta}
