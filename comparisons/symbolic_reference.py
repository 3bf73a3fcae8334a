"""Symbolic reference: evaluate ``f`` on sympy symbols, let sympy differentiate, evaluate.

``f`` is written once against ``dualnum.numpy``, so calling it on a numpy object array of real
sympy ``Symbol`` s builds the expression of every output. ``sympy.diff`` then differentiates it
with sympy's own rules (nothing from dualnum's rule table), and ``sympy.lambdify`` with ``cse``
turns the derivatives into one numeric function with common subexpressions shared.

Symbolic differentiation blows up on big networks (the expression of a 4-16-16-1 tanh
network's loss has tens of thousands of nodes), so a budget guards it: the expression size is
counted first (tree nodes, counted in linear time over the distinct subexpressions) and a
CPU-time deadline (this process's CPU time, so a busy machine skips the same cases as an idle
one) interrupts sympy wherever it is. Over budget, :class:`Refused` says
``"skipped: too large for symbolic (N ops) — <which stage ran over>"`` instead of hanging;
``N`` is the expression's size, or, when evaluating ``f`` on symbols is itself over the
deadline (no expression to measure yet), the scalar operations of one numeric run of ``f``.

>>> import numpy as np
>>> est = symbolic_jacobian(lambda x: x[0] ** 2 * x[1], np.array([3.0, 2.0]))
>>> est.value.tolist()
[12.0, 9.0]
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy

from .finite_differences import EPS, Estimate, Refused

__all__ = [
    "DEFAULT_MAX_OPS",
    "DEFAULT_TIMEOUT",
    "Formulas",
    "expression_size",
    "symbolic_formulas",
    "symbolic_hessian",
    "symbolic_jacobian",
    "symbolic_outputs",
]

DEFAULT_MAX_OPS = 5_000
DEFAULT_TIMEOUT = 5.0


def _symbol_names(shape: tuple, prefix: str) -> list[str]:
    if shape == ():
        return [prefix]
    if len(shape) == 1:
        return [f"{prefix}{i}" for i in range(shape[0])]
    return [prefix + "_" + "_".join(map(str, idx)) for idx in np.ndindex(*shape)]


def _make_symbols(shape: tuple, names: Sequence[str] | None = None, prefix: str = "x"):
    names = list(names) if names is not None else _symbol_names(shape, prefix)
    if len(names) != int(np.prod(shape, dtype=int)):
        raise ValueError(f"symbolic: {len(names)} names for an input of shape {shape}")
    syms = [sympy.Symbol(n, real=True) for n in names]
    arr = np.empty(len(syms), dtype=object)
    arr[:] = syms
    return syms, arr.reshape(shape)


def _as_expr_array(out) -> np.ndarray:
    arr = np.asarray(out, dtype=object)
    flat = np.empty(arr.size, dtype=object)
    for i, e in enumerate(arr.reshape(-1)):
        try:
            flat[i] = sympy.sympify(e)
        except (sympy.SympifyError, TypeError) as exc:
            raise Refused(
                f"symbolic: f returned {type(e).__name__}, not a sympy expression"
            ) from exc
    return flat.reshape(arr.shape)


def expression_size(exprs, cap: int | None = None, distinct: bool = False) -> int:
    """Number of nodes in the expression trees (shared subtrees counted each time they occur),
    or with ``distinct=True`` the number of distinct subexpressions (what ``cse`` leaves).

    Linear in the number of *distinct* subexpressions, so it is cheap even when the tree is
    huge; with ``cap`` it stops early once the count passes it.

    >>> x, y = sympy.symbols("x y")
    >>> e = x * y + sympy.sin(x * y)
    >>> expression_size([e]), expression_size([e], distinct=True)
    (8, 5)
    """
    memo: dict = {}
    total = 0
    for root in exprs:
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            if ready:
                memo[node] = 1 + sum(memo[a] for a in node.args)
                continue
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in memo)
        total += memo[root]
        if cap is not None and not distinct and total > cap:
            return total
    return len(memo) if distinct else total


def symbolic_outputs(f: Callable, shape: tuple, names: Sequence[str] | None = None):
    """Evaluate ``f`` on real symbols of ``shape``; returns ``(symbols, object array of outputs)``.

    >>> syms, out = symbolic_outputs(lambda x: x[0] * x[1], (2,))
    >>> out.item()
    x0*x1
    """
    syms, arr = _make_symbols(tuple(shape), names)
    arg = arr.item() if arr.shape == () else arr
    try:
        out = f(arg)
    except Refused:
        raise
    except Exception as exc:  # the case cannot run on symbols: say so, do not crash the report
        msg = f"symbolic: f cannot run on sympy symbols ({type(exc).__name__}: {exc})"
        raise Refused(msg) from exc
    return syms, _as_expr_array(out)


def _drop_deltas(expr):
    # d/dx Heaviside = DiracDelta, which is 0 away from the kink; kink points are reported as
    # kinks by the engine, so the delta is dropped rather than left unprintable for numpy.
    if expr.has(sympy.DiracDelta):
        expr = expr.replace(sympy.DiracDelta, lambda *a: sympy.S.Zero)
    return expr


class _Budget:
    def __init__(self, max_ops: int, timeout: float, count: Callable[[], int | None] | None = None):
        self.max_ops, self.timeout = max_ops, timeout
        # CPU time of this process, not wall time: what gets skipped must not depend on how
        # busy the machine is (other jobs only slow the wall clock)
        self.start = time.process_time()
        self.size: int | None = None  # expression size, once known (for the refusal message)
        self._count = count  # fallback size (scalar ops on a tape) when evaluation times out
        self.stage = "evaluating f on sympy symbols"

    def ops(self) -> tuple[int | None, str]:
        """The size to report and what it counts: the expression's nodes once ``f`` has been
        evaluated on symbols, else the scalar operations of one numeric run of ``f``."""
        if self.size is not None:
            return self.size, ""
        if self._count is not None:
            try:
                return self._count(), "scalar operations of one numeric run of f"
            except Exception:  # counting is only for the message; never mask the refusal
                self._count = None
        return None, ""

    def refusal(self, why: str) -> Refused:
        n, counted = self.ops()
        size = f"{n} ops" if n is not None else "size unknown"
        note = f"; ops counted as {counted}" if counted else ""
        return Refused(f"skipped: too large for symbolic ({size}) — {why}{note}")

    def check_size(self, exprs, distinct: bool = False) -> int:
        size = expression_size(list(exprs), cap=self.max_ops, distinct=distinct)
        if self.size is None:
            self.size = size
        if size > self.max_ops:
            self.size = size
            raise self.refusal(f"over the {self.max_ops} ops budget")
        return size

    def tick(self, what: str) -> None:
        elapsed = time.process_time() - self.start
        if elapsed > self.timeout:
            raise self.refusal(f"{what} over the {self.timeout:g} s CPU-time budget "
                               f"({elapsed:.1f} s)")


class _OverTime(BaseException):
    """Raised by the alarm inside sympy; BaseException so sympy's ``except Exception`` lets it
    through."""


@contextlib.contextmanager
def _deadline(budget: _Budget):
    """A hard CPU-time limit (``ITIMER_PROF``/``SIGPROF``) around sympy work, when running in
    the main thread and no one else's profiling timer is armed.

    sympy calls (``diff``, ``cse``) cannot be interrupted otherwise; elsewhere (threads, no
    ``setitimer``) the cooperative checks between derivatives are the only limit. The timer
    counts this process's CPU time, so a loaded machine skips the same cases as an idle one.
    """
    usable = (
        hasattr(signal, "setitimer") and hasattr(signal, "ITIMER_PROF")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_PROF)[0] == 0.0
    )
    seconds = budget.timeout
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise _OverTime()

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, max(seconds, 1e-3))
    try:
        yield
    except _OverTime:
        raise budget.refusal(f"{budget.stage} over the {seconds:g} s CPU-time budget") from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0.0)
        signal.signal(signal.SIGPROF, previous)


#: rule-table families whose entries move values around without computing (no sympy node)
_NO_NODE_FAMILIES = ("indexing", "shape")


def _tape_ops(f: Callable, x: np.ndarray) -> Callable[[], int | None]:
    """A counter of ``f``'s scalar operations: ``f`` recorded once on a tape, numerically, and
    the element counts of its computing entries' results summed (a matmul producing a 4×4
    array counts 16, not 1; the input, indexing and reshaping count 0). The size reported when
    evaluating ``f`` on symbols is itself over the budget, so that no expression exists to
    measure; it is a lower bound on the expression's size."""

    def count() -> int | None:
        from dualnum.rules import get_rule, has_rule

        from .tape_inspect import record

        return int(sum(np.size(e.value) for e in record(f, x).entries
                       if has_rule(e.op) and get_rule(e.op).family not in _NO_NODE_FAMILIES))

    return count


