"""Traces like Lepetit's slides, checked against the slides' own numbers and against sympy."""

import json
import math
import re

import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.cli import main
from dualnum.tracing import trace

LEPETIT = "ln(x1) + x1*x2 - sin(x2)"
# The slides' tables (Lepetit, "Optimization for Deep Learning", forward primal / tangent
# trace with x1' = 1, x2' = 0, and the reverse adjoint trace), computed here with math only.
VALUES = {-1: 2.0, 0: 5.0, 1: math.log(2), 2: 10.0, 3: math.sin(5),
          4: math.log(2) + 10, 5: math.log(2) + 10 - math.sin(5)}
TANGENTS_X1 = {-1: 1.0, 0: 0.0, 1: 0.5, 2: 5.0, 3: 0.0, 4: 5.5, 5: 5.5}
ADJOINTS = {5: 1.0, 4: 1.0, 3: -1.0, 2: 1.0, 1: 1.0, 0: 2 - math.cos(5), -1: 5.5}
DEFINITIONS = {1: ("log", (-1,)), 2: ("multiply", (-1, 0)), 3: ("sin", (0,)),
               4: ("add", (1, 2)), 5: ("subtract", (4, 3))}
SHOWN = {-1: ("2", "1", "5.5"), 0: ("5", "0", "1.716"), 1: ("0.693", "0.5", "1"),
         2: ("10", "5", "1"), 3: ("-0.959", "0", "-1"), 4: ("10.693", "5.5", "1"),
         5: ("11.652", "5.5", "1")}
SUB = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")


def test_rows_follow_the_slides_numbering_and_values():
    t = trace(LEPETIT, x1=2, x2=5, wrt="x1")
    assert [r.index for r in t.rows] == [-1, 0, 1, 2, 3, 4, 5]
    for r in t.rows:
        assert float(r.value) == pytest.approx(VALUES[r.index], abs=1e-15)
        assert r.tangents[0] == pytest.approx(TANGENTS_X1[r.index], abs=1e-15)
        assert r.adjoint == pytest.approx(ADJOINTS[r.index], abs=1e-15)
        if r.op is not None:
            assert (r.op, r.operands) == DEFINITIONS[r.index]
    assert t.gradient["x1"] == pytest.approx(5.5)
    assert t.gradient["x2"] == pytest.approx(1.716, abs=5e-4)


def test_adjoint_steps_in_sweep_order_like_the_slides():
    t = trace(LEPETIT, x1=2, x2=5)
    got = [(s.target, s.source, s.first, round(float(s.after), 3)) for s in t.steps]
    assert got == [(4, 5, True, 1.0), (3, 5, True, -1.0), (1, 4, True, 1.0), (2, 4, True, 1.0),
                   (0, 3, True, -0.284), (-1, 2, True, 5.0), (0, 2, False, 1.716),
                   (-1, 1, False, 5.5)]
    assert t.steps[-1].formula("text") == "1/v₋₁"     # ∂v1/∂v-1 = 1/v-1, as on the slides


def _text_rows(text):
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^(v[₋₀-₉]+) = (.+?)\s{2,}(\S+)\s+(\S+)\s+(\S+)\s*$", line)
        if m:
            rows[m.group(1)] = m.groups()[1:]
    return rows


def test_text_format():
    out = trace(LEPETIT, x1=2, x2=5, wrt="x1").to_text()
    rows = _text_rows(out)
    defs = {-1: "x1", 0: "x2", 1: "ln v₋₁", 2: "v₋₁ × v₀", 3: "sin v₀", 4: "v₁ + v₂",
            5: "v₄ − v₃"}
    for i, (value, tangent, adjoint) in SHOWN.items():
        assert rows["v" + str(i).translate(SUB)] == (defs[i], value, tangent, adjoint)
    assert "v̄₀ = v̄₀ + v̄₂ · [∂v₂/∂v₀ = v₋₁] = -0.284 + 1 × 2 = 1.716" in out
    assert "gradient: x̄1 = v̄₋₁ = 5.5, x̄2 = v̄₀ = 1.716" in out


def test_markdown_format():
    md = trace(LEPETIT, x1=2, x2=5, wrt="x1").to_markdown()
    cells = {}
    for line in md.splitlines():
        parts = [c.strip() for c in line.strip("|").split("|")]
        if len(parts) == 5 and parts[0].startswith("$v_{"):
            cells[int(parts[0][4:-2])] = tuple(parts[1:])
    assert cells[1] == ("$\\ln v_{-1}$",) + SHOWN[1]
    assert cells[2] == ("$v_{-1} \\times v_{0}$",) + SHOWN[2]
    for i, shown in SHOWN.items():
        assert cells[i][1:] == shown
    assert t_md_has_gradient(md)


