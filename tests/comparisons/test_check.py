"""check_grads catches wrong rules (injected here) at order 1 and order 2, and says where."""

import re
import warnings

import numpy as np
import pytest

import dualnum.numpy as dnp
from dualnum.comparisons import KinkWarning, check_grads
from dualnum.rules import get_rule

X = np.array([0.3, -1.1, 2.0])


def f_sin(x):
    return dnp.sum(dnp.sin(x) * x)


def test_correct_rules_pass_at_order_1_and_2():
    check_grads(f_sin, (X,), order=2)
    check_grads(lambda W, v: dnp.tanh(W @ v), (np.eye(3) + 0.1, X), order=2,
                references=("central",))
    check_grads(lambda x: dnp.log(x[0]) + x[0] * x[1] - dnp.sin(x[1]), (np.array([2.0, 5.0]),),
                references=("symbolic", "central", "richardson", "complex-step"), order=2)


def test_nested_arguments_are_all_differentiated():
    params = {"W": np.array([[0.5, -0.2], [0.1, 0.3]]), "b": np.array([0.1, -0.1])}
    check_grads(lambda p, x: dnp.sum(dnp.tanh(p["W"] @ x + p["b"]) ** 2),
                (params, np.array([1.0, -2.0])), order=2)


def test_a_rule_off_by_0_05_percent_fails_at_order_1(monkeypatch):
    from dualnum.rules.transcendental import cos

    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) * 1.0005,))
    for mode in ("forward", "reverse"):
        with pytest.raises(AssertionError) as info:
            check_grads(f_sin, (X,), modes=(mode,), references=("central",))
        msg = str(info.value)
        assert f"{mode} vs central" in msg
        # the worst entry is the diagonal entry with the largest cos(x) * x ... named by index
        assert "x[" in msg and "step" in msg and "kink" in msg
    with pytest.raises(AssertionError, match="symbolic"):
        check_grads(f_sin, (X,), references=("symbolic",))


def test_the_failing_entry_is_named(monkeypatch):
    from dualnum.rules.transcendental import cos

    # only x[1] goes through sin: the table must point at input index 1
    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) * 1.0005,))
    with pytest.raises(AssertionError) as info:
        check_grads(lambda x: x[0] * x[2] + dnp.sin(x[1]), (X,), modes=("reverse",),
                    references=("central",))
    lines = str(info.value).splitlines()
    assert len(lines) == 4  # title, header, rule, one row
    assert "x[1]" in lines[3] and "no" in lines[3]
    assert f"{np.cos(-1.1) * 1.0005:.6g}"[:6] in lines[3]


def test_large_inputs_use_one_random_direction(monkeypatch):
    from dualnum.rules.transcendental import cos

    x = np.linspace(-2.0, 2.0, 200)
    check_grads(f_sin, (x,), references=("central",), order=2)
    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) * 1.0005,))
    with pytest.raises(AssertionError) as info:
        check_grads(f_sin, (x,), modes=("reverse",), references=("central",))
    assert "⟨uᵀJ, v⟩ = ⟨u, J·v⟩" in str(info.value)
    with pytest.raises(AssertionError, match=r"J·v, random v"):
        check_grads(f_sin, (x,), modes=("forward",), references=("central",))


def test_a_wrong_second_derivative_fails_at_order_2_only(monkeypatch):
    from dualnum.rules.transcendental import cos

    x0 = X.copy()
    # right value at x0 (so order 1 passes), wrong slope (so the second derivative is off by 0.01)
    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) + 0.01 * (x - x0),))
    check_grads(f_sin, (x0,), order=1)
    with pytest.raises(AssertionError) as info:
        check_grads(f_sin, (x0,), order=2)
    msg = str(info.value)
    # sympy's second derivative catches it; differencing the (equally wrong-sloped) exact
    # gradient cannot, which is why symbolic is a default reference
    assert "order 2" in msg and "vs symbolic" in msg
    assert all(line.startswith("order 2") for line in msg.splitlines()[3:])