def _differentiate(outs: np.ndarray, syms: list, budget: _Budget, order: int) -> list:
    derivs = []
    for o in outs.reshape(-1):
        for s in syms:
            derivs.append(sympy.diff(o, s))
        budget.tick("differentiation")
    _refuse_unevaluated(derivs)     # before sympy tries again on them (Mod: RecursionError)
    if order == 2:
        second = []
        for d in derivs:
            for s in syms:
                second.append(sympy.diff(d, s))
            budget.tick("differentiation")
        derivs = second
    _refuse_unevaluated(derivs)
    return [_drop_deltas(d) for d in derivs]


def _refuse_unevaluated(derivs) -> None:
    """sympy leaves the derivatives of some functions unevaluated (``Derivative(floor(x),
    x)``, ``Mod``): no numbers come of them, so there is no symbolic reference."""
    for d in derivs:
        if d.has(sympy.Derivative):
            which = sorted({str(a.expr.func) for a in d.atoms(sympy.Derivative)})
            raise Refused(f"symbolic: sympy cannot differentiate {', '.join(which)} (its "
                          "derivative stays unevaluated)")


def _heaviside(z, h0=0.5):
    """sympy's ``Heaviside(z, H0)`` on numbers (``H0`` = ½ unless the expression says)."""
    return np.heaviside(z, h0)


