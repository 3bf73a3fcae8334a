"""The dual number ``a + bε`` (ε² = 0) and the forward-mode interpreter.

Evaluate a function on ``Dual(x, 1.0)`` and every elementary operation computes its value
(the primal trace) and, in lockstep, the derivative of that value (the tangent trace): for
``v = sin(u)``, ``v̇ = cos(u)·u̇``. The tangent rule for each operation comes from the rule
table, the same one the tape reads.

>>> from dualnum import Dual
>>> import dualnum.numpy as dnp
>>> x1, x2 = Dual(2.0, 1.0), Dual(5.0, 0.0)      # seed ẋ1 = 1: differentiate w.r.t. x1
>>> y = dnp.log(x1) + x1 * x2 - dnp.sin(x2)
>>> round(y.primal, 3), y.tangent                  # Lepetit's slide: 11.652 and 5.5
(11.652, 5.5)

Each ``derivative``/``jacfwd`` call makes its own :class:`ForwardLevel`, so duals of an outer
call are constants to an inner call (no perturbation confusion). Duals made directly with
``Dual(a, b)`` belong to one shared default level: they all carry the same ε.

A batched level carries many directions at once: the tangent has a leading axis of length k
(one row per direction), so ``jacfwd`` gets a whole Jacobian in one pass.

``Dual`` defines no ``__float__`` (nor ``__int__``, ``__complex__``, ``__index__``, and its
``__array__`` raises): ``float(d)``, ``math.sin(d)`` or ``np.asarray(d)`` raise instead of
silently dropping the tangent, the classic dual-number trap. Take ``d.primal`` explicitly.
``==`` and the other comparisons compare primal values only (like ForwardDiff.jl):
``Dual(1.0, 1.0) == Dual(1.0, 5.0)`` is True.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum._boxops import BoxOps
from dualnum.primitive import (
    ONE, Box, Level, Primitive, partial_at, shape_of, unbox_and_run, value1, value2,
)
from dualnum.rules import broadcast_to
from dualnum.rules.shape import lead_axes

__all__ = ["Dual", "ForwardLevel"]


class ForwardLevel(Level):
    """One forward-mode computation. ``batch`` is None, or the number k of directions carried
    together (tangents then have shape ``(k,) + primal.shape``)."""

    __slots__ = ("batch",)

    def __init__(self, batch: int | None = None) -> None:
        super().__init__()
        self.batch = batch

    def process1(self, prim: Primitive, x: Any) -> Any:
        # the hot path of scalar code: one argument, this level's Dual
        # (a unary elementwise op keeps the shape: a batched tangent needs no new axes)
        partials = prim.partials
        if partials is None:
            return self.process(prim, (x,), {})
        t = x.tangent
        v = x._value
        ans = value1(prim, v)
        d = partials[0]
        if d is not ONE:
            if d is None:
                raise prim.no_rule()
            try:
                t = t * d(v, ans)
            except ZeroDivisionError:   # the one guard of this path (see partial_at)
                return self.process(prim, (x,), {})
        if type(ans) is not float or type(t) is not float:
            t = _fit(t, ans, self.batch)
        # make_dual, inlined: on the scalar hot path the extra call costs ~7 % per operation
        box = _new_box(Dual)
        box._value = ans
        box._level = self
        box.tangent = t
        return box

    def process2(self, prim: Primitive, x: Any, y: Any) -> Any:
        # the hot path of binary operators: ``a * b`` with at least one Dual of this level
        partials = prim.partials
        if partials is None:
            return self.process(prim, (x, y), {})
        tx = ty = None
        bx, by = x, y
        if type(x) is Dual and x._level is self:
            tx = x.tangent
            x = x._value
        if type(y) is Dual and y._level is self:
            ty = y.tangent
            y = y._value
        ans = value2(prim, x, y)
        batch = self.batch
        if batch is not None:       # k directions in front: make room for broadcasting
            nd = ans.ndim if type(ans) is np.ndarray else len(shape_of(ans))
            if tx is not None:
                tx = _lead(tx, nd)
            if ty is not None:
                ty = _lead(ty, nd)
        dx, dy = partials
        try:                            # the one guard of this path (see partial_at)
            if tx is not None and dx is not ONE:
                if dx is None:
                    raise prim.no_rule()
                tx = tx * dx(x, y, ans)
            if ty is not None and dy is not ONE:
                if dy is None:
                    raise prim.no_rule()
                ty = ty * dy(x, y, ans)
        except ZeroDivisionError:
            return self.process(prim, (bx, by), {})
        t = tx if ty is None else ty if tx is None else tx + ty
        if type(ans) is not float or type(t) is not float:
            t = _fit(t, ans, batch)
        # make_dual, inlined: on the scalar hot path the extra call costs ~7 % per operation
        box = _new_box(Dual)
        box._value = ans
        box._level = self
        box.tangent = t
        return box

    def process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        vals, tans, ans = unbox_and_run(self, prim, args, kwargs, "tangent")
        partials = prim.partials
        batch = self.batch
        if partials is not None:
            t = None
            i = -1
            for ti in tans:
                i += 1
                if ti is None:
                    continue
                d = partials[i]
                if d is None:
                    raise prim.no_rule()
                if batch is not None and type(ti) is not float:
                    ti = lead_axes(ti, shape_of(vals[i]), len(shape_of(ans)))
                if d is not ONE:
                    ti = ti * partial_at(d, vals, ans)
                t = ti if t is None else t + ti
            if type(ans) is not float or type(t) is not float:
                t = _fit(t, ans, batch)
        elif prim.jvp is not None:
            t = _fit(prim.jvp(tans, ans, vals, kwargs, 0 if batch is None else 1), ans, batch)
        elif prim.nondiff:
            return ans
        else:
            raise prim.no_rule()
        return make_dual(ans, t, self)


def make_dual(value: Any, tangent: Any, level: ForwardLevel) -> "Dual":
    """A ``Dual`` of ``level`` from parts already checked (no ``__init__`` conversions): how
    every interpreter step and every seed builds its result."""
    d = _new_box(Dual)
    d._value = value
    d._level = level
    d.tangent = tangent
    return d


def _lead(t: Any, nd: int) -> Any:
    """A batched tangent ``(k, *xshape)`` with unit axes after ``k`` so that it broadcasts
    against an ``nd``-dimensional result with ``k`` kept in front."""
    if type(t) is np.ndarray:
        pad = nd - t.ndim + 1
        return t if pad <= 0 else t.reshape(t.shape[:1] + (1,) * pad + t.shape[1:])
    if type(t) is float:
        return t
    return lead_axes(t, shape_of(t)[1:], nd)


def _fit(t: Any, ans: Any, batch: int | None) -> Any:
    """Broadcast a tangent to the output's shape (plus the batch axis)."""
    if type(t) is np.ndarray and type(ans) is np.ndarray and (
            t.shape[1:] == ans.shape if batch is not None else t.shape == ans.shape):
        return t
    want = shape_of(ans) if batch is None else (batch,) + shape_of(ans)
    if shape_of(t) == want:
        return t
    if isinstance(t, Box):
        return broadcast_to(t, want)
    return np.broadcast_to(t, want)


