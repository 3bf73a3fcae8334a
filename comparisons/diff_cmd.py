"""``dualnum diff``: every derivative of an expression at a point, by every method, side by side.

For ``EXPR`` at ``--at x1=2 x2=5`` it prints the value and, for each partial ``∂f/∂x_k``, the
symbolic formula (sympy's pretty form) and the number given by forward mode, reverse mode,
sympy, central differences, Richardson extrapolation and the complex step, each with its
difference from the symbolic value. ``--order 2`` adds the Hessian: forward-over-forward,
forward-over-reverse, sympy, the four-point central second difference, Richardson of
Richardson, and central differences of the complex-step gradient (``Im f(x + ih e_j ± h e_k)``).

>>> r = differentiate("ln(x1) + x1*x2 - sin(x2)", {"x1": 2.0, "x2": 5.0})
>>> [round(float(r.first["x2"]["reverse"]), 3), round(float(r.first["x2"]["symbolic"]), 3)]
[1.716, 1.716]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dualnum.cli import add_point_arguments
from dualnum.expr import DomainError, Expression, parse, parse_point
from dualnum.tracing import encodable

from .bounded import Progress, run_streaming
# the rendering (text, Markdown, JSON) and its column order and size limits
from .diff_render import LINE_MAX_CHARS, METHODS, PRETTY_MAX_OPS  # noqa: F401
from .diff_render import to_dict, to_markdown, to_text
from .tape_inspect import operation_counts

__all__ = ["register", "run", "differentiate", "Differences", "METHODS"]

_EPILOG = """\
example:
  $ dualnum diff "ln(x1) + x1*x2 - sin(x2)" --at x1=2 x2=5
  f = ln(x1) + x1*x2 - sin(x2)  at  x1 = 2, x2 = 5
  value: 11.6520714552
  ...
  ∂f/∂x2 = x₁ - cos(x₂)
    symbolic      1.71633781454
    forward       1.71633781454          0 vs symbolic
    reverse       1.71633781454          0 vs symbolic
    central       1.71633781458          +4.4e-11 vs symbolic
    richardson    1.71633781454          -1.0e-14 vs symbolic
    complex-step  1.71633781454          0 vs symbolic
