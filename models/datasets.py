"""Small generated data sets from the notes: XOR, a two-class Gaussian mixture, a linear model.

Everything is generated from a fixed seed (numpy's ``default_rng``); nothing is downloaded.

>>> X, y = xor(); y.tolist()
[0.0, 1.0, 1.0, 0.0]
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def xor() -> tuple[Array, Array]:
    """The XOR truth table (Igel, "XOR"): inputs (4, 2), targets (4,) as floats 0/1.

    >>> X, y = xor(); X.tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    return X, y


def gaussian_mixture(
    n: int = 200, seed: int = 0, centers_per_class: int = 3, spread: float = 0.35
) -> tuple[Array, Array]:
    """Rousseau's toy data set: 200 samples, 2 classes, each class a Gaussian mixture.

    Each class is a mixture of ``centers_per_class`` isotropic Gaussians (std ``spread``) whose
    centres are drawn once from N((1, 0), I) for class 0 and N((0, 1), I) for class 1 (the
    construction behind the classic "mixture" example with a curved Bayes boundary). Returns
    ``X`` (n, 2) and integer labels ``y`` (n,), n/2 per class, in a seeded random order.

    >>> X, y = gaussian_mixture(); X.shape, int(y.sum())
    ((200, 2), 100)
    """
    if n < 2 or n % 2:
        raise ValueError(f"gaussian_mixture: n must be an even number >= 2, got {n}")
    rng = np.random.default_rng(seed)
    means = [
        rng.normal(loc=c, scale=1.0, size=(centers_per_class, 2))
        for c in (np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    ]
    X, y = [], []
    for label in (0, 1):
        which = rng.integers(0, centers_per_class, size=n // 2)
        X.append(means[label][which] + spread * rng.normal(size=(n // 2, 2)))
        y.append(np.full(n // 2, label))
    X, y = np.concatenate(X), np.concatenate(y)
    order = rng.permutation(n)
    return X[order], y[order].astype(int)


def linear_model(
    n: int = 100,
    w0: Array | None = None,
    Sigma: Array | None = None,
    sigma: float = 0.5,
    seed: int = 0,
) -> tuple[Array, Array]:
    """Rousseau's illustration ``Y = <w0, X> + ε``, ``X ~ N(0, Σ)``, ``ε ~ N(0, σ²)``.

    Defaults: ``w0 = (1, -2)``, ``Σ = [[1, 0.5], [0.5, 2]]``. Returns ``X`` (n, p) and ``Y`` (n,).
    The expected risk is ``E(Y − <w, X>)² = (w − w0)ᵀ Σ (w − w0) + σ²``: the notes print it
    without the constant ``σ²`` (which does not move the minimiser); see :func:`linear_risk`.

    >>> X, Y = linear_model(n=5); X.shape, Y.shape
    ((5, 2), (5,))
    """
    w0 = np.array([1.0, -2.0]) if w0 is None else np.asarray(w0, dtype=float)
    Sigma = np.array([[1.0, 0.5], [0.5, 2.0]]) if Sigma is None else np.asarray(Sigma, float)
    rng = np.random.default_rng(seed)
    X = rng.multivariate_normal(np.zeros(w0.size), Sigma, size=n)
    Y = X @ w0 + sigma * rng.normal(size=n)
    return X, Y


def linear_risk(w: Array, w0: Array, Sigma: Array, sigma: float = 0.0) -> float:
    """The expected risk of the linear model: ``(w − w0)ᵀ Σ (w − w0) + σ²``.

    With ``sigma = 0`` this is the quadratic exactly as Rousseau prints it.

    >>> linear_risk(np.array([1.0, 0.0]), np.zeros(2), np.eye(2))
    1.0
    """
    dw = np.asarray(w, dtype=float) - np.asarray(w0, dtype=float)
    return float(dw @ np.asarray(Sigma, dtype=float) @ dw + sigma**2)


def one_hot(labels: Array, n_classes: int) -> Array:
    """One-hot (1-out-of-K) encoding of integer labels (Igel, "Multi-class classification").

    >>> one_hot(np.array([2, 0]), 4).tolist()
    [[0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    """
    labels = np.asarray(labels, dtype=int)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"one_hot: labels must lie in [0, {n_classes}), got {labels.tolist()}")
    out = np.zeros((labels.size, n_classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


def train_val_split(
    X: Array, y: Array, val_fraction: float = 0.25, seed: int = 0
) -> tuple[Array, Array, Array, Array]:
    """Split a sample into training and validation parts (Igel, "Early stopping").

    >>> Xt, yt, Xv, yv = train_val_split(np.arange(8.0)[:, None], np.arange(8), 0.25)
    >>> len(yt), len(yv)
    (6, 2)
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"train_val_split: val_fraction must be in (0, 1), got {val_fraction}")
    n = len(y)
    order = np.random.default_rng(seed).permutation(n)
    n_val = max(1, int(round(val_fraction * n)))
    val, tr = order[:n_val], order[n_val:]
    return X[tr], y[tr], X[val], y[val]
