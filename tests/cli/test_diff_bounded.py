"""`dualnum diff` finishes in seconds whatever the expression: sympy within its size budgets
and a wall-clock safety net (a child process stopped at the deadline), finite differences
within an evaluation budget, a progress line on a terminal, and a note for whatever was cut.
Examples that used to hang: x**x**…**x with 15 levels (21 s in sympy.simplify), 40 levels
(> 120 s), a 40-variable quadratic with --order 2 (minutes of finite-difference Hessians)."""

import io
import os
import time

import numpy as np
import pytest

from dualnum.comparisons import diff_cmd
from dualnum.comparisons.bounded import Progress, can_stop, run_streaming


def tower(levels: int) -> str:
    return "**".join(["x"] * levels)


@pytest.fixture
def patient(monkeypatch):
    """The size budgets alone: a busy test machine must not trip the wall-clock net (its own
    test below trips it on purpose)."""
    monkeypatch.setattr(diff_cmd, "SYMBOLIC_TIMEOUT", 600.0)


@pytest.mark.parametrize("levels", [15, 40])
def test_a_power_tower_finishes_with_a_note(levels, patient):
    t0 = time.monotonic()
    d = diff_cmd.differentiate(tower(levels), {"x": 1.1})
    assert time.monotonic() - t0 < 60          # a net against hangs; ~3 s of CPU here
    assert any("not simplified" in n and "d/dx" in n for n in d.notes), d.notes
    row = d.first["x"]
    # the independent check: Richardson extrapolation of f itself, and sympy, agree with AD
    assert row["symbolic"] == pytest.approx(row["richardson"], rel=1e-12)
    assert row["forward"] == pytest.approx(row["symbolic"], rel=1e-14)
    text = diff_cmd.to_text(d)
    assert "note: shown as differentiated" in text
    assert all(len(line) < 800 for line in text.splitlines())   # one line, cut, not 2-D art


def test_a_40_variable_quadratic_hessian_skips_what_would_take_minutes(patient):
    n = 40
    expr = " + ".join([f"x{i}**2" for i in range(1, n + 1)]
                      + [f"x{i}*x{i + 1}" for i in range(1, n)])
    point = {f"x{i}": 0.1 * i for i in range(1, n + 1)}
    t0 = time.monotonic()
    d = diff_cmd.differentiate(expr, point, order=2)
    assert time.monotonic() - t0 < 120
    want = 2 * np.eye(n) + np.eye(n, k=1) + np.eye(n, k=-1)     # the closed form
    for (a, b), row in d.second.items():
        i, j = int(a[1:]) - 1, int(b[1:]) - 1
        for method in ("symbolic", "forward", "reverse"):
            assert row[method] == want[i, j], (a, b, method)
        for method in ("central", "richardson", "complex-step"):
            assert row[method].startswith("skipped: ") and "budget of dualnum diff" in row[
                method]
    # the gradient still gets every method: 161 evaluations of 157 operations are cheap
    g = d.first["x3"]
    assert g["central"] == pytest.approx(2 * 0.3 + 0.2 + 0.4, rel=1e-8)
    assert d.second_formulas[("x1", "x2")] == 1


@pytest.mark.skipif(not can_stop(), reason="a stoppable child process needs fork (Linux)")
def test_the_safety_net_stops_sympy_and_keeps_what_arrived(monkeypatch):
    def slow_work(f, names, x, order):
        def work(send):
            send("gradient", np.array([2.0 * x[0]]))
            send("__stage__", "sympy: the formulas")
            time.sleep(60)                           # stands for a simplify that never ends
        return work

    monkeypatch.setattr(diff_cmd, "_sympy_work", slow_work)
    monkeypatch.setattr(diff_cmd, "SYMBOLIC_TIMEOUT", 0.5)
    t0 = time.monotonic()
    d = diff_cmd.differentiate("x**2", {"x": 3.0})
    assert time.monotonic() - t0 < 20
    assert d.first["x"]["symbolic"] == 6.0 and d.first["x"]["forward"] == 6.0
    assert d.notes == ["skipped: sympy stopped by the 0.5 s wall-clock safety net"]
    assert "stopped by the 0.5 s" in d.formulas["x"]


@pytest.mark.skipif(not can_stop(), reason="a stoppable child process needs fork (Linux)")
def test_run_streaming_kills_the_child_at_the_deadline_and_reports_failures():
    def hang(send):
        send("pid", os.getpid())
        while True:
            time.sleep(0.01)

    results, finished = run_streaming(hang, timeout=0.5)
    assert not finished and results["pid"] != os.getpid()
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(results["pid"], 0)                   # gone: terminated and reaped

    def fail(send):
        send("first", 1)
        raise ZeroDivisionError("no")

    assert run_streaming(fail, timeout=30) == ({"first": 1, "__error__":
                                                "ZeroDivisionError: no"}, True)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_a_terminal_line_after_a_second_and_cleared():
    tty = Terminal()
    p = Progress("dualnum diff", tty, after=0.0)
    p.stage("sympy: the formulas")
    p.done()
    assert tty.getvalue().startswith("\r\x1b[Kdualnum diff: sympy: the formulas… (0 s)")
    assert tty.getvalue().endswith("\r\x1b[K")
    quick = Terminal()
    p = Progress("dualnum diff", quick)                  # the default: after one second
    p.stage("the gradient by forward")
    p.done()
    assert quick.getvalue() == ""
    pipe = io.StringIO()                                 # not a terminal: never
    p = Progress("dualnum diff", pipe, after=0.0)
    p.stage("x")
    p.done()
    assert pipe.getvalue() == ""


def test_the_cli_shows_progress_on_a_terminal(monkeypatch, capsys, patient):
    shown = []
    real = diff_cmd.Progress

    def on_terminal(prog):
        p = real(prog, Terminal(), after=0.0)
        shown.append(p)
        return p

    monkeypatch.setattr(diff_cmd, "Progress", on_terminal)
    from dualnum.cli import main

    assert main(["diff", "x**2*y", "--at", "x=1", "y=2"]) == 0
    lines = shown[0].stream.getvalue().split("\r\x1b[K")
    assert "dualnum diff: sympy: the gradient… (0 s)" in lines
    assert any(ln.startswith("dualnum diff: the gradient by central…") for ln in lines)
    assert lines[-1] == ""                               # cleared before the output
    assert "∂f/∂x = 2⋅x⋅y" in capsys.readouterr().out


# whole-program checks (subprocesses, sympy, full reports): CI runs them, the quick loop
# (pytest -m "not slow") leaves them out
pytestmark = pytest.mark.slow