add --order 2 for the Hessian, --format markdown|json for other outputs."""


@dataclass
class Differences:
    """The results: ``first[name][method]`` and ``second[(a, b)][method]`` (a float, or the
    reason the method refused), with the sympy formulas and any kinks met on the way."""

    expression: str
    point: dict[str, float]
    value: float
    formulas: dict[str, Any]
    first: dict[str, dict[str, Any]]
    second: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    second_formulas: dict[tuple[str, str], Any] = field(default_factory=dict)
    kinks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _refs():
    from dualnum.comparisons import references

    return references


def _safe(fn, *args) -> Any:
    """Run one reference; a refusal or failure becomes its reason (a string), never a crash."""
    refs = _refs()
    try:
        with np.errstate(all="ignore"):
            return np.asarray(fn(*args), dtype=float)
    except refs.Refused as err:
        return str(err.reason)
    except (ArithmeticError, ValueError, TypeError, NotImplementedError) as err:
        return f"failed: {type(err).__name__}: {err}"


#: what the finite differences of ``dualnum diff`` may cost: evaluations of f times its
#: operations (about 15 µs each through the expression's functions). A 40-variable quadratic
#: (200 operations) gets its gradient by every method, but its Hessian by central
#: differences would take 3281 evaluations (656,200), by Richardson of Richardson ~780,000
#: evaluations: those are skipped, with the count, instead of running for minutes
EVALUATION_BUDGET = 200_000
#: the wall-clock safety net of the sympy work (a child process, stopped at the deadline);
#: the size budgets keep every example tried well inside it
SYMBOLIC_TIMEOUT = 10.0


def _evaluations(method: str, n: int, order: int) -> int:
    """How many times ``method`` evaluates f for ``n`` variables (Richardson: all 10 levels;
    the domain probes once)."""
    central, richardson, cstep = 1 + 4 * n, 1 + 22 * n, 2 + n
    if order == 1:
        return {"central": central, "richardson": richardson, "complex-step": cstep}[method]
    return {"central": 1 + 2 * n * (n + 1), "richardson": richardson * richardson,
            "complex-step": central * cstep}[method]


def _within_budget(method: str, n: int, order: int, ops: int, run):
    def bounded():
        count = _evaluations(method, n, order)
        if count * max(ops, 1) > EVALUATION_BUDGET:
            raise _refs().Refused(
                f"skipped: {count} evaluations of f × {ops} operations = {count * ops}, over "
                f"the {EVALUATION_BUDGET} budget of dualnum diff")
        return run()
    return bounded


def _gradients(f, x: np.ndarray, ops: int, progress) -> dict[str, Any]:
    import dualnum as dn

    refs = _refs()
    n = x.size
    runs = {
        "forward": lambda: dn.jacfwd(f)(x),
        "reverse": lambda: dn.grad(f)(x),
        "central": _within_budget("central", n, 1, ops,
                                  lambda: refs.central_difference(f, x).value),
        "richardson": _within_budget("richardson", n, 1, ops,
                                     lambda: refs.richardson(f, x).value),
        "complex-step": _within_budget("complex-step", n, 1, ops,
                                       lambda: refs.complex_step(f, x).value),
    }
    out = {}
    for method, fn in runs.items():
        progress.stage(f"the gradient by {method}")
        out[method] = _safe(fn)
    return out


def _hessians(f, x: np.ndarray, ops: int, progress) -> dict[str, Any]:
    import dualnum as dn

    refs = _refs()

    def complex_central():
        refs.complex_step(f, x)       # refuses (with the op's name) if f is not analytic
        return refs.central_difference(
            lambda y: refs.complex_step(f, y, assume_analytic=True).value, x).value

    n = x.size
    runs = {
        "forward": lambda: dn.jacfwd(dn.jacfwd(f))(x),
        "reverse": lambda: dn.jacfwd(dn.grad(f))(x),
        "central": _within_budget("central", n, 2, ops,
                                  lambda: refs.central_hessian(f, x).value),
        "richardson": _within_budget("richardson", n, 2, ops, lambda: refs.richardson(
            lambda y: refs.richardson(f, y).value, x).value),
        "complex-step": _within_budget("complex-step", n, 2, ops, complex_central),
    }
    out = {}
    for method, fn in runs.items():
        progress.stage(f"the Hessian by {method}")
        out[method] = _safe(fn)
    return out


def _sympy_work(f, names: list, x: np.ndarray, order: int):
    """The sympy part of ``dualnum diff``, run where a deadline can stop it: each result is
    sent as soon as it exists, the simplified formulas last."""
    refs = _refs()

    def work(send) -> None:
        send("__stage__", "sympy: the gradient")
        send("gradient", _safe(lambda: refs.symbolic_jacobian(f, x).value))
        if order == 2:
            send("__stage__", "sympy: the Hessian")
            send("hessian", _safe(lambda: refs.symbolic_hessian(f, x).value))
        send("__stage__", "sympy: the formulas")
        try:
            fm = refs.symbolic_formulas(f, names, order=order, simplify=False)
        except refs.Refused as err:
            send("formulas", str(err.reason))
            return
        send("formulas", fm)
        send("__stage__", "sympy: simplifying the formulas")
        send("formulas", refs.simplify_formulas(fm))

    return work


def _symbolic(f, names: list, x: np.ndarray, order: int, progress, notes: list):
    """The sympy results, within the size budgets and the wall-clock safety net; what could
    not be had is a reason (a string) and a note."""
    results, finished = run_streaming(_sympy_work(f, names, x, order), SYMBOLIC_TIMEOUT,
                                      progress)
    stopped = None
    if "__error__" in results:
        stopped = f"failed: {results['__error__']}"
    elif not finished:
        stopped = f"skipped: sympy stopped by the {SYMBOLIC_TIMEOUT:g} s wall-clock safety net"
    if stopped:
        cut = " (formulas shown as differentiated)" if "formulas" in results and not isinstance(
            results["formulas"], str) else ""
        notes.append(stopped + cut)
    missing = stopped or "skipped"
    fm = results.get("formulas", f"({missing})")
    if not isinstance(fm, str) and fm.unsimplified:
        notes.append("shown as differentiated, not simplified (over sympy.simplify's size "
                     f"budget): {', '.join(fm.unsimplified)}")
    return results.get("gradient", missing), results.get("hessian", missing), fm


def differentiate(expr: str | Expression, point: dict[str, float], order: int = 1,
                  progress=None) -> Differences:
    """Compute every partial (and, for ``order=2``, every second partial) by every method.

    The work is bounded: sympy by its size budgets and a wall-clock safety net
    (:data:`SYMBOLIC_TIMEOUT`), the finite differences by :data:`EVALUATION_BUDGET`; what is
    skipped says why, and ``notes`` says what was cut. ``progress`` (a
    :class:`.bounded.Progress`) names the running step once it takes a second.

    >>> d = differentiate("x**3", {"x": 2.0}, order=2)
    >>> float(d.second[("x", "x")]["forward"]), str(d.second_formulas[("x", "x")])
    (12.0, '6*x')
    """
    if order not in (1, 2):
        raise ValueError(f"--order must be 1 or 2, got {order}")
    e = parse(expr) if isinstance(expr, str) else expr
    names = list(e.variables)
    if not names:
        raise ValueError("the expression has no variables to differentiate by")
    value = e.check_domain(**point)
    progress = progress if progress is not None else Progress("dualnum diff", after=np.inf)
    try:
        return _differentiate(e, names, point, value, order, progress)
    finally:
        progress.done()


def _differentiate(e: Expression, names: list, point: dict, value: float, order: int,
                   progress: Progress) -> Differences:
    x = np.array([point[n] for n in names], dtype=float)
    f = e.vector_function()
    refs = _refs()
    notes: list[str] = []
    sym_grad, sym_hess, fm = _symbolic(f, names, x, order, progress, notes)
    if isinstance(fm, str):
        formulas = {n: fm for n in names}
        second_formulas = {}
    else:
        formulas, second_formulas = dict(fm.partials), dict(fm.second)
    ops = operation_counts(f, x)[0]
    grads = {"symbolic": sym_grad, **_gradients(f, x, ops, progress)}
    first = {n: {m: (g if isinstance(g, str) else g.reshape(-1)[k]) for m, g in grads.items()}
             for k, n in enumerate(names)}
    _check_derivatives(first, "∂f/∂{}")
    second: dict[tuple[str, str], dict[str, Any]] = {}
    if order == 2:
        hess = {"symbolic": sym_hess, **_hessians(f, x, ops, progress)}
        n = len(names)
        for i, a in enumerate(names):
            for j, b in enumerate(names[i:], i):    # symmetric: the upper triangle
                second[(a, b)] = {m: (h if isinstance(h, str) else h.reshape(n, n)[i, j])
                                  for m, h in hess.items()}
        _check_derivatives(second, "∂²f/∂{}∂{}")
    kinks = []
    try:
        kinks = [f"{k.op}: {k.convention}" for k in refs.kinks(f, x)] \
            if hasattr(refs, "kinks") else _kinks(f, x)
    except Exception:   # kinks are a note; never let them hide the table
        kinks = []
    return Differences(e.text, dict(point), value, formulas, first, second, second_formulas,
                       kinks, notes)


def _kinks(f, x) -> list[str]:
    from dualnum.comparisons.tape_inspect import kinks

    return [f"{k.op}: {k.convention}" for k in kinks(f, x)]


def _check_derivatives(table: dict, label: str) -> None:
    """A non-finite derivative (by AD or by sympy) means the point is outside the derivative's
    domain (``sqrt(x)`` or ``x**x`` at 0): say so instead of printing a table of disagreements."""
    for key, row in table.items():
        for method in ("symbolic", "forward", "reverse"):
            v = row.get(method)
            if not isinstance(v, str) and not np.isfinite(v):
                names = key if isinstance(key, tuple) else (key,)
                raise DomainError(f"point outside the domain of the derivative: "
                                  f"{label.format(*names)} = {v} ({method} mode)")


def register(subparsers: Any) -> None:
    """Add ``dualnum diff`` to the ``dualnum`` command (entry point ``dualnum.commands``)."""
    p = subparsers.add_parser(
        "diff", help="every partial by forward, reverse, symbolic, finite differences",
        description="The value of EXPR and each partial derivative by forward mode, reverse "
                    "mode, sympy, central differences, Richardson extrapolation and the "
                    "complex step, each with its difference from the symbolic value.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_point_arguments(p)
    p.add_argument("--order", type=int, choices=(1, 2), default=1,
                   help="2 adds the Hessian (default 1)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``dualnum diff`` from parsed arguments; returns the exit status."""
    e = parse(args.expr)
    point = parse_point(args.at, e.variables)
    d = differentiate(e, point, order=args.order, progress=Progress("dualnum diff"))
    if args.format == "json":
        print(json.dumps(to_dict(d), indent=2))
    elif args.format == "markdown":
        print(to_markdown(d))
    else:
        text = to_text(d)
        print(text if encodable(text) else to_text(d, ascii=True))
    return 0
