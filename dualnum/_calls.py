"""What every derivative entry point shares: which arguments to differentiate (``argnums``),
how an output of ``f`` is read (a box of this call, a constant, or an error naming what came
back; a tree of outputs gathered into one root for ``vjp``/``jacrev``), and ``has_aux``
(``f`` returns ``(output, aux)``; aux comes back with this call's boxes taken off).

Private: :mod:`dualnum.forward` and :mod:`dualnum.reverse` are the public face.

>>> split_aux((1.0, {"n": 3}), "grad")
(1.0, {'n': 3})
>>> split_aux(1.0, "grad")
Traceback (most recent call last):
...
TypeError: grad(has_aux=True): f must return a pair (output, aux), got a float
"""
from __future__ import annotations

import math
import operator
from typing import Any, Sequence

import numpy as np

from dualnum.dual import ForwardLevel
from dualnum.primitive import Box, LeakedBoxError, Level, shape_of
from dualnum.rules import concatenate, reshape
from dualnum.tape import Tape, TapeVar
from dualnum.tree import as_float_leaf, flatten, unflatten

__all__ = ["split_aux", "strip_aux"]


def _split(y: Any, level: ForwardLevel, api: str = "jvp", in_tree: bool = False
           ) -> tuple[Any, Any]:
    """(primal, tangent) of an output leaf; an output not touched by this level has tangent 0."""
    if isinstance(y, Box) and y._level is level:
        return y._value, y.tangent
    y = _resolve_output(y, level, api, in_tree)      # the rare path: checks, nesting
    if isinstance(y, Box) and y._level is level:
        return y._value, y.tangent
    lead = () if level.batch is None else (level.batch,)
    return y, np.zeros(lead + shape_of(y))


def _resolve_output(y: Any, level: Level, api: str, in_tree: bool = False) -> Any:
    """An output leaf of ``f`` that is not a box of ``level`` (the computation of one API
    call), as that call must see it. Only reached off the hot path (the caller checks for its
    own box first), and O(nesting depth), never a walk of the inputs.

    * A variable of another tape holding a box of ``level`` (``f`` recorded an inner tape on
      our variables): its value is what ``f`` computed from them, so that box is returned.
    * A plain number or numeric array: a constant, returned as float64 (its derivative is 0).
    * A box of another level that is still running (a variable closed over from an outer
      computation): a constant here too, returned as is.
    * Anything else raises rather than passing for a zero derivative: None (a forgotten
      ``return``), a str, a bool, an object, a box of a finished level, a box of another level
      wrapping one of ours (only tapes nest that way).

    >>> from dualnum.dual import ForwardLevel
    >>> _resolve_output(2, ForwardLevel(), "grad")
    2.0
    >>> _resolve_output(None, ForwardLevel(), "grad")
    Traceback (most recent call last):
    ...
    TypeError: grad: f returned None (did the function forget `return`?)
    """
    z = y
    while isinstance(z, TapeVar):
        if z._level is level:
            return z
        z = z._value
    if isinstance(z, Box) and z._level is level:
        return z
    if not isinstance(y, Box):
        return _constant(y, api, in_tree)
    if not y._level.active:
        raise LeakedBoxError(
            f"{api}: f returned a value of {y._level.describe()}, which has finished (a "
            "closed Tape, or a value that escaped a derivative call) and holds nothing this "
            "call computed; compute the output from the arguments f receives")
    inner = y._value
    while isinstance(inner, Box):          # a Dual of another level wrapping one of ours
        if inner._level is level:
            raise TypeError(
                f"{api}: f returned a {type(y).__name__} of {y._level.describe()} wrapping "
                f"a value of this call; return its .primal (or .tangent) explicitly")
        inner = inner._value
    return y                               # a running outer computation's value: a constant


def _constant(y: Any, api: str, in_tree: bool) -> Any:
    """A plain output leaf as float64 data, or a TypeError naming what came back."""
    t = type(y)
    if t is float or t is np.ndarray and y.dtype.char in "dD":
        return y
    what = "f returned a tree with a leaf that is" if in_tree else "f returned"
    if y is None:
        raise TypeError(f"{api}: {what} None (did the function forget `return`?)")
    if isinstance(y, (bool, np.bool_)) or t is np.ndarray and y.dtype.kind == "b":
        raise TypeError(f"{api}: {what} a bool, which has no derivative (a comparison? use "
                        "dnp.where for a piecewise function)")
    if isinstance(y, (str, bytes)):
        raise TypeError(f"{api}: {what} a {t.__name__} ({y!r:.40}), not a number or an "
                        "array of numbers")
    if t is np.ndarray and y.dtype.kind not in "iufc":
        raise TypeError(f"{api}: {what} an array of dtype {y.dtype}, not of numbers (an "
                        "object array of variables? build arrays with dnp.stack)")
    if not isinstance(y, (int, float, complex, np.number, np.ndarray, list)):
        raise TypeError(f"{api}: {what} a {t.__name__}, not a number or an array of numbers")
    return as_float_leaf(y, f"{api}: f's output")


