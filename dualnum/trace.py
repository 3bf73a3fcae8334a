"""Evaluation traces like the slides: primal, tangent and adjoint columns of one evaluation.

``trace(f, x1=2, x2=5)`` records ``f`` once on a :class:`dualnum.Tape`, then reads the tape's
entries into a table in the slides' numbering: the ``n`` inputs are ``v_{1-n} ... v_0`` and
every elementary operation is one row ``v_i = op(v_j, ...)`` with its value. Two sweeps over
the same local partials ``∂v_i/∂v_j`` (read from the rule table, never from finite
differences) fill the other columns:

* forward: ``v̇_i = Σ_j ∂v_i/∂v_j · v̇_j``, seeded with ``ẋ_k = 1`` for each input in ``wrt``
  (this is exactly what a ``Dual`` number computes in lockstep with the primal);
* reverse: ``v̄_j = v̄_j + v̄_i · ∂v_i/∂v_j``, from ``v̄_out = 1`` back to the inputs, one
  recorded :class:`Step` per accumulation, in sweep order.

Rows evaluated exactly on a kink (``relu`` at 0, ``abs`` at 0, a ``max`` tie) carry the
convention the rule table uses there.

>>> t = trace("ln(x1) + x1*x2 - sin(x2)", x1=2, x2=5)
>>> [round(float(r.value), 3) for r in t.rows]
[2.0, 5.0, 0.693, 10.0, -0.959, 10.693, 11.652]
>>> {k: round(float(v), 3) for k, v in t.gradient.items()}
{'x1': 5.5, 'x2': 1.716}
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable

import numpy as np

from dualnum.expr import Expression, PointError, parse
from dualnum.trace_render import LatexRenderer, MarkdownRenderer, TextRenderer
from dualnum.trace_tape import (
    Constant,
    Partial,
    Row,
    Step,
    check_derivatives,
    check_finite,
    fill_partials,
    forward_sweep,
    read_tape,
    reverse_sweep,
    tangent_formulas,
)

__all__ = ["trace", "Trace", "Row", "Step", "Partial", "Constant", "encodable"]

#: rows above which the (sympy) formulas are skipped: they would cost more than they show
MAX_FORMULA_ROWS = 200


class Trace:
    """The trace of one evaluation; print it, or render it as Markdown, LaTeX or JSON.

    >>> t = trace("x*x", x=3.0)
    >>> [(s.target, s.first, float(s.after)) for s in t.steps]
    [(0, True, 3.0), (0, False, 6.0)]
    """

    def __init__(self, expression: str, point: dict[str, Any], variables: list[str],
                 rows: list[Row], steps: list[Step], wrt: list[str], symbolic: bool) -> None:
        self.expression = expression
        self.point = point
        self.variables = variables
        self.rows = rows
        self.steps = steps
        self.wrt = wrt
        self.symbolic = symbolic
        self._by_index = {r.index: r for r in rows}

    def row(self, index: int) -> Row:
        """The row ``v_index`` (slides' numbering)."""
        return self._by_index[index]

    @property
    def value(self) -> Any:
        """The output value (last row)."""
        return self.rows[-1].value

    @property
    def gradient(self) -> dict[str, Any]:
        """Input name -> adjoint (the reverse sweep's result)."""
        return {r.name: r.adjoint for r in self.rows if r.op is None}

    @property
    def tangents(self) -> dict[str, Any]:
        """Seed name -> output tangent (forward mode's result)."""
        return {w: self.rows[-1].tangents[k] for k, w in enumerate(self.wrt)}

    def to_text(self, decimals: int = 3, ascii: bool = False) -> str:
        """Plain text, like the slides (unicode v₋₁, v̇, v̄; ``ascii=True`` for v[-1])."""
        return TextRenderer(self, decimals, ascii=ascii).render()

    def to_markdown(self, decimals: int = 3) -> str:
        """Markdown tables with inline math (GitHub, Jupyter)."""
        return MarkdownRenderer(self, decimals).render()

    def to_latex(self, decimals: int = 3) -> str:
        """LaTeX: the trace as an ``array`` and the reverse sweep as ``aligned``."""
        return LatexRenderer(self, decimals).render()

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready builtins (floats, lists, strings)."""
        def row_dict(r: Row) -> dict[str, Any]:
            return {"index": r.index, "op": r.op, "name": r.name,
                    "operands": [o if isinstance(o, int) else {"constant": _plain(o.value)}
                                 for o in r.operands],
                    "kwargs": {k: _plain(v) for k, v in r.kwargs.items()},
                    "definition": TextRenderer(self, 17, ascii=True).definition(r),
                    "value": _plain(r.value),
                    "partials": [{"source": p.source, "value": _plain(p.partial),
                                  "formula": p.formula("text")} for p in r.partials],
                    "tangents": {w: _plain(r.tangents[k]) for k, w in enumerate(self.wrt)},
                    "tangent_formulas": ({w: r.tangent_formulas[k]
                                          for k, w in enumerate(self.wrt)}
                                         if r.tangent_formulas else None),
                    "adjoint": _plain(r.adjoint), "kink": r.kink}

        return {"expression": self.expression,
                "point": {k: _plain(v) for k, v in self.point.items()},
                "variables": list(self.variables), "wrt": list(self.wrt),
                "value": _plain(self.value),
                "gradient": {k: _plain(v) for k, v in self.gradient.items()},
                "tangents": {k: _plain(v) for k, v in self.tangents.items()},
                "rows": [row_dict(r) for r in self.rows],
                "adjoint_steps": [{"target": s.target, "source": s.source,
                                   "partial": _plain(s.partial),
                                   "formula": s.formula("text"),
                                   "adjoint_in": _plain(s.adjoint_in),
                                   "contribution": _plain(s.contribution),
                                   "before": _plain(s.before), "after": _plain(s.after),
                                   "first": s.first} for s in self.steps]}

    def to_json(self, **kwargs: Any) -> str:
        """``json.dumps(self.to_dict())``."""
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        text = self.to_text()
        return text if encodable(text) else self.to_text(ascii=True)

    def __repr__(self) -> str:
        return (f"<Trace of {self.expression!r}: {len(self.rows)} rows, "
                f"value {_plain(self.value)}>")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        return LatexRenderer(self).render(delimiters=("$$", "$$"))


def encodable(text: str, stream: Any = None) -> bool:
    """Whether ``stream`` (default ``sys.stdout``) can print ``text`` (v₋₁, ∂, v̄) as it is.

    >>> import io
    >>> ascii_terminal = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    >>> encodable("v[-1]", ascii_terminal), encodable("v₋₁", ascii_terminal)
    (True, False)
    """
    enc = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(enc)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _plain(v: Any) -> Any:
    if v is None:
        return None
    a = np.asarray(v)
    if a.dtype == object:
        return str(v)
    if np.iscomplexobj(a):
        return {"re": _plain(a.real), "im": _plain(a.imag)}
    return a.tolist() if a.ndim else float(a)


def trace(f: Callable[..., Any] | str | Expression, at: dict[str, Any] | None = None, *,
          wrt: list[str] | str | None = None, symbolic: bool = False, formulas: bool = True,
          order: str = "slides", **point: Any) -> Trace:
    """Record ``f`` at ``point`` and return its :class:`Trace`.

    ``f`` is an expression string (parsed safely by :func:`dualnum.expr.parse`), a parsed
    :class:`~dualnum.expr.Expression`, or a Python function called with the point's values by
    keyword. The point is given by keyword (``x1=2``) or as a dict ``at`` (needed for
    variables called like this function's options, e.g. ``wrt``). ``wrt`` picks the inputs
    that seed tangent columns (default: all; an array input is seeded with ones, so its
    column is the derivative along that direction);
    ``symbolic=True`` adds each tangent as a sympy formula in the inputs; ``formulas=False``
    skips the local partials' formulas (``1/v₋₁``), which need sympy. ``order="slides"``
    numbers the operations level by level like the slides (``"tape"``: recording order).

    >>> t = trace(lambda a, b: a * b + a, a=3.0, b=4.0, wrt="a")
    >>> float(t.tangents["a"]), float(t.gradient["b"])
    (5.0, 3.0)
    """
    from dualnum.tape import Tape

    if at is not None:
        clash = set(at) & set(point)
        if clash:
            raise PointError(f"value for {', '.join(sorted(clash))} given twice")
        point = {**at, **point}
    if isinstance(f, str):
        f = parse(f)
    if isinstance(f, Expression):
        label, names = f.text, list(f.variables)
        missing = [n for n in names if n not in point]
        extra = [n for n in point if n not in names]
        if missing or extra:
            raise PointError(f"no value for {', '.join(missing)}" if missing else
                             f"{', '.join(extra)} does not appear in the expression")
        point = {n: point[n] for n in names}
    else:
        label = getattr(f, "__name__", "f")
        if label == "<lambda>":
            label = "f"
        names = list(point)
    if not names:
        raise PointError("a trace needs at least one input")
    point = {n: (float(v) if np.ndim(v) == 0 and not np.iscomplexobj(v) else np.asarray(v))
             for n, v in point.items()}
    seeds = [wrt] if isinstance(wrt, str) else list(wrt or names)
    for k, w in enumerate(seeds):
        if w not in names:
            raise PointError(f"wrt {w!r} is not an input (inputs: {', '.join(names)})")
        if w in seeds[:k]:
            raise PointError(f"wrt {w!r} given twice")

    with np.errstate(all="ignore"), Tape() as tape:
        boxes = {n: tape.var(v, n) for n, v in point.items()}
        out = f(**boxes)
    rows = read_tape(tape, boxes, out, names, order)
    check_finite(rows)
    fill_partials(rows, formulas and len(rows) <= MAX_FORMULA_ROWS)
    check_derivatives(rows)
    forward_sweep(rows, seeds)
    steps = reverse_sweep(rows)
    if symbolic and len(rows) <= MAX_FORMULA_ROWS:
        tangent_formulas(rows, names, seeds)
    return Trace(label, point, names, rows, steps, seeds, symbolic)


