"""What a primitive's derivative rule reads, so the tape keeps only that.

The tape's backward sweep calls each entry's rule with the entry's argument values and result.
Many rules read less: ``add``'s partials are constants, ``exp``'s partial is its result, the
partial of ``divide`` by its numerator is ``1/y`` (the numerator itself is never read),
``matmul``'s VJP reads its operands but not the product. :func:`rule_reads` finds this from
the rules themselves (the parameters their code loads), with no table to keep in step, and
:func:`lean_row` replaces every array a rule never reads by a :class:`Unkept` stand-in that
carries only its shape and dtype (the sweep still sums adjoints back to that shape, and
keeps the adjoint of a real entry real). A result no rule reads
is not kept at all (``None``). An array the rules do not need is then freed as soon as the
program drops it, instead of living until the sweep.

>>> from dualnum import rules as R
>>> rule_reads(R.add), rule_reads(R.divide), rule_reads(R.exp)
(((False, False), False), ((False, True), True), ((False,), True))
>>> rule_reads(R.matmul)            # structural: operands kept, the product is not read
((True, True), False)
"""
from __future__ import annotations

import dis
import inspect
from typing import Any, Callable

import numpy as np

from dualnum.primitive import ONE, Primitive

__all__ = ["Unkept", "rule_reads", "lean_row"]

_F64 = np.dtype(np.float64)


class Unkept:
    """Stands in for an array the derivative rule never reads: only its shape and dtype are
    kept. The sweep sums adjoints back to the shape, and takes the real part of an adjoint
    flowing into a real entry (the complex convention, :mod:`dualnum.rules.complex`), which
    needs to know whether the value was complex.

    >>> Unkept((3, 4))
    <unkept array of shape (3, 4)>
    >>> Unkept((2,), np.dtype(complex))
    <unkept array of shape (2,), dtype complex128>
    """

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: tuple, dtype: np.dtype = _F64) -> None:
        self.shape = shape
        self.dtype = dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        if self.dtype == _F64:
            return f"<unkept array of shape {self.shape}>"
        return f"<unkept array of shape {self.shape}, dtype {self.dtype}>"


def _loaded(fn: Callable[..., Any]) -> tuple[bool, ...] | None:
    """For each positional parameter of ``fn``: does its code refer to it? None when that
    cannot be told (not a plain function, ``*args``, or a parameter captured by a closure)."""
    code = getattr(fn, "__code__", None)
    if code is None or inspect.isbuiltin(fn):
        return None
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    names = code.co_varnames[:code.co_argcount]
    if set(names) & set(code.co_cellvars):
        return None                 # used inside a nested function: assume read
    used: set = set()
    for ins in dis.get_instructions(code):
        if "FAST" not in ins.opname:
            continue
        val = ins.argval        # a name, or (3.13+ LOAD_FAST_LOAD_FAST ...) a tuple of names
        if isinstance(val, str):
            used.add(val)
        elif isinstance(val, tuple) and all(isinstance(v, str) for v in val):
            used.update(val)
        else:
            return None         # an instruction this reading does not know: assume all read
    return tuple(n in used for n in names)


def rule_reads(prim: Primitive) -> tuple[tuple[bool, ...], bool]:
    """``(per argument: is its value read, is the result read)`` by ``prim``'s reverse rule.

    Elementwise: a partial ``d(*args, ans)`` reads what its code loads (``ONE`` and ``None``
    read nothing). Structural: the operands are kept (their VJPs read shapes and values
    alike); the result is kept if the VJP's code loads ``ans``. Anything that cannot be told
    is assumed read.
    """
    if prim.reads is not None:
        return prim.reads
    n = prim.nargs or 0
    if prim.partials is not None:
        args = [False] * n
        ans = False
        for d in prim.partials:
            if d is ONE or d is None:
                continue
            used = _loaded(d)
            if used is None or len(used) != n + 1:
                args, ans = [True] * n, True
                break
            args = [a or u for a, u in zip(args, used[:n])]
            ans = ans or used[n]
        out = (tuple(args), ans)
    elif prim.vjp is not None:
        used = _loaded(prim.vjp)                 # vjp(needs, g, ans, args, kw, b)
        out = ((True,) * n, True if used is None or len(used) < 3 else used[2])
    else:
        out = ((True,) * n, True)
    prim.reads = out
    return out


_SHAPES: dict[tuple, Unkept] = {}       # one stand-in per shape, shared (they hold no data)
_OTHER: dict[tuple, Unkept] = {}        # ... and per (shape, dtype) for other dtypes (complex)


def _unkept(x: np.ndarray) -> Unkept:
    shape = x.shape
    dt = x.dtype
    if dt is not _F64:          # float64 (nearly every array) keeps the one-key lookup
        key = (shape, dt)
        u = _OTHER.get(key)
        if u is None:
            if len(_OTHER) > 4096:
                _OTHER.clear()
            u = _OTHER[key] = Unkept(shape, dt)
        return u
    u = _SHAPES.get(shape)
    if u is None:
        if len(_SHAPES) > 4096:
            _SHAPES.clear()
        u = _SHAPES[shape] = Unkept(shape)
    return u


def lean_row(prim: Primitive, vals: tuple, ans: Any) -> tuple[tuple, Any]:
    """``(vals, ans)`` with every plain array the rule never reads replaced by an
    :class:`Unkept` (floats and boxes are kept: they cost nothing or carry derivatives).
    Called for every array entry of a lean tape, so the common cases are unrolled.

    >>> from dualnum import rules as R
    >>> x, y = np.ones(3), np.full(3, 2.0)
    >>> lean_row(R.divide, (x, y), x / y)[0]
    (<unkept array of shape (3,)>, array([2., 2., 2.]))
    """
    if type(ans) is not np.ndarray:
        return vals, ans            # scalar results (scalar code): nothing worth dropping
    reads_args, reads_ans = rule_reads(prim)
    if not reads_ans:
        ans = None                  # no rule reads it and the sweep needs no shape of it
    n = len(vals)
    if n != len(reads_args):
        return vals, ans
    if n == 1:
        x = vals[0]
        if not reads_args[0] and type(x) is np.ndarray:
            vals = (_unkept(x),)
        return vals, ans
    if n == 2:
        x, y = vals
        dx = not reads_args[0] and type(x) is np.ndarray
        dy = not reads_args[1] and type(y) is np.ndarray
        if dx or dy:
            vals = (_unkept(x) if dx else x, _unkept(y) if dy else y)
        return vals, ans
    return tuple(v if keep or type(v) is not np.ndarray else _unkept(v)
                 for v, keep in zip(vals, reads_args)), ans
