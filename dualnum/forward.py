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
from typing import Any, Callable, Sequence

import numpy as np

from dualnum.dual import ForwardLevel, make_dual
from dualnum.primitive import Box, mark_identity_seed, shape_of, unmark_identity_seed
from dualnum.tree import as_float_leaf, flatten, flatten_like, tree_map, unflatten

__all__ = ["derivative", "jvp", "jacfwd"]


def _split(y: Any, level: ForwardLevel) -> tuple[Any, Any]:
    """(primal, tangent) of an output leaf; an output not touched by this level has tangent 0."""
    if isinstance(y, Box) and y._level is level:
        return y._value, y.tangent
    y = as_float_leaf(y, "output") if not isinstance(y, Box) else y
    lead = () if level.batch is None else (level.batch,)
    return y, np.zeros(lead + shape_of(y))


def _argnums(argnums: int | Sequence[int], n: int) -> tuple[tuple[int, ...], bool]:
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    for a in nums:
        if not -n <= a < n:
            raise ValueError(f"argnums={argnums!r}: the function was called with {n} "
                             "positional argument(s)")
    return tuple(a % n for a in nums), single


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
    return tree_map(lambda leaf: _split(leaf, level)[1], y)


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
    pairs = [_split(leaf, level) for leaf in leaves]
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
    if chunk is not None and (not isinstance(chunk, int) or chunk < 1):
        raise ValueError(f"jacfwd: chunk must be a positive integer, got {chunk!r}")

    def jac(*args: Any) -> Any:
        if type(argnums) is int and -len(args) <= argnums < len(args):
            x = args[argnums]
            if type(x) is np.ndarray and x.ndim == 1 and x.dtype.char == "d" and (
                    chunk is None or chunk >= x.size):
                return _jac_vector(f, args, argnums, x)
        nums, single = _argnums(argnums, len(args))
        specs, leaves = [], []
        for a in nums:
            lv, spec = flatten(args[a])
            specs.append((spec, len(lv)))
            leaves.extend(as_float_leaf(v, f"jacfwd argument {a}") for v in lv)
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
                    marked.append(mark_identity_seed(seed))   # rules may skip I @ A
                dual_leaves.append(make_dual(v, seed, level))
            pos = 0
            for a, (spec, cnt) in zip(nums, specs):
                new_args[a] = unflatten(spec, dual_leaves[pos:pos + cnt])
                pos += cnt
            try:
                y = f(*new_args)
            finally:
                level.active = False
                for seed in marked:
                    unmark_identity_seed(seed)
            ys, out_spec = flatten(y)
            tans = [_split(leaf, level)[1] for leaf in ys]
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
        return _arrange(result_per_out, out_spec, specs, single)

    return jac


def _jac_vector(f: Callable[..., Any], args: tuple, argnum: int, x: np.ndarray) -> Any:
    """``jacfwd`` for the common case, one float64 vector argument and every direction in
    one pass: the general path of :func:`jacfwd` without its tree and chunk bookkeeping."""
    n = x.size
    level = ForwardLevel(batch=n)
    seed = mark_identity_seed(np.eye(n))
    new_args = list(args)
    new_args[argnum] = make_dual(x, seed, level)
    try:
        y = f(*new_args)
    finally:
        level.active = False
        unmark_identity_seed(seed)
    if isinstance(y, (list, tuple, dict)):       # a tree of outputs: assemble leaf by leaf
        ys, spec = flatten(y)
        return unflatten(spec, [_leaf_jac(leaf, level, x) for leaf in ys])
    return _leaf_jac(y, level, x)


def _leaf_jac(y: Any, level: ForwardLevel, x: np.ndarray) -> Any:
    t = _split(y, level)[1]                      # (n, *out)
    return _to_jac(t, shape_of(t)[1:], x.shape)


def _concat(parts: list) -> Any:
    from dualnum.rules import concatenate
    return concatenate(*parts, axis=0)


def _take_rows(t: Any, lo: int, size: int) -> Any:
    if lo == 0 and size == shape_of(t)[0]:
        return t
    from dualnum.rules import getitem
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
    from dualnum.rules import reshape, transpose
    if n_out:
        blk = transpose(blk, tuple(range(1, n_out + 1)) + (0,))
    j = reshape(blk, out_shape + in_shape)
    if isinstance(j, np.ndarray) and j.ndim == 0:
        return float(j) if not np.iscomplexobj(j) else complex(j)
    return j


def _arrange(per_out: list, out_spec: Any, specs: list, single: bool) -> Any:
    """Nest Jacobian blocks: output tree of (argnums tuple of input trees)."""
    outs = []
    for blocks in per_out:
        pos, per_arg = 0, []
        for spec, cnt in specs:
            per_arg.append(unflatten(spec, blocks[pos:pos + cnt]))
            pos += cnt
        outs.append(per_arg[0] if single else tuple(per_arg))
    return unflatten(out_spec, outs)
