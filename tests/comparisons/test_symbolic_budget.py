"""The symbolic reference's budget: sizes decide (the same on every machine), the wall clock
is only a safety net checked between steps, and every refusal names its measure."""

import time

import numpy as np
import pytest
import sympy

import dualnum.numpy as dnp
from dualnum.comparisons.cases import select
from dualnum.comparisons.references import Refused, richardson, symbolic_formulas
from dualnum.comparisons.symbolic_budget import SAFETY_NET, expression_size
from dualnum.comparisons.symbolic_reference import symbolic_hessian, symbolic_jacobian


def deep(x):
    # every level uses y three times: the tree triples per level (~3^60 nodes unshared), while
    # one numeric run has 300 operations; sympy ran unbounded building it
    y = x[0]
    for _ in range(60):
        y = y * x[1] + x[0] / (1 + y * y)
    return y


def test_the_decision_is_by_size_so_it_does_not_depend_on_time():
    reasons = set()
    for timeout in (1e9, 60.0, 30.0):
        with pytest.raises(Refused) as info:
            symbolic_jacobian(deep, np.array([0.5, 0.25]), timeout=timeout)
        reasons.add(info.value.reason)
    (reason,) = reasons        # one refusal, word for word, whatever the clock allows
    head, tail = reason.split(" ops) — ")
    assert head.startswith("skipped: too large for symbolic (") and int(head.split("(")[1]) > 3**60
    assert tail == ("over the 5000 ops budget; ops estimated from one numeric run of f, each "
                    "operation counted once per use of its result (the tree sympy would build)")


def test_scalar_operations_are_counted_before_f_runs_on_symbols():
    M = np.arange(1.0, 301.0).reshape(100, 3)
    on_symbols = []

    def wide(x):  # tanh (3) + matmul (100 outputs) + tanh (100) + sum (1) = 204 scalar ops
        if isinstance(x, np.ndarray) and x.dtype == object:
            on_symbols.append(True)
        return dnp.sum(dnp.tanh(M @ dnp.tanh(x)))

    with pytest.raises(Refused) as info:
        symbolic_jacobian(wide, np.array([0.5, 0.25, 0.1]), max_ops=100)
    assert info.value.reason == ("skipped: too large for symbolic (204 ops) — over the 100 ops "
                                 "budget; ops counted as scalar operations of one numeric run "
                                 "of f")
    assert on_symbols == []     # refused before the expensive evaluation on symbols


def test_the_differentiation_work_is_size_times_variables():
    def quad(x):                       # 10 squares summed: 31 nodes, 10 variables
        return dnp.sum(x * x)

    x = np.linspace(0.1, 1.0, 10)
    syms = sympy.symbols("x0:10", real=True)
    size = expression_size([sum(s * s for s in syms)])
    with pytest.raises(Refused, match=rf"\({size} ops\) — differentiation needs {size * 10} "
                                      r"node-derivatives .* over the 300 budget"):
        symbolic_jacobian(quad, x, max_work=300)
    np.testing.assert_allclose(symbolic_jacobian(quad, x, max_work=size * 10).value, 2 * x)
    # a Hessian adds the first derivatives' size (2*x_i: 3 nodes each) times the variables
    with pytest.raises(Refused, match="second derivatives needs"):
        symbolic_hessian(quad, x, max_work=size * 10 + 299)
    np.testing.assert_allclose(symbolic_hessian(quad, x, max_work=size * 10 + 300).value,
                               2 * np.eye(10))


def test_the_derivatives_distinct_nodes_are_budgeted_before_cse():
    f = lambda x: dnp.sum(dnp.tanh(x) * dnp.sin(x))
    with pytest.raises(Refused, match="the derivatives have over 5 distinct nodes"):
        symbolic_jacobian(f, np.array([0.3, 0.7]), max_derivative_ops=5)
    x = np.array([0.3, 0.7])
    want = (1 - np.tanh(x) ** 2) * np.sin(x) + np.tanh(x) * np.cos(x)
    np.testing.assert_allclose(symbolic_jacobian(f, x).value, want, rtol=1e-14)


def test_the_wall_clock_safety_net_fires_between_steps_and_says_so():
    def sleepy(x):
        time.sleep(0.3)       # no CPU, no size: only the wall clock sees it
        return x[0] * x[1]

    with pytest.raises(Refused) as info:
        symbolic_jacobian(sleepy, np.array([3.0, 2.0]), timeout=0.2)
    reason = info.value.reason
    assert reason.startswith("skipped: too large for symbolic (3 ops) — stopped by the 0.2 s "
                             f"{SAFETY_NET} before differentiation")
    assert "please report it" in reason
    assert symbolic_jacobian(sleepy, np.array([3.0, 2.0]), timeout=5).value.tolist() == [2.0,
                                                                                          3.0]


def test_max_and_min_derivatives_without_sympy_comparing_arguments():
    # d/dx_i max(x) = 1 at the unique argmax; min likewise; relu and maximum/minimum too
    x = np.array([0.3, -1.2, 2.5, 0.7, 1.1, -0.4])

    def f(v):
        return (dnp.max(v[:3]) - 2.0 * dnp.min(v[3:]) + dnp.sum(dnp.relu(v))
                + 3.0 * dnp.maximum(v[0], v[3]) + 0.5 * dnp.minimum(v[1], v[4]))

    want = np.array([0, 0, 1, 0, 0, -2.0]) + (x > 0) + np.array([0, 0.5, 0, 3.0, 0, 0])
    np.testing.assert_array_equal(symbolic_jacobian(f, x).value, want)
    np.testing.assert_allclose(richardson(f, x, step=1e-3).value, want, atol=1e-8)


def test_relu_of_a_symbolic_expression_is_built_without_comparing():
    x, y = sympy.symbols("x y", real=True)
    e = dnp.relu(x * y + 1)
    assert e == sympy.Max(0, x * y + 1) and sympy.diff(e, x) == y * sympy.Heaviside(x * y + 1)
    assert dnp.relu(sympy.Integer(-3)) == 0 and dnp.relu(sympy.Rational(5, 2)) == sympy.Rational(
        5, 2)
    # the transformer's loss on symbols: 11 s when sympy ordered relu's arguments against 0
    case = select(["network.transformer"])[0]
    t0 = time.process_time()
    with pytest.raises(Refused, match=r"^skipped: too large for symbolic \(\d+ ops\) — over the "
                                      r"5000 ops budget$"):
        symbolic_jacobian(case.f, case.x)
    assert time.process_time() - t0 < 5.0     # CPU seconds: 0.2 s here


def test_simplify_has_a_size_budget_too():
    tower = lambda v: v[0] ** (v[0] ** (v[0] ** (v[0] ** (v[0] ** (v[0] ** v[0])))))
    fm = symbolic_formulas(tower, ["x"])                 # 7 levels: within the budget
    assert fm.unsimplified == []
    big = lambda v: v[0] ** v[0] ** v[0] ** v[0] ** v[0] ** v[0] ** v[0] ** v[0] ** v[0] ** v[
        0] ** v[0] ** v[0] ** v[0] ** v[0] ** v[0]       # 15 levels: sympy took 21 s
    fm = symbolic_formulas(big, ["x"])
    assert fm.unsimplified == ["d/dx"]                  # shown as differentiated
    x = 1.1
    value = float(fm.partials["x"].subs(fm.symbols[0], x))
    h = 1e-6
    assert value == pytest.approx((float(big([x + h])) - float(big([x - h]))) / (2 * h),
                                  rel=1e-6)


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
