"""Catalogue entries that need linear algebra (issue 12): :data:`LINALG_CASES`, a plain list
that ``models/catalog.py`` reads (this module does not import it: the arrow points one way).

Both are losses with their gradients derived by hand in ``models/linalg_losses.py``.

>>> from dualnum.models.catalog import get
>>> get("loss.normal_equations").backprop is not None
True
"""

from __future__ import annotations

from typing import Any

from . import linalg_losses as ll
from .case import ModelCase, rng_for


def _regression_example(seed: int) -> tuple:
    r = rng_for(seed, "normal_equations")
    X = r.normal(size=(6, 2))
    y = X @ r.normal(size=2) + 0.3 * r.normal(size=6)
    return {"X": X, "y": y, "lam": float(r.uniform(0.2, 1.0))}, None, None


def _regression(params: dict, inputs: Any, targets: Any) -> Any:
    return ll.normal_equations_loss(params["X"], params["y"], params["lam"])


def _gaussian_example(seed: int) -> tuple:
    r = rng_for(seed, "gaussian_nll_learned_cov")
    Y = r.normal(size=(5, 2)) @ [[1.0, 0.4], [0.0, 0.7]] + [0.5, -1.0]
    return {"mu": r.normal(size=2), "A": 0.8 * r.normal(size=(2, 2))}, Y, None


def _gaussian(params: dict, Y: Any, targets: Any) -> Any:
    return ll.gaussian_nll(Y, params["mu"], params["A"])


#: the linear-algebra entries, in catalogue order
LINALG_CASES: list[ModelCase] = [
    ModelCase(
        name="loss.normal_equations", kind="loss", forward=_regression, objective=_regression,
        example=_regression_example, notes=("least squares by the normal equations",),
        formula="w = (XᵀX + λI)⁻¹Xᵀy (solve), L = ½‖Xw − y‖²; ∂L/∂X = r wᵀ − r zᵀ − X z wᵀ, "
        "∂L/∂y = Xz − r, ∂L/∂λ = −zᵀw with z = (XᵀX + λI)⁻¹Xᵀr",
        backprop=lambda p, i, t: ll.normal_equations_grad(p["X"], p["y"], p["lam"]),
    ),
    ModelCase(
        name="loss.gaussian_nll_learned_cov", kind="loss", forward=_gaussian,
        objective=_gaussian, example=_gaussian_example,
        notes=("Lepetit eq. 4, with a learned covariance",),
        formula="Σ = AAᵀ + I, NLL = ½N log|Σ| (slogdet) + ½Σ‖L⁻¹(y_i − μ)‖² (cholesky, solve); "
        "∂/∂A = (NΣ⁻¹ − Σ⁻¹SΣ⁻¹)A, ∂/∂μ = −Σ⁻¹Σ(y_i − μ)",
        backprop=lambda p, Y, t: ll.gaussian_nll_grad(Y, p["mu"], p["A"]),
    ),
]
