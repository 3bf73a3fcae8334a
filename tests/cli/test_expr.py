"""Safe expressions: what is accepted evaluates like plain math; what is refused names a column."""

import math

import numpy as np
import pytest

from dualnum.expr import MAX_LENGTH, ExpressionError, PointError, parse, parse_point


@pytest.mark.parametrize("text, point, expected", [
    ("ln(x1) + x1*x2 - sin(x2)", {"x1": 2.0, "x2": 5.0}, math.log(2) + 10 - math.sin(5)),
    ("1.5*x**2 + y**2 + 2", {"x": 1.0, "y": -2.0}, 1.5 + 4 + 2),
    ("1/(w0*x0 + w1)", {"x0": 3.0, "w0": -2.0, "w1": 4.0}, -0.5),
    ("max(x, 0) + min(x, -1, 2)", {"x": -3.0}, 0 - 3.0),
    ("-x**2", {"x": 3.0}, -9.0),          # unary minus binds looser than ** (Python, maths)
    ("2**3**2 * x", {"x": 1.0}, 512.0),   # ** is right-associative
    ("exp(x) + sqrt(x) + tanh(x) + abs(-x)", {"x": 0.25},
     math.exp(0.25) + 0.5 + math.tanh(0.25) + 0.25),
    ("sigmoid(x) + relu(x) + softplus(x) + erf(x)", {"x": 0.3},
     1 / (1 + math.exp(-0.3)) + 0.3 + math.log1p(math.exp(0.3)) + math.erf(0.3)),
    ("pi * e * x", {"x": 1.0}, math.pi * math.e),
    ("atan2(y, x) + hypot(x, y)", {"x": 3.0, "y": 4.0}, math.atan2(4, 3) + 5.0),
])
def test_accepted_expressions_evaluate_like_math(text, point, expected):
    e = parse(text)
    assert float(e(**point)) == pytest.approx(expected, rel=1e-14)
    assert float(e(*[point[v] for v in e.variables])) == pytest.approx(expected, rel=1e-14)


def test_variables_in_order_of_first_appearance_and_vector_form():
    e = parse("b*a + c - a")
    assert e.variables == ("b", "a", "c")
    assert float(e.vector_function()(np.array([2.0, 3.0, 5.0]))) == 2 * 3 + 5 - 3


def test_long_flat_sum_runs_without_recursion():
    e = parse("+".join(["x"] * 1000))
    assert float(e(x=0.5)) == pytest.approx(500.0)


@pytest.mark.parametrize("text, expected", [
    ("+".join(["x"] * 4900), 4900 * 0.5),    # a 4900-deep tree: past CPython's default limit
    ("-" * 4000 + "x", 0.5),                 # an even number of negations
    ("-".join(["x"] * 3000), (1 - 2999) * 0.5),
])
def test_long_expressions_within_the_length_limit_parse(text, expected):
    assert len(text) <= MAX_LENGTH
    assert float(parse(text)(x=0.5)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text, column", [("x**", 4), ("x +", 4), ("  sin(x) *", 11)])
def test_text_that_stops_early_points_at_its_end(text, column):
    with pytest.raises(ExpressionError, match="syntax error") as info:
        parse(text)
    assert info.value.column == column


def test_to_sympy_gives_the_formula():
    import sympy

    x1, x2 = sympy.symbols("x1 x2", real=True)
    assert sympy.simplify(parse("ln(x1) + x1*x2 - sin(x2)").to_sympy()
                          - (sympy.log(x1) + x1 * x2 - sympy.sin(x2))) == 0


@pytest.mark.parametrize("text, fragment, column", [
    ("x.__class__", "attribute", 2),
    ("__import__('os').system('ls')", "attribute access '.system'", 17),
    ("__import__('os')", "'_'", 1),
    ("lambda: 1", "lambdas", 1),
    ("[x for x in y]", "comprehensions", 1),
    ("x[0]", "subscripts", 1),
    ("'abc'", "strings", 1),
    ("x +* 2", "syntax", 4),
    ("sinn(x)", "did you mean 'sin'", 1),
    ("sin(x, y)", "takes 1 argument", 1),
    ("sin(x=1)", "keyword", 5),
    ("x if y else z", "if ... else", 1),
    ("x < y", "comparisons", 1),
    ("x // y", "FloorDiv", 1),
    ("sin", "is a function", 1),
    ("9**9**9**9", "overflows", 5),
    ("1/0 + x", "divides by zero", 2),
    ("1e400 * x", "too large", 1),
    ("x − 1", "U+2212", 3),
    ("ｘ + 1", "FULLWIDTH", 1),      # NFKC would silently turn this into x
    ("х + 1", "CYRILLIC", 1),
])
def test_refusals_name_the_problem_and_column(text, fragment, column):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert fragment in str(info.value)
    assert info.value.column == column
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text, fragment", [
    ("", "empty"),
    ("(" * 1000 + "x" + ")" * 1000, "nested"),
    ("-" * 9000 + "x", "nested too deeply"),
    ("x+" * 50_000 + "x", f"limit is {MAX_LENGTH}"),
])
def test_refusals_without_column(text, fragment):
    with pytest.raises(ExpressionError, match=fragment):
        parse(text)


def test_point_parsing():
    assert parse_point(["x=2,y=-5e-1"], ["x", "y"]) == {"x": 2.0, "y": -0.5}
    for items, fragment in [(["x=1", "x=2"], "duplicate"), (["x=one"], "not a number"),
                            (["x"], "NAME=VALUE"), (["x=inf"], "finite"),
                            ([], "no value for x"), (["x=1", "z=2"], "z does not appear"),
                            (["1x=2"], "not a valid variable name")]:
        with pytest.raises(PointError, match=fragment):
            parse_point(items, ["x"])
