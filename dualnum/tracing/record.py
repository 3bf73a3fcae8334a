"""How a :class:`~dualnum.tracing.model.Trace` is filled: one recording, one sweep.

``trace(f, x1=2, x2=5)`` runs ``f`` once on a :class:`~dualnum.tape.Tape` whose input variables
hold :class:`~dualnum.dual.Dual` numbers, one tangent direction per input in ``wrt`` (a batched
forward level: the tangent of every value has one row per seed). So while the tape records each
elementary operation, the forward interpreter computes, in lockstep, the tangents
``v̇_i = Σ_j ∂v_i/∂v_j · v̇_j``: every entry's value carries its tangent column(s). Then one
``tape.gradient(out, inputs, steps=True)`` sweep gives the adjoints, from ``v̄_out = 1`` back to
the inputs, and logs every accumulation ``v̄_j += v̄_i · ∂v_i/∂v_j``: the trace's steps are that
log, in the rows' order. No sweep is re-done here; this module only reads:

* :func:`read_tape`: the entries the output depends on, as rows numbered like the slides;
* :func:`fill_partials`: each local partial ``∂v_i/∂v_j`` from the rule table (for display: the
  numbers and formulas the slides print beside each step), and the kink marks;
* :func:`read_columns` and :func:`read_steps`: the tangents, adjoints and accumulation steps
  the recording and its sweep produced.

The sweep runs on the Duals, so its adjoints are Duals too (their tangents are second
derivatives, unused here); the trace shows their primal parts.

>>> t = trace("x*x + x*y", x=3.0, y=2.0)        # v1 = x*x, v2 = x*y, v3 = v1 + v2
>>> [(s.source, float(s.contribution), float(s.after)) for s in t.steps if s.target == -1]
[(2, 2.0, 2.0), (1, 3.0, 5.0), (1, 3.0, 8.0)]
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from dualnum.dual import Dual, ForwardLevel
from dualnum.expr import DomainError, Expression, PointError, parse
from dualnum.primitive import ONE, unbox_all
from dualnum.rules import get_rule
from dualnum.tape import Tape, TapeVar
from dualnum.tracing.model import Constant, Partial, Row, Step, Trace
from dualnum.tracing.notation import subscript_name

__all__ = ["trace", "read_tape", "check_finite", "fill_partials", "check_derivatives",
           "read_columns", "read_steps", "tangent_formulas", "MAX_FORMULA_ROWS"]

#: rows above which the (sympy) formulas are skipped: they would cost more than they show
MAX_FORMULA_ROWS = 200


def trace(f: Callable[..., Any] | str | Expression, at: dict[str, Any] | None = None, *,
          wrt: list[str] | str | None = None, symbolic: bool = False, formulas: bool = True,
          order: str = "slides", **point: Any) -> Trace:
    """Record ``f`` at ``point`` and return its :class:`~dualnum.tracing.model.Trace`.

    ``f`` is an expression string (parsed safely by :func:`dualnum.expr.parse`), a parsed
    :class:`~dualnum.expr.Expression`, or a Python function called with the point's values by
    keyword. The point is given by keyword (``x1=2``) or as a dict ``at`` (needed for
    variables called like this function's options, e.g. ``wrt``). ``wrt`` picks the inputs
    that seed tangent columns (default: all; an array input is seeded with ones, so its
    column is the derivative along that direction);
    ``symbolic=True`` adds each tangent as a sympy formula in the inputs; ``formulas=False``
    skips the local partials' formulas (``1/v₋₁``), which need sympy. ``order="slides"``
    numbers the operations level by level like the slides (``"tape"``: recording order).

    Rows evaluated exactly on a kink (``relu`` at 0, ``abs`` at 0, a ``max`` tie) carry the
    convention the rule table uses there.

    >>> t = trace(lambda a, b: a * b + a, a=3.0, b=4.0, wrt="a")
    >>> float(t.tangents["a"]), float(t.gradient["b"])
    (5.0, 3.0)
    """
    f, label, names, point = _resolve(f, at, point)
    seeds = _seeds(wrt, names)
    # made before the tape starts recording, so the tape is the outer level: its variables
    # hold the Duals, and every entry's value is a Dual carrying its tangents
    level = ForwardLevel(batch=len(seeds))
    try:
        with np.errstate(all="ignore"):
            with Tape() as tape:
                inputs = [tape.var(Dual(point[n], _seed(point[n], n, seeds), level=level), n)
                          for n in names]
                out = f(**dict(zip(names, inputs, strict=True)))
            rows = read_tape(tape, inputs, out, names, order)
            check_finite(rows)
            fill_partials(rows, formulas and len(rows) <= MAX_FORMULA_ROWS)
            check_derivatives(rows)
            tape.gradient(out, inputs, steps=True)     # the one sweep: adjoints and their log
            read_columns(rows, tape, len(seeds))
            steps = read_steps(rows, tape.steps)
    finally:
        level.active = False     # as in dn.jvp: a Dual that escaped (into f's closure) raises
    if symbolic and len(rows) <= MAX_FORMULA_ROWS:
        tangent_formulas(rows, names, seeds)
    return Trace(label, point, names, rows, steps, seeds, symbolic)


def _resolve(f: Any, at: dict[str, Any] | None, point: dict[str, Any]
             ) -> tuple[Callable[..., Any], str, list[str], dict[str, Any]]:
    """(function, label, input names, point as floats/arrays), or a :class:`PointError`."""
    if at is not None:
        clash = set(at) & set(point)
        if clash:
            raise PointError(f"value for {', '.join(sorted(clash))} given twice")
        point = {**at, **point}
    if isinstance(f, str):
        f = parse(f)
    if isinstance(f, Expression):
        label, names = f.text, list(f.variables)
        missing = [n for n in names if n not in point]
        extra = [n for n in point if n not in names]
        if missing or extra:
            raise PointError(f"no value for {', '.join(missing)}" if missing else
                             f"{', '.join(extra)} does not appear in the expression")
        point = {n: point[n] for n in names}
    else:
        label = getattr(f, "__name__", "f")
        if label == "<lambda>":
            label = "f"
        names = list(point)
    if not names:
        raise PointError("a trace needs at least one input")
    point = {n: (float(v) if np.ndim(v) == 0 and not np.iscomplexobj(v) else np.asarray(v))
             for n, v in point.items()}
    return f, label, names, point


def _seeds(wrt: list[str] | str | None, names: list[str]) -> list[str]:
    """The inputs that seed tangent columns, checked (default: all of them)."""
    seeds = [wrt] if isinstance(wrt, str) else list(wrt or names)
    for k, w in enumerate(seeds):
        if w not in names:
            raise PointError(f"wrt {w!r} is not an input (inputs: {', '.join(names)})")
        if w in seeds[:k]:
            raise PointError(f"wrt {w!r} given twice")
    return seeds


def _seed(value: Any, name: str, seeds: list[str]) -> np.ndarray:
    """The batched tangent of input ``name``: row ``k`` is ones when it is seed ``k``."""
    t = np.zeros((len(seeds),) + np.shape(value))
    if name in seeds:
        t[seeds.index(name)] = 1.0
    return t


def _number(x: Any) -> Any:
    """A scalar as a Python float (complex when complex), an array as an ndarray."""
    a = np.asarray(unbox_all(x))
    if a.ndim:
        return a
    return complex(a) if np.iscomplexobj(a) else float(a)


def _entry_operands(entry: Any) -> list[tuple[int | None, Any]]:
    """(tape index or None, value) for every positional argument of an entry."""
    return [(i, unbox_all(a)) for i, a in zip(entry.inputs, entry.args, strict=True)]


def read_tape(tape: Tape, inputs: list[Any], out: Any, names: list[str],
              order: str = "slides") -> list[Row]:
    """Rows for the inputs and every entry the output depends on (``order``: "slides" numbers
    the operations level by level like Lepetit's tables, "tape" keeps the recording order)."""
    if not isinstance(out, TapeVar) or out.tape is not tape:
        raise ValueError("the output does not depend on the inputs (nothing was recorded)")
    if np.ndim(unbox_all(out)) != 0:
        raise ValueError(f"a trace needs a scalar output, got shape {np.shape(unbox_all(out))}")
    entries = tape.entries
    out_index = out.index
    input_index = {v.index for v in inputs}
    # keep only the ancestors of the output: one backward pass over the tape (no recursion)
    needed = {out_index}
    for e in reversed(entries[:out_index + 1]):
        if e.index in needed:
            needed.update(i for i, _ in _entry_operands(e) if i is not None)
    number: dict[int, int] = {}
    rows = []
    for k, (n, v) in enumerate(zip(names, inputs, strict=True)):
        number[v.index] = k + 1 - len(names)
        rows.append(Row(index=number[v.index], op=None, name=n, operands=(),
                        value=unbox_all(v), entry=v.index))
    kept = [e for e in entries[:out_index + 1]
            if e.index in needed and e.index not in input_index]
    if order == "slides":
        # The slides number a row after everything it reads, level by level (every op on the
        # inputs alone first, then ops on those ...); ties keep the evaluation order. Any
        # topological order is a valid trace; this one reproduces Lepetit's tables.
        level = {i: 0 for i in input_index}
        for e in kept:
            level[e.index] = 1 + max((level[i] for i, _ in _entry_operands(e) if i is not None),
                                     default=0)
        kept.sort(key=lambda e: (level[e.index], e.index))
    elif order != "tape":
        raise ValueError(f"order must be 'slides' or 'tape', got {order!r}")
    for count, e in enumerate(kept, 1):
        number[e.index] = count
        operands = tuple(number[i] if i is not None else Constant(v)
                         for i, v in _entry_operands(e))
        rows.append(Row(index=count, op=e.op, name=None, operands=operands,
                        value=unbox_all(e.value), kwargs=dict(e.kwargs or {}), entry=e.index))
    return rows


def check_finite(rows: list[Row]) -> None:
    """Raise :class:`DomainError` at the first row whose value is nan or inf."""
    for r in rows:
        with np.errstate(all="ignore"):
            bad = not np.all(np.isfinite(np.asarray(r.value, dtype=complex)))
        if bad:
            args = ", ".join(f"v{o}" if isinstance(o, int) else f"{o.value:g}"
                             for o in r.operands)
            raise DomainError(f"point outside the domain: v{r.index} = {r.op}({args}) "
                              f"gives {np.asarray(r.value)}")


def _operand_values(row: Row, by_index: dict[int, Row]) -> tuple:
    return tuple(by_index[o].value if isinstance(o, int) else o.value for o in row.operands)


def fill_partials(rows: list[Row], formulas: bool) -> None:
    """Local partials from the rule table (and their formulas), and the kink marks."""
    by_index = {r.index: r for r in rows}
    for r in rows:
        if r.op is None:
            continue
        prim = get_rule(r.op)
        vals = _operand_values(r, by_index)
        if prim.kink is not None:
            try:
                on = bool(np.any(prim.kink.at(*vals, **r.kwargs)))
            except TypeError:
                on = bool(np.any(prim.kink.at(*vals)))
            if on:
                r.kink = prim.kink.convention
        sym_partials = _sym_partials(prim, r, vals) if formulas else None
        for k, o in enumerate(r.operands):
            if not isinstance(o, int):
                continue
            if prim.partials is None:
                r.partials.append(Partial(o, k, None))
                continue
            d = prim.partials[k]
            if d is None:
                continue
            value = 1.0 if d is ONE else _partial(d, vals, r.value)
            r.partials.append(Partial(o, k, value, sym_partials[k] if sym_partials else {}))


def _partial(d: Any, vals: tuple, ans: Any) -> Any:
    with np.errstate(all="ignore"):
        try:
            return unbox_all(d(*vals, ans))
        except ArithmeticError:   # Python floats raise where numpy gives inf (sqrt'(0))
            return unbox_all(d(*(np.float64(v) if np.ndim(v) == 0 else v for v in vals),
                               np.float64(ans) if np.ndim(ans) == 0 else ans))


def check_derivatives(rows: list[Row]) -> None:
    """Raise :class:`DomainError` at the first local partial that is nan or inf."""
    for r in rows:
        for p in r.partials:
            if p.partial is not None and not np.all(np.isfinite(np.asarray(p.partial))):
                raise DomainError(f"point outside the domain of the derivative: "
                                  f"∂v{r.index}/∂v{p.source} = {np.asarray(p.partial)} "
                                  f"(v{r.index} = {r.op}(...))")


def _sym_partials(prim: Any, row: Row, vals: tuple) -> list[dict[str, str]] | None:
    """``∂op/∂arg_k`` as text and LaTeX in the operands' names (v₋₁, v_{-1})."""
    if prim.sym is None or prim.partials is None:
        return None
    import sympy   # only when formulas are asked for: importing sympy takes ~0.7 s

    places = [sympy.Symbol(f"a{k}", real=True) for k in range(len(vals))]
    names = {}
    args = []
    for k, o in enumerate(row.operands):
        if isinstance(o, int):
            args.append(places[k])
            names[places[k]] = o
        else:
            whole = np.ndim(o.value) == 0 and float(o.value).is_integer()
            args.append(sympy.nsimplify(o.value) if whole else o.value)
    try:
        expr = prim.sym(sympy, *args)
        out = []
        for k in range(len(vals)):
            if places[k] not in names:
                out.append({})
                continue
            d = sympy.diff(expr, places[k])
            if d.has(sympy.Derivative):     # sympy cannot say (floor, Mod): the value only
                out.append({})
                continue
            sub = {p: sympy.Symbol(subscript_name(names[p]), real=True) for p in names}
            latex_names = {sub[p]: f"v_{{{names[p]}}}" for p in names}
            dd = d.subs(sub)
            out.append({"text": sympy.sstr(dd).replace("log(", "ln("),
                        "latex": sympy.latex(dd, symbol_names=latex_names, ln_notation=True)})
        return out
    except Exception:   # a formula is decoration: never let sympy break the trace
        return None


def read_columns(rows: list[Row], tape: Tape, k: int) -> None:
    """Each row's ``k`` tangents (its entry's Dual: one tangent row per seed) and its adjoint
    (the sweep's, 0 where the output does not depend on the row)."""
    entries = tape.entries
    for r in rows:
        e = entries[r.entry]
        t = e.value.tangent      # every entry descends from the inputs' Duals: it is one
        # + 0.0: a zero tangent reads 0, never -0 (0 · (-1) is -0.0 in IEEE arithmetic)
        r.tangents = [_number(t[j] + 0.0) for j in range(k)]
        r.adjoint = 0.0 if e.adjoint is None else _number(e.adjoint)


def read_steps(rows: list[Row], log: list[tuple[int, int, Any]]) -> list[Step]:
    """The sweep's log ``(j, i, contribution)`` (tape indices) as :class:`Step` objects.

    The tape sweeps its entries in reverse recording order; the trace shows the steps in
    reverse row order (for ``order="slides"``, Lepetit's), which is a reverse topological
    order too: an entry's adjoint is complete before it is passed on, so every contribution
    is the same. Only ``before``/``after`` depend on the order, and are summed here in the
    order shown, starting from the logged contributions.
    """
    row_of = {r.entry: r for r in rows}
    logged: dict[int, list[tuple[int, Any]]] = {}
    for j, i, c in log:     # one entry's accumulations are consecutive, operand by operand
        logged.setdefault(row_of[i].index, []).append((row_of[j].index, unbox_all(c)))
    adj: dict[int, Any] = {}
    steps: list[Step] = []
    for r in reversed(rows):
        for p, (target, c) in zip(r.partials, logged.get(r.index, ()), strict=True):
            before = adj.get(target)
            after = c if before is None else before + c
            adj[target] = after
            steps.append(Step(target, r.index, p.partial, r.adjoint, c,
                              0.0 if before is None else before, after, before is None,
                              p.formulas))
    return steps


def tangent_formulas(rows: list[Row], names: list[str], seeds: list[str]) -> None:
    """Each ``v̇_i`` as a sympy formula in the inputs (the optional symbolic column)."""
    import sympy   # only for the symbolic column: importing sympy takes ~0.7 s

    syms = {n: sympy.Symbol(n, real=True) for n in names}
    exprs: dict[int, Any] = {}
    for r in rows:
        if r.op is None:
            exprs[r.index] = syms[r.name]
            continue
        prim = get_rule(r.op)
        args = [exprs[o] if isinstance(o, int) else o.value for o in r.operands]
        try:
            exprs[r.index] = sympy.sympify(prim.sym(sympy, *args))
            tangents = [_simplest(sympy, sympy.diff(exprs[r.index], syms[s])) for s in seeds]
        except Exception:   # no sympy counterpart (e.g. a structural op): leave it out
            return
        r.tangent_formulas = [sympy.sstr(d) for d in tangents]
        r.tangent_latex = [sympy.latex(d, ln_notation=True) for d in tangents]


def _simplest(sympy: Any, d: Any) -> Any:
    """``simplify(d)``, unless it trades a plain formula for a Piecewise (``sign(x)`` becomes
    ``Piecewise((zoo, Eq(x, 0)), (x/Abs(x), True))`` beside other terms): keep ``d`` then."""
    s = sympy.simplify(d)
    return d if s.has(sympy.Piecewise) and not d.has(sympy.Piecewise) else s
