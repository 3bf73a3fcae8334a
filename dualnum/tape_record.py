"""Reverse mode, the recording half: tape variables, and the entry points a primitive calls
while a tape records (:class:`Recorder`, the base of :class:`dualnum.tape.Tape`, which adds
the inspection and the backward sweep).

Each operation on a tape variable appends one row ``(prim, parents, vals, kwargs, ans)``:
the primitive, the entry index of each argument (None for a constant), the values its rule
needs, its keywords and its result. Rows hold references, never copies; a lean tape
(``keep="needed"``) keeps only the arrays the rules read (:mod:`dualnum.saves`), and a row with
a ``saves`` column also keeps what its VJP reuses (an LU factorization, under
:data:`dualnum.primitive.SAVED`). The hot paths (one and two arguments, plain float and
float64 array values) are written out on purpose: they are what scalar code and array code
pay per operation.

>>> from dualnum.tape import Tape
>>> with Tape() as t:
...     x = t.var(2.0)
...     y = x * x + 1.0
>>> len(t), y.value
(3, 5.0)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum._boxops import BoxOps
from dualnum.adjoint import F64
from dualnum.primitive import (
    SAVED, Box, LeakedBoxError, Level, Primitive, unbox_all, unbox_and_run, value1, value2,
)
from dualnum.saves import _unkept, lean_row
from dualnum.tree import as_float_leaf

__all__ = ["Recorder", "TapeVar", "NonFiniteError"]

_INPUT = Primitive("input", lambda x: x, nondiff=True)
_NO_KWARGS: dict = {}
_new_box = object.__new__    # a TapeVar without __init__: process fills its slots
_SCALARS = frozenset({float, int, np.float64})     # plain numbers beside an array


class NonFiniteError(FloatingPointError):
    """A value or adjoint on the tape became NaN or infinite (``Tape(check_finite=True)``).

    >>> import dualnum.numpy as dnp
    >>> from dualnum.tape import Tape
    >>> with Tape(check_finite=True) as t:
    ...     x = t.var(0.0, "x")
    ...     y = dnp.sqrt(x)
    >>> import numpy as np
    >>> with np.errstate(divide="ignore"):
    ...     t.gradient(y, x)
    Traceback (most recent call last):
    ...
    dualnum.tape.NonFiniteError: adjoint flowing from v1 = sqrt(0.0) into v0 is inf: ...
    """


class TapeVar(BoxOps, Box):
    """A value recorded on a tape. Use it like an array; read ``.value`` for the number.

    >>> from dualnum.tape import Tape
    >>> with Tape() as t:
    ...     x = t.var([1.0, 2.0])
    ...     y = (x * x).sum()
    >>> y
    TapeVar(v2=np.float64(5.0))
    >>> x.shape, y.index
    ((2,), 2)
    """

    __slots__ = ("_index",)

    @property
    def value(self) -> Any:
        return self._value

    @property
    def index(self) -> int:
        return self._index

    @property
    def tape(self) -> "Recorder":
        return self._level  # type: ignore[return-value]

    def __float__(self) -> float:
        raise TypeError(f"cannot convert tape variable v{self._index} to float: that would cut "
                        "it off the tape. Use .value for the number.")

    def __repr__(self) -> str:
        return f"TapeVar(v{self._index}={self._value!r})"


class Recorder(Level):
    """The recording half of a :class:`~dualnum.tape.Tape`: its rows, its input variables,
    and the ``process`` entry points the primitives call (see the module)."""

    __slots__ = ("_rows", "_names", "_adjoints", "check_finite", "released", "steps", "_open",
                 "_lean")

    def __init__(self, check_finite: bool = False, keep: str = "all") -> None:
        if keep not in ("all", "needed"):
            raise ValueError(f"Tape: keep must be 'all' or 'needed', got {keep!r}")
        super().__init__()
        self._lean = keep == "needed" and not check_finite
        self.active = False
        self._open = False
        self._rows: list = []        # (prim, parents, vals, kwargs, ans)
        self._names: dict[int, str] = {}
        self._adjoints: list | None = None
        self.check_finite = check_finite
        self.released = False
        self.steps: list = []

    # ------------------------------------------------------------------ recording
    def __enter__(self) -> "Recorder":
        if self.released or self._open:
            raise RuntimeError("a Tape can be entered once")
        self.depth = next(Level._counter)   # levels are ordered by when they start recording
        self.active = True
        self._open = True
        return self

    def __exit__(self, *exc: Any) -> None:
        self.active = False

    def var(self, value: Any, name: str | None = None) -> TapeVar:
        """A new input variable on this tape (inside the ``with`` block).

        >>> from dualnum.tape import Tape
        >>> with Tape() as t:
        ...     x = t.var(3.0, "x")
        >>> x.value, t.entries[0].name
        (3.0, 'x')
        """
        if not self.active:
            raise LeakedBoxError("Tape.var: this tape is not recording (use it inside "
                                 "`with dn.Tape() as tape:`)")
        if type(value) is not np.ndarray or value.dtype.char not in "dD":
            value = as_float_leaf(value, "Tape.var")    # (float64 data is used as it is)
        if isinstance(value, Box):      # a box passes as_float_leaf: nested levels
            if value._level is self:
                raise ValueError(f"Tape.var: the value is already v{value._index} of this "
                                 "tape; use it directly")
            if not value._level.active:
                raise LeakedBoxError(f"Tape.var: the value belongs to {value._level.describe()}"
                                     ", which has finished; recompute it inside the current "
                                     "computation")
        idx = len(self._rows)
        self._rows.append((_INPUT, (), (), _NO_KWARGS, value))
        if name is not None:
            self._names[idx] = str(name)
        v = _new_box(TapeVar)
        v._value = value
        v._level = self
        v._index = idx
        return v

    def _vars(self, values: list, where: str) -> list:
        """:meth:`var` of each of ``values`` (a function's parameters), in one call:
        float64 (complex128) arrays used as they are, anything else converted by
        ``as_float_leaf`` with errors naming ``where``.

        >>> from dualnum.tape import Tape
        >>> with Tape() as t:
        ...     a, b = t._vars([np.ones(2), 3], "f: argument 0")
        >>> a.index, b.value
        (0, 3.0)
        """
        if not self.active:
            return [self.var(v) for v in values]    # (var says what is wrong)
        rows = self._rows
        out = []
        for value in values:
            if type(value) is not np.ndarray or value.dtype.char not in "dD":
                out.append(self.var(as_float_leaf(value, where)))
                continue
            v = _new_box(TapeVar)
            v._value = value
            v._level = self
            v._index = len(rows)
            rows.append((_INPUT, (), (), _NO_KWARGS, value))
            out.append(v)
        return out

    def process1(self, prim: Primitive, x: Any) -> Any:
        # the hot path of scalar code: one argument, this tape's variable
        if self.check_finite or prim.nondiff or (prim.partials is None and prim.vjp is None):
            return self.process(prim, (x,), {})
        v = x._value
        t = type(v)
        if t is float:                  # value1's float case, inline: the scalar hot path
            fast = prim.fast
            if fast is None:
                return self._push(prim, (x._index,), (v,), prim.impl(v))
            try:
                ans = fast(v)
            except (ValueError, OverflowError, ZeroDivisionError):
                ans = prim.impl(v)      # outside math's domain: numpy's nan/inf and warning
            return self._push(prim, (x._index,), (v,), ans)
        if t is np.ndarray:             # and its array case, without the box test
            fn = prim.on_arrays
            if fn is not None and v.dtype is F64:
                return self._push(prim, (x._index,), (v,), fn(v))
            if prim.saves is not None and v.dtype is F64:
                return self._saving(prim, x._index, v, _NO_KWARGS)
            return self._push(prim, (x._index,), (v,), prim.impl(v))
        return self._push(prim, (x._index,), (v,), value1(prim, v))

    def process2(self, prim: Primitive, x: Any, y: Any) -> Any:
        # the hot path of binary operators with at least one variable of this tape
        if self.check_finite or prim.nondiff or (prim.partials is None and prim.vjp is None):
            return self.process(prim, (x, y), {})
        px = py = None
        if type(x) is TapeVar and x._level is self:
            px = x._index
            x = x._value
        if type(y) is TapeVar and y._level is self:
            py = y._index
            y = y._value
        tx = type(x)
        if tx is float:
            if type(y) is float:        # value2's float case, inline: the scalar hot path
                fast = prim.fast
                if fast is None:
                    return self._push(prim, (px, py), (x, y), prim.impl(x, y))
                try:
                    ans = fast(x, y)
                except (ValueError, OverflowError, ZeroDivisionError):
                    ans = prim.impl(x, y)
                return self._push(prim, (px, py), (x, y), ans)
            if type(y) is np.ndarray:   # 2.0 * x
                return self._push2(prim, px, py, x, y, _on_arrays(prim, x, y, y))
        elif tx is np.ndarray:
            ty = type(y)
            if ty is np.ndarray:        # and its array case (neither is a box), without
                fn = prim.on_arrays     # the float and box tests (_on_arrays, inline)
                if fn is not None and x.dtype is F64 and y.dtype is F64:
                    try:
                        ans = fn(x, y)
                    except ValueError:
                        ans = prim.impl(x, y)
                    return self._push2(prim, px, py, x, y, ans)
                return self._push2(prim, px, py, x, y, prim.impl(x, y))
            if ty in _SCALARS:
                return self._push2(prim, px, py, x, y, _on_arrays(prim, x, y, x))
        return self._push(prim, (px, py), (x, y), value2(prim, x, y))

    def _push2(self, prim: Primitive, px: Any, py: Any, x: Any, y: Any, ans: Any
               ) -> "TapeVar":
        # _push for two operands and an array result (process2's array cases), the lean
        # tape's stand-ins made here without packing and unpacking the operands
        rows = self._rows
        v = _new_box(TapeVar)
        v._index = len(rows)
        v._value = ans
        v._level = self
        if self._lean:
            k = prim.lean
            if k is None or len(k) != 3 or type(ans) is not np.ndarray:
                kept, saved = lean_row(prim, (x, y), ans)
                rows.append((prim, (px, py), kept, _NO_KWARGS, saved))
                return v
            if not k[0] and type(x) is np.ndarray:
                x = _unkept(x)
            if not k[1] and type(y) is np.ndarray:
                y = _unkept(y)
            if not k[2]:
                ans = None
        rows.append((prim, (px, py), (x, y), _NO_KWARGS, ans))
        return v

    def _push(self, prim: Primitive, parents: tuple, vals: tuple, ans: Any,
              kwargs: dict = _NO_KWARGS) -> "TapeVar":
        # rows hold references, never copies; an empty kwargs dict is shared, not stored
        rows = self._rows
        v = _new_box(TapeVar)
        v._index = len(rows)
        if self._lean and type(ans) is np.ndarray:
            k = prim.lean
            if k is not None and len(k) == 3 and len(vals) == 2:
                # lean_row's one- and two-operand cases, written out: the commonest entries
                kx, ky, ka = k
                if kx and ky:
                    rows.append((prim, parents, vals, kwargs, ans if ka else None))
                else:
                    x, y = vals
                    if not kx and type(x) is np.ndarray:
                        x = _unkept(x)
                    if not ky and type(y) is np.ndarray:
                        y = _unkept(y)
                    rows.append((prim, parents, (x, y), kwargs, ans if ka else None))
            elif k is not None and len(k) == 2 and len(vals) == 1:
                x = vals[0]
                if not k[0] and type(x) is np.ndarray:
                    vals = (_unkept(x),)
                rows.append((prim, parents, vals, kwargs, ans if k[1] else None))
            else:
                kept, saved = lean_row(prim, vals, ans)
                rows.append((prim, parents, kept, kwargs, saved))
        else:
            rows.append((prim, parents, vals, kwargs, ans))
        v._value = ans
        v._level = self
        return v

    def _saving(self, prim: Primitive, parent: int, v: np.ndarray, kwargs: dict) -> "TapeVar":
        # a row with a ``saves`` column: its value and what its VJP reuses (an LU), the
        # latter kept among the entry's keywords, where the VJP looks (SAVED)
        ans, saved = prim.saves(v, **kwargs)
        if saved is not None:
            kwargs = {**kwargs, SAVED: saved}
        return self._push(prim, (parent,), (v,), ans, kwargs or _NO_KWARGS)

    def process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        if len(args) == 1 and not self.check_finite:
            # one array of this tape and keyword parameters (sum, softmax, transpose): the
            # generic path below without its unboxing helpers
            x = args[0]
            if type(x) is TapeVar and x._level is self and type(x._value) is np.ndarray \
                    and not prim.nondiff and (prim.vjp is not None or prim.partials is not None):
                v = x._value
                fn = prim.on_arrays
                if fn is None or v.dtype is not F64:
                    if prim.saves is not None and v.dtype is F64:
                        return self._saving(prim, x._index, v, kwargs)
                    fn = prim.impl
                return self._push(prim, (x._index,), (v,), fn(v, **kwargs) if kwargs else fn(v),
                                  kwargs or _NO_KWARGS)
        vals, parents, ans = unbox_and_run(self, prim, args, kwargs, "_index")
        if prim.nondiff:
            return ans
        if prim.partials is None and prim.vjp is None:
            raise prim.no_rule()
        v = self._push(prim, parents, vals, ans, kwargs or _NO_KWARGS)
        if self.check_finite and not _finite(ans):
            raise NonFiniteError(f"entry v{v._index} = {prim.name}({_describe(vals)}) is "
                                 f"{_first_bad(ans)}: the first non-finite value on the tape")
        return v

    # ------------------------------------------------------------------ inspection
    def __len__(self) -> int:
        return len(self._rows)


def _on_arrays(prim: Primitive, x: Any, y: Any, a: np.ndarray) -> Any:
    """``prim.impl(x, y)`` for plain operands, the array ``a`` among them: the row's
    ``on_arrays`` function when ``a`` is float64 (``impl`` names the problem if it raises)."""
    fn = prim.on_arrays
    if fn is not None and a.dtype is F64:
        try:
            return fn(x, y)
        except ValueError:
            pass
    return prim.impl(x, y)


def _finite(x: Any) -> bool:
    v = np.asarray(unbox_all(x))
    return v.dtype == object or bool(np.all(np.isfinite(v)))


def _first_bad(x: Any) -> str:
    v = np.asarray(unbox_all(x))
    if v.ndim == 0:
        return repr(float(v.real) if not np.iscomplexobj(v) else complex(v))
    k = np.argwhere(~np.isfinite(v))[0]
    return f"{v[tuple(k)]!r} at index {tuple(int(i) for i in k)} (shape {v.shape})"


def _describe(vals: tuple) -> str:
    parts = []
    for v in vals:
        u = unbox_all(v)
        s = np.shape(u)
        parts.append(repr(u) if s == () else f"array of shape {s}")
    return ", ".join(parts)
