"""What reverse mode sees inside a user's function: marked values, their adjoints, and the
gradients a typical backprop slip would have produced instead.

:func:`probe` records ``f(params)`` once on a full ``dualnum`` tape (every parameter leaf its
own variable), runs one backward sweep that logs every accumulation ``v̄ⱼ += c`` (the tape's
``steps``), and reads from it:

* the gradient of every parameter leaf (this *is* reverse mode);
* every value the function marked with ``dn.mark(name, value)``, with its adjoint ∂f/∂value —
  what a hand-written backprop's delta for that value should be;
* **missing-factor counterfactuals**: for each elementwise operation ``y = g(z)`` (one
  operand on the tape, ``relu``, ``tanh``, ``maximum(z, 0)``, ``z * mask`` …) whose local
  derivative is not one constant, the gradient the sweep gives when that operation passes its
  adjoint ȳ back unchanged instead of ȳ ⊙ g'(z). That is exactly "forgot the activation
  derivative": it is one extra sweep from ``z`` seeded with ``ȳ − ȳ ⊙ g'(z)`` (the sweep is
  linear in its seed), read off the logged contributions, never from a list of names;
* **uses**: for a parameter used in several places (a penalty term, a shared weight), the
  contribution of each use to its gradient — what a backprop that forgot one use misses.

No derivative is re-derived here: every number is the tape's own sweep, so a diagnosis built
on them is only as trustworthy as reverse mode, which the engine checks against independent
references first.

>>> import numpy as np
>>> import dualnum as dn
>>> import dualnum.numpy as dnp
>>> def f(p):
...     z = dn.mark("z", p["w"] * 2.0)
...     return dnp.sum(dnp.tanh(z))
>>> pr = probe(f, {"w": np.array([0.1, 0.2])})
>>> [m.name for m in pr.marks], np.allclose(pr.marks[0].adjoint, 1 - np.tanh([0.2, 0.4]) ** 2)
(['z'], True)
>>> [c.op for c in pr.missing_factor], np.allclose(pr.missing_factor[0].grads[0], [2.0, 2.0])
(['tanh'], True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import dualnum as dn
from dualnum import tree as tree_
from dualnum.marks import recording

__all__ = ["Marked", "Counterfactual", "Use", "Probe", "probe", "MAX_CANDIDATES"]

#: at most this many elementwise operations get a missing-factor sweep (largest first)
MAX_CANDIDATES = 48


@dataclass
class Marked:
    """A value ``f`` passed to ``dn.mark``: its name, value and adjoint (``None`` when the value
    does not depend on the parameters), and its tape entry (``-1`` when not on the tape)."""

    name: str
    value: np.ndarray
    adjoint: np.ndarray | None
    index: int = -1


@dataclass
class Counterfactual:
    """The gradients (one array per parameter leaf) and marked adjoints that the sweep gives
    when entry ``index`` (operation ``op`` on the value of entry ``operand``) passes its adjoint
    back unchanged: the gradient of a backprop that forgot that operation's derivative."""

    op: str
    index: int
    operand: int
    operand_name: str
    shape: tuple
    grads: list
    mark_adjoints: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``relu'(z1)``, or ``relu' (its input: tape entry 7, shape (4, 5))`` unmarked."""
        if self.operand_name:
            return f"{self.op}'({self.operand_name})"
        return f"{self.op}' (its input: tape entry {self.operand}, shape {self.shape})"


@dataclass
class Use:
    """One use of parameter leaf ``leaf`` (entry ``index``, operation ``op``): its
    contribution to that leaf's gradient."""

    leaf: int
    op: str
    index: int
    contribution: np.ndarray


@dataclass
class Probe:
    """What :func:`probe` found; ``grads`` in parameter-leaf order."""

    value: float
    grads: list
    marks: list
    missing_factor: list
    uses: list

    def mark(self, name: str) -> Marked | None:
        return next((m for m in self.marks if m.name == name), None)


def _array(v, shape) -> np.ndarray:
    if v is None:
        return np.zeros(shape)
    return np.asarray(v, dtype=np.float64).reshape(shape)


