"""What one catalogue entry is (:class:`ModelCase`), and the helpers the entries share.

The entries themselves are in ``models/catalog.py`` (activations, losses) and
``models/catalog_models.py`` (layers, networks); both import this module, and ``catalog``
imports ``catalog_models``: the arrows point one way.

>>> double = ModelCase("activation.double", "activation", forward=lambda p, i, e: 2 * p["x"],
...                    objective=vjp_objective(lambda x: 2 * x, "x"),
...                    example=lambda seed: ({"x": np.ones(2)}, None, np.array([1.0, 3.0])),
...                    notes=("an example",), formula="2x")
>>> float(double.objective(*double.example(0)))
8.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import dualnum.numpy as dnp

__all__ = ["ModelCase", "rng_for", "vjp_objective"]


@dataclass(frozen=True)
class ModelCase:
    """One catalogue entry (see ``models/catalog.py``'s docstring for the calling convention).

    >>> from dualnum.models.catalog import get
    >>> case = get("network.lepetit_three_layer")
    >>> params, x0, e = case.example(0)
    >>> float(case.objective(params, x0, e)) > 0, case.notes[0]
    (True, 'Lepetit eqs. 14, 30, 45-47')
    """

    name: str
    kind: str  # "activation" | "loss" | "layer" | "network"
    forward: Callable[[dict, Any, Any], Any]
    objective: Callable[[dict, Any, Any], Any]
    example: Callable[[int], tuple]
    notes: tuple[str, ...]
    formula: str
    backprop: Callable[[dict, Any, Any], dict] | None = None
    slip: str | None = None
    symbolic: bool = True  # small enough / supported to run on sympy symbols
    kinks: bool = False  # non-differentiable points exist (relu, max, step, abs)
    tags: tuple[str, ...] = field(default_factory=tuple)


def rng_for(seed: int, salt: str) -> np.random.Generator:
    """A generator that depends on the seed and the case name only (stable across runs).

    >>> float(rng_for(0, "a").normal()) == float(rng_for(0, "a").normal())
    True
    """
    return np.random.default_rng([seed, sum(ord(c) * 31**i for i, c in enumerate(salt)) % 2**32])


def vjp_objective(block: Callable[..., Any], *names_: str, **kwargs: Any) -> Callable:
    """``(params, inputs, targets) -> Σ targets ⊙ block(params[n] for n in names_)``.

    >>> f = vjp_objective(lambda x: 2 * x, "x")
    >>> float(f({"x": np.ones(2)}, None, np.array([1.0, 3.0])))
    8.0
    """

    def objective(params: dict, inputs: Any, targets: Any) -> Any:
        return dnp.sum(targets * block(*(params[n] for n in names_), **kwargs))

    return objective
