"""The trace's data model: the rows, local partials and reverse-sweep steps of one evaluation.

A :class:`Trace` is a table in the slides' numbering: the ``n`` inputs are ``v_{1-n} ... v_0``
and every elementary operation is one :class:`Row` ``v_i = op(v_j, ...)`` with its value, its
tangent column(s) ``v̇_i`` (one per seeded input), its adjoint ``v̄_i`` and its local partials
``∂v_i/∂v_j`` (:class:`Partial`). Each accumulation of the reverse sweep,
``v̄_j = v̄_j + v̄_i · ∂v_i/∂v_j``, is one :class:`Step`. :func:`dualnum.tracing.trace` fills
all of it from one recording; the renderers (:mod:`dualnum.tracing.render`) only read it.

>>> from dualnum.tracing import trace
>>> t = trace("x*x", x=3.0)
>>> [(r.index, r.op, r.operands) for r in t.rows]
[(0, None, ()), (1, 'multiply', (0, 0))]
>>> [(s.target, s.first, float(s.after)) for s in t.steps]
[(0, True, 3.0), (0, False, 6.0)]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dualnum.tracing.graph import Graph
from dualnum.tracing.render import (
    DictRenderer, LatexRenderer, MarkdownRenderer, TextRenderer, encodable, plain,
)

__all__ = ["Trace", "Row", "Step", "Partial", "Constant"]


@dataclass(frozen=True)
class Constant:
    """An operand that is not on the tape (a literal such as the 2 in ``2*x``)."""

    value: Any


class _Formulas:
    """What a partial and a step share: the partial's formulas, by kind."""

    formulas: dict[str, str]

    def formula(self, kind: str) -> str | None:
        """The partial as a formula in the operands (``kind``: "text" or "latex")."""
        return self.formulas.get(kind)


@dataclass
class Partial(_Formulas):
    """``∂v_row/∂v_source`` for one operand of a row (``partial`` None: a structural op)."""

    source: int
    position: int
    partial: Any
    formulas: dict[str, str] = field(default_factory=dict)


@dataclass
class Row:
    """One line of the trace: an input (``op`` None) or ``v_i = op(operands)``; ``entry`` is
    the index of the tape entry the row was read from."""

    index: int
    op: str | None
    name: str | None
    operands: tuple
    value: Any
    kwargs: dict = field(default_factory=dict)
    partials: list[Partial] = field(default_factory=list)
    tangents: list[Any] = field(default_factory=list)
    adjoint: Any = 0.0
    kink: str | None = None
    tangent_formulas: list[str] | None = None
    tangent_latex: list[str] | None = None
    entry: int | None = None


@dataclass
class Step(_Formulas):
    """One accumulation of the reverse sweep: ``v̄_target (+)= v̄_source · ∂v_source/∂v_target``."""

    target: int
    source: int
    partial: Any
    adjoint_in: Any
    contribution: Any
    before: Any
    after: Any
    first: bool
    formulas: dict[str, str] = field(default_factory=dict)


class Trace:
    """The trace of one evaluation; print it, or render it as Markdown, LaTeX or JSON.

    >>> from dualnum.tracing import trace
    >>> t = trace("ln(x1) + x1*x2 - sin(x2)", x1=2, x2=5)
    >>> [round(float(r.value), 3) for r in t.rows]
    [2.0, 5.0, 0.693, 10.0, -0.959, 10.693, 11.652]
    >>> {k: round(float(v), 3) for k, v in t.gradient.items()}
    {'x1': 5.5, 'x2': 1.716}
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

    def graph(self) -> Graph:
        """The computational graph: a node per row (value, tangents, adjoint), an edge per
        operand labelled with its local partial; ``.to_dot()``, ``.to_svg()``, ``.to_png()``.

        >>> from dualnum.tracing import trace
        >>> trace("x*y", x=2.0, y=3.0).graph()
        <Graph: 3 nodes, 2 edges>
        """
        return Graph.from_rows(self.rows, title=self.expression, seeds=self.wrt)

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready builtins (floats, lists, strings)."""
        return DictRenderer(self).render()

    def to_json(self, **kwargs: Any) -> str:
        """``json.dumps(self.to_dict())``."""
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        text = self.to_text()
        return text if encodable(text) else self.to_text(ascii=True)

    def __repr__(self) -> str:
        return (f"<Trace of {self.expression!r}: {len(self.rows)} rows, "
                f"value {plain(self.value)}>")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        return LatexRenderer(self).render(delimiters=("$$", "$$"))
