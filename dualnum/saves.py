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
>>> rule_reads(R.sum)               # only the operand's shape, which a stand-in keeps
((False,), False)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.primitive import Primitive

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

    # a rule that reads a value its row did not declare must fail loudly, never compute with
    # a stand-in: numpy may not turn it into an (object) array, nor take it in a ufunc
    __array_ufunc__ = None

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(f"a derivative rule read {self!r}, a value its row's `reads` column "
                        "does not declare; add it to `reads`")

    def __repr__(self) -> str:
        if self.dtype == _F64:
            return f"<unkept array of shape {self.shape}>"
        return f"<unkept array of shape {self.shape}, dtype {self.dtype}>"


def rule_reads(prim: Primitive) -> tuple[Any, bool]:
    """``(per argument: is its value read, is the result read)`` by ``prim``'s reverse rule,
    as the row declares it (``reads=``, see :class:`~dualnum.primitive.Primitive`); a row
    that declares nothing keeps everything. The per-argument part is one bool for a
    variadic structural row.
    """
    r = prim.reads
    if r is None:
        return (True,) * (prim.nargs or 0) if prim.nargs else True, True
    return r


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
    r = prim.reads
    if r is None:                   # an undeclared row keeps everything (rule_reads)
        return vals, ans
    reads_args, reads_ans = r
    if not reads_ans:
        ans = None                  # no rule reads it and the sweep needs no shape of it
    if type(reads_args) is bool:     # a variadic row: one flag for every operand
        if reads_args:
            return vals, ans
        return tuple(_unkept(v) if type(v) is np.ndarray else v for v in vals), ans
    n = len(vals)
    if n != len(reads_args):        # extra positional parameters (reshape's shape): kept
        reads_args = (reads_args + (True,) * n)[:n]
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
