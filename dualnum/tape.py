"""Reverse mode: the tape (Wengert list) and its backward sweep.

While a function runs on tape variables, every elementary operation appends one entry to an
append-only list: which primitive, which earlier entries it read, the values the rule needs,
and the result. Recording order is already a topological order, so the backward sweep is one
loop over the list in reverse: for entry ``i`` with adjoint ``v̄ᵢ`` and each input ``j``,
``v̄ⱼ += v̄ᵢ · ∂vᵢ/∂vⱼ`` (the VJP rule from the same table the forward mode reads). No graph
search and no recursion: a chain of a million operations needs no more stack than one.

>>> import dualnum as dn, dualnum.numpy as dnp
>>> with dn.Tape() as tape:
...     x1, x2 = tape.var(2.0, "x1"), tape.var(5.0, "x2")
...     y = dnp.log(x1) + x1 * x2 - dnp.sin(x2)
>>> [round(g, 3) for g in tape.gradient(y, [x1, x2])]     # Lepetit: x̄1 = 5.5, x̄2 = 1.716
[5.5, 1.716]
>>> [e.op for e in tape.entries]
['input', 'input', 'log', 'multiply', 'add', 'sin', 'subtract']

Semantics are functional: ``gradient`` returns fresh adjoints each call (calling it twice gives
the same answer; nothing accumulates in the variables, unlike micrograd's ``backward``).
A variable cannot be used in new operations once its tape is closed (the ``with`` block ended).

Nesting: a tape variable may hold a ``Dual`` (forward-over-reverse), and a sweep may run while
an outer tape records (reverse-over-reverse): the VJP rules are written with ``dualnum.numpy``,
so the outer level differentiates the sweep itself.

Nesting tapes: while an inner tape records, a value computed from outer-tape variables only is
an outer-tape variable; one that also involves inner-tape variables is an inner-tape variable
holding an outer-tape variable (its value as the outer tape sees it). ``outer.gradient(y, xs)``
unwraps such a ``y`` and answers for its value; a ``y`` that holds none of the tape's variables
raises (``LeakedBoxError`` when its own tape has finished), and only a plain number gets 0:

>>> with dn.Tape() as t1:
...     a = t1.var(2.0)
...     with dn.Tape() as t2:
...         b = t2.var(3.0)
...         c = a * b                  # a t2 variable holding the t1 variable a·3
>>> t1.gradient(c, [a])                # dc/da = b
[3.0]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dualnum.adjoint import F64, SHAPED, input_adjoint, into, to_input
from dualnum.primitive import ONE, SAVED, Box, LeakedBoxError, partial_at, shape_of
from dualnum.tape_diag import Diag, diag_step, is_identity_seed
from dualnum.tape_record import (
    _INPUT, NonFiniteError, Recorder, TapeVar, _describe, _finite, _first_bad,
)
from dualnum.tree import as_float_leaf, flatten, unflatten

__all__ = ["Tape", "TapeVar", "Entry", "NonFiniteError"]

# defined with the recording (dualnum.tape_record), public here: tracebacks and reprs name them
# dualnum.tape.TapeVar and dualnum.tape.NonFiniteError
TapeVar.__module__ = NonFiniteError.__module__ = __name__


@dataclass
class Entry:
    """One row of the tape, as the trace renderer sees it.

    >>> with Tape() as t:
    ...     x = t.var(2.0, "x")
    ...     y = x + 1.0
    >>> e = t.entries[1]
    >>> e.index, e.op, e.inputs, e.args, e.value
    (1, 'add', (0, None), (2.0, 1.0), 3.0)
    """

    index: int
    op: str
    inputs: tuple          # entry index of each argument, or None for a constant
    args: tuple            # argument values (unboxed one level)
    kwargs: dict
    value: Any
    adjoint: Any = None    # after a sweep: d output / d this entry
    name: str | None = None



class Tape(Recorder):
    """An append-only record of operations, and the backward sweep over it.

    >>> import dualnum.numpy as dnp
    >>> with Tape() as t:
    ...     w = t.var(0.5, "w")
    ...     loss = dnp.tanh(w) ** 2
    >>> round(t.gradient(loss, w), 6)
    0.726862

    Options: ``check_finite=True`` raises :class:`NonFiniteError` naming the first entry whose
    value (while recording) or adjoint (while sweeping) is NaN or infinite, with its op and
    inputs. ``keep="all"`` (the default) keeps every entry's arguments and result for
    inspection (``entries``, the trace); ``keep="needed"`` (what ``dn.grad`` and friends use)
    keeps only the arrays the derivative rules read (:mod:`dualnum.saves`): the others are
    freed as soon as the program drops them, and show in ``entries`` as their shapes.
    """

    __slots__ = ()      # the rows and flags are the Recorder's (dualnum.tape_record)

    def _repr_html_(self) -> str:
        # the renderers live in dualnum.tracing, which imports this module: imported when a
        # notebook displays a tape, so the arrow tape <- tracing keeps its one direction
        from dualnum.tracing.display import tape_html
        return tape_html(self)

    def graph(self, out: Any = None) -> Any:
        """The computational graph of what was recorded (only what ``out`` depends on, if
        given): a :class:`dualnum.tracing.graph.Graph`, with ``to_dot``/``to_svg``/``to_png``.

        >>> import dualnum as dn
        >>> with dn.Tape() as t:
        ...     x = t.var(2.0, "x")
        ...     y = x * 3.0
        >>> t.graph(y)
        <Graph: 2 nodes, 1 edges>
        """
        # imported here for the same reason as in _repr_html_
        from dualnum.tracing.graph import Graph
        return Graph.from_tape(self, out)

    @property
    def entries(self) -> list[Entry]:
        """The rows in recording order (with adjoints after a sweep).

        >>> with Tape() as t:
        ...     x = t.var(2.0, "x")
        ...     y = x * x
        >>> _ = t.gradient(y, x)
        >>> [(e.index, e.op, e.inputs, e.value, e.adjoint) for e in t.entries]
        [(0, 'input', (), 2.0, 4.0), (1, 'multiply', (0, 0), 4.0, 1.0)]
        """
        self._check_released()
        adj = self._adjoints
        return [Entry(i, prim.name, parents, vals, {k: v for k, v in kw.items() if k != SAVED},
                      ans, None if adj is None or i >= len(adj) else adj[i], self._names.get(i))
                for i, (prim, parents, vals, kw, ans) in enumerate(self._rows)]

    def _check_released(self) -> None:
        if self.released:
            raise RuntimeError("this tape was released by a sweep with retain=False; "
                               "record the computation again")

    # ------------------------------------------------------------------ the sweep
    def gradient(self, y: Any, xs: Any, seed: Any = None, retain: bool = True,
                 steps: bool = False) -> Any:
        """Adjoints d y / d x for every tape variable in ``xs`` (a var, or a list/tuple/dict
        tree of vars), returned with the same structure. ``y`` must be a scalar unless a
        ``seed`` (the output cotangent) is given. ``retain=False`` frees the tape as the sweep
        passes (a second call then raises). ``steps=True`` records every accumulation
        ``v̄ⱼ += contribution`` in ``tape.steps`` as ``(j, i, contribution)``.

        ``y`` may also be a variable of an inner tape that holds one of this tape's variables
        (recorded while both tapes were open): its value is what was computed from ours, so
        the answer is that value's gradient. A plain number has gradient 0. Anything else
        raises instead of answering 0: None, a str, a Dual, a variable of another tape that
        holds none of ours (``LeakedBoxError`` when that tape has finished).

        >>> with Tape() as t:
        ...     a, b = t.var(2.0), t.var(3.0)
        ...     y = a * b + a
        >>> t.gradient(y, {"a": a, "b": b})
        {'a': 4.0, 'b': 2.0}
        >>> with Tape() as t1:
        ...     a = t1.var(2.0)
        ...     with Tape() as t2:
        ...         b = t2.var(3.0)
        ...         c = a * b          # a variable of t2 holding a variable of t1 (a·3)
        >>> t1.gradient(c, [a])
        [3.0]
        """
        self._check_released()
        leaves, spec = flatten(xs)
        for v in leaves:
            if not (isinstance(v, TapeVar) and v._level is self):
                raise TypeError("Tape.gradient: every x must be a variable of this tape "
                                f"(got {type(v).__name__})")
        if not (isinstance(y, TapeVar) and y._level is self):
            # inner tapes box our variables one layer further: unwrap them down to ours
            z = y
            while isinstance(z, TapeVar) and z._level is not self:
                z = z._value
            if isinstance(z, TapeVar):
                y = z
            elif isinstance(y, Box):
                inner = y._value
                while isinstance(inner, Box) and inner._level is not self:
                    inner = inner._value
                if isinstance(inner, Box):       # e.g. a Dual whose primal is ours
                    raise TypeError(
                        f"Tape.gradient: y is a {type(y).__name__} of {y._level.describe()} "
                        "wrapping a variable of this tape; pass its .primal (or .tangent)")
                if not y._level.active:
                    raise LeakedBoxError(
                        f"Tape.gradient: y belongs to {y._level.describe()}, which has "
                        f"finished, and holds no variable of this tape ({self.describe()}); "
                        "ask the tape that recorded y")
                raise ValueError(
                    f"Tape.gradient: y is a {type(y).__name__} of {y._level.describe()}, "
                    f"not of this tape ({self.describe()}), and holds none of its variables")
            else:
                if y is None or isinstance(y, (str, bytes)):
                    raise TypeError("Tape.gradient: y is "
                                    + ("None" if y is None else f"a {type(y).__name__}")
                                    + ", not a number or a variable of this tape")
                y = as_float_leaf(y, "Tape.gradient: y")   # raises for bools, object arrays
                if seed is None and shape_of(y) != ():
                    raise ValueError(f"Tape.gradient: the output has shape {shape_of(y)}, "
                                     "not a scalar; pass seed= for a vector-Jacobian product")
                # a constant does not depend on the variables: its gradient is 0
                zeros = [np.zeros(shape_of(v._value)) if shape_of(v._value) else 0.0
                         for v in leaves]
                return unflatten(spec, zeros)
        if seed is None:
            if shape_of(y._value) != ():
                raise ValueError(
                    f"Tape.gradient: the output has shape {shape_of(y._value)}, not a scalar; "
                    "pass seed= (a cotangent of that shape) for a vector-Jacobian product")
            seed = 1.0
        adj = self.sweep(y._index, seed, 0, retain=retain, steps=steps)
        out = []
        n = len(adj)
        for v in leaves:
            # recorded after y: no path (zeros); a complex input's gradient is complex
            out.append(input_adjoint(adj[v._index] if v._index < n else None, v._value))
        return unflatten(spec, out)

    def sweep(self, out: int, seed: Any, lead: int = 0, retain: bool = True,
              steps: bool = False) -> list:
        """The backward sweep from entry ``out`` with cotangent ``seed`` (``lead`` leading batch
        axes). Returns the list of adjoints (None where an entry does not reach ``out``).

        With one batch axis, ``retain=False`` and an identity ``seed`` (``jacrev``: every
        output direction at once), the batch is carried as its diagonal through elementwise
        entries and through structural ones that have a ``diag_vjp`` (matmul), and written out
        densely only where an entry needs it: O(m) per entry instead of O(m²) for m outputs.

        >>> with Tape() as t:
        ...     x = t.var(2.0)
        ...     y = 3.0 * x
        >>> t.sweep(y.index, 1.0)
        [3.0, 1.0]
        """
        self._check_released()
        rows = self._rows
        # the module's names the loop tests against, as locals (one load each, not two)
        ndarray, shaped, f64, one, inp = np.ndarray, SHAPED, F64, ONE, _INPUT
        adj: list = [None] * (out + 1)
        ans = rows[out][4]
        # a real output's cotangent is real (None: a lean tape kept no value, nor needs to)
        adj[out] = seed if type(seed) is float or ans is None else into(seed, ans)
        log = [] if steps else None
        check = self.check_finite
        plain = lead == 0 and not check and log is None    # no batch axis, no checks, no log
        diag = False
        if lead == 1 and not retain and not check and log is None and is_identity_seed(seed):
            # jacrev's seed: every output direction at once. Carried as its diagonal while
            # it meets elementwise entries (row k stays d_k e_k), dense where it must be
            adj[out] = Diag(np.ones(seed.shape[1:]))
            diag = True
        for i in range(out, -1, -1):
            g = adj[i]
            if g is None:
                continue
            prim, parents, vals, kw, ans = rows[i]
            if prim is inp:
                continue
            if not retain:      # free what this entry held; inputs keep their adjoints
                rows[i] = None
                adj[i] = None
            if diag and type(g) is Diag:
                if diag_step(prim, parents, vals, kw, ans, g, adj):
                    continue
                g = g.dense()           # this entry needs the batch written out
            partials = prim.partials
            if plain and partials is not None and len(parents) <= 2:
                # the hot path (an elementwise entry with one or two inputs, no batch axis, no
                # checks, no log): the loop below, unrolled; a contribution other than a float
                # or a float64 array of its input's shape is summed back to that shape, and
                # projected to its real part if it is complex and the input real (to_input).
                # Kept this compact on purpose: a longer loop body needs EXTENDED_ARG jumps,
                # which cost the scalar sweep ~1 % (instruction counts, valgrind).
                try:                    # the one guard of this path (see partial_at)
                    if len(parents) == 1:
                        d = partials[0]
                        c = g if d is one else g * d(vals[0], ans)
                    else:
                        x, y = vals
                        px, py = parents
                        if prim.vjp_arrays is not None and type(g) is ndarray:
                            cx, cy = prim.vjp_arrays(g, x, y, ans, px is not None,
                                                     py is not None)
                        else:
                            d = partials[0]
                            cx = None if px is None else g if d is one else g * d(x, y, ans)
                            d = partials[1]
                            cy = None if py is None else g if d is one else g * d(x, y, ans)
                except ZeroDivisionError:
                    pass                # Python floats: the general loop below retries
                except TypeError:
                    # an argument with no partial (None: an order, a condition) is a variable
                    # of this tape: no rule for it. Tested only here, after the fact, so the
                    # hot path pays nothing
                    if any(partials[k] is None and parents[k] is not None
                           for k in range(len(parents))):
                        raise prim.no_rule() from None
                    raise
                else:
                    if len(parents) == 1:
                        x = vals[0]
                        if type(c) is not float and not (
                                type(c) is ndarray and type(x) in shaped
                                and c.shape == x.shape and c.dtype is f64):
                            c = to_input(c, x)
                        p = parents[0]
                        a = adj[p]
                        adj[p] = c if a is None else a + c
                        continue
                    # the same three steps for each operand, written out twice: a loop or a
                    # helper call here costs the scalar sweep more than the lines it saves
                    if cx is not None:
                        if type(cx) is not float and not (
                                type(cx) is ndarray and type(x) in shaped
                                and cx.shape == x.shape and cx.dtype is f64):
                            cx = to_input(cx, x)
                        a = adj[px]
                        adj[px] = cx if a is None else a + cx
                    if cy is not None:
                        if type(cy) is not float and not (
                                type(cy) is ndarray and type(y) in shaped
                                and cy.shape == y.shape and cy.dtype is f64):
                            cy = to_input(cy, y)
                        a = adj[py]
                        adj[py] = cy if a is None else a + cy
                    continue
            # elementwise entries: each contribution is g · d(*vals, ans), computed as it is
            # accumulated; structural entries: the VJP rule gives all contributions at once
            if partials is not None:
                contribs = None
            elif len(parents) == 2:
                contribs = prim.vjp((parents[0] is not None, parents[1] is not None), g, ans,
                                    vals, kw, lead)
            elif len(parents) == 1:     # (sum, softmax, transpose: no generator to build)
                contribs = prim.vjp((parents[0] is not None,), g, ans, vals, kw, lead)
            else:
                contribs = prim.vjp(tuple(p is not None for p in parents), g, ans, vals, kw, lead)
            j = -1
            for p in parents:
                j += 1
                if p is None:
                    continue
                if contribs is not None:
                    c = contribs[j]
                else:
                    d = partials[j]
                    if d is None:       # an order or a condition, boxed: no rule for it
                        raise prim.no_rule()
                    c = g if d is one else g * partial_at(d, vals, ans)
                # a float adjoint belongs to a scalar input; same-shape float64 arrays need no
                # sum and no projection (to_input: an adjoint flowing into a real entry is
                # real), nor do same-shape arrays of the input's own dtype (complex into complex)
                if type(c) is not float:
                    v = vals[j]
                    if not (lead == 0 and type(c) is ndarray and type(v) in shaped
                            and c.shape == v.shape and (c.dtype is f64 or c.dtype is v.dtype)):
                        c = to_input(c, v, lead)
                if check and not _finite(c):
                    raise NonFiniteError(
                        f"adjoint flowing from v{i} = {prim.name}({_describe(vals)}) into "
                        f"v{p} is {_first_bad(c)}: the first non-finite adjoint of the sweep")
                if log is not None:
                    log.append((p, i, c))
                a = adj[p]
                adj[p] = c if a is None else a + c
        if diag:                # what reached the inputs as a diagonal, written out
            for k, a in enumerate(adj):
                if type(a) is Diag:
                    adj[k] = a.dense()
        if retain:
            self._adjoints = adj
            self.steps = log or []
        else:
            self._rows = []
            self.released = True
        return adj

