"""``dualnum diff``: every method agrees on the notes' scalar examples; Hessians match sympy."""

import json
import math

import numpy as np
import pytest
import sympy

from dualnum.cli import main

METHODS = ("symbolic", "forward", "reverse", "central", "richardson", "complex-step")
# how close each method must come to the exact value (relative to max(1, |exact|))
TOL1 = {"symbolic": 1e-13, "forward": 1e-13, "reverse": 1e-13, "complex-step": 1e-13,
        "richardson": 1e-9, "central": 1e-6}
TOL2 = {"symbolic": 1e-12, "forward": 1e-12, "reverse": 1e-12, "complex-step": 1e-7,
        "richardson": 1e-7, "central": 1e-6}


def sig(z):
    return 1 / (1 + math.exp(-z))


def bradbury_dE_dw1(w1, w2, x, y):
    a1 = w1 * x
    a2 = w2 * sig(a1)
    yhat = sig(a2)
    return (yhat - y) * sig(a2) * (1 - sig(a2)) * w2 * sig(a1) * (1 - sig(a1)) * x


# The notes' worked numbers (README of the seeds): (expression, point, {variable: exact}).
EXAMPLES = [
    ("ln(x1) + x1*x2 - sin(x2)", {"x1": 2, "x2": 5},                      # Lepetit
     {"x1": 5.5, "x2": 2 - math.cos(5)}),
    ("1.5*x**2 + y**2 + 2", {"x": 1.5, "y": -2},                          # Rousseau (3x, 2y)
     {"x": 4.5, "y": -4.0}),
    ("2*(3*x)", {"x": 0.7}, {"x": 6.0}),                                  # Bradbury chain rule
    ("2*(3*x) + (-x)", {"x": 0.7}, {"x": 5.0}),                           # Bradbury sum rule
    ("1/(w0*x0 + w1)", {"x0": 3, "w0": -2, "w1": 4},                      # Bradbury's graph
     {"w0": -0.75, "x0": 0.5, "w1": -0.25}),
    ("0.5*(sigmoid(w2*sigmoid(w1*x)) - y)**2", {"w1": 0.4, "w2": -1.3, "x": 1.7, "y": 1.0},
     {"w1": bradbury_dE_dw1(0.4, -1.3, 1.7, 1.0)}),
    ("sigmoid(x)", {"x": 0.8}, {"x": sig(0.8) * (1 - sig(0.8))}),         # σ' = σ(1-σ)
    ("tanh(x)", {"x": 0.8}, {"x": 1 - math.tanh(0.8) ** 2}),              # tanh' = 1 - tanh²
    ("2*sigmoid(2*x) - 1", {"x": 0.8}, {"x": 1 - math.tanh(0.8) ** 2}),   # tanh = 2σ(2x) - 1
]


