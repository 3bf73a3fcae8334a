"""Two losses that need linear algebra, written once against ``dualnum.numpy``, with their
gradients derived by hand (plain numpy, matrix calculus in the notes' style): the
catalogue's ``loss.normal_equations`` and ``loss.gaussian_nll_learned_cov``.

**Least squares by the normal equations.** Ridge regression fitted in closed form,
``w = (XᵀX + λI)⁻¹ Xᵀy``, and the loss of the fit ``L = ½‖Xw − y‖²`` (a bilevel objective: how
the fitted model's error moves with the data and the regulariser). With ``A = XᵀX + λI``,
``r = Xw − y`` and ``z = A⁻¹ Xᵀ r``: ``dw = A⁻¹(dXᵀ y − (dXᵀX + XᵀdX) w − dλ w + Xᵀ dy)``
and ``dL = rᵀ(dX w + X dw)``, so

    ∂L/∂X = r wᵀ − r zᵀ − X z wᵀ,   ∂L/∂y = X z − r,   ∂L/∂λ = −zᵀ w.

**Gaussian negative log-likelihood with a learned covariance** (Lepetit's Gaussian NLL, eq. 4,
with Σ learned): ``Σ = A Aᵀ + I`` (positive definite for any A), data rows ``y_i``,
``NLL = ½ N log|Σ| + ½ Σ_i ‖L⁻¹(y_i − μ)‖² + ½ N d log 2π`` with ``L = cholesky(Σ)``. With
``D`` the centred data and ``S = DᵀD``: ``∂NLL/∂Σ = ½(N Σ⁻¹ − Σ⁻¹ S Σ⁻¹)`` (symmetric), so

    ∂NLL/∂A = 2 (∂NLL/∂Σ) A,   ∂NLL/∂μ = −Σ⁻¹ Σ_i (y_i − μ).

>>> X, y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 2.0, 2.0])
>>> round(float(normal_equations_loss(X, y, 0.0)), 6)      # least squares: w = (2/3, 5/3)
0.166667
"""

from __future__ import annotations

from typing import Any

import numpy as np

import dualnum.numpy as dnp

__all__ = ["ridge_weights", "normal_equations_loss", "normal_equations_grad", "gaussian_nll",
           "gaussian_nll_grad"]


def ridge_weights(X: Any, y: Any, lam: Any) -> Any:
    """``w = (XᵀX + λI)⁻¹ Xᵀ y``, by ``solve`` on the normal equations.

    >>> ridge_weights(np.eye(2), np.array([2.0, 4.0]), 1.0)
    array([1., 2.])
    """
    Xt = dnp.swapaxes(X, 0, 1)
    return dnp.linalg.solve(Xt @ X + lam * np.eye(dnp.shape(X)[1]), Xt @ y)


def normal_equations_loss(X: Any, y: Any, lam: Any) -> Any:
    """``½‖X w − y‖²`` at the ridge solution ``w`` of the normal equations."""
    r = X @ ridge_weights(X, y, lam) - y
    return 0.5 * dnp.sum(r * r)


def normal_equations_grad(X: np.ndarray, y: np.ndarray, lam: float) -> dict:
    """The hand-derived gradient of :func:`normal_equations_loss` (see the module).

    >>> X, y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 2.0, 2.0])
    >>> np.round(normal_equations_grad(X, y, 0.0)["y"], 6)    # least squares: X z = 0
    array([ 0.333333,  0.333333, -0.333333])
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    A = X.T @ X + lam * np.eye(X.shape[1])
    w = np.linalg.solve(A, X.T @ y)
    r = X @ w - y
    z = np.linalg.solve(A, X.T @ r)
    return {"X": np.outer(r, w) - np.outer(r, z) - np.outer(X @ z, w), "y": X @ z - r,
            "lam": float(-z @ w)}


def gaussian_nll(Y: Any, mu: Any, A: Any) -> Any:
    """The negative log-likelihood of the rows of ``Y`` under ``N(μ, A Aᵀ + I)``: the log
    determinant by ``slogdet``, the Mahalanobis terms by ``cholesky`` and a triangular
    ``solve``."""
    n, d = np.shape(Y)
    sigma = A @ dnp.swapaxes(A, 0, 1) + np.eye(d)
    L = dnp.linalg.cholesky(sigma)
    Z = dnp.linalg.solve(L, dnp.swapaxes(Y - mu, 0, 1))        # L⁻¹ (y_i − μ), as columns
    return (0.5 * n * dnp.linalg.slogdet(sigma).logabsdet + 0.5 * dnp.sum(Z * Z)
            + 0.5 * n * d * np.log(2.0 * np.pi))


def gaussian_nll_grad(Y: np.ndarray, mu: np.ndarray, A: np.ndarray) -> dict:
    """The hand-derived gradient of :func:`gaussian_nll` (see the module).

    >>> g = gaussian_nll_grad(np.zeros((2, 2)), np.zeros(2), np.zeros((2, 2)))
    >>> g["mu"].tolist(), g["A"].tolist()     # at Σ = I with the data at the mean
    ([0.0, 0.0], [[0.0, 0.0], [0.0, 0.0]])
    """
    Y, mu, A = (np.asarray(v, dtype=float) for v in (Y, mu, A))
    n, d = Y.shape
    sigma_inv = np.linalg.inv(A @ A.T + np.eye(d))
    D = Y - mu
    G = 0.5 * (n * sigma_inv - sigma_inv @ (D.T @ D) @ sigma_inv)
    return {"mu": -sigma_inv @ D.sum(axis=0), "A": 2.0 * G @ A}