#: stands in for ``Heaviside`` when printing: numpy's printer turns ``Heaviside(z)`` into a
#: ``select`` whose conditions it runs through ``simplify_logic`` — with ``z = x0 − Max(…)``
#: (the derivative of every max-pooling window) that took ~25 s for one 2×2 pooling layer
_HEAVISIDE = sympy.Function("heaviside_")


def _evaluate(derivs: list, syms: list, x: np.ndarray) -> np.ndarray:
    derivs = [d.replace(sympy.Heaviside, _HEAVISIDE) if d.has(sympy.Heaviside) else d
              for d in derivs]
    # cse without canonical ordering of the subexpressions (order="none"): the same sharing,
    # 25-50 % less time on the networks' gradients (jiang_dnn 0.77 -> 0.56 s).
    # The temporaries get names no argument has: sympy < 1.13 keeps cse's default x0, x1, …
    # apart from the expression's symbols by equality, which includes assumptions (sympy issue
    # 25043), so our real x0 did not stop a temporary Symbol("x0") whose `x0 = …` line in the
    # generated function then overwrote the argument x0 (sympy 1.12: 245 failed comparisons).
    taken = {s.name for s in syms}

    def cse(exprs):
        temps = (t for t in sympy.numbered_symbols("_cse") if t.name not in taken)
        return sympy.cse(exprs, symbols=temps, order="none")

    fn = sympy.lambdify(syms, derivs, modules=[{"heaviside_": _heaviside}, "numpy"], cse=cse)
    with np.errstate(all="ignore"):
        vals = fn(*x.reshape(-1).tolist())
    try:
        return np.array([complex(v).real if np.iscomplexobj(v) else float(v) for v in vals])
    except TypeError as exc:
        raise Refused(f"symbolic: derivative did not evaluate to numbers ({exc})") from exc


def _estimate(values: np.ndarray, shape: tuple) -> Estimate:
    value = values.reshape(shape)
    scale = np.max(np.abs(value), initial=1.0)
    error = np.full(value.shape, 64 * EPS * scale)
    return Estimate(value, error, "symbolic", None)