def _argnums(argnums: int | Sequence[int], n: int, api: str = "grad"
             ) -> tuple[tuple[int, ...], bool]:
    """The positions to differentiate (normalized to ``0..n-1``, repeats kept) and whether a
    single int was given. Bools and non-integers are errors, not positions."""
    if type(argnums) is int:                 # the common case
        single, nums = True, (argnums,)
    else:
        single = not isinstance(argnums, (tuple, list))
        nums = (argnums,) if single else tuple(argnums)
        for a in nums:
            # bool is an int subclass: argnums=True would silently mean position 1
            if isinstance(a, (bool, np.bool_)) or not hasattr(type(a), "__index__"):
                raise TypeError(f"{api}: argnums must be an int or a tuple of ints, got "
                                f"{argnums!r}")
        nums = tuple(operator.index(a) for a in nums)
        if not nums:
            raise ValueError(f"{api}: argnums=() names no argument to differentiate")
    for a in nums:
        if not -n <= a < n:
            raise ValueError(f"{api}: argnums={argnums!r}: the function was called with {n} "
                             f"positional argument(s) (valid positions: {-n}..{n - 1})")
    return tuple(a % n for a in nums), single


def _positions(nums: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...] | None]:
    """Repeated argnums: each argument is seeded once (two seeds of one argument would
    overwrite each other and give a wrong 0); ``where`` maps each requested position to its
    argument's slot among the unique ones (None when nothing repeats)."""
    if len(nums) == 1 or len(set(nums)) == len(nums):     # the usual case: no repeats
        return nums, None
    uniq = tuple(dict.fromkeys(nums))
    return uniq, tuple(uniq.index(a) for a in nums)


def _place(per_arg: list, where: tuple[int, ...] | None) -> list:
    """The derivative of each requested position from those of the unique arguments; a
    repeated position gets its own copy, so updating one in place leaves the other alone."""
    if where is None:
        return per_arg
    seen: set = set()
    out = []
    for i in where:
        out.append(per_arg[i] if i not in seen else _copy_tree(per_arg[i]))
        seen.add(i)
    return out


def _copy_tree(t: Any) -> Any:
    leaves, spec = flatten(t)
    return unflatten(spec, [v.copy() if type(v) is np.ndarray else v for v in leaves])


def _ours(v: Any, tape: Tape) -> bool:
    return type(v) is TapeVar and v._level is tape


class _Outputs:
    """The outputs of ``f`` for ``vjp``/``jacrev``, gathered while the tape still records.

    ``leaves``/``spec``: the output tree (each leaf resolved: a variable of the tape, or a
    constant); ``live``: positions of the leaves that are variables; ``root``: the one entry
    the backward sweep starts from: that variable when only one leaf is live, else the live
    leaves raveled and concatenated into one vector (so a tree of outputs still costs ONE
    sweep); None when no leaf depends on the arguments.
    """

    __slots__ = ("leaves", "spec", "live", "root", "sizes")

    def __init__(self, out: Any, tape: Tape, api: str) -> None:
        if _ours(out, tape):                 # the common case: one output
            self.leaves, self.spec, self.live, self.root = [out], _LEAF_SPEC, [0], out
            self.sizes = [math.prod(shape_of(out._value))]
            return
        leaves, self.spec = flatten(out)
        in_tree = self.spec.kind != "leaf"
        self.leaves = [v if _ours(v, tape) else _resolve_output(v, tape, api, in_tree)
                       for v in leaves]
        self.live = [i for i, v in enumerate(self.leaves) if _ours(v, tape)]
        self.sizes = [math.prod(shape_of(v)) for v in self.leaves]
        if not self.live:
            self.root = None
        elif len(self.live) == 1:
            self.root = self.leaves[self.live[0]]
        else:
            self.root = concatenate(*[reshape(self.leaves[i], (-1,)) for i in self.live],
                                    axis=0)

    def primal(self, tape: Tape) -> Any:
        """The output tree with plain values (no live tape variables)."""
        return unflatten(self.spec, [v._value if _ours(v, tape) else v for v in self.leaves])


_LEAF_SPEC = flatten(0.0)[1]


def split_aux(out: Any, api: str) -> tuple[Any, Any]:
    """``(output, aux)`` of a function called under ``has_aux=True`` (JAX's contract: ``f``
    returns a pair, a tuple or a list of two); anything else is a ``TypeError`` naming it."""
    if isinstance(out, (tuple, list)) and len(out) == 2:
        return out[0], out[1]
    if isinstance(out, (tuple, list)):
        got = f"a {type(out).__name__} of {len(out)} entries"
    else:
        got = "None (did the function forget `return`?)" if out is None else \
            f"a {type(out).__name__}"
    raise TypeError(f"{api}(has_aux=True): f must return a pair (output, aux), got {got}")


def strip_aux(aux: Any, level: Level) -> Any:
    """``aux`` with the boxes of ``level`` (this call) replaced by their values, leaf by leaf
    through any tree; boxes of an outer running computation stay boxed (so an outer derivative
    can still see them), and leaves that are not numbers (strings, None, objects) pass as
    they are: aux is the user's, not differentiated.

    >>> from dualnum.dual import make_dual
    >>> level = ForwardLevel()
    >>> strip_aux({"y": make_dual(2.0, 1.0, level), "tag": "ok"}, level)
    {'y': 2.0, 'tag': 'ok'}
    """
    t = type(aux)
    if t is float or t is np.ndarray:           # nothing to take off
        return aux
    if isinstance(aux, Box) and aux._level is level:
        return aux._value
    leaves, spec = flatten(aux)
    return unflatten(spec, [_strip_leaf(v, level) for v in leaves])


def _strip_leaf(v: Any, level: Level) -> Any:
    z = v
    while isinstance(z, TapeVar) and z._level is not level:
        z = z._value         # a variable of a tape f recorded on this call's values
    if isinstance(z, Box) and z._level is level:
        return z._value
    return v
