"""Symbolic reference: evaluate ``f`` on sympy symbols, let sympy differentiate, evaluate.

``f`` is written once against ``dualnum.numpy``, so calling it on a numpy object array of real
sympy ``Symbol`` s builds the expression of every output. ``sympy.diff`` then differentiates it
with sympy's own rules (nothing from dualnum's rule table), and ``sympy.lambdify`` with ``cse``
turns the derivatives into one numeric function with common subexpressions shared.

Symbolic differentiation blows up on big networks (the expression of a 4-16-16-1 tanh
network's loss has tens of thousands of nodes), so a budget guards it
(:mod:`.symbolic_budget`): sizes counted between the steps (the scalar operations of one numeric
run before ``f`` runs on symbols; the expression's nodes and the differentiation's work before
differentiating; the derivatives' distinct nodes as they come and before ``cse`` +
``lambdify``), so every machine skips the same cases, and a wall-clock safety net checked at
the same places. Over budget, :class:`Refused` says
``"skipped: too large for symbolic (N ops) — <which measure>"`` instead of hanging.

>>> import numpy as np
>>> est = symbolic_jacobian(lambda x: x[0] ** 2 * x[1], np.array([3.0, 2.0]))
>>> est.value.tolist()
[12.0, 9.0]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy

from .finite_differences import EPS, Estimate, Refused
from .symbolic_budget import (
    DEFAULT_MAX_DERIVATIVE_OPS,
    DEFAULT_MAX_OPS,
    DEFAULT_MAX_WORK,
    DEFAULT_TIMEOUT,
    Budget,
    expression_size,
)

__all__ = [
    "DEFAULT_MAX_DERIVATIVE_OPS",
    "DEFAULT_MAX_OPS",
    "DEFAULT_MAX_WORK",
    "DEFAULT_TIMEOUT",
    "Formulas",
    "expression_size",
    "symbolic_formulas",
    "symbolic_hessian",
    "symbolic_jacobian",
    "symbolic_outputs",
    "simplify_formulas",
]

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


def _tape_ops(f: Callable, x: np.ndarray) -> Callable[[], tuple[int, int]]:
    """A counter of ``f``'s operations on one numeric run (:func:`.tape_inspect.
    operation_counts`): what its expression will hold, known before ``f`` runs on symbols."""

    def count() -> tuple[int, int]:
        # imported when asked: the references run on plain-numpy f without the core's tape
        from .tape_inspect import operation_counts

        return operation_counts(f, x)

    return count


class _Extremum(sympy.Function):
    """``Max``/``Min`` left unevaluated, with sympy's own derivative formula (the Heaviside
    of the argument minus the extremum of the others, ``Max.fdiff``).

    sympy's ``Max`` compares every pair of its arguments each time one is built (it tries to
    prove one below another, through ``factor_terms`` of their difference), and its
    derivative builds a ``Max`` of the others for every argument: differentiating the small
    CNN's max-pooling spent 6 of its 7 s there. Here nothing is compared; the numbers are
    taken by numpy (``max_``/``min_`` in :func:`_evaluate`).
    """

    def fdiff(self, argindex=1):
        i = argindex - 1
        others = self.args[:i] + self.args[i + 1:]
        rest = others[0] if len(others) == 1 else type(self)(*others)
        return sympy.Heaviside(self._sign * (self.args[i] - rest))


class _Max(_Extremum):
    _sign = 1


class _Min(_Extremum):
    _sign = -1


def _cheap_extrema(expr):
    if expr.has(sympy.Max, sympy.Min):
        expr = expr.replace(sympy.Max, lambda *a: _Max(*a)).replace(sympy.Min,
                                                                    lambda *a: _Min(*a))
    return expr


def _differentiate(outs: np.ndarray, syms: list, budget: Budget, order: int) -> list:
    """Every output's derivatives (second derivatives for ``order=2``) by every symbol: the
    work checked before each pass, the clock before each derivative, the final derivatives'
    distinct nodes after each."""
    exprs = [_cheap_extrema(o) for o in outs.reshape(-1)]
    what = "differentiation"
    for depth in range(1, order + 1):
        budget.add_work(expression_size(exprs, cap=budget.max_work), len(syms), what)
        derivs = []
        for o in exprs:
            for s in syms:
                budget.check_clock(f"{what} ({len(derivs) + 1} of {len(exprs) * len(syms)})")
                d = sympy.diff(o, s)
                if depth == order:
                    budget.add_derivative(d)
                derivs.append(d)
        _refuse_unevaluated(derivs)     # before sympy tries again on them (Mod: RecursionError)
        exprs, what = derivs, "second derivatives"
    return [_drop_deltas(d) for d in exprs]


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

#: the numbers of the functions sympy's printer does not know (heaviside_, max_, min_)
_NUMERIC = {"heaviside_": _heaviside,
            "max_": lambda *a: functools.reduce(np.maximum, a),
            "min_": lambda *a: functools.reduce(np.minimum, a)}


def _evaluate(derivs: list, syms: list, x: np.ndarray) -> np.ndarray:
    derivs = [d.replace(sympy.Heaviside, _HEAVISIDE) if d.has(sympy.Heaviside) else d
              for d in derivs]
    derivs = [d.replace(_Max, sympy.Function("max_")).replace(_Min, sympy.Function("min_"))
              if d.has(_Max, _Min) else d for d in derivs]
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

    fn = sympy.lambdify(syms, derivs, modules=[_NUMERIC, "numpy"], cse=cse)
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


def _derivatives(f: Callable, x: np.ndarray, order: int, budget: Budget):
    """``f``'s outputs on symbols and their derivatives of ``order``, within ``budget``."""
    budget.check_scalar_ops()
    syms, outs = symbolic_outputs(f, x.shape)
    budget.check_expression(outs.reshape(-1))
    derivs = _differentiate(outs, syms, budget, order)
    budget.check_clock("cse + lambdify")
    return syms, outs, derivs


def symbolic_jacobian(
    f: Callable, x, max_ops: int = DEFAULT_MAX_OPS, timeout: float = DEFAULT_TIMEOUT,
    max_work: int = DEFAULT_MAX_WORK, max_derivative_ops: int = DEFAULT_MAX_DERIVATIVE_OPS,
) -> Estimate:
    """The Jacobian of ``f`` at ``x`` by sympy (shape ``out_shape + in_shape``).

    Raises :class:`Refused` when ``f`` cannot run on symbols, or when the work is over the
    size budget (:mod:`.symbolic_budget`: ``max_ops`` nodes of ``f``'s expression, ``max_work``
    node-derivatives, ``max_derivative_ops`` distinct nodes of the derivatives), or once
    ``timeout`` wall-clock seconds have passed (the safety net, checked between steps).

    >>> est = symbolic_jacobian(lambda x: 1.5 * x[0] ** 2 + x[1] ** 2 + 2, np.array([1.0, 2.0]))
    >>> est.value.tolist()
    [3.0, 4.0]
    """
    x = np.array(x, dtype=np.float64)
    budget = Budget(max_ops, max_work, max_derivative_ops, timeout, _tape_ops(f, x))
    syms, outs, derivs = _derivatives(f, x, 1, budget)
    return _estimate(_evaluate(derivs, syms, x), outs.shape + x.shape)


def symbolic_hessian(
    f: Callable, x, max_ops: int = DEFAULT_MAX_OPS, timeout: float = DEFAULT_TIMEOUT,
    max_work: int = DEFAULT_MAX_WORK, max_derivative_ops: int = DEFAULT_MAX_DERIVATIVE_OPS,
) -> Estimate:
    """The Hessian of ``f`` at ``x`` by sympy: shape ``in_shape + in_shape`` for a scalar ``f``,
    ``out_shape + in_shape + in_shape`` (second derivatives of every output) otherwise. The
    budget is :func:`symbolic_jacobian`'s, the work counting both passes.

    >>> est = symbolic_hessian(lambda x: x[0] ** 2 * x[1], np.array([3.0, 2.0]))
    >>> est.value.tolist()
    [[4.0, 6.0], [6.0, 0.0]]
    """
    x = np.array(x, dtype=np.float64)
    budget = Budget(max_ops, max_work, max_derivative_ops, timeout, _tape_ops(f, x))
    syms, outs, derivs = _derivatives(f, x, 2, budget)
    return _estimate(_evaluate(derivs, syms, x), outs.shape + x.shape + x.shape)


#: sympy.simplify's budget: a formula of more tree nodes is shown as differentiated, not
#: simplified. simplify's cost climbs steeply with size: on the derivative of x**x**…**x it
#: took 0.2 s with 8 levels (164 nodes), 1.1 s with 10 (248), 21 s with 15 (528)
SIMPLIFY_MAX_OPS = 200
#: and at most this many nodes simplified in all (a 40-variable quadratic has 40 partials)
SIMPLIFY_MAX_TOTAL = 2_000


@dataclass
class Formulas:
    """Symbolic expressions of ``f`` and its derivatives, for display.

    ``value`` is ``f``'s expression, ``partials[name]`` its derivative by that input,
    ``second[(a, b)]`` the second partials (when ``order=2``), ``symbols`` the sympy symbols;
    ``unsimplified`` names the formulas shown as differentiated because they were over
    sympy.simplify's budget (:data:`SIMPLIFY_MAX_OPS`, :data:`SIMPLIFY_MAX_TOTAL`).

    >>> fm = symbolic_formulas(lambda v: v[0] ** 2 * v[1], ["x", "y"], order=2)
    >>> fm.partials["x"], fm.second[("x", "y")], fm.unsimplified
    (2*x*y, 2*x, [])
    """

    value: sympy.Expr
    partials: dict = field(default_factory=dict)
    second: dict = field(default_factory=dict)
    symbols: list = field(default_factory=list)
    unsimplified: list = field(default_factory=list)


def _simplified(items: list, unsimplified: list) -> list:
    """``sympy.simplify`` of each ``(label, expr)`` within the budget; the labels of those
    over it are appended to ``unsimplified`` (a number needs no simplifying)."""
    total, out = 0, []
    for label, e in items:
        size = expression_size([e], cap=SIMPLIFY_MAX_OPS)
        if e.is_number or size > SIMPLIFY_MAX_OPS or total + size > SIMPLIFY_MAX_TOTAL:
            if not e.is_number:
                unsimplified.append(label)
            out.append(e)
            continue
        total += size
        out.append(sympy.simplify(e))
    return out


def symbolic_formulas(
    f: Callable,
    names: Sequence[str],
    order: int = 1,
    simplify: bool = True,
    max_ops: int = DEFAULT_MAX_OPS,
    max_work: int = DEFAULT_MAX_WORK,
) -> Formulas:
    """The sympy expressions of a scalar ``f`` and of its partials, named by ``names``.

    ``f`` takes one 1-D array whose entries are the named inputs, in order (the same ``f``
    the other references take); ``x[i]`` is the symbol ``names[i]``. The differentiation has
    :func:`symbolic_jacobian`'s size budget (``max_ops``, ``max_work``: :class:`Refused` over
    it); ``simplify`` tidies each formula within sympy.simplify's budget (the others are
    listed in ``unsimplified``). The second partials are computed for ``a`` before ``b`` in
    ``names`` and shared with ``(b, a)``.

    >>> fm = symbolic_formulas(lambda x: x[0] * x[1] + x[0] ** 2, ["a", "b"])
    >>> fm.value, fm.partials["a"], fm.partials["b"]
    (a*(a + b), 2*a + b, a)
    """
    if order not in (1, 2):
        raise ValueError(f"symbolic_formulas: order must be 1 or 2, got {order}")
    names = list(names)
    budget = Budget(max_ops=max_ops, max_work=max_work)
    syms, outs = symbolic_outputs(f, (len(names),), names)
    if outs.size != 1:
        raise ValueError(f"symbolic_formulas: f must be scalar, it returned shape {outs.shape}")
    expr = outs.item()
    budget.add_work(budget.check_expression([expr]), len(names), "differentiation")
    partials = {n: sympy.diff(expr, s) for n, s in zip(names, syms, strict=True)}
    _refuse_unevaluated(partials.values())
    second = {}
    if order == 2:
        budget.add_work(expression_size(list(partials.values()), cap=max_work), len(names),
                        "second derivatives")
        for i, a in enumerate(names):
            for b, sb in zip(names[i:], syms[i:], strict=True):
                second[(a, b)] = sympy.diff(partials[a], sb)
    second.update({(b, a): d for (a, b), d in list(second.items())})
    fm = Formulas(expr, partials, second, syms)
    return simplify_formulas(fm) if simplify else fm


def simplify_formulas(fm: Formulas) -> Formulas:
    """``fm`` with each formula through ``sympy.simplify``, within its budget: a formula over
    :data:`SIMPLIFY_MAX_OPS` nodes, or past :data:`SIMPLIFY_MAX_TOTAL` in all, is kept as
    differentiated and named in ``unsimplified`` (``d/dx``, ``d2/dxdy``; a number needs none).

    >>> fm = symbolic_formulas(lambda v: v[0] * v[1] + v[0] ** 2, ["a", "b"], simplify=False)
    >>> fm.value, simplify_formulas(fm).value
    (a**2 + a*b, a*(a + b))
    """
    upper = [(a, b) for (a, b) in fm.second if (b, a) not in fm.second or
             list(fm.partials).index(a) <= list(fm.partials).index(b)]
    items = ([("f", fm.value)] + [(f"d/d{n}", d) for n, d in fm.partials.items()]
             + [(f"d2/d{a}d{b}", fm.second[(a, b)]) for a, b in upper])
    unsimplified: list = []
    done = _simplified(items, unsimplified)
    partials = dict(zip(fm.partials, done[1:1 + len(fm.partials)], strict=True))
    second = dict(zip(upper, done[1 + len(fm.partials):], strict=True))
    second.update({(b, a): d for (a, b), d in list(second.items())})
    return Formulas(done[0], partials, second, fm.symbols, unsimplified)
