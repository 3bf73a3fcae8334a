"""Layer by layer: a hand-written backprop's deltas against reverse mode's adjoints.

A model marks its intermediate values (``z2 = dn.mark("z2", W2 @ a1 + b2)``); a backprop that
returns ``(grads, {"z2": dz2, "z1": dz1})`` has each δ compared with the adjoint
∂f/∂value reverse mode computes for that marked value (:mod:`.probe`). Rows come in order from
the output (the last value marked first): the first wrong row is where the slip entered — every
δ below it inherits the error through the chain rule. A wrong δ gets the same diagnosis as a
parameter block (:func:`.slips.diagnose_one`), the missing-activation-derivative pattern
included: a δ that equals the adjoint of the activation's *output* is missing ``g'``.

>>> import numpy as np
>>> import dualnum as dn
>>> import dualnum.numpy as dnp
>>> from dualnum.comparisons.probe import probe
>>> def f(p):
...     z = dn.mark("z", p["w"] * np.array([1.0, -2.0]))
...     return dnp.sum(dnp.tanh(z))
>>> pr = probe(f, {"w": 0.3})
>>> rows, first, problems = check_deltas({"z": np.ones(2)}, pr)
>>> rows[0]["status"], first, rows[0]["diagnosis"]
('wrong', 'z', "missing the activation derivative tanh'(z)")
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import engine
from .slips import _table, diagnose_one

__all__ = ["check_deltas", "DELTA_RTOL"]

#: δ and adjoint are both exact (no finite differences): the hand method's tolerance
DELTA_RTOL = engine.RTOL["hand"]


def check_deltas(deltas: dict | None, pr, batch: Sequence[int] = ()) -> tuple[list, str | None,
                                                                               list]:
    """``(rows, first wrong name or None, problems)``: one row per marked value, from the
    output back; ``problems`` lists deltas given for names ``f`` never marks."""
    deltas = dict(deltas or {})
    names = [m.name for m in pr.marks]
    problems = [f"hand returned a delta for {k!r}, which f never marks with dn.mark "
                f"(marked: {', '.join(names) or 'nothing'})" for k in deltas if k not in names]
    rows, first = [], None
    for m in reversed(pr.marks):
        row = {"name": m.name, "shape": list(m.value.shape), "status": "ok", "max_rel": None,
               "diagnosis": "", "worst": None}
        rows.append(row)
        if m.name not in deltas:
            row["status"] = "not given"
            continue
        if m.adjoint is None:
            row["status"] = "constant"
            row["diagnosis"] = "the marked value does not depend on the parameters"
            continue
        try:
            d = np.asarray(deltas[m.name], dtype=np.float64)
        except (TypeError, ValueError):
            row.update(status="wrong", diagnosis=f"the delta is a "
                       f"{type(deltas[m.name]).__name__}, not numbers")
            first = first or m.name
            continue
        a = m.adjoint
        if d.shape != a.shape:
            row.update(status="wrong", diagnosis=f"shape {d.shape}, the marked value has "
                       f"shape {a.shape}")
            first = first or m.name
            continue
        scale = max(float(np.max(np.abs(a), initial=0.0)), 1e-300)
        allowed = DELTA_RTOL * (scale + np.abs(a))
        diff = np.abs(d - a)
        row["max_rel"] = float(np.max(np.where(np.isnan(diff), np.inf, diff), initial=0.0)
                               / scale)
        if np.all(diff <= allowed):
            continue
        cfs = [(c.label, c.mark_adjoints[m.name]) for c in pr.missing_factor
               if m.name in c.mark_adjoints]
        kind, text = diagnose_one(f"δ {m.name}", d, a, allowed, None, cfs, (), batch)
        table = _table(m.name, d, a, allowed)
        row.update(status="wrong", kind=kind, diagnosis=text,
                   worst=table[0] if table else None, wrong=int((~(diff <= allowed)).sum()),
                   size=int(a.size))
        first = first or m.name
    return rows, first, problems
