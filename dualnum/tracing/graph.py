"""The computational graph of one evaluation, drawn: one node per input and elementary
operation, one edge per operand, labelled with its local partial ``∂vᵢ/∂vⱼ``.

A :class:`Graph` is read from a :class:`~dualnum.tracing.model.Trace` (every node then carries
its value, tangent(s) and adjoint) or from a recorded :class:`~dualnum.tape.Tape` (values, and
adjoints once a sweep has run). Nodes sit in columns by topological depth: the inputs at the
left, each operation one column right of the deepest operand it reads, the output at the right.

* :meth:`Graph.to_dot` writes Graphviz's DOT text (always available: paste it into any DOT
  viewer, or ``dot -Tsvg``);
* :meth:`Graph.to_svg` and :meth:`Graph.to_png` draw it with networkx (the layout by depth) and
  matplotlib (the drawing): the ``plot`` extra, ``pip install 'dualnum-toolkit[plot]'``; no
  system binary is needed. In a notebook a graph displays itself as inline SVG.

>>> from dualnum.tracing import trace
>>> g = trace("ln(x1) + x1*x2 - sin(x2)", x1=2, x2=5).graph()
>>> [(n.label, n.depth) for n in g.nodes]
[('x1', 0), ('x2', 0), ('ln', 1), ('×', 1), ('sin', 1), ('+', 2), ('−', 3)]
>>> [(e.source, e.target, e.label) for e in g.edges][:3]
[(-1, 1, '1/v₋₁ = 0.5'), (-1, 2, 'v₀ = 5'), (0, 2, 'v₋₁ = 2')]
>>> print(g.to_dot().splitlines()[0])
digraph dualnum {
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from dualnum.primitive import ONE, partial_at, unbox_all
from dualnum.rules import get_rule
from dualnum.tracing.notation import fmt, subscript_name

if TYPE_CHECKING:   # the model imports this module (Trace.graph): its types for hints only
    from dualnum.tracing.model import Partial, Row

__all__ = ["Graph", "Node", "Edge", "GraphTooLarge", "MAX_NODES"]

#: nodes above which a graph refuses to draw itself (it would not be readable)
MAX_NODES = 200

# the operators the slides write as symbols; every other op keeps its name
_SYMBOLS = {"add": "+", "subtract": "−", "multiply": "×", "divide": "÷", "negative": "−",
            "power": "^", "matmul": "@", "log": "ln"}


_INFIX = ("+", "−", "×", "÷", "^", "@")


class GraphTooLarge(ValueError):
    """A graph with more nodes than :data:`MAX_NODES`: drawing it would show nothing."""


@dataclass
class Node:
    """One input or elementary operation: ``label`` is the input's name or the op's symbol."""

    id: int
    name: str               # the row's name in the slides' numbering: v₋₁, v₀, v₁, ...
    label: str
    op: str | None
    value: Any
    depth: int = 0
    tangents: list = field(default_factory=list)
    adjoint: Any = None
    kink: str | None = None
    seeds: list = field(default_factory=list)        # the input each tangent is seeded on
    operands: list = field(default_factory=list)     # node ids, or constants, in order

    def expression(self, decimals: int = 3) -> str:
        """The operation as the slides write it: ``v₋₁ × v₀``, ``ln(v₋₁)``, ``1 ÷ v₄``."""
        if self.op is None:
            return self.label
        ops = [subscript_name(o) if _is_row(o) else summary(o, decimals)
               for o in self.operands]
        if self.label in _INFIX and len(ops) == 2:
            return f"{ops[0]} {self.label} {ops[1]}"
        if self.op == "negative" and len(ops) == 1:
            return f"−{ops[0]}"
        return f"{self.label}({', '.join(ops)})"

    def lines(self, decimals: int = 3) -> list[str]:
        """The text inside the node's box: name and op, value, tangent(s), adjoint."""
        out = [f"{self.name} = {self.expression(decimals)}",
               f"value {summary(self.value, decimals)}"]
        for k, t in enumerate(self.tangents):
            seed = self.seeds[k] if k < len(self.seeds) else str(k)
            dot = "v̇" if len(self.tangents) == 1 else f"v̇[{seed}]"
            out.append(f"{dot} {summary(t, decimals)}")
        if self.adjoint is not None:
            out.append(f"v̄ {summary(self.adjoint, decimals)}")
        if self.kink:
            out.append("at a kink")
        return out


