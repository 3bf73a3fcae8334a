"""The trace as JSON-ready builtins (floats, lists, strings): the ``--format json`` form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dualnum.tracing.notation import plain
from dualnum.tracing.render_text import TextRenderer

if TYPE_CHECKING:  # pragma: no cover - annotations only: the model imports this module
    from dualnum.tracing.model import Row, Step, Trace

__all__ = ["DictRenderer"]


class DictRenderer:
    """Everything as JSON-ready builtins (floats, lists, strings): the ``--format json`` form.

    Each row carries its definition in the ASCII text notation (``ln v[-1]``) and every number
    at full precision.
    """

    def __init__(self, trace: "Trace") -> None:
        self.t = trace
        self.text = TextRenderer(trace, 17, ascii=True)

    def row(self, r: "Row") -> dict[str, Any]:
        wrt = self.t.wrt
        return {"index": r.index, "op": r.op, "name": r.name,
                "operands": [o if isinstance(o, int) else {"constant": plain(o.value)}
                             for o in r.operands],
                "kwargs": {k: plain(v) for k, v in r.kwargs.items()},
                "definition": self.text.definition(r),
                "value": plain(r.value),
                "partials": [{"source": p.source, "value": plain(p.partial),
                              "formula": p.formula("text")} for p in r.partials],
                "tangents": {w: plain(r.tangents[k]) for k, w in enumerate(wrt)},
                "tangent_formulas": ({w: r.tangent_formulas[k] for k, w in enumerate(wrt)}
                                     if r.tangent_formulas else None),
                "adjoint": plain(r.adjoint), "kink": r.kink}

    def step(self, s: "Step") -> dict[str, Any]:
        return {"target": s.target, "source": s.source, "partial": plain(s.partial),
                "formula": s.formula("text"), "adjoint_in": plain(s.adjoint_in),
                "contribution": plain(s.contribution), "before": plain(s.before),
                "after": plain(s.after), "first": s.first}

    def render(self) -> dict[str, Any]:
        t = self.t
        return {"expression": t.expression,
                "point": {k: plain(v) for k, v in t.point.items()},
                "variables": list(t.variables), "wrt": list(t.wrt),
                "value": plain(t.value),
                "gradient": {k: plain(v) for k, v in t.gradient.items()},
                "tangents": {k: plain(v) for k, v in t.tangents.items()},
                "rows": [self.row(r) for r in t.rows],
                "adjoint_steps": [self.step(s) for s in t.steps]}