def _as_primal(x: Any) -> Any:
    """A primal or tangent given to ``Dual(...)`` as float64 / complex128 data (the README's
    default, and what the API entry points convert to): integers become floats, and so do
    float32/float16 arrays, which would otherwise compute every step in low precision."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError("a Dual's primal must be a number or an array of numbers, not a bool")
    if isinstance(x, (int, np.integer)):
        return float(x)
    if isinstance(x, (list, tuple)):
        x = np.asarray(x)
    if isinstance(x, np.ndarray):
        kind = x.dtype.kind
        if kind == "b":
            raise TypeError("a Dual's primal must be a number or an array of numbers, not an "
                            "array of bools")
        if kind in "iu" or kind == "f" and x.dtype.itemsize < 8:
            return x.astype(np.float64)
        if kind == "c" and x.dtype.itemsize < 16:
            return x.astype(np.complex128)
        return x
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.complexfloating):
        return complex(x)
    return x


_USER_LEVEL = ForwardLevel()
_new_box = object.__new__    # a Dual without __init__'s checks: process made its parts


class Dual(BoxOps, Box):
    """A dual number ``primal + tangent·ε``: value and directional derivative together.

    >>> d = Dual(2.0, 1.0)
    >>> d * d
    4.0 + 4.0ε
    >>> import numpy as np
    >>> np.exp(Dual(0.0, 1.0))
    1.0 + 1.0ε
    """

    __slots__ = ("tangent",)

    def __init__(self, primal: Any, tangent: Any = None, *, level: ForwardLevel | None = None):
        primal = _as_primal(primal)
        level = _USER_LEVEL if level is None else level
        if isinstance(primal, Box) and primal._level is level:
            raise ValueError("a Dual's primal cannot be a Dual of the same level; "
                             "use dn.derivative inside dn.derivative for nested derivatives")
        if tangent is None:
            tangent = np.zeros_like(primal, dtype=np.result_type(primal, float)) \
                if isinstance(primal, np.ndarray) else 0.0
        else:
            tangent = _as_primal(tangent)
            want = shape_of(primal) if level.batch is None else (level.batch,) + shape_of(primal)
            if shape_of(tangent) != want:
                try:
                    tangent = np.broadcast_to(tangent, want).copy()
                except ValueError:
                    raise ValueError(f"Dual: tangent of shape {shape_of(tangent)} does not "
                                     f"match primal of shape {shape_of(primal)}") from None
        self._value = primal
        self._level = level
        self.tangent = tangent

    @property
    def primal(self) -> Any:
        """The value part (``a`` in ``a + bε``)."""
        return self._value

    def __repr__(self) -> str:
        p, t = self._value, self.tangent
        if shape_of(p) == () and not isinstance(p, Box) and shape_of(t) == () \
                and not isinstance(t, Box):
            tv = complex(t) if np.iscomplexobj(t) else float(t)
            sign = "-" if (not isinstance(tv, complex) and tv < 0) else "+"
            mag = (-tv if sign == "-" else tv)
            pv = complex(p) if np.iscomplexobj(p) else float(p)
            return f"{pv!r} {sign} {mag!r}ε"
        return f"Dual(primal={p!r}, tangent={t!r})"

    __str__ = __repr__

    def _repr_latex_(self) -> str:
        # the renderers live in dualnum.tracing, which imports this module: imported when a
        # notebook displays a Dual, so the arrow dual <- tracing keeps its one direction
        from dualnum.tracing.display import dual_latex
        return dual_latex(self)
