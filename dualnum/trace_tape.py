"""The trace's data model, and how it is filled from a recorded tape.

:func:`read_tape` turns the tape's entries into :class:`Row` objects numbered like the slides
(inputs ``v_{1-n} ... v_0``, operations ``v_1 ... v_m``), keeping only what the output depends
on. :func:`fill_partials` asks the rule table for each local partial ``∂v_i/∂v_j`` (for
elementwise primitives; structural ones such as ``sum`` or ``matmul`` keep their JVP/VJP
rules). :func:`forward_sweep` and :func:`reverse_sweep` then run forward and reverse mode by
hand over those partials, recording every accumulation, which is what the slides print.

>>> from dualnum.trace import trace
>>> t = trace("x*x", x=3.0)
>>> [(r.index, r.op, r.operands) for r in t.rows]
[(0, None, ()), (1, 'multiply', (0, 0))]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dualnum.expr import DomainError

__all__ = ["Constant", "Partial", "Row", "Step", "read_tape", "check_finite", "fill_partials",
           "check_derivatives",
           "forward_sweep", "reverse_sweep", "tangent_formulas"]


@dataclass(frozen=True)
class Constant:
    """An operand that is not on the tape (a literal such as the 2 in ``2*x``)."""

    value: Any


@dataclass
class Partial:
    """``∂v_row/∂v_source`` for one operand of a row (``partial`` None: a structural op)."""

    source: int
    position: int
    partial: Any
    formulas: dict[str, str] = field(default_factory=dict)

    def formula(self, kind: str) -> str | None:
        """The partial as a formula in the operands (``kind``: "text" or "latex")."""
        return self.formulas.get(kind)


@dataclass
class Row:
    """One line of the trace: an input (``op`` None) or ``v_i = op(operands)``."""

    index: int
    op: str | None
    name: str | None
    operands: tuple
    value: Any
    kwargs: dict = field(default_factory=dict)
    partials: list[Partial] = field(default_factory=list)
    tangents: list[Any] = field(default_factory=list)
    adjoint: Any = 0.0
    kink: str | None = None
    tangent_formulas: list[str] | None = None
    tangent_latex: list[str] | None = None


@dataclass
class Step:
    """One accumulation of the reverse sweep: ``v̄_target (+)= v̄_source · ∂v_source/∂v_target``."""

    target: int
    source: int
    partial: Any
    adjoint_in: Any
    contribution: Any
    before: Any
    after: Any
    first: bool
    formulas: dict[str, str] = field(default_factory=dict)

    def formula(self, kind: str) -> str | None:
        """The partial as a formula in the operands (``kind``: "text" or "latex")."""
        return self.formulas.get(kind)


def _unbox(x: Any) -> Any:
    from dualnum.primitive import unbox_all

    return unbox_all(x)


def _entry_operands(entry: Any) -> list[tuple[int | None, Any]]:
    """(tape index or None, value) for every positional argument of an entry."""
    return [(i, _unbox(a)) for i, a in zip(entry.inputs, entry.args, strict=True)]


def read_tape(tape: Any, boxes: dict[str, Any], out: Any, names: list[str],
              order: str = "slides") -> list[Row]:
    """Rows for the inputs and every entry the output depends on (``order``: "slides" numbers
    the operations level by level like Lepetit's tables, "tape" keeps the recording order)."""
    from dualnum.primitive import Box

    if not isinstance(out, Box) or getattr(out, "_level", None) is not tape:
        raise ValueError("the output does not depend on the inputs (nothing was recorded)")
    if np.ndim(_unbox(out)) != 0:
        raise ValueError(f"a trace needs a scalar output, got shape {np.shape(_unbox(out))}")
    entries = tape.entries
    out_index = out.index
    input_index = {boxes[n].index: n for n in names}
    # keep only the ancestors of the output: one backward pass over the tape (no recursion)
    needed = {out_index}
    for e in reversed(entries[:out_index + 1]):
        if e.index in needed:
            needed.update(i for i, _ in _entry_operands(e) if i is not None)
    number: dict[int, int] = {}
    for k, n in enumerate(names):
        number[boxes[n].index] = k + 1 - len(names)
    rows = [Row(index=number[boxes[n].index], op=None, name=n, operands=(),
                value=_unbox(boxes[n])) for n in names]
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
                        value=_unbox(e.value), kwargs=dict(e.kwargs or {})))
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
    from dualnum.primitive import ONE
    from dualnum.rules import get_rule

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
            return _unbox(d(*vals, ans))
        except ArithmeticError:   # Python floats raise where numpy gives inf (sqrt'(0))
            return _unbox(d(*(np.float64(v) if np.ndim(v) == 0 else v for v in vals),
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
    import sympy

    places = [sympy.Symbol(f"a{k}", real=True) for k in range(len(vals))]
    names = {}
    args = []
    for k, o in enumerate(row.operands):
        if isinstance(o, int):
            args.append(places[k])
            names[places[k]] = o
        else:
            args.append(sympy.nsimplify(o.value) if float(o.value).is_integer() else o.value)
    try:
        expr = prim.sym(sympy, *args)
        out = []
        for k in range(len(vals)):
            if places[k] not in names:
                out.append({})
                continue
            d = sympy.diff(expr, places[k])
            sub = {p: sympy.Symbol(_text_name(names[p]), real=True) for p in names}
            latex_names = {sub[p]: f"v_{{{names[p]}}}" for p in names}
            dd = d.subs(sub)
            out.append({"text": sympy.sstr(dd).replace("log(", "ln("),
                        "latex": sympy.latex(dd, symbol_names=latex_names, ln_notation=True)})
        return out
    except Exception:   # a formula is decoration: never let sympy break the trace
        return None


def _text_name(i: int) -> str:
    return "v" + str(i).translate(str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉"))


def forward_sweep(rows: list[Row], seeds: list[str]) -> None:
    """Tangent columns: ``v̇_i = Σ_j ∂v_i/∂v_j · v̇_j``, one column per seed input."""
    from dualnum.rules import get_rule

    by_index = {r.index: r for r in rows}
    for k, seed in enumerate(seeds):
        for r in rows:
            shape = np.shape(r.value)
            if r.op is None:
                one = 1.0 if r.name == seed else 0.0
                r.tangents.append(one if shape == () else np.full(shape, one))
                continue
            if any(p.partial is None for p in r.partials):    # structural: its JVP rule
                prim = get_rule(r.op)
                ts = tuple(by_index[o].tangents[k] if isinstance(o, int) else None
                           for o in r.operands)
                t = _unbox(prim.jvp(ts, r.value, _operand_values(r, by_index), r.kwargs, 0))
            else:
                t = 0.0
                for p in r.partials:
                    t = t + by_index[p.source].tangents[k] * p.partial
            with np.errstate(all="ignore"):
                t = np.broadcast_to(t, shape).copy() if np.shape(t) != shape else t
            r.tangents.append(float(t) if shape == () else t)


def reverse_sweep(rows: list[Row]) -> list[Step]:
    """Adjoints from ``v̄_out = 1`` back to the inputs, recording every accumulation."""
    from dualnum.rules import get_rule
    from dualnum.tape import unbroadcast

    by_index = {r.index: r for r in rows}
    out = rows[-1]
    adj: dict[int, Any] = {out.index: 1.0}
    steps: list[Step] = []
    for r in reversed(rows):
        g = adj.get(r.index)
        if r.op is None or g is None:
            continue
        if any(p.partial is None for p in r.partials):
            prim = get_rule(r.op)
            needs = tuple(isinstance(o, int) for o in r.operands)
            vjps = prim.vjp(needs, g, r.value, _operand_values(r, by_index), r.kwargs, 0)
            contribs = [(p, _unbox(vjps[p.position])) for p in r.partials]
        else:
            contribs = [(p, g * p.partial) for p in r.partials]
        for p, c in contribs:
            with np.errstate(all="ignore"):
                c = _unbox(unbroadcast(c, np.shape(by_index[p.source].value)))
            before = adj.get(p.source)
            after = c if before is None else before + c
            adj[p.source] = after
            steps.append(Step(p.source, r.index, p.partial, g, c,
                              0.0 if before is None else before, after, before is None,
                              p.formulas))
    for r in rows:
        a = adj.get(r.index, 0.0)
        r.adjoint = float(a) if np.shape(a) == () else np.asarray(a)
    return steps


def tangent_formulas(rows: list[Row], names: list[str], seeds: list[str]) -> None:
    """Each ``v̇_i`` as a sympy formula in the inputs (the optional symbolic column)."""
    import sympy

    from dualnum.rules import get_rule

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
