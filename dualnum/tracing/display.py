"""Notebook display of the objects a user holds: a recorded tape as an HTML table of its
entries with its graph, a Dual number as LaTeX.

The box types call these from their ``_repr_html_``/``_repr_latex_`` (the renderers live here,
with the trace's, so that the core modules carry no formatting code).

>>> import dualnum as dn
>>> with dn.Tape() as tape:
...     x = tape.var(3.0, "x")
...     y = x * x
>>> html = tape_html(tape)
>>> "<table" in html and "multiply" in html
True
>>> dual_latex(dn.Dual(2.0, 1.0))
'$2 + 1\\\\,\\\\varepsilon$'
"""
from __future__ import annotations

import html
from typing import Any

import numpy as np

from dualnum.primitive import Box, unbox_all
from dualnum.tracing.graph import Graph, GraphTooLarge, summary
from dualnum.tracing.notation import fmt

__all__ = ["tape_html", "dual_latex"]

#: entries above which the table shows the first and last ones only
MAX_TABLE_ROWS = 60

_CSS = ("border-collapse:collapse;font-family:monospace;font-size:12px",
        "border:1px solid #ccc;padding:2px 6px;text-align:left")


def tape_html(tape: Any) -> str:
    """The tape's entries as an HTML table (index, name, op, inputs, value, adjoint), and its
    graph as inline SVG when the ``plot`` extra is installed and the graph is small enough."""
    entries = list(tape.entries)
    table, cell = _CSS
    head = "".join(f'<th style="{cell}">{h}</th>'
                   for h in ("entry", "name", "op", "reads", "value", "adjoint"))
    shown = entries if len(entries) <= MAX_TABLE_ROWS else (
        entries[:MAX_TABLE_ROWS // 2] + [None] + entries[-MAX_TABLE_ROWS // 2:])
    rows = []
    for e in shown:
        if e is None:
            rows.append(f'<tr><td style="{cell}" colspan="6">… '
                        f'{len(entries) - MAX_TABLE_ROWS} entries …</td></tr>')
            continue
        reads = ", ".join(f"v{i}" if i is not None else "const" for i in e.inputs) \
            if e.op != "input" else ""
        adj = "" if e.adjoint is None else summary(e.adjoint)
        cells = (f"v{e.index}", e.name or "", e.op, reads, summary(e.value), adj)
        rows.append("<tr>" + "".join(f'<td style="{cell}">{html.escape(str(c))}</td>'
                                     for c in cells) + "</tr>")
    out = [f"<div><b>Tape</b>: {len(entries)} entries"
           f'<table style="{table}"><tr>{head}</tr>{"".join(rows)}</table>']
    if entries:
        try:
            svg = Graph.from_tape(tape).to_svg()
        except (ImportError, GraphTooLarge) as why:
            out.append(f"<p><i>{html.escape(str(why))}</i></p>")
        else:
            out.append(svg[svg.index("<svg"):])      # inline: without the XML prologue
    out.append("</div>")
    return "".join(out)


def dual_latex(d: Any) -> str:
    """A Dual number as LaTeX, ``a + b\\,ε`` (arrays as matrices when small)."""
    return f"${_latex(d.primal)} + {_latex(d.tangent)}\\,\\varepsilon$"


def _latex(v: Any) -> str:
    if isinstance(v, Box):
        return r"\left(" + _latex(unbox_all(v)) + r"\right)"
    a = np.asarray(v)
    if a.dtype == object:
        return r"\text{" + html.escape(str(v)) + "}"
    if a.ndim == 0:
        return fmt(a[()], 6)
    if a.ndim <= 2 and a.size <= 36:
        rows = a.reshape(1, -1) if a.ndim == 1 else a
        body = r" \\ ".join(" & ".join(fmt(x, 6) for x in r) for r in rows)
        return r"\begin{bmatrix}" + body + r"\end{bmatrix}"
    return r"\text{" + summary(a) + "}"