def probe(f: Callable, params, data: dict | None = None) -> Probe:
    """Record ``f(params, **data)`` on a tape; see the module docstring.

    >>> pr = probe(lambda p: p["a"] * p["a"] + 3.0 * p["a"], {"a": 2.0})
    >>> pr.value, pr.grads, sorted(u.op for u in pr.uses)
    (10.0, [array(7.)], ['multiply', 'multiply'])
    """
    data = data or {}
    leaves, spec = tree_.flatten(params, leaf_lists=False)
    marks: list[tuple[str, object]] = []

    def record(name, value):
        if any(name == n for n, _ in marks):
            raise ValueError(f"dn.mark({name!r}, ...) is called twice in one evaluation of f; "
                             "every marked value needs its own name")
        marks.append((name, value))
        return value

    with dn.Tape() as tape, recording(record):
        xs = [tape.var(tree_.as_float_leaf(leaf, "parameter")) for leaf in leaves]
        out = f(tree_.unflatten(spec, xs), **data)
    if not isinstance(out, dn.TapeVar) or out.tape is not tape:
        value = np.asarray(out, dtype=np.float64)
        zero = [np.zeros(np.shape(leaf)) for leaf in leaves]
        return Probe(float(value), zero, [Marked(n, np.asarray(getattr(v, "value", v),
                                                               dtype=np.float64), None)
                                          for n, v in marks], [], [])
    adj = list(tape.sweep(out.index, 1.0, steps=True))
    steps = list(tape.steps)
    entries = tape.entries
    shapes = [np.shape(leaf) for leaf in leaves]
    leaf_at = {x.index: k for k, x in enumerate(xs)}
    grads = [_array(adj[x.index], s) for x, s in zip(xs, shapes)]
    marked_index = {}
    found = []
    for name, v in marks:
        if isinstance(v, dn.TapeVar) and v.tape is tape:
            marked_index[v.index] = name
            a = adj[v.index] if v.index < len(adj) else None
            found.append(Marked(name, np.asarray(v.value, dtype=np.float64),
                                _array(a, np.shape(v.value)), v.index))
        else:
            found.append(Marked(name, np.asarray(getattr(v, "value", v), dtype=np.float64),
                                None))
    into: dict[int, list] = {}
    for p, i, c in steps:
        into.setdefault(i, []).append((p, c))
    uses = []
    by_leaf: dict[int, dict[int, np.ndarray]] = {}
    for p, i, c in steps:
        if p in leaf_at:
            k = leaf_at[p]
            acc = by_leaf.setdefault(k, {})
            acc[i] = acc.get(i, 0.0) + _array(c, shapes[k])
    for k, per_use in by_leaf.items():
        if len(per_use) > 1:
            uses += [Use(k, entries[i].op, i, c) for i, c in sorted(per_use.items())]
    candidates = []
    for i, contribs in into.items():
        e = entries[i]
        boxed = [p for p in e.inputs if p is not None]
        if len(boxed) != 1 or len(contribs) != 1 or not _elementwise(e.op):
            continue
        (p, c), g = contribs[0], adj[i]
        if np.shape(c) != np.shape(g) or np.shape(g) != np.shape(entries[p].value):
            continue
        c, g = np.asarray(c, dtype=np.float64), np.asarray(g, dtype=np.float64)
        live = g != 0
        if not live.any():
            continue
        d = c[live] / g[live]
        if np.ptp(d) <= 1e-12 * max(float(np.max(np.abs(d))), 1e-300):
            continue  # one constant factor (a scaling, a sign): not an activation derivative
        candidates.append((int(np.size(g)), i, p, g - c))
    candidates.sort(key=lambda t: (-t[0], t[1]))
    missing = []
    for _, i, p, seed in candidates[:MAX_CANDIDATES]:
        extra = tape.sweep(p, seed)
        cf = [g + _array(extra[x.index] if x.index < len(extra) else None, s)
              for g, x, s in zip(grads, xs, shapes)]
        mark_adj = {}
        for m in found:
            if m.adjoint is not None:
                more = extra[m.index] if m.index < len(extra) else None
                mark_adj[m.name] = m.adjoint + _array(more, m.adjoint.shape)
        missing.append(Counterfactual(entries[i].op, i, p, marked_index.get(p, ""),
                                      tuple(np.shape(entries[p].value)), cf, mark_adj))
    return Probe(float(np.asarray(out.value)), grads, found, missing, uses)


def _elementwise(op: str) -> bool:
    try:
        return dn.get_rule(op).partials is not None
    except Exception:  # an entry that is not a rule of the table (an input): not a candidate
        return False