def _warned(f, args, **kw):
    """Run check_grads; return the KinkWarning messages (it must not raise)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_grads(f, args, **kw)
    return [str(w.message) for w in caught if issubclass(w.category, KinkWarning)]


def test_a_point_on_a_kink_is_a_kink_warning_not_a_failure():
    # relu at 0: the one-sided derivatives are 0 and 1 (by definition of relu); relu'(0) = 0
    # lies between them, so the disagreement with central (½) and sympy (Heaviside(0) = ½) is
    # the kink's, not an error
    (msg,) = _warned(lambda x: dnp.sum(dnp.relu(x)), (np.array([0.0, 1.0]),))
    lines = msg.splitlines()
    assert lines[0] == "check_grads: 4 entries on a kink (not failures) at x = [0. 1.]"
    assert all("[] / x[0]" in ln and "yes: one-sided 0 | 1 (relu: relu'(0) = 0" in ln
               for ln in lines[3:])
    # order 2: the gradient jumps at 0 (no second derivative exists there)
    (msg,) = _warned(lambda x: dnp.sum(dnp.relu(x)), (np.array([0.0, 1.0]),), order=2)
    assert "order 2" in msg and "yes: jumps (no derivative)" in msg
    # a max tie (PyTorch's ½ to each side lies between the one-sided 0 and 1) and a step
    assert _warned(lambda x: dnp.sum(dnp.maximum(x, 1.0)), (np.array([1.0, 2.0]),), order=2)
    assert _warned(lambda x: dnp.sum(dnp.heaviside(x) * x), (np.array([0.0, 2.0]),), order=2)
    # away from the kink there is nothing to warn about
    assert _warned(lambda x: dnp.sum(dnp.relu(x)), (np.array([-1.0, 1.0]),), order=2) == []


def test_a_value_no_convention_explains_still_fails_on_a_kink():
    # |x| − 2 relu(x) = −x on both sides of 0: smooth, derivative −1; the tape still sees two
    # kinks at 0 and the conventions abs'(0) = relu'(0) = 0 give 0, outside the one-sided −1, −1
    with pytest.raises(AssertionError) as info:
        check_grads(lambda x: dnp.sum(dnp.abs(x)) - 2.0 * dnp.sum(dnp.relu(x)),
                    (np.array([0.0, 1.0]),))
    rows = str(info.value).splitlines()[3:]
    assert len(rows) == 4 and all("[] / x[0]" in r for r in rows)
    assert all("outside one-sided -1 | -1" in r and "abs'(0) = 0" in r for r in rows)


def test_a_wrong_rule_is_caught_on_a_kink_point_along_smooth_directions(monkeypatch):
    from dualnum.rules.transcendental import cos

    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) * 1.0005,))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(AssertionError) as info:
            check_grads(lambda x: dnp.sum(dnp.relu(x)) + dnp.sum(dnp.sin(x)),
                        (np.array([0.0, 1.0]),), references=("central",))
    rows = str(info.value).splitlines()[3:]
    # x[1] is away from the kink: the wrong sin' fails there, value relu'(1) + cos(1)·1.0005
    assert len(rows) == 2 and all("[] / x[1]" in r for r in rows)
    for r in rows:
        value = float(re.split(r"\s{2,}", r)[2])
        assert value == pytest.approx(1.0 + np.cos(1.0) * 1.0005, rel=1e-11)
        assert "outside one-sided" in r
    # x[0] crosses relu's kink: 1.0005 lies between the one-sided 1 and 2, so only a warning
    (msg,) = [str(w.message) for w in caught if issubclass(w.category, KinkWarning)]
    assert "[] / x[0]" in msg and "one-sided 1 | 2" in msg


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="order must be 1 or 2"):
        check_grads(f_sin, (X,), order=3)
    with pytest.raises(ValueError, match="unknown reference 'exact'"):
        check_grads(f_sin, (X,), references=("exact",))
    with pytest.raises(ValueError, match="unknown mode 'sideways'"):
        check_grads(f_sin, (X,), modes=("sideways",))


def _counted(f):
    """``f`` with a count of its calls on plain arrays (the finite differences' evaluations)."""
    calls = []

    def g(x):
        if type(x) is np.ndarray:
            calls.append(1)
        return f(x)

    return g, calls


def test_a_passing_central_check_costs_2n_plus_1_evaluations():
    x = np.linspace(-1.0, 1.5, 20)
    g, calls = _counted(f_sin)
    check_grads(g, (x,), references=("central",))
    # 2n + 1 for D(h) (the step-2h half only when something disagrees) and one for the output
    assert len(calls) == 2 * 20 + 2
    g, calls = _counted(f_sin)
    check_grads(g, (x,), references=("central",), full=False)
    assert len(calls) == 2 + 2          # the output, and f(x), f(x ± h v) along one direction


def test_the_truncation_estimate_is_still_there_when_it_decides():
    # exp(300 x): the central difference's truncation error (~h²·300²/6 relative, 6e-7) is
    # beyond what round-off alone allows at rtol 1e-7, within what its full estimate allows
    x = np.array([0.01, -0.02, 0.005])
    g, calls = _counted(lambda x: dnp.sum(dnp.exp(300.0 * x)))
    check_grads(g, (x,), references=("central",), rtol=1e-7)   # passes on the full estimate
    assert len(calls) == (2 * 3 + 2) + (4 * 3 + 1)    # ... which it had to compute


def test_a_failure_reports_the_full_error_estimate(monkeypatch):
    from dualnum.comparisons import references as refs
    from dualnum.rules.transcendental import cos

    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) * 1.0005,))
    with pytest.raises(AssertionError) as info:
        check_grads(lambda x: dnp.sin(x[1]), (X,), modes=("reverse",), references=("central",))
    row = re.split(r"\s{2,}", str(info.value).splitlines()[3])
    full = refs.central_difference(lambda x: np.sin(x[1]), X)
    assert float(row[7]) == pytest.approx(float(full.error[1]), rel=1e-2)   # ref error column


def test_full_false_checks_one_direction_and_catches_a_wrong_rule(monkeypatch):
    from dualnum.rules.transcendental import cos

    check_grads(f_sin, (X,), references=("central",), full=False, order=2)
    monkeypatch.setattr(get_rule("sin"), "partials", (lambda x, ans: cos(x) * 1.0005,))
    for mode, label in (("forward", "J·v, random v"), ("reverse", "⟨uᵀJ, v⟩ = ⟨u, J·v⟩")):
        with pytest.raises(AssertionError, match=re.escape(label)):
            check_grads(f_sin, (X,), modes=(mode,), references=("central",), full=False)
    with pytest.raises(ValueError, match="full must be"):
        check_grads(f_sin, (X,), full="yes")