def run_json(capsys, *argv):
    assert main(list(argv) + ["--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


# sympy's formulas for the nested sigmoid take 3 s: the quick loop (-m "not slow") skips it
SLOW_EXAMPLES = {"0.5*(sigmoid(w2*sigmoid(w1*x)) - y)**2"}


@pytest.mark.parametrize("text, point, exact", [
    pytest.param(*e, id=e[0], marks=pytest.mark.slow if e[0] in SLOW_EXAMPLES else ())
    for e in EXAMPLES])
def test_all_methods_agree_with_the_notes(text, point, exact, capsys):
    at = [f"{k}={v}" for k, v in point.items()]
    d = run_json(capsys, "diff", text, "--at", *at)
    for name, value in exact.items():
        row = d["partials"][name]
        for m in METHODS:
            assert "value" in row[m], (m, row[m])
            got = row[m]["value"]
            assert abs(got - value) <= TOL1[m] * max(1.0, abs(value)), (name, m, got, value)
            if m != "symbolic":
                assert row[m]["difference"] == pytest.approx(got - row["symbolic"]["value"])


def test_value_and_formulas(capsys):
    d = run_json(capsys, "diff", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2", "x2=5")
    assert d["value"] == pytest.approx(math.log(2) + 10 - math.sin(5))
    x1, x2 = sympy.symbols("x1 x2", real=True)
    got = sympy.sympify(d["partials"]["x1"]["formula"], locals={"x1": x1, "x2": x2})
    assert sympy.simplify(got - (x2 + 1 / x1)) == 0


HESSIAN_CASES = [
    ("ln(x1) + x1*x2 - sin(x2)", {"x1": 2.0, "x2": 5.0},
     lambda a, b: sympy.log(a) + a * b - sympy.sin(b)),
    ("exp(x)*sin(y) + x**3/y", {"x": 0.3, "y": 1.7},
     lambda a, b: sympy.exp(a) * sympy.sin(b) + a ** 3 / b),
    ("1/(w0*x0 + w1)", {"w0": -2.0, "x0": 3.0, "w1": 4.0}, lambda a, b, c: 1 / (a * b + c)),
    ("tanh(x*y) + sqrt(x)", {"x": 1.2, "y": -0.4},
     lambda a, b: sympy.tanh(a * b) + sympy.sqrt(a)),
]


# the quick loop takes the first (the notes' example); the others take ~1-3 s each in sympy
@pytest.mark.parametrize("text, point, build", [
    pytest.param(*c, id=c[0], marks=pytest.mark.slow if i else ())
    for i, c in enumerate(HESSIAN_CASES)])
def test_order_2_hessian_matches_sympy(text, point, build, capsys):
    names = list(point)
    syms = [sympy.Symbol(n, real=True) for n in names]
    expr = build(*syms)
    at = {s: v for s, v in zip(syms, point.values(), strict=True)}
    d = run_json(capsys, "diff", text, "--at", *[f"{k}={v}" for k, v in point.items()],
                 "--order", "2")
    seen = 0
    for key, row in d["hessian"].items():
        a, b = key.split(",")
        exact = float(sympy.diff(expr, syms[names.index(a)], syms[names.index(b)]).subs(at))
        for m in METHODS:
            got = row[m]["value"]
            assert abs(got - exact) <= TOL2[m] * max(1.0, abs(exact)), (key, m, got, exact)
        seen += 1
    n = len(names)
    assert seen == n * (n + 1) // 2


def test_complex_step_refuses_non_analytic_ops(capsys):
    d = run_json(capsys, "diff", "abs(x) + x**2", "--at", "x=1.5")
    row = d["partials"]["x"]
    assert "refused" in row["complex-step"] and "abs" in row["complex-step"]["refused"]
    for m in ("forward", "reverse", "symbolic", "central", "richardson"):
        assert row[m]["value"] == pytest.approx(4.0, rel=1e-6)


def test_text_and_markdown_formats(capsys):
    assert main(["diff", "x1*x2", "--at", "x1=2", "x2=5"]) == 0
    text = capsys.readouterr().out
    assert "value: 10" in text and "∂f/∂x1 = x₂" in text
    assert all(m in text for m in METHODS)
    assert main(["diff", "x1*x2", "--at", "x1=2", "x2=5", "--format", "markdown",
                 "--order", "2"]) == 0
    md = capsys.readouterr().out
    assert "| ∂²f/∂x1∂x2 | $1$ | 1 |" in md
    assert np.isclose(float(md.split("| ∂f/∂x2 | $x_{1}$ | ")[1].split(" ")[0]), 2.0)


def test_a_point_outside_the_derivatives_domain_is_reported_not_tabulated(capsys):
    # x**x is fine at 0 (value 1) but its derivative x**x (log x + 1) is -inf there: sympy says
    # so, and the command must refuse the point instead of printing AD's 0 next to -inf
    assert main(["diff", "x**x", "--at", "x=0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "outside the domain of the derivative" in err[0] and "∂f/∂x" in err[0]


def test_help_example_is_the_real_output(capsys):
    # the help shows a worked example; its lines must be what the command prints today
    assert main(["diff", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2", "x2=5"]) == 0
    out = capsys.readouterr().out.splitlines()
    from dualnum.comparisons.diff_cmd import _EPILOG

    shown = [ln[2:] for ln in _EPILOG.splitlines()[2:] if ln.startswith("  ") and "..." not in ln]
    assert shown and all(ln in out for ln in shown), [ln for ln in shown if ln not in out]


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
