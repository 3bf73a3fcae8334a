"""The mode ``jacobian`` and ``hessian`` take when none is given: the cheaper one for the
shapes at hand, read off the size of ``f``'s output.

Forward mode (``jacfwd``) pushes one direction per input entry through ``f``; reverse mode
(``jacrev``) records ``f`` once and sweeps one direction per output entry back (two for a
complex output of real inputs: its real and imaginary unit directions both travel). So:

* ``jacobian``: ``"reverse"`` when the output has fewer entries than the differentiated
  inputs (all leaves of all ``argnums``, a repeated position counted once), a complex output
  of real inputs counting each entry twice; ``"forward"`` otherwise, ties included (a square
  Jacobian: one pass, no tape). Tree outputs count the entries of all their leaves.
* ``hessian``: ``"forward-over-reverse"`` for a scalar ``f`` (one leaf of size 1, as ``grad``
  takes it: the result has shape ``in + in``), ``"forward"`` for anything else (an array or a
  tree: ``out + in + in`` per leaf).

The output's size is learned by running ``f`` once on plain values (float64 copies of the
differentiated arguments: no box, no tape) the first time the function is called with a
given signature (tree structure, shapes and dtypes of every argument, and the values of int,
bool and str leaves, which may set shapes); the decision is kept for that signature, so later
calls pay a signature and a dict lookup. Either mode gives the same derivative; the choice
only decides the cost.

>>> import numpy as np, dualnum.numpy as dnp
>>> wide = AutoMode(lambda x: dnp.sum(x * x), 0, False, "jacobian", jacobian_mode)
>>> wide((np.ones(5),)), wide.cache_size()
('reverse', 1)
>>> AutoMode(lambda x: dnp.outer(x, x), 0, False, "jacobian", jacobian_mode)((np.ones(5),))
'forward'
>>> AutoMode(lambda x: x * 2.0, 0, False, "hessian", hessian_mode)((np.ones(5),))
'forward'
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from dualnum._calls import _argnums, _positions
from dualnum.primitive import is_complex, shape_of
from dualnum.tree import as_float_leaf, flatten, unflatten

__all__ = ["AutoMode", "jacobian_mode", "hessian_mode"]

# signatures remembered per function; past this many the memory starts afresh
MAX_SIGNATURES = 64


def jacobian_mode(out: Any, inputs: list) -> str:
    """``"reverse"`` or ``"forward"`` for an output tree ``out`` (plain values) and the
    differentiated input leaves ``inputs`` (the rule in the module docstring)."""
    leaves = flatten(out)[0]
    n_out = sum(math.prod(shape_of(v)) for v in leaves)
    if any(is_complex(v) for v in leaves) and not all(is_complex(v) for v in inputs):
        n_out *= 2                       # jacrev sweeps the real and imaginary directions
    n_in = sum(math.prod(shape_of(v)) for v in inputs)
    return "reverse" if n_out < n_in else "forward"


def hessian_mode(out: Any, inputs: list) -> str:
    """``"forward-over-reverse"`` for one output leaf of size 1, else ``"forward"``."""
    leaves, spec = flatten(out)
    if spec.kind == "leaf" and math.prod(shape_of(leaves[0])) == 1:
        return "forward-over-reverse"
    return "forward"


class AutoMode:
    """The automatic choice for one function: ``AutoMode(...)(args)`` is the mode for these
    arguments, from ``decide(plain output, differentiated input leaves)``, remembered per
    argument signature."""

    __slots__ = ("f", "argnums", "has_aux", "api", "decide", "cache")

    def __init__(self, f: Callable[..., Any], argnums: int | Sequence[int], has_aux: bool,
                 api: str, decide: Callable[[Any, list], str]) -> None:
        self.f, self.argnums, self.has_aux, self.api, self.decide = f, argnums, has_aux, api, \
            decide
        self.cache: dict = {}

    def cache_size(self) -> int:
        return len(self.cache)

    def __call__(self, args: tuple) -> str:
        key = _signature(args)
        mode = self.cache.get(key)
        if mode is None:
            nums, _ = _argnums(self.argnums, len(args), self.api)
            nums, _ = _positions(nums)
            plain = list(args)
            inputs: list = []
            for a in nums:
                leaves, spec = flatten(args[a])
                # float64 data as every mode reads it, copied: f may write into its argument
                # here (a box would refuse), and must not change the caller's arrays
                leaves = [as_float_leaf(v, f"{self.api}: argument {a}") for v in leaves]
                leaves = [np.array(v) if type(v) is np.ndarray else v for v in leaves]
                plain[a] = unflatten(spec, leaves)
                inputs.extend(leaves)
            out = self.f(*plain)
            if self.has_aux:
                if not (isinstance(out, (tuple, list)) and len(out) == 2):
                    # not a pair: any mode raises the error that names what came back
                    return self.decide(None, inputs)
                out = out[0]
            mode = self.decide(out, inputs)
            if len(self.cache) >= MAX_SIGNATURES:
                self.cache.clear()
            self.cache[key] = mode
        return mode


def _signature(args: tuple) -> tuple:
    """What fixes the shapes ``f`` returns: each argument's tree structure and, per leaf, the
    shape and dtype of an array, the type of a number, the value of an int, bool or str."""
    sig = []
    for a in args:
        t = type(a)
        if t is np.ndarray:              # the common case, without flattening
            sig.append((a.shape, a.dtype.char))
            continue
        if t is float:
            sig.append(float)
            continue
        leaves, spec = flatten(a)
        sig.append((repr(spec), tuple(_leaf(v) for v in leaves)))
    return tuple(sig)


def _leaf(v: Any) -> Any:
    t = type(v)
    if t is np.ndarray:
        return v.shape, v.dtype.char
    if t in (int, bool, str):
        return t, v
    return t, shape_of(v), is_complex(v)
