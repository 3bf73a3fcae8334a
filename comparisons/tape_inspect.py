"""Look at what a function does, by recording it once on a tape.

Two questions the references and the engine ask of a case, answered from the tape rather than
from a list of case names:

* which operations are **non-analytic** (``abs``, ``relu``, ``maximum``, …)? Complex step
  must refuse to run through them, since ``Im f(x + ih)/h`` is only exact for analytic code;
* does the point sit **on a kink** (``relu`` at 0, an ``abs`` at 0, a ``maximum`` tie)? There
  the derivative depends on a convention, so a disagreement is a *kink*, not a *fail*.

Only the primitives' metadata (``analytic``, ``kink``) is read from the rule table, never a
derivative rule.

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> nonanalytic_ops(lambda x: dnp.abs(x).sum(), np.array([1.0, -2.0]))
['abs']
>>> [k.op for k in kinks(lambda x: dnp.relu(x).sum(), np.array([0.0, 1.0]))]
['relu']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Kink", "record", "inspect_tape", "nonanalytic_ops", "kinks", "operation_counts"]


@dataclass
class Kink:
    """One tape entry whose inputs sit on its primitive's kink.

    ``op`` is the primitive, ``index`` its tape position, ``where`` the flat element indices on
    the kink, ``convention`` the derivative convention the rule table uses there.

    >>> import dualnum.numpy as dnp
    >>> (k,) = kinks(lambda x: dnp.abs(x), np.array([1.0, 0.0, -2.0]))
    >>> k.op, k.where, k.convention.startswith("abs'(0) = 0")
    ('abs', [1], True)
    """

    op: str
    index: int
    where: list
    convention: str


def record(f: Callable, x):
    """Run ``f`` once on a tape variable holding ``x``; returns the tape (or raises).

    >>> import dualnum.numpy as dnp
    >>> [e.op for e in record(lambda x: dnp.sin(x) * 2.0, 1.0).entries][-2:]
    ['sin', 'multiply']
    """
    import dualnum as dn

    with dn.Tape() as tape:
        v = tape.var(np.array(x, dtype=np.float64) if np.ndim(x) else float(x), "x")
        f(v)
    return tape


def _rule(name: str):
    from dualnum.rules import get_rule, has_rule

    if not has_rule(name):
        return None
    return get_rule(name)


#: rule-table families whose entries move values around without computing (no sympy node)
_NO_NODE_FAMILIES = ("indexing", "shape")


def operation_counts(f: Callable, x) -> tuple[int, int]:
    """``(scalar operations, tree size)`` of one numeric run of ``f`` at ``x``, measures of
    the expression ``f`` builds on symbols, known before building it.

    The scalar operations sum the element counts of the computing entries' results (a matmul
    producing a 4×4 array counts 16; the input, indexing and reshaping count 0). The tree size
    counts each computing entry once *per use* of its result, as an expression tree holds a
    shared subexpression once per occurrence: it grows exponentially with repeated reuse
    (``y = y*a + b/(1 + y*y)`` doubles per step) where the scalar count grows linearly.

    >>> import dualnum.numpy as dnp
    >>> def f(x):
    ...     y = x
    ...     for _ in range(3):
    ...         y = y * y          # one op per step, used twice by the next
    ...     return y
    >>> operation_counts(f, 2.0)
    (3, 15)
    """
    tape = record(f, x)
    scalar, tree = 0, {}
    for e in tape.entries:
        rule = _rule(e.op)
        computes = rule is not None and rule.family not in _NO_NODE_FAMILIES
        if computes:
            scalar += int(np.size(e.value))
        used = [tree[i] for i in e.inputs if i is not None]
        tree[e.index] = (1 if computes or not used else 0) + sum(used)
    return scalar, max(tree.values(), default=0)


def _nonanalytic(tape) -> list[str]:
    names: list[str] = []
    for entry in tape.entries:
        rule = _rule(entry.op)
        if rule is not None and not getattr(rule, "analytic", True) and entry.op not in names:
            names.append(entry.op)
    return names


def nonanalytic_ops(f: Callable, x) -> list[str]:
    """Names of the non-analytic primitives ``f`` runs through at ``x``, in tape order.

    >>> import dualnum.numpy as dnp
    >>> nonanalytic_ops(lambda x: dnp.exp(x) * dnp.sin(x), 0.5)
    []
    """
    return _nonanalytic(record(f, x))


def _entry_kwargs(entry) -> dict:
    kw = getattr(entry, "kwargs", None)
    return dict(kw) if isinstance(kw, dict) else {}


def kinks(f: Callable, x) -> list[Kink]:
    """The tape entries of ``f`` at ``x`` whose arguments sit on their primitive's kink.

    >>> import dualnum.numpy as dnp
    >>> kinks(lambda x: dnp.abs(x - 1.0), 2.0)
    []
    """
    return _kinks(record(f, x))


def inspect_tape(f: Callable, x) -> tuple[list[str], list[Kink]]:
    """Record ``f`` once; return ``(nonanalytic_ops, kinks)``.

    >>> import dualnum.numpy as dnp
    >>> ops, ks = inspect_tape(lambda x: dnp.maximum(x, 1.0), 1.0)
    >>> ops, [k.op for k in ks]
    (['maximum'], ['maximum'])
    """
    tape = record(f, x)
    return _nonanalytic(tape), _kinks(tape)


def _kinks(tape) -> list[Kink]:
    found: list[Kink] = []
    for entry in tape.entries:
        rule = _rule(entry.op)
        kink = getattr(rule, "kink", None) if rule is not None else None
        if kink is None:
            continue
        args = [np.asarray(a) if not isinstance(a, (str, type(None))) else a for a in entry.args]
        mask = np.asarray(kink.at(*args, **_entry_kwargs(entry)), dtype=bool)
        if mask.any():
            where = [int(i) for i in np.flatnonzero(mask.reshape(-1))]
            found.append(Kink(entry.op, int(entry.index), where, str(kink.convention)))
    return found
