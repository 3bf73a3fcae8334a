"""The computational graph (dualnum.tracing.graph): structure, numbers, formats, limits.

Numbers are checked against closed forms of Lepetit's function
f(x1, x2) = ln x1 + x1 x2 - sin x2 at (2, 5) (the notes' worked adjoints 5.5 and 1.716), never
against the graph's own output.
"""
from __future__ import annotations

import math
import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.cli import main
from dualnum.tracing import trace
from dualnum.tracing.graph import MAX_NODES, Graph, GraphTooLarge

LEPETIT = "ln(x1) + x1*x2 - sin(x2)"


@pytest.fixture
def lepetit():
    return trace(LEPETIT, x1=2.0, x2=5.0).graph()


def test_nodes_carry_value_tangents_and_adjoint(lepetit):
    by_label = {n.label: n for n in lepetit.nodes}
    assert by_label["ln"].value == pytest.approx(math.log(2.0))
    assert by_label["×"].value == pytest.approx(10.0)
    assert by_label["sin"].value == pytest.approx(math.sin(5.0))
    assert by_label["−"].value == pytest.approx(math.log(2.0) + 10.0 - math.sin(5.0))
    # adjoints of the inputs: the gradient (1/x1 + x2, x1 - cos x2) = (5.5, 1.716)
    assert by_label["x1"].adjoint == pytest.approx(2.5 + 3.0)
    assert by_label["x2"].adjoint == pytest.approx(2.0 - math.cos(5.0))
    # tangents: one column per seeded input; the output's are the gradient again
    assert by_label["−"].tangents == pytest.approx([5.5, 2.0 - math.cos(5.0)])
    assert by_label["sin"].tangents == pytest.approx([0.0, math.cos(5.0)])


def test_edges_are_labelled_with_the_local_partials(lepetit):
    name = {n.id: n.label for n in lepetit.nodes}
    partial = {(name[e.source], name[e.target]): e.partial for e in lepetit.edges}
    assert partial == pytest.approx({
        ("x1", "ln"): 0.5, ("x1", "×"): 5.0, ("x2", "×"): 2.0, ("x2", "sin"): math.cos(5.0),
        ("ln", "+"): 1.0, ("×", "+"): 1.0, ("+", "−"): 1.0, ("sin", "−"): -1.0})
    labels = {(name[e.source], name[e.target]): e.label for e in lepetit.edges}
    assert labels[("x1", "ln")] == "1/v₋₁ = 0.5"       # the formula and its value


def test_inputs_at_the_left_output_at_the_right(lepetit):
    depth = {n.label: n.depth for n in lepetit.nodes}
    assert depth["x1"] == depth["x2"] == 0
    for e in lepetit.edges:             # every edge goes one or more columns to the right
        src = next(n for n in lepetit.nodes if n.id == e.source)
        dst = next(n for n in lepetit.nodes if n.id == e.target)
        assert dst.depth > src.depth
    assert depth["−"] == max(depth.values())


def test_dot_has_one_statement_per_node_and_edge(lepetit):
    dot = lepetit.to_dot()
    assert dot.startswith("digraph dualnum {") and dot.rstrip().endswith("}")
    node_lines = re.findall(r"^  [nm]\d+ \[label=", dot, flags=re.M)
    edge_lines = re.findall(r"^  [nm]\d+ -> [nm]\d+", dot, flags=re.M)
    assert len(node_lines) == len(lepetit.nodes) == 7
    assert len(edge_lines) == len(lepetit.edges) == 8
    assert "rankdir=LR" in dot and dot.count("rank=same") == 4     # depths 0..3
    assert 'label="1/v₋₁ = 0.5"' in dot


def test_dot_escapes_quotes_and_backslashes():
    with dn.Tape() as tape:
        x = tape.var(1.0, 'a "quoted" \\ name')
        x * 2.0
    dot = tape.graph().to_dot()
    assert r'a \"quoted\" \\ name' in dot