@dataclass
class Edge:
    """Operand ``source`` of node ``target`` (``position``: which argument), with the local
    partial ``∂v_target/∂v_source`` (None for structural operations, whose partial is not a
    number but a linear map)."""

    source: int
    target: int
    position: int
    partial: Any = None
    formula: str | None = None

    @property
    def label(self) -> str:
        """``formula = value`` (or just one of them; empty for a structural operation)."""
        if self.partial is None:
            return self.formula or ""
        value = summary(self.partial)
        if self.formula and self.formula != value:
            return f"{self.formula} = {value}"
        return value


def summary(v: Any, decimals: int = 3) -> str:
    """A value short enough for a node: a number, a short vector, or shape and range.

    >>> summary(2.0), summary(np.array([1.0, 0.5])), summary(np.arange(12.0).reshape(3, 4))
    ('2', '[1, 0.5]', 'shape (3, 4), 0 … 11')
    """
    v = unbox_all(v)
    a = np.asarray(v)
    if a.dtype == object:
        return str(v)
    if a.ndim == 0 or a.size <= 4 and a.ndim == 1:
        return fmt(a[()] if a.ndim == 0 else a, decimals)
    if a.size == 0:
        return f"shape {a.shape}, empty"
    if np.iscomplexobj(a):
        return f"shape {a.shape}, complex, |·| ≤ {fmt(np.max(np.abs(a)), decimals)}"
    return f"shape {a.shape}, {fmt(np.min(a), decimals)} … {fmt(np.max(a), decimals)}"


