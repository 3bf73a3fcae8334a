"""Forward mode: derivatives by pushing dual numbers through a function.

>>> import dualnum as dn, dualnum.numpy as dnp
>>> dn.derivative(dnp.sin, 0.0)
1.0
>>> dn.jacfwd(lambda x: x ** 2)(dnp.asarray([1.0, 2.0]))
array([[2., 0.],
       [0., 4.]])

``jacfwd`` pushes all n input directions through in ONE vectorized pass (tangents carry a
leading axis of length n), or in ``ceil(n / chunk)`` passes when ``chunk`` is given, never n
scalar passes.

Nesting is safe: ``derivative(lambda x: x * derivative(lambda y: x + y, 1.0), 1.0) == 1.0``
because each call has its own level (see :mod:`dualnum.primitive`).
"""
from __future__ import annotations

import math
import operator
from typing import Any, Callable, Sequence

import numpy as np

from dualnum.dual import ForwardLevel, make_dual
from dualnum.primitive import (
    Box, LeakedBoxError, Level, shape_of,
)
from dualnum.rules import concatenate, getitem, reshape, transpose
from dualnum.rules.linalg import identity_seeds
from dualnum.tape import TapeVar
from dualnum.tree import as_float_leaf, flatten, flatten_like, unflatten

__all__ = ["derivative", "jvp", "jacfwd"]


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