def test_from_tape_reads_values_adjoints_and_array_summaries():
    A = np.arange(15.0).reshape(5, 3) / 20.0
    with dn.Tape() as tape:
        x = tape.var(np.array([1.0, 2.0, 3.0]), "x")
        unused = tape.var(7.0, "unused")
        y = dnp.sum(dnp.tanh(A @ x))
        unused * 2.0
    g_all, g_y = tape.graph(), tape.graph(y)
    assert len(g_all.nodes) == len(tape.entries)
    assert {n.label for n in g_y.nodes} == {"x", "@", "tanh", "sum"}      # ancestors of y
    assert next(n for n in g_y.nodes if n.label == "x").adjoint is None   # no sweep yet
    (gx,) = tape.gradient(y, [x])
    g_y = tape.graph(y)
    x_node = next(n for n in g_y.nodes if n.label == "x")
    want = A.T @ (1.0 - np.tanh(A @ np.array([1.0, 2.0, 3.0])) ** 2)
    np.testing.assert_allclose(x_node.adjoint, want, rtol=1e-12)
    # the structural matmul has no numeric partial; tanh's is elementwise, an array
    mm = next(n for n in g_y.nodes if n.label == "@")
    assert all(e.partial is None for e in g_y.edges if e.target == mm.id)
    assert "shape (5,)" in "\n".join(next(n for n in g_y.nodes if n.label == "tanh").lines())
    assert "[1, 2, 3]" in "\n".join(x_node.lines())


def test_from_tape_refuses_a_value_of_another_tape():
    with dn.Tape() as t1:
        a = t1.var(1.0)
    with dn.Tape() as t2:
        t2.var(1.0)
    with pytest.raises(ValueError, match="not a variable of this tape"):
        Graph.from_tape(t2, a)


def test_a_graph_too_large_to_read_refuses_and_says_how_to_narrow():
    with dn.Tape() as tape:
        x = tape.var(0.5, "x")
        y = x
        for _ in range(MAX_NODES):
            y = dnp.sin(y)
    g = tape.graph(y)
    with pytest.raises(GraphTooLarge, match=r"201 nodes, more than 200.*smaller piece"):
        g.to_svg()
    assert g.to_dot().count("->") == MAX_NODES          # DOT text has no limit


def test_svg_is_well_formed_deterministic_and_shows_every_node(lepetit):
    pytest.importorskip("matplotlib")
    pytest.importorskip("networkx")
    svg = lepetit.to_svg()
    ET.fromstring(svg.encode("utf-8"))                 # well-formed XML
    assert svg == lepetit.to_svg()                     # same graph, same bytes
    for name in ("v₋₁ = x1", "v₀ = x2", "v₅ = v₄ − v₃", "v̄ 5.5", "v̄ 1.716", "cos(v₀) = 0.284"):
        assert name in svg, name
    assert lepetit._repr_svg_() == svg
    png = lepetit.to_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_without_the_plot_extra_drawing_says_what_to_install(lepetit, monkeypatch):
    monkeypatch.setitem(sys.modules, "networkx", None)     # as if not installed
    with pytest.raises(ImportError, match=r"pip install 'dualnum-toolkit\[plot\]'"):
        lepetit.to_svg()
    assert lepetit._repr_svg_() is None                    # a notebook falls back to text
    assert lepetit.to_dot().startswith("digraph")


def test_tape_and_dual_display_in_a_notebook():
    with dn.Tape() as tape:
        x = tape.var(2.0, "x")
        y = dnp.log(x) * x
    tape.gradient(y, [x])
    html = tape._repr_html_()
    assert html.count("<tr>") == 1 + len(tape.entries)       # the header and one per entry
    assert "log" in html and "multiply" in html
    # the adjoint of x: d/dx x ln x = ln 2 + 1
    assert f"{math.log(2.0) + 1.0:.3f}".rstrip("0") in html
    assert dn.Dual(2.0, -0.5)._repr_latex_() == r"$2 + -0.5\,\varepsilon$"
    m = dn.Dual(np.eye(2), np.ones((2, 2)))._repr_latex_()
    assert m.startswith(r"$\begin{bmatrix}1 & 0 \\ 0 & 1\end{bmatrix}")


def test_cli_writes_every_graph_format(tmp_path, capsys):
    assert main(["trace", LEPETIT, "--at", "x1=2", "x2=5", "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph dualnum {")
    pytest.importorskip("matplotlib")
    pytest.importorskip("networkx")
    for fmt in ("svg", "png", "dot", "json"):
        out = tmp_path / f"g.{fmt}"
        assert main(["trace", LEPETIT, "--at", "x1=2", "x2=5", "--format", fmt,
                     "--output", str(out)]) == 0
        assert out.stat().st_size > 100, fmt
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("extra, message", [
    (["--format", "png"], "give --output FILE"),
    (["--output", "."], "is a directory"),
    (["--output", ""], "empty file name"),
    (["--output", "/dev/null/g.svg"], "/dev/null is not a directory"),
    (["--output", "/no/such/dir/g.svg"], "does not exist"),
])
def test_cli_refuses_an_unwritable_output_before_any_work(extra, message, capsys):
    assert main(["trace", LEPETIT, "--at", "x1=2", "x2=5"] + extra) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