class Graph:
    """Nodes (in topological order) and edges of one evaluation; see the module docstring."""

    def __init__(self, nodes: list[Node], edges: list[Edge], title: str = "") -> None:
        self.nodes = nodes
        self.edges = edges
        self.title = title

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_rows(cls, rows: list[Row], title: str = "", seeds: list | None = None) -> Graph:
        """The graph of trace rows (slides' numbering: inputs ``v₁₋ₙ … v₀``); ``seeds`` name
        the input each tangent column is seeded on."""
        depth: dict[int, int] = {}
        nodes, edges = [], []
        for r in rows:
            # an operand is a row index, or a Constant (a literal, not a node)
            sources = [o for o in r.operands if _is_row(o)]
            depth[r.index] = 1 + max((depth[s] for s in sources), default=-1) if r.op else 0
            label = r.name if r.op is None else _SYMBOLS.get(r.op, r.op)
            nodes.append(Node(
                id=r.index, name=subscript_name(r.index), label=label or "", op=r.op,
                value=r.value, depth=depth[r.index], tangents=list(r.tangents),
                adjoint=r.adjoint, kink=r.kink, seeds=list(seeds or []),
                operands=[o if _is_row(o) else o.value for o in r.operands]))
            by_position = {p.position: p for p in r.partials}
            for k, o in enumerate(r.operands):
                if not _is_row(o):
                    continue
                p: Partial | None = by_position.get(k)
                edges.append(Edge(source=o, target=r.index, position=k,
                                  partial=None if p is None else p.partial,
                                  formula=None if p is None else p.formula("text")))
        return cls(nodes, edges, title)

    @classmethod
    def from_tape(cls, tape: Any, out: Any = None) -> Graph:
        """The graph of a recorded tape: every entry, or only those ``out`` depends on.

        Nodes are numbered by tape entry; values are the recorded ones; adjoints appear once
        ``tape.gradient`` has run.

        >>> import dualnum as dn
        >>> with dn.Tape() as tape:
        ...     x = tape.var(3.0, "x")
        ...     y = x * x + 1.0
        >>> g = Graph.from_tape(tape, y)
        >>> [(n.name, n.label, n.value) for n in g.nodes]
        [('v₀', 'x', 3.0), ('v₁', '×', 9.0), ('v₂', '+', 10.0)]
        >>> [e.label for e in g.edges]
        ['3', '3', '1']
        """
        entries = list(tape.entries)
        if out is not None:
            last = getattr(out, "index", None)
            if getattr(out, "tape", None) is not tape or last is None:
                raise ValueError("Graph.from_tape: `out` is not a variable of this tape")
            needed = {last}
            for e in reversed(entries[:last + 1]):
                if e.index in needed:
                    needed.update(i for i in e.inputs if i is not None)
            entries = [e for e in entries[:last + 1] if e.index in needed]
        depth: dict[int, int] = {}
        nodes, edges = [], []
        for e in entries:
            is_input = e.op == "input"
            srcs = [i for i in e.inputs if i is not None] if not is_input else []
            depth[e.index] = 1 + max((depth.get(i, 0) for i in srcs), default=-1) \
                if not is_input else 0
            label = (e.name or subscript_name(e.index)) if is_input else _SYMBOLS.get(e.op, e.op)
            args = [unbox_all(a) for a in e.args]
            nodes.append(Node(
                id=e.index, name=subscript_name(e.index), label=label, op=None if is_input
                else e.op, value=unbox_all(e.value), depth=depth[e.index],
                adjoint=None if e.adjoint is None else unbox_all(e.adjoint),
                operands=[] if is_input else [a if i is None else i
                                              for i, a in zip(e.inputs, args)]))
            if is_input:
                continue
            partials = _local_partials(e.op, args, unbox_all(e.value), e.kwargs)
            for k, i in enumerate(e.inputs):
                if i is not None:
                    edges.append(Edge(source=i, target=e.index, position=k,
                                      partial=partials[k] if partials else None))
        return cls(nodes, edges, "tape")

    # ------------------------------------------------------------------ writing
    def check_size(self, max_nodes: int = MAX_NODES) -> None:
        """Raise :class:`GraphTooLarge` above ``max_nodes``, saying how to narrow the graph."""
        if len(self.nodes) > max_nodes:
            raise GraphTooLarge(
                f"the graph has {len(self.nodes)} nodes, more than {max_nodes} can show: "
                "draw a smaller piece (a Graph.from_tape(tape, out) of an intermediate value, "
                "a trace of one layer or of a smaller batch), or pass max_nodes= to draw it "
                "anyway")

    def to_dot(self, decimals: int = 3) -> str:
        """Graphviz DOT text: left to right, one rank per depth, edges labelled with their
        partials (DOT needs no extra package)."""
        out = ["digraph dualnum {",
               '  rankdir=LR; node [shape=box, style="rounded", fontname="Helvetica"];',
               '  edge [fontname="Helvetica", fontsize=10];']
        if self.title:
            out.append(f"  label={_dot_str(self.title)}; labelloc=t;")
        for n in self.nodes:
            shape = ', style="rounded,filled", fillcolor="#e8f0fe"' if n.op is None else ""
            out.append(f"  {_dot_id(n.id)} [label={_dot_str(chr(10).join(n.lines(decimals)))}"
                       f"{shape}];")
        for e in self.edges:
            label = f" [label={_dot_str(e.label)}]" if e.label else ""
            out.append(f"  {_dot_id(e.source)} -> {_dot_id(e.target)}{label};")
        for d in sorted({n.depth for n in self.nodes}):
            same = " ".join(_dot_id(n.id) + ";" for n in self.nodes if n.depth == d)
            out.append(f"  {{ rank=same; {same} }}")
        out.append("}")
        return "\n".join(out) + "\n"

    def to_svg(self, decimals: int = 3, max_nodes: int = MAX_NODES) -> str:
        """The graph drawn as SVG text (needs the ``plot`` extra: networkx and matplotlib)."""
        buf = io.BytesIO()
        self._draw(buf, "svg", decimals, max_nodes)
        return buf.getvalue().decode("utf-8")

    def to_png(self, decimals: int = 3, max_nodes: int = MAX_NODES, dpi: int = 110) -> bytes:
        """The graph drawn as PNG bytes (needs the ``plot`` extra)."""
        buf = io.BytesIO()
        self._draw(buf, "png", decimals, max_nodes, dpi=dpi)
        return buf.getvalue()

    def save(self, path: str, fmt_: str | None = None, decimals: int = 3) -> None:
        """Write the graph to ``path`` as dot, svg or png (by ``fmt_`` or the file's suffix)."""
        kind = (fmt_ or path.rsplit(".", 1)[-1]).lower()
        if kind == "dot":
            data: bytes = self.to_dot(decimals).encode("utf-8")
        elif kind == "svg":
            data = self.to_svg(decimals).encode("utf-8")
        elif kind == "png":
            data = self.to_png(decimals)
        else:
            raise ValueError(f"graph format {kind!r}: use dot, svg or png")
        with open(path, "wb") as f:
            f.write(data)

    def _repr_svg_(self) -> str | None:
        # in a notebook: the drawing when the plot extra is there (and the graph is not too
        # big to read); None lets the notebook fall back to the text repr
        try:
            return self.to_svg()
        except (ImportError, GraphTooLarge):
            return None

    def __repr__(self) -> str:
        return f"<Graph: {len(self.nodes)} nodes, {len(self.edges)} edges>"

    def _draw(self, buf: Any, kind: str, decimals: int, max_nodes: int, dpi: int = 110) -> None:
        self.check_size(max_nodes)
        nx, Figure, rc_context = _plot_modules()
        G = nx.DiGraph()
        for n in self.nodes:
            G.add_node(n.id, layer=n.depth)
        G.add_edges_from((e.source, e.target) for e in self.edges)
        pos = nx.multipartite_layout(G, subset_key="layer", align="vertical")
        layers = max(n.depth for n in self.nodes) + 1
        tallest = max(sum(1 for n in self.nodes if n.depth == d) for d in range(layers))
        height = max(2.0, 1.25 * tallest + 0.8)
        fig = Figure(figsize=(max(3.0, 2.8 * layers), height))
        ax = fig.add_axes((0.02, 0.02, 0.96, 1.0 - 0.6 / height))
        ax.set_axis_off()
        with rc_context({"svg.hashsalt": "dualnum", "svg.fonttype": "none"}):
            nx.draw_networkx_edges(G, pos, ax=ax, arrows=True, arrowsize=12, node_size=2600,
                                   edge_color="#555555", connectionstyle="arc3,rad=0.06")
            labels = {(e.source, e.target): e.label for e in self.edges if e.label}
            if labels:
                # nearer the operand than the result: edges into one node converge there
                nx.draw_networkx_edge_labels(G, pos, edge_labels=labels, ax=ax, font_size=7,
                                             label_pos=0.68, rotate=False)
            for n in self.nodes:
                x, y = pos[n.id]
                ax.text(x, y, "\n".join(n.lines(decimals)), ha="center", va="center",
                        fontsize=7.5, family="DejaVu Sans",
                        bbox=dict(boxstyle="round,pad=0.4", lw=0.8, ec="#333333",
                                  fc="#e8f0fe" if n.op is None else "#ffffff"))
            ax.margins(0.12, 0.18)
            if self.title:
                fig.suptitle(self.title, fontsize=9, y=1.0 - 0.15 / height, va="top")
            fig.savefig(buf, format=kind, dpi=dpi, metadata=_metadata(kind))


