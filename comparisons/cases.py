"""The catalogue: every case ``dualnum compare`` runs, grouped by signature.

Two sources: the notes' small examples (:mod:`.cases_notes`, with the numbers the notes
print), and every entry of the models registry (``dualnum.models.catalog``: activations,
losses, layers, networks with their losses), each turned into a function of one flat vector of
parameters at the registry's deterministic example (seed 0).

>>> names = [c.name for c in catalogue()]
>>> "lepetit-f" in names and "network.jiang_dnn" in names
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dualnum import tree as tree_
from dualnum.expr import quoted

from .case import Case, blocks_of
from .cases_notes import notes_cases

__all__ = ["catalogue", "select", "GROUPS", "model_case", "UnknownCase"]


class UnknownCase(LookupError):
    """A case name (or prefix) that matches nothing in the catalogue.

    >>> try:
    ...     select(["no-such-case"])
    ... except UnknownCase as exc:
    ...     print(str(exc).split(":")[0])
    unknown case(s) 'no-such-case'
    """

#: signature group of each models-registry kind
GROUPS = {
    "activation": "x → Σ e⊙σ(x) (activation VJP)",
    "loss": "prediction → loss",
    "layer": "(input, weights) → Σ e⊙layer (layer VJP)",
    "network": "params → loss",
}


def _as_tree_of_floats(tree):
    return tree_.tree_map(lambda v: np.asarray(v, dtype=np.float64) if np.ndim(v) else float(v),
                          tree, leaf_lists=False)


def _hand_vector(grads, like, spec) -> np.ndarray:
    """A backprop result as one vector in the order of the parameters ``like`` (dict entries
    matched by key, each reshaped to its parameter's shape)."""
    leaves = tree_.flatten_like(grads, spec, "hand-derived gradient")
    shapes = [np.shape(p) for p in tree_.tree_leaves(like, leaf_lists=False)]
    return np.concatenate([np.asarray(g, dtype=np.float64).reshape(s).reshape(-1)
                           for g, s in zip(leaves, shapes)] or [np.zeros(0)])


def model_case(mc, seed: int = 0) -> Case:
    """Turn one ``dualnum.models.catalog.ModelCase`` into a comparison :class:`Case`.

    >>> from dualnum.models import catalog
    >>> c = model_case(catalog.get("activation.tanh"))
    >>> c.group, c.n_inputs
    ('x → Σ e⊙σ(x) (activation VJP)', 4)
    """
    params, inputs, targets = mc.example(seed)
    params = _as_tree_of_floats(params)
    vec, unravel = tree_.ravel(params, leaf_lists=False)
    blocks = blocks_of(params)

    def f(v):
        return mc.objective(unravel(v), inputs, targets)

    hand = None
    if mc.backprop is not None:
        spec = tree_.flatten(params, leaf_lists=False)[1]

        def hand(v):
            p = unravel(np.asarray(v, dtype=np.float64))
            return _hand_vector(mc.backprop(p, inputs, targets), params, spec)

    notes = ", ".join(mc.notes)
    desc = mc.formula + (f" — slip: {mc.slip}" if mc.slip else "")
    return Case(mc.name, GROUPS.get(mc.kind, mc.kind), f, vec, desc, notes, blocks=blocks,
                hand=hand, hand_label=f"hand-derived gradient ({notes})",
                literal=mc.slip is not None, tags=(mc.kind,) + tuple(mc.tags)
                + (() if mc.symbolic else ("no-symbolic",)))


def catalogue(seed: int = 0) -> list[Case]:
    """Every case: the notes' examples first, then the models registry, by kind and name.

    >>> cases = catalogue()
    >>> cases[0].name, cases[-1].name.split(".")[0]
    ('lepetit-f', 'network')
    """
    from dualnum.models import catalog

    order = {k: i for i, k in enumerate(GROUPS)}
    models = sorted(catalog.cases(), key=lambda c: (order.get(c.kind, 9), c.name))
    notes = notes_cases()
    first = {}
    for c in notes:  # keep the notes' order, but one block per signature group
        first.setdefault(c.group, len(first))
    notes.sort(key=lambda c: first[c.group])
    return notes + [model_case(mc, seed) for mc in models]


def select(names: Sequence[str], cases: Sequence[Case] | None = None) -> list[Case]:
    """The cases named (exact name, or a prefix such as ``network.``), in catalogue order.

    Unknown names raise :class:`UnknownCase` (a ``LookupError``) naming them.

    >>> sorted(c.name for c in select(["bradbury-chain", "network.bradbury_f"]))
    ['bradbury-chain', 'network.bradbury_f']
    """
    cases = list(catalogue() if cases is None else cases)
    if not names:
        return cases
    chosen, unknown = [], []
    for n in names:
        hits = [c for c in cases if c.name == n] or [c for c in cases if c.name.startswith(n)]
        if not hits:
            unknown.append(n)
        chosen += [c for c in hits if c not in chosen]
    if unknown:
        groups = sorted({c.name.split(".")[0] + "." for c in cases if "." in c.name})
        raise UnknownCase(
            f"unknown case(s) {', '.join(quoted(n) for n in unknown[:5])}"
            f"{f' and {len(unknown) - 5} more' if len(unknown) > 5 else ''}: "
            f"not a case name or prefix (prefixes: "
            f"{' '.join(groups)}; `dualnum cases` lists all {len(cases)})"
        )
    return [c for c in cases if c in chosen]
