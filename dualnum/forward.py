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

from dualnum._calls import _argnums, _place, _positions, _split, split_aux, strip_aux
from dualnum._outer import OuterLevel, dense
from dualnum.dual import ForwardLevel, make_dual
from dualnum.primitive import Box, shape_of
from dualnum.rules import concatenate, getitem, reshape, transpose
from dualnum.rules.linalg import identity_seeds
from dualnum.tree import as_float_leaf, flatten, flatten_like, unflatten

__all__ = ["derivative", "jvp", "jacfwd"]


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
        batched: bool = False, has_aux: bool = False) -> tuple:
    """``(f(*primals), J·tangents)``: the Jacobian-vector product in one forward pass.

    ``primals`` and ``tangents`` are tuples with one entry per argument of ``f``; each entry
    may be a nested list/tuple/dict/namedtuple of arrays (the tangent with the same
    structure). ``f`` may return such a tree too: the output and its tangent then have that
    structure. With ``batched=True`` every tangent carries a leading axis of k directions, all
    pushed through in the same pass (like ``jax.vmap`` over ``jax.jvp``); the output tangent
    then has that leading axis too. With ``has_aux=True`` ``f`` returns ``(output, aux)`` and
    the result is ``(output, tangent, aux)``, aux as plain values (JAX's contract).

    >>> import dualnum.numpy as dnp
    >>> jvp(lambda x, y: x * y, (2.0, 3.0), (1.0, 0.0))
    (6.0, 3.0)
    >>> jvp(lambda x: x * x, (3.0,), (dnp.asarray([1.0, 2.0]),), batched=True)[1]
    array([ 6., 12.])
    >>> jvp(lambda x: (x * x, {"x": x}), (3.0,), (1.0,), has_aux=True)
    (9.0, 6.0, {'x': 3.0})
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
        if has_aux:
            y, aux = split_aux(y, "jvp")
    finally:
        level.active = False
    leaves, spec = flatten(y)
    in_tree = spec.kind != "leaf"
    pairs = [_split(leaf, level, "jvp", in_tree) for leaf in leaves]
    out = unflatten(spec, [p for p, _ in pairs]), unflatten(spec, [t for _, t in pairs])
    return out + (strip_aux(aux, level),) if has_aux else out


def jacfwd(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
           chunk: int | None = None, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian of ``f`` by forward mode: ``jacfwd(f)(x)[i..., j...] = d f[i...]/d x[j...]``.

    All input directions travel together in one vectorized pass (or ``ceil(n/chunk)`` passes
    of ``chunk`` directions each, to bound memory). The structure follows JAX: with
    ``argnums`` a tuple, a tuple of Jacobians; a tree-structured argument gives a tree of
    Jacobians; a tree-structured output (list/tuple/dict/namedtuple) gives that tree with a
    Jacobian block ``out_leaf.shape + in_leaf.shape`` in place of each output leaf.
    ``has_aux=True``: ``f`` returns ``(output, aux)``, the result is ``(J, aux)`` with aux as
    plain values (of the first pass when chunked). Integer inputs are differentiated as
    float64 (as every dualnum entry point reads them); complex inputs are pushed along their
    real unit directions (``∂f/∂x``; the whole complex derivative for a holomorphic ``f``).

    >>> import dualnum.numpy as dnp
    >>> jacfwd(lambda x, y: x * y, argnums=(0, 1))(2.0, 3.0)
    (3.0, 2.0)
    >>> jacfwd(lambda v: {"sq": v * v, "sum": dnp.sum(v)})(dnp.asarray([1.0, 2.0]))["sq"]
    array([[2., 0.],
           [0., 4.]])
    >>> jacfwd(lambda x: (x ** 3, x ** 2), has_aux=True)(2.0)
    (12.0, 4.0)
    """
    return _jacfwd(f, argnums, chunk, "jacfwd", has_aux)


def _jacfwd(f: Callable[..., Any], argnums: int | Sequence[int], chunk: int | None,
            api: str, has_aux: bool = False, outer: bool = False) -> Callable[..., Any]:
    """:func:`jacfwd`, with errors naming the entry point ``api`` the user called. ``outer``:
    the outer level of a nested ``jacfwd`` (``hessian(mode="forward")``), whose outer-product
    tangents are kept factored (:mod:`dualnum._outer`)."""
    make_level = OuterLevel if outer else ForwardLevel
    if chunk is not None and (not isinstance(chunk, int) or isinstance(chunk, bool)
                              or chunk < 1):
        raise ValueError(f"{api}: chunk must be a positive integer, got {chunk!r}")

    def jac(*args: Any) -> Any:
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
        out_spec = aux = None
        for start in range(0, max(n, 1), max(step, 1)):
            k = min(step, n - start)
            level = make_level(batch=k)
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
                if has_aux:
                    y, aux_k = split_aux(y, api)
                    if start == 0:
                        aux = strip_aux(aux_k, level)
            finally:
                level.active = False
            ys, out_spec = flatten(y)
            in_tree = out_spec.kind != "leaf"
            tans = [_split(leaf, level, api, in_tree)[1] for leaf in ys]
            if outer:
                tans = [dense(t) for t in tans]
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
        J = _arrange(result_per_out, out_spec, specs, single, where)
        return (J, aux) if has_aux else J

    return jac


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