def symbolic_jacobian(
    f: Callable, x, max_ops: int = DEFAULT_MAX_OPS, timeout: float = DEFAULT_TIMEOUT
) -> Estimate:
    """The Jacobian of ``f`` at ``x`` by sympy (shape ``out_shape + in_shape``).

    Raises :class:`Refused` when the expression is over ``max_ops`` nodes or the work runs
    past ``timeout`` seconds of CPU time, or when ``f`` cannot run on symbols.

    >>> est = symbolic_jacobian(lambda x: 1.5 * x[0] ** 2 + x[1] ** 2 + 2, np.array([1.0, 2.0]))
    >>> est.value.tolist()
    [3.0, 4.0]
    """
    x = np.array(x, dtype=np.float64)
    budget = _Budget(max_ops, timeout, _tape_ops(f, x))
    with _deadline(budget):
        syms, outs = symbolic_outputs(f, x.shape)
        budget.check_size(outs.reshape(-1))
        budget.tick("evaluation")
        budget.stage = "differentiation"
        derivs = _differentiate(outs, syms, budget, order=1)
        budget.check_size(derivs, distinct=True)
        budget.stage = "cse + lambdify"
        values = _evaluate(derivs, syms, x)
    return _estimate(values, outs.shape + x.shape)


def symbolic_hessian(
    f: Callable, x, max_ops: int = DEFAULT_MAX_OPS, timeout: float = DEFAULT_TIMEOUT
) -> Estimate:
    """The Hessian of ``f`` at ``x`` by sympy: shape ``in_shape + in_shape`` for a scalar ``f``,
    ``out_shape + in_shape + in_shape`` (second derivatives of every output) otherwise.

    >>> est = symbolic_hessian(lambda x: x[0] ** 2 * x[1], np.array([3.0, 2.0]))
    >>> est.value.tolist()
    [[4.0, 6.0], [6.0, 0.0]]
    """
    x = np.array(x, dtype=np.float64)
    budget = _Budget(max_ops, timeout, _tape_ops(f, x))
    with _deadline(budget):
        syms, outs = symbolic_outputs(f, x.shape)
        budget.check_size(outs.reshape(-1))
        budget.stage = "differentiation"
        derivs = _differentiate(outs, syms, budget, order=2)
        budget.check_size(derivs, distinct=True)
        budget.stage = "cse + lambdify"
        values = _evaluate(derivs, syms, x)
    return _estimate(values, outs.shape + x.shape + x.shape)


@dataclass
class Formulas:
    """Symbolic expressions of ``f`` and its derivatives, for display.

    ``value`` is ``f``'s expression, ``partials[name]`` its derivative by that input,
    ``second[(a, b)]`` the second partials (when ``order=2``), ``symbols`` the sympy symbols.

    >>> fm = symbolic_formulas(lambda v: v[0] ** 2 * v[1], ["x", "y"], order=2)
    >>> fm.partials["x"], fm.second[("x", "y")]
    (2*x*y, 2*x)
    """

    value: sympy.Expr
    partials: dict = field(default_factory=dict)
    second: dict = field(default_factory=dict)
    symbols: list = field(default_factory=list)


def symbolic_formulas(
    f: Callable,
    names: Sequence[str],
    order: int = 1,
    simplify: bool = True,
    max_ops: int = DEFAULT_MAX_OPS,
) -> Formulas:
    """The sympy expressions of a scalar ``f`` and of its partials, named by ``names``.

    ``f`` takes one 1-D array whose entries are the named inputs, in order (the same ``f``
    the other references take); ``x[i]`` is the symbol ``names[i]``.

    >>> fm = symbolic_formulas(lambda x: x[0] * x[1] + x[0] ** 2, ["a", "b"])
    >>> fm.value, fm.partials["a"], fm.partials["b"]
    (a*(a + b), 2*a + b, a)
    """
    if order not in (1, 2):
        raise ValueError(f"symbolic_formulas: order must be 1 or 2, got {order}")
    names = list(names)
    syms, outs = symbolic_outputs(f, (len(names),), names)
    if outs.size != 1:
        raise ValueError(f"symbolic_formulas: f must be scalar, it returned shape {outs.shape}")
    size = expression_size(outs.reshape(-1), cap=max_ops)
    if size > max_ops:
        raise Refused(f"skipped: too large for symbolic ({size} ops) — over the {max_ops} ops "
                      "budget")
    tidy = sympy.simplify if simplify else (lambda e: e)
    expr = outs.item()
    partials = {n: sympy.diff(expr, s) for n, s in zip(names, syms, strict=True)}
    _refuse_unevaluated(partials.values())
    second = {}
    if order == 2:
        for a in names:
            for b, sb in zip(names, syms, strict=True):
                second[(a, b)] = tidy(sympy.diff(partials[a], sb))
    return Formulas(tidy(expr), {n: tidy(d) for n, d in partials.items()}, second, syms)
