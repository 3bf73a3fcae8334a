"""The registry of every activation, loss, layer and network in ``models/``.

One :class:`ModelCase` per entry, all with the same calling convention so a comparison engine
can loop over them without knowing any of them:

* ``example(seed) -> (params, inputs, targets)``: deterministic small data. ``params`` is a
  dict of float arrays: everything the case is differentiated with respect to (for activations
  and losses that is the input ``{"x": ...}``; for layers the input *and* the weights).
* ``forward(params, inputs, targets)``: the block's output (array or scalar).
* ``objective(params, inputs, targets)``: a scalar, the thing to differentiate w.r.t. ``params``.
  Networks: their loss. Activations and layers: ``Σ e ⊙ block(·)`` with ``targets = e`` a fixed
  random error signal (Jiang's ``e = ∂Q/∂y``), so the gradient is the block's VJP.
* ``backprop(params, inputs, targets)``: the notes' hand-derived gradient of ``objective`` with
  the structure of ``params`` (from ``models/backprop*.py``), or ``None`` when the notes give none.
* ``slip``: ``None``, or the known slip of the notes that makes ``backprop`` disagree on purpose.
* ``kinks``: the case contains relu / max / step / abs (a point may sit on a kink);
  ``symbolic``: it runs on sympy object arrays; ``tags``: extra labels, e.g. ``"symbolic-slow"``
  (runs symbolically, but sympy's full gradient of it takes tens of seconds).

Entries in this module are activations and losses (:data:`ACTIVATION_CASES`,
:data:`LOSS_CASES`); layers and networks are listed in ``models/catalog_models.py``
(:data:`LAYER_CASES`, :data:`NETWORK_CASES`); :data:`CATALOG` is built from these four lists,
in this order. Use :func:`get`, :func:`names`, :func:`cases`.

>>> case = get("activation.sigmoid")
>>> params, inputs, targets = case.example(0)
>>> sorted(params), case.kind
(['x'], 'activation')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import activations as act
from . import backprop as bp
from . import backprop_jiang as bj
from . import losses as ls
from .case import ModelCase, rng_for, vjp_objective
from .catalog_linalg import LINALG_CASES
from .catalog_models import LAYER_CASES, NETWORK_CASES

__all__ = ["CATALOG", "ModelCase", "ACTIVATION_CASES", "LOSS_CASES", "LAYER_CASES",
           "NETWORK_CASES", "get", "names", "cases", "register", "rng_for", "vjp_objective"]


def _forward_of(block: Callable[..., Any], *names_: str, **kwargs: Any) -> Callable:
    def forward(params: dict, inputs: Any, targets: Any) -> Any:
        return block(*(params[n] for n in names_), **kwargs)

    return forward


# --------------------------------------------------------------------------- activations
def _activation_example(name: str, n: int = 4, scale: float = 1.5) -> Callable[[int], tuple]:
    def example(seed: int) -> tuple:
        r = rng_for(seed, name)
        x = scale * r.normal(size=n)
        x[np.abs(x) < 1e-3] = 0.5  # keep clear of the kink at 0
        return {"x": x}, None, r.normal(size=n)

    return example


def _act_backprop(bp_name: str) -> Callable:
    def backprop(params: dict, inputs: Any, targets: Any) -> dict:
        return {"x": bj.activation_backward(params["x"], targets, bp_name)}

    return backprop


_ACT_NOTES = {
    "sigmoid": (("Rousseau", "Igel", "Jiang"), "σ(x) = 1/(1+e^{−x}); σ' = σ(1−σ)"),
    "tanh": (("Rousseau", "Igel", "Jiang"), "tanh(x) = 2σ(2x) − 1; tanh' = 1 − tanh²"),
    "relu": (("Rousseau", "Igel", "Jiang"), "max(x, 0); ∂Q/∂x = H(x) ⊙ e"),
    "gelu": (("Rousseau",), "x Φ(x) = x ½(1 + erf(x/√2))"),
    "step": (("Igel",), "𝕀{x > 0}; derivative 0"),
    "softsign": (("Igel",), "a/(1 + |a|); derivative 1/(1+|a|)²"),
    "identity": (("Igel",), "σ(a) = a"),
}

#: the activation entries, in catalogue order
ACTIVATION_CASES: list[ModelCase] = [
    *[
        ModelCase(
            name=f"activation.{_name}",
            kind="activation",
            forward=_forward_of(act.ACTIVATIONS[_name], "x"),
            objective=vjp_objective(act.ACTIVATIONS[_name], "x"),
            example=_activation_example(_name),
            notes=_notes,
            formula=_formula,
            backprop=_act_backprop(_name),
            kinks=_name in ("relu", "step", "softsign"),
        )
        for _name, (_notes, _formula) in _ACT_NOTES.items()
    ],
    ModelCase(
        name="activation.softmax",
        kind="activation",
        forward=_forward_of(act.softmax, "x"),
        objective=vjp_objective(act.softmax, "x"),
        example=_activation_example("softmax"),
        notes=("Rousseau", "Lepetit eq. 5", "Jiang", "Igel"),
        formula="y_i = e^{x_i}/Σ_j e^{x_j}; J = [y_i(δ_ij − y_j)]; ∂Q/∂x = J e",
        backprop=lambda p, i, t: {"x": bj.softmax_backward(p["x"], t)},
    ),
    ModelCase(
        name="activation.log_softmax",
        kind="activation",
        forward=_forward_of(act.log_softmax, "x"),
        objective=vjp_objective(act.log_softmax, "x"),
        example=_activation_example("log_softmax"),
        notes=("Lepetit eq. 7",),
        formula="x_i − log Σ_j e^{x_j}",
    ),
]


# --------------------------------------------------------------------------- losses
def _prob(r: np.random.Generator, n: int) -> np.ndarray:
    p = r.uniform(0.5, 2.0, size=n)
    return p / p.sum()


def _loss_example(kind: str) -> Callable[[int], tuple]:
    def example(seed: int) -> tuple:
        r = rng_for(seed, kind)
        if kind in ("mse", "sse"):
            return {"x": r.normal(size=3)}, None, r.normal(size=3)
        if kind == "ce":
            return {"x": _prob(r, 3)}, None, _prob(r, 3)
        if kind == "softmax_ce":
            return {"x": r.normal(size=3)}, None, np.eye(3)[r.integers(3)]
        if kind == "bce":
            return {"x": r.uniform(0.1, 0.9, size=3)}, None, r.integers(0, 2, size=3) * 1.0
        if kind == "bce_logits":
            return {"x": 2.0 * r.normal(size=3)}, None, r.integers(0, 2, size=3) * 1.0
        if kind == "nll_gaussian":
            return {"x": r.normal(size=(2, 3))}, None, r.normal(size=(2, 3))
        if kind == "nll_categorical":
            return {"x": r.normal(size=(3, 4))}, None, r.integers(0, 4, size=3)
        # penalties: a small parameter tree with weights and biases
        return (
            {"W1": r.normal(size=(2, 3)), "b1": r.normal(size=3), "W2": r.normal(size=(3, 1))},
            None,
            0.1,
        )

    return example


def _loss_case(name, fn, kind, notes, formula, backprop=None) -> ModelCase:
    def objective(params: dict, inputs: Any, targets: Any) -> Any:
        return fn(params["x"], targets)

    return ModelCase(
        name=f"loss.{name}",
        kind="loss",
        forward=objective,
        objective=objective,
        example=_loss_example(kind),
        notes=notes,
        formula=formula,
        backprop=None if backprop is None else (lambda p, i, t: {"x": backprop(p["x"], t)}),
    )


def _penalty_case(name, fn, notes, formula, grad_w, slip=None) -> ModelCase:
    def objective(params: dict, inputs: Any, targets: Any) -> Any:
        return fn(params, targets)

    def backprop(params: dict, inputs: Any, targets: Any) -> dict:
        return {k: (np.zeros_like(v) if k.startswith("b") else grad_w(v, targets))
                for k, v in params.items()}

    return ModelCase(
        name=f"loss.{name}", kind="loss", forward=objective, objective=objective,
        example=_loss_example("penalty"), notes=notes, formula=formula, backprop=backprop,
        slip=slip,
    )


#: the loss and penalty entries, in catalogue order
LOSS_CASES: list[ModelCase] = [
    _loss_case("mse", ls.mse, "mse", ("Rousseau",), "(1/n)‖x − y‖²", bp.mse_grad),
    _loss_case("sum_of_squares", ls.sum_of_squares, "sse", ("Lepetit eq. 14", "Bradbury", "Igel"),
               "½‖x − y‖²", bp.sum_of_squares_grad),
    _loss_case("cross_entropy", ls.cross_entropy, "ce", ("Rousseau", "Igel"), "−Σ y_i log x_i",
               bp.cross_entropy_grad),
    _loss_case("softmax_cross_entropy", ls.softmax_cross_entropy, "softmax_ce",
               ("Lepetit eq. 7", "Jiang", "Igel"), "−Σ y ⊙ log softmax(a); ∂/∂a = softmax(a) − y",
               bp.softmax_cross_entropy_grad),
    _loss_case("binary_cross_entropy", ls.binary_cross_entropy, "bce", ("Igel",),
               "−Σ {y ln f + (1−y) ln(1−f)}", bp.bce_grad),
    _loss_case("binary_cross_entropy_with_logits", ls.binary_cross_entropy_with_logits,
               "bce_logits", ("Igel",), "Σ softplus(a) − y a; ∂/∂a = σ(a) − y", bp.bce_logits_grad),
    _loss_case("nll_gaussian", ls.nll_gaussian, "nll_gaussian", ("Lepetit eq. 4",),
               "Σ_i ‖e_i − o_i‖²", lambda o, e: 2.0 * (np.asarray(o) - e)),
    _loss_case("nll_categorical", ls.nll_categorical, "nll_categorical", ("Lepetit eq. 7",),
               "Σ_i −log softmax(o_i)_{c_i}",
               lambda o, c: bp.softmax(o) - np.eye(np.shape(o)[-1])[np.asarray(c)]),
    _penalty_case("l2_penalty", ls.l2_penalty, ("Rousseau",), "λ Σ_k ‖w^{(k)}‖²_F; ∂ = 2λw",
                  bp.rousseau_penalty_grad_as_written),
    _penalty_case("half_l2_penalty", ls.half_l2_penalty, ("Igel", "Jiang"),
                  "(λ/2)‖w‖²; ∂ = λw", lambda W, lam: lam * np.asarray(W)),
    _penalty_case(
        "frobenius_penalty", ls.frobenius_penalty, ("Rousseau",),
        "λ Σ_k ‖w^{(k)}‖_F as printed; the notes' gradient 2λw",
        bp.rousseau_penalty_grad_as_written,
        slip="Rousseau prints the penalty λ Σ‖w‖_F (unsquared) but its gradient as 2λw, which "
        "belongs to λ Σ‖w‖²_F; the gradient of the printed penalty is λ w/‖w‖_F "
        "(models.backprop.rousseau_penalty_grad_of_written_penalty)",
    ),
]


# --------------------------------------------------------------------------- the catalogue
def _by_name(*groups: list[ModelCase]) -> dict[str, ModelCase]:
    out: dict[str, ModelCase] = {}
    for case in (c for group in groups for c in group):
        if case.name in out:
            raise ValueError(f"catalog: duplicate case name {case.name!r}")
        out[case.name] = case
    return out


#: every entry by name: activations, losses, layers, networks (each group in its list's order)
CATALOG: dict[str, ModelCase] = _by_name(ACTIVATION_CASES, LOSS_CASES, LAYER_CASES, NETWORK_CASES,
                                         LINALG_CASES)    # models/catalog_linalg.py


def register(case: ModelCase) -> ModelCase:
    """Add a case of your own to :data:`CATALOG` at run time; names must be unique. (The
    package's own entries are the four lists above: nothing registers itself on import.)

    >>> register(get("loss.mse"))
    Traceback (most recent call last):
    ...
    ValueError: catalog: duplicate case name 'loss.mse'
    """
    if case.name in CATALOG:
        raise ValueError(f"catalog: duplicate case name {case.name!r}")
    CATALOG[case.name] = case
    return case


def get(name: str) -> ModelCase:
    """The case called ``name``; unknown names raise ``KeyError`` listing the known ones.

    >>> get("loss.mse").kind
    'loss'
    """
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"unknown model case {name!r}; known: {sorted(CATALOG)}") from None


def names(kind: str | None = None) -> list[str]:
    """Sorted case names, optionally of one kind.

    >>> "network.jiang_dnn" in names("network")
    True
    """
    return sorted(n for n, c in CATALOG.items() if kind is None or c.kind == kind)


def cases(kind: str | None = None) -> list[ModelCase]:
    """The cases, sorted by name, optionally of one kind.

    >>> all(c.kind == "layer" for c in cases("layer"))
    True
    """
    return [CATALOG[n] for n in names(kind)]