def t_md_has_gradient(md):
    return "$\\bar{x}_{1} = 5.5$" in md and "$\\bar{x}_{2} = 1.716$" in md


def test_latex_format():
    tex = trace(LEPETIT, x1=2, x2=5, wrt="x1").to_latex()
    rows = {}
    for line in tex.splitlines():
        m = re.match(r"^v_\{(-?\d+)\} & = (.*?) & (.*?) & (.*?) & (.*?) \\\\", line)
        if m:
            rows[int(m.group(1))] = m.groups()[1:]
    assert rows[1] == ("\\ln v_{-1}",) + SHOWN[1]
    assert rows[5] == ("v_{4} - v_{3}",) + SHOWN[5]
    for i, shown in SHOWN.items():
        assert rows[i][1:] == shown
    assert "\\begin{array}" in tex and "\\begin{aligned}" in tex
    assert "\\frac{1}{v_{-1}}" in tex


def test_json_format_via_the_command(capsys):
    assert main(["trace", LEPETIT, "--at", "x1=2", "x2=5", "--wrt", "x1",
                 "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["variables"] == ["x1", "x2"]
    for row in d["rows"]:
        i = row["index"]
        assert row["value"] == pytest.approx(VALUES[i], abs=1e-15)
        assert row["tangents"]["x1"] == pytest.approx(TANGENTS_X1[i], abs=1e-15)
        assert row["adjoint"] == pytest.approx(ADJOINTS[i], abs=1e-15)
    assert d["value"] == pytest.approx(11.652071455223084)
    assert d["gradient"]["x2"] == pytest.approx(2 - math.cos(5))


def test_repeated_variable_accumulates_adjoints():
    # f = x*x + x*y: x̄ collects three contributions (y, x, x) -> 2x + y; ȳ = x.
    t = trace("x*x + x*y", x=3.0, y=2.0)
    into_x = [s for s in t.steps if s.target == -1]
    assert [float(s.contribution) for s in into_x] == [2.0, 3.0, 3.0]
    assert [s.first for s in into_x] == [True, False, False]
    assert [float(s.after) for s in into_x] == [2.0, 5.0, 8.0]
    assert t.gradient == {"x": 8.0, "y": 3.0}
    text = t.to_text()
    assert "v̄₋₁ = v̄₋₁ + v̄₁ · [∂v₁/∂v₋₁ = v₋₁] = 5 + 1 × 3 = 8" in text
    assert "\\bar{v}_{-1} &= \\bar{v}_{-1} + \\bar{v}_{1}" in t.to_latex()


@pytest.mark.parametrize("text, point", [
    ("ln(x1) + x1*x2 - sin(x2)", {"x1": 2.0, "x2": 5.0}),
    ("sigmoid(w2*sigmoid(w1*x))", {"w1": 0.3, "w2": -1.2, "x": 2.0}),
    ("1/(w0*x0 + w1)", {"x0": 3.0, "w0": -2.0, "w1": 4.0}),
    ("exp(x)*tanh(x*y) - y**3/x", {"x": 0.7, "y": -1.1}),
])
def test_tangent_and_adjoint_columns_match_sympy_and_the_tape(text, point):
    import sympy

    syms = {n: sympy.Symbol(n, real=True) for n in point}
    # an independent formula: the same text read by sympy's own parser in a test only
    expr = sympy.sympify(text.replace("ln(", "log("), locals={
        **syms, "sigmoid": lambda z: 1 / (1 + sympy.exp(-z))})
    t = trace(text, **point)
    for name in point:
        exact = float(sympy.diff(expr, syms[name]).subs({syms[k]: v for k, v in point.items()}))
        assert t.gradient[name] == pytest.approx(exact, rel=1e-12)
        assert t.tangents[name] == pytest.approx(exact, rel=1e-12)
    with dn.Tape() as tape:
        xs = [tape.var(v, n) for n, v in point.items()]
        from dualnum.expr import parse
        y = parse(text)(**dict(zip(point, xs, strict=True)))
    assert tape.gradient(y, xs) == pytest.approx([t.gradient[n] for n in point], rel=1e-14)


def test_trace_of_a_python_function_and_kink_marks():
    t = trace(lambda a, b: dnp.relu(a) * b + dnp.maximum(a, b), a=0.0, b=0.0)
    marked = {r.op: r.kink for r in t.rows if r.kink}
    assert marked["relu"] == dn.get_rule("relu").kink.convention
    assert "tie" in marked["maximum"]
    assert "kink: relu'(0) = 0" in t.to_text()
    # PyTorch conventions: relu'(0) = 0, a tie of maximum gives 1/2 to each side
    assert t.gradient == {"a": 0.5, "b": 0.5}


def test_symbolic_tangent_column():
    t = trace(LEPETIT, x1=2, x2=5, wrt="x1", symbolic=True)
    assert t.rows[-1].tangent_formulas == ["x2 + 1/x1"]
    assert t.to_dict()["rows"][-1]["tangent_formulas"] == {"x1": "x2 + 1/x1"}


def test_notebook_reprs():
    t = trace(LEPETIT, x1=2, x2=5)
    assert t._repr_markdown_().startswith("**Trace of**")
    latex = t._repr_latex_()
    assert latex.startswith("$$") and latex.rstrip().endswith("$$")
    assert "11.652" in str(t) and "11.652" in repr(t) or "Trace" in repr(t)


def test_array_inputs_and_structural_ops_match_the_tape():
    import numpy as np

    A = np.array([[2.0, -1.0], [0.5, 3.0]])
    x = np.array([1.0, -2.0])
    t = trace(lambda A, x: dnp.sum(dnp.tanh(dnp.matmul(A, x)) ** 2), A=A, x=x)
    # independent reference: the hand-derived gradient of sum(tanh(Ax)^2)
    h = np.tanh(A @ x)
    g_out = 2 * h * (1 - h ** 2)
    assert np.allclose(t.gradient["A"], np.outer(g_out, x), rtol=1e-13)
    assert np.allclose(t.gradient["x"], A.T @ g_out, rtol=1e-13)
    # the x column is seeded with ones: the derivative along (1, 1)
    assert t.tangents["x"] == pytest.approx(float(g_out @ A @ np.ones(2)), rel=1e-13)
    assert "vjp of matmul" in t.to_text()


def test_negative_numbers_after_a_plus_are_parenthesised():
    # x*x - 3 sin(x) at 3: v1 = v0², v2 = sin v0, v3 = 3 v2, v4 = v1 - v3. The tangent of v4 sums
    # 6 and 3 cos(3) = -2.97: it must read "6 × 1 + (-2.97) × (-1)", never "+ -2.97" (numbers
    # from math, not from the trace)
    t = trace("x*x - sin(x)*3", x=3.0)
    text = t.to_text(decimals=2)
    d3 = f"{3 * math.cos(3.0):.2f}"
    assert f"v̇₄ = v̇₁ · 1 + v̇₃ · (-1) = 6 × 1 + ({d3}) × (-1) = {6 - 3 * math.cos(3.0):.2f}" \
        in text, text
    # and in the sweep: v̄₀ collects 3·cos(3)·(-1) first, then x twice
    first = -3 * math.cos(3.0)
    assert f"= {first:.2f} + 1 × 3 = {first + 3:.2f}" in text
    assert "+ -" not in text and "+ -" not in t.to_latex() and "+ -" not in t.to_markdown()


def test_symbolic_column_in_markdown_matches_sympy():
    import sympy

    x, y = sympy.symbols("x y")  # as sympify reads the cells
    t = trace("x*y + sin(x)", x=3.0, y=2.0, symbolic=True)
    md = t.to_markdown()
    header = next(ln for ln in md.splitlines() if ln.startswith("| $v_i$"))
    assert "(∂/∂x, sympy)" in header and "(∂/∂y, sympy)" in header
    last = [ln for ln in md.splitlines() if ln.startswith("| $v_{")][-1]
    fx, fy = [sympy.sympify(c.strip().strip("`")) for c in last.strip("|").split("|")[-2:]]
    f = x * y + sympy.sin(x)
    assert sympy.simplify(fx - sympy.diff(f, x)) == 0 and sympy.simplify(fy - sympy.diff(f, y)) == 0


def _md_table(md, heading):
    """The rows (lists of cells) of the Markdown table that follows ``heading``."""
    lines = md.splitlines()
    start = next(k for k, ln in enumerate(lines) if ln.startswith(heading))
    rows = []
    for ln in lines[start + 2:]:
        if not ln.startswith("|"):
            if rows:
                break
            continue
        rows.append([c.strip() for c in ln.strip("|").split("|")])
    return rows[2:] if rows and rows[1][0].startswith("---") else rows[1:]


def test_markdown_has_the_tangent_trace_step_by_step():
    md = trace(LEPETIT, x1=2, x2=5, wrt="x1").to_markdown()
    rows = _md_table(md, "**Forward tangent trace** for $\\partial/\\partial x_{1}$")
    assert "$\\dot{x}_{1} = 1, \\dot{x}_{2} = 0$" in md
    # one row per trace row, ending in the slides' tangents 1, 0, 0.5, 5, 0, 5.5, 5.5
    assert [r[2] for r in rows] == [SHOWN[i][1] for i in sorted(SHOWN)]
    by_lhs = {r[0].split(" = ")[0].strip("$"): r for r in rows}
    assert by_lhs["\\dot{v}_{1}"][:2] == ["$\\dot{v}_{1} = \\dot{v}_{-1}\\,\\frac{1}{v_{-1}}$",
                                          "$1 \\times 0.5$"]
    assert by_lhs["\\dot{v}_{2}"][1] == "$1 \\times 5 + 0 \\times 2$"
    assert by_lhs["\\dot{v}_{5}"][1] == "$5.5 \\times 1 + 0 \\times \\left(-1\\right)$"
    # every number the text form shows in its tangent trace, the Markdown form shows too
    text = trace(LEPETIT, x1=2, x2=5, wrt="x1").to_text()
    text_steps = [ln.rsplit(" = ", 2) for ln in text.splitlines() if ln.startswith("  v̇")]
    md_numbers = [r[1].strip("$").replace(" \\times ", " × ").replace("\\left(", "(")
                  .replace("\\right)", ")") for r in rows]
    for (_, nums, value), md_nums, row in zip(text_steps[2:], md_numbers[2:], rows[2:],
                                              strict=True):
        assert (nums, value) == (md_nums, row[2])


def test_markdown_tangent_trace_for_every_seed():
    md = trace(LEPETIT, x1=2, x2=5).to_markdown()
    # the x2 column by hand: ẋ2 = 1, v̇2 = x1, v̇3 = cos x2, v̇5 = x1 - cos x2
    tx2 = {-1: 0.0, 0: 1.0, 1: 0.0, 2: 2.0, 3: math.cos(5), 4: 2.0, 5: 2 - math.cos(5)}
    rows = _md_table(md, "**Forward tangent trace** for $\\partial/\\partial x_{2}$")
    assert [float(r[2]) for r in rows] == pytest.approx([tx2[i] for i in sorted(tx2)],
                                                         abs=5e-4)


def test_latex_has_the_tangent_trace_step_by_step():
    tex = trace(LEPETIT, x1=2, x2=5, wrt="x1").to_latex()
    steps = {}
    for line in tex.splitlines():
        m = re.match(r"^\\dot\{v\}_\{(-?\d+)\} &= (.*) = (\S+) \\\\$", line)
        if m:
            steps[int(m.group(1))] = (m.group(2), m.group(3))
    assert {i: v for i, (_, v) in steps.items()} == {i: s[1] for i, s in SHOWN.items()}
    assert steps[1][0] == "\\dot{v}_{-1}\\,\\frac{1}{v_{-1}} = 1 \\times 0.5"
    assert steps[4][0] == "\\dot{v}_{1}\\,1 + \\dot{v}_{2}\\,1 = 0.5 \\times 1 + 5 \\times 1"
    assert "\\text{forward tangent trace for } \\partial/\\partial x_{1}" in tex
    # the summary line: the value and both adjoints, like the other forms
    assert "f = 11.652,\\quad \\bar{x}_{1} = 5.5,\\quad \\bar{x}_{2} = 1.716" in tex
    # the notebook form has the same content between $$ ... $$
    nb = trace(LEPETIT, x1=2, x2=5, wrt="x1")._repr_latex_()
    assert "\\dot{v}_{1} &= \\dot{v}_{-1}\\,\\frac{1}{v_{-1}} = 1 \\times 0.5 = 0.5" in nb


def test_latex_symbolic_tangents_match_sympy():
    import sympy

    x1, x2 = sympy.symbols("x1 x2", real=True)
    tex = trace(LEPETIT, x1=2, x2=5, wrt="x1", symbolic=True).to_latex()
    expected = sympy.latex(sympy.diff(sympy.log(x1) + x1 * x2 - sympy.sin(x2), x1))
    last = [ln for ln in tex.splitlines() if ln.startswith("\\dot{v}_{5}")][0]
    assert last.endswith(f"\\left(\\text{{sympy: }} {expected}\\right) \\\\")


def test_repeated_variable_accumulation_in_markdown():
    md = trace("x*x + x*y", x=3.0, y=2.0).to_markdown()
    sweep = _md_table(md, "**Reverse sweep**")
    into_x = [r for r in sweep if r[1].startswith("$\\bar{v}_{-1} =")]
    # x̄ = 2 (from x*y, ∂/∂x = y), then + 3 and + 3 from x*x: 2x + y = 8 at (3, 2)
    assert [r[2] for r in into_x] == ["$1 \\times 2$", "$2 + 1 \\times 3$", "$5 + 1 \\times 3$"]
    assert [r[3] for r in into_x] == ["2", "5", "8"]
    assert into_x[1][1].startswith("$\\bar{v}_{-1} = \\bar{v}_{-1} + ")


@pytest.mark.slow   # sympy formulas of a long trace
def test_markdown_tables_keep_their_columns_with_abs():
    # \left| ... \right| inside a cell would split a GitHub table: every row keeps the header's
    # number of cells
    md = trace("abs(x) * y + abs(x - y)", x=-1.5, y=2.0, symbolic=True).to_markdown()
    widths = {}
    block = 0
    for line in md.splitlines():
        if not line.startswith("|"):
            block += 1
            continue
        widths.setdefault(block, set()).add(line.count("|") - line.count("\\|"))
    assert all(len(w) == 1 for w in widths.values()), widths
    assert "\\vert" in md


def test_ascii_text_is_ascii_and_carries_the_same_numbers():
    t = trace(LEPETIT, x1=2, x2=5, wrt="x1")
    text = t.to_text(ascii=True)
    assert text.isascii()
    assert "dv[1] = dv[-1] * (1/v[-1]) = 1 * 0.5 = 0.5" in text
    assert "v[0]bar = v[0]bar + v[2]bar * [dv[2]/dv[0] = v[-1]] = -0.284 + 1 * 2 = 1.716" in text
    assert "gradient: x1bar = v[-1]bar = 5.5, x2bar = v[0]bar = 1.716" in text


def test_partials_without_formulas_are_named_not_elided():
    text = trace(LEPETIT, x1=2, x2=5, wrt="x1", formulas=False).to_text()
    assert "v̇₁ = v̇₋₁ · ∂v₁/∂v₋₁ = 1 × 0.5 = 0.5" in text


def test_symbolic_tangent_with_abs_stays_a_plain_formula():
    import sympy

    t = trace("x2 + abs(x1)*x2", x1=-2.0, x2=3.0, symbolic=True)
    x1, x2 = sympy.symbols("x1 x2", real=True)
    formulas = dict(zip(t.wrt, t.rows[-1].tangent_formulas, strict=True))
    assert "Piecewise" not in "".join(formulas.values())
    f = x2 + sympy.Abs(x1) * x2
    for got, var in ((formulas["x1"], x1), (formulas["x2"], x2)):
        diff = sympy.sympify(got, locals={"x1": x1, "x2": x2}) - sympy.diff(f, var)
        for point in ({x1: -2, x2: 3}, {x1: 0.5, x2: -1}):
            assert float(diff.subs(point)) == pytest.approx(0.0, abs=1e-14)


def test_duplicate_wrt_is_refused():
    with pytest.raises(ValueError, match="given twice"):
        trace(LEPETIT, x1=2, x2=5, wrt=["x1", "x1"])


def test_steps_are_the_tapes_own_sweep_log_in_the_slides_order():
    # the trace reads one recording: its steps are the accumulations a plain tape's sweep logs
    # (the same contributions into the same inputs), listed in the slides' row order
    with dn.Tape() as tape:
        x1, x2 = tape.var(2.0, "x1"), tape.var(5.0, "x2")
        y = dnp.log(x1) + x1 * x2 - dnp.sin(x2)
    tape.gradient(y, [x1, x2], steps=True)
    t = trace(LEPETIT, x1=2, x2=5)
    into = {0: -1, 1: 0}      # tape index of an input -> its row
    logged = sorted((into[j], c) for j, i, c in tape.steps if j in into)
    shown = sorted((s.target, s.contribution) for s in t.steps if s.target in (-1, 0))
    assert shown == logged


def test_slice_and_array_constant_operands_are_shown():
    import numpy as np

    t = trace(lambda x: dnp.sum(x[:2] * 3.0), x=np.array([3.0, 1.0, 2.0]))
    assert t.gradient["x"].tolist() == [3.0, 3.0, 0.0]
    assert "v₁ = getitem(v₀, slice(None, 2, None))" in t.to_text()
    # d/dx Σ where(x > 1.5, x, y)·x = where(c, 2x, y), d/dy = where(c, 0, x)
    t = trace(lambda x, y: dnp.sum(dnp.where(x > 1.5, x, y) * x),
              x=np.array([1.0, 2.0]), y=np.array([5.0, 6.0]))
    assert t.gradient["x"].tolist() == [5.0, 4.0] and t.gradient["y"].tolist() == [1.0, 0.0]
    assert "where([0, 1], v₋₁, v₀)" in t.to_text()