def derivative(f: Callable[[Any], Any], x: Any) -> Any:
    """d f / d x at ``x`` for a function of one scalar (outputs may be arrays or trees).

    >>> import dualnum.numpy as dnp
    >>> derivative(lambda x: dnp.log(x) + x * 5.0 - dnp.sin(5.0), 2.0)   # Lepetit: 5.5
    5.5
    """
    x = as_float_leaf(x, "derivative")
    if shape_of(x) != ():
        raise ValueError(f"derivative: x must be a scalar, got shape {shape_of(x)}; "
                         "use dn.jvp or dn.jacfwd for arrays")
    level = ForwardLevel()
    try:
        y = f(make_dual(x, 1.0, level))
    finally:
        level.active = False
    if isinstance(y, Box) and y._level is level:      # the common case: one output
        return y.tangent
    leaves, spec = flatten(y)
    in_tree = spec.kind != "leaf"
    return unflatten(spec, [_split(leaf, level, "derivative", in_tree)[1] for leaf in leaves])


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any],
        batched: bool = False) -> tuple:
    """``(f(*primals), J·tangents)``: the Jacobian-vector product in one forward pass.

    ``primals`` and ``tangents`` are tuples with one entry per argument of ``f``; each entry
    may be a nested list/tuple/dict of arrays (the tangent with the same structure).
    With ``batched=True`` every tangent carries a leading axis of k directions, all pushed
    through in the same pass (like ``jax.vmap`` over ``jax.jvp``); the output tangent then
    has that leading axis too.

    >>> import dualnum.numpy as dnp
    >>> jvp(lambda x, y: x * y, (2.0, 3.0), (1.0, 0.0))
    (6.0, 3.0)
    >>> jvp(lambda x: x * x, (3.0,), (dnp.asarray([1.0, 2.0]),), batched=True)[1]
    array([ 6., 12.])
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primals and tangents must be tuples, one entry per argument")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    k = None
    if batched:
        firsts = [shape_of(leaf)[:1] for t in tangents for leaf in flatten(t)[0]]
        if not firsts or any(len(fs) != 1 for fs in firsts) or len(set(firsts)) != 1:
            raise ValueError("jvp(batched=True): every tangent needs the same leading axis "
                             f"of directions, got leading shapes {firsts}")
        k = firsts[0][0]
    level = ForwardLevel(batch=k)
    args = []
    for i, (p, t) in enumerate(zip(primals, tangents)):
        pl, spec = flatten(p)
        tl = flatten_like(t, spec, f"jvp tangent {i}")   # dict leaves matched by key
        leaves = []
        for j, (pv, tv) in enumerate(zip(pl, tl)):
            pv = as_float_leaf(pv, f"jvp primal {i}")
            tv = as_float_leaf(tv, f"jvp tangent {i}")
            want = shape_of(pv) if k is None else (k,) + shape_of(pv)
            if shape_of(tv) != want:
                raise ValueError(f"jvp: tangent {i} (leaf {j}) has shape {shape_of(tv)} but "
                                 f"its primal has shape {shape_of(pv)}"
                                 + ("" if k is None else f" (with {k} directions in front)"))
            leaves.append(make_dual(pv, tv, level))
        args.append(unflatten(spec, leaves))
    try:
        y = f(*args)
    finally:
        level.active = False
    leaves, spec = flatten(y)
    in_tree = spec.kind != "leaf"
    pairs = [_split(leaf, level, "jvp", in_tree) for leaf in leaves]
    return unflatten(spec, [p for p, _ in pairs]), unflatten(spec, [t for _, t in pairs])


def jacfwd(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
           chunk: int | None = None) -> Callable[..., Any]:
    """The Jacobian of ``f`` by forward mode: ``jacfwd(f)(x)[i..., j...] = d f[i...]/d x[j...]``.

    All input directions travel together in one vectorized pass (or ``ceil(n/chunk)`` passes
    of ``chunk`` directions each, to bound memory). With ``argnums`` a tuple, returns a tuple
    of Jacobians; a tree-structured argument gives a tree of Jacobians.

    >>> import dualnum.numpy as dnp
    >>> jacfwd(lambda x, y: x * y, argnums=(0, 1))(2.0, 3.0)
    (3.0, 2.0)
    """
    return _jacfwd(f, argnums, chunk, "jacfwd")


def _jacfwd(f: Callable[..., Any], argnums: int | Sequence[int], chunk: int | None,
            api: str) -> Callable[..., Any]:
    """:func:`jacfwd`, with errors naming the entry point ``api`` the user called."""
    if chunk is not None and (not isinstance(chunk, int) or isinstance(chunk, bool)
                              or chunk < 1):
        raise ValueError(f"{api}: chunk must be a positive integer, got {chunk!r}")

    def jac(*args: Any) -> Any:
        if type(argnums) is int and -len(args) <= argnums < len(args):
            x = args[argnums]
            if type(x) is np.ndarray and x.ndim == 1 and x.dtype.char == "d" and (
                    chunk is None or chunk >= x.size):
                return _jac_vector(f, args, argnums, x, api)
        nums, single = _argnums(argnums, len(args), api)
        nums, where = _positions(nums)
        specs, leaves = [], []
        for a in nums:
            lv, spec = flatten(args[a])
            specs.append((spec, len(lv)))
            leaves.extend(as_float_leaf(v, f"{api} argument {a}") for v in lv)
        sizes = [math.prod(shape_of(v)) for v in leaves]
        n = sum(sizes)
        offsets = [0]
        for size in sizes:
            offsets.append(offsets[-1] + size)
        step = n if chunk is None else min(chunk, n)
        cols: list[list] = []   # per output leaf, list of tangent chunks (k, *out)
        out_spec = None
        for start in range(0, max(n, 1), max(step, 1)):
            k = min(step, n - start)
            level = ForwardLevel(batch=k)
            new_args = list(args)
            dual_leaves = []
            marked = []
            for v, lo, size in zip(leaves, offsets[:-1], sizes):
                # direction start + r is input entry start + r - lo of this leaf
                seed = np.eye(k, size, start - lo).reshape((k,) + shape_of(v))
                if k == size and start == lo and len(shape_of(v)) == 1:
                    marked.append(seed)                     # matmul may skip I @ A
                dual_leaves.append(make_dual(v, seed, level))
            pos = 0
            for a, (spec, cnt) in zip(nums, specs):
                new_args[a] = unflatten(spec, dual_leaves[pos:pos + cnt])
                pos += cnt
            try:
                with identity_seeds(*marked):
                    y = f(*new_args)
            finally:
                level.active = False
            ys, out_spec = flatten(y)
            in_tree = out_spec.kind != "leaf"
            tans = [_split(leaf, level, api, in_tree)[1] for leaf in ys]
            if not cols:
                cols = [[] for _ in ys]
            for c, t in zip(cols, tans):
                c.append(t)
        # assemble: for each output leaf, J has shape out_shape + in_shape per input leaf
        result_per_out = []
        for c in cols:
            t = c[0] if len(c) == 1 else _concat(c)          # (n, *out)
            out_shape = shape_of(t)[1:]
            blocks = []
            for lo, size, v in zip(offsets[:-1], sizes, leaves):
                blk = _take_rows(t, lo, size)                 # (size, *out)
                blocks.append(_to_jac(blk, out_shape, shape_of(v)))
            result_per_out.append(blocks)
        return _arrange(result_per_out, out_spec, specs, single, where)

    return jac


def _jac_vector(f: Callable[..., Any], args: tuple, argnum: int, x: np.ndarray,
                api: str = "jacfwd") -> Any:
    """``jacfwd`` for the common case, one float64 vector argument and every direction in
    one pass: the general path of :func:`jacfwd` without its tree and chunk bookkeeping."""
    n = x.size
    level = ForwardLevel(batch=n)
    seed = np.eye(n)
    new_args = list(args)
    new_args[argnum] = make_dual(x, seed, level)
    try:
        with identity_seeds(seed):      # matmul may skip I @ A
            y = f(*new_args)
    finally:
        level.active = False
    if isinstance(y, (list, tuple, dict)):       # a tree of outputs: assemble leaf by leaf
        ys, spec = flatten(y)
        in_tree = spec.kind != "leaf"
        return unflatten(spec, [_leaf_jac(leaf, level, x, api, in_tree) for leaf in ys])
    return _leaf_jac(y, level, x, api)


def _leaf_jac(y: Any, level: ForwardLevel, x: np.ndarray, api: str = "jacfwd",
              in_tree: bool = False) -> Any:
    t = _split(y, level, api, in_tree)[1]        # (n, *out)
    return _to_jac(t, shape_of(t)[1:], x.shape)


def _concat(parts: list) -> Any:
    return concatenate(*parts, axis=0)


def _take_rows(t: Any, lo: int, size: int) -> Any:
    if lo == 0 and size == shape_of(t)[0]:
        return t
    return getitem(t, slice(lo, lo + size))


def _to_jac(blk: Any, out_shape: tuple, in_shape: tuple) -> Any:
    """(size, *out) -> out + in."""
    n_out = len(out_shape)
    if type(blk) is np.ndarray:                  # plain numbers: numpy directly
        if n_out:
            blk = blk.transpose(tuple(range(1, n_out + 1)) + (0,))
        j = blk.reshape(out_shape + in_shape)
        if j.ndim == 0:
            return float(j) if not np.iscomplexobj(j) else complex(j)
        return j
    if n_out:
        blk = transpose(blk, tuple(range(1, n_out + 1)) + (0,))
    j = reshape(blk, out_shape + in_shape)
    if isinstance(j, np.ndarray) and j.ndim == 0:
        return float(j) if not np.iscomplexobj(j) else complex(j)
    return j


def _arrange(per_out: list, out_spec: Any, specs: list, single: bool,
             where: tuple[int, ...] | None = None) -> Any:
    """Nest Jacobian blocks: output tree of (argnums tuple of input trees); ``where`` maps
    repeated argnums to their argument (see :func:`_positions`)."""
    outs = []
    for blocks in per_out:
        pos, per_arg = 0, []
        for spec, cnt in specs:
            per_arg.append(unflatten(spec, blocks[pos:pos + cnt]))
            pos += cnt
        per_arg = _place(per_arg, where)
        outs.append(per_arg[0] if single else tuple(per_arg))
    return unflatten(out_spec, outs)