def _is_row(operand: Any) -> bool:
    return isinstance(operand, (int, np.integer))


def _local_partials(op: str, args: list, ans: Any, kwargs: dict | None) -> list | None:
    """The elementwise partials ``∂ans/∂arg_k`` of a tape entry from the rule table, or None
    for a structural operation (its partial is a linear map, shown without a number)."""
    try:
        prim = get_rule(op)
    except KeyError:
        return None
    if prim.partials is None or kwargs:
        return None
    with np.errstate(all="ignore"):
        return [None if d is None else 1.0 if d is ONE else unbox_all(partial_at(d, args, ans))
                for d in prim.partials]


def _plot_modules() -> tuple:
    # the plot extra is optional: imported when a drawing is asked for, with a one-line hint
    try:
        import networkx as nx
        from matplotlib import rc_context
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(f"drawing a graph needs the plot extra ({e.name} is missing): "
                          "pip install 'dualnum-toolkit[plot]'; Graph.to_dot() needs "
                          "nothing") from None
    return nx, Figure, rc_context


def _metadata(kind: str) -> dict:
    # no creation date in the file: the same graph gives the same bytes
    return {"Date": None} if kind == "svg" else {"Software": "dualnum"}


def _dot_id(i: int) -> str:
    return f"n{i}" if i >= 0 else f"m{-i}"


def _dot_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
