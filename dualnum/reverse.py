"""Reverse mode: record once on a tape, sweep back once, get the whole gradient.

>>> import dualnum as dn, dualnum.numpy as dnp
>>> f = lambda w0, x0, w1: 1.0 / (w0 * x0 + w1)      # Bradbury's graph
>>> dn.grad(f, argnums=(0, 1, 2))(-2.0, 3.0, 4.0)
(-0.75, 0.5, -0.25)

Parameters may be nested lists/tuples/dicts of arrays; gradients come back with the same
structure, and ``jacrev``/``vjp`` take such trees as outputs too. Every call records a fresh
tape: nothing accumulates between calls. No entry point answers 0 for an output it cannot
differentiate: None (a forgotten ``return``), a str or a bool raise a ``TypeError``.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from dualnum.forward import (
    _argnums, _arrange, _concat, _jacfwd, _place, _positions, _take_rows, jvp, _resolve_output,
)
from dualnum.primitive import shape_of
from dualnum.rules import reshape
from dualnum.tape import Tape, TapeVar
from dualnum.tree import as_float_leaf, flatten, flatten_like, unflatten

__all__ = ["grad", "value_and_grad", "vjp", "jacrev", "hvp", "hessian", "gradient", "jacobian"]


def _record(f: Callable[..., Any], args: tuple, nums: tuple[int, ...], api: str,
            gather: bool = False) -> tuple:
    """Run ``f`` with the chosen arguments (each position once) as tape variables; returns
    (tape, out, var trees). ``gather=True`` (vjp, jacrev): ``out`` is :class:`_Outputs`,
    whose combined root is recorded while the tape still records."""
    tape = Tape(keep="needed")           # only what the rules read: see dualnum.saves
    new_args = list(args)
    var_trees = []
    with tape:
        for a in nums:
            leaves, spec = flatten(args[a])
            # converted here, so errors name the argument; tape.var then finds float64 data
            vs = [tape.var(as_float_leaf(v, f"{api}: argument {a}")) for v in leaves]
            new_args[a] = unflatten(spec, vs)
            var_trees.append((spec, vs))
        out = f(*new_args)
        if gather:
            out = _Outputs(out, tape, api)
    return tape, out, var_trees


def _ours(v: Any, tape: Tape) -> bool:
    return type(v) is TapeVar and v._level is tape


def _zeros(shape: tuple) -> Any:
    return np.zeros(shape) if shape else 0.0


def _collect(adj: list, var_trees: list, where: tuple | None, single: bool) -> Any:
    """Gradient trees per requested position from the adjoints (zeros where none flowed)."""
    n = len(adj)
    grads = []
    for spec, vs in var_trees:
        grads.append(unflatten(spec, [adj[v._index] if v._index < n and
                                      adj[v._index] is not None
                                      else _zeros(shape_of(v._value)) for v in vs]))
    if where is not None:
        grads = _place(grads, where)
    return grads[0] if single else tuple(grads)


def _scalar_root(out: Any, tape: Tape, api: str) -> Any:
    """The output of a scalar function as this tape sees it: its variable (also when nested
    inside an inner tape's variable) or a checked constant; never a silent zero for None."""
    if isinstance(out, (list, tuple, dict)):
        raise ValueError(
            f"{api} needs a function with a scalar output, but f returned a "
            f"{type(out).__name__}; use dn.jacrev for the full Jacobian or dn.vjp for "
            "vector-Jacobian products")
    out = _resolve_output(out, tape, api)
    if shape_of(out) != ():
        raise ValueError(
            f"{api} needs a function with a scalar output, but f returned shape "
            f"{shape_of(out)}; use dn.jacrev for the full Jacobian or dn.vjp for "
            "vector-Jacobian products")
    return out


def _value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int], api: str
                    ) -> Callable[..., tuple]:
    """:func:`value_and_grad`, with errors naming the entry point ``api`` the user called."""
    def vg(*args: Any) -> tuple:
        nums, single = _argnums(argnums, len(args), api)
        nums, where = _positions(nums)
        tape, out, var_trees = _record(f, args, nums, api)
        if type(out) is not TapeVar or out._level is not tape:   # O(1): the hot path skips
            out = _scalar_root(out, tape, api)
            if not _ours(out, tape):     # a constant: its gradient is 0 (as in JAX)
                return out, _collect([], var_trees, where, single)
        y = out._value
        if shape_of(y) != ():
            raise ValueError(
                f"{api} needs a function with a scalar output, but f returned shape "
                f"{shape_of(y)}; use dn.jacrev for the full Jacobian or dn.vjp for "
                "vector-Jacobian products")
        seed = np.ones_like(y) if isinstance(y, np.ndarray) else 1.0
        adj = tape.sweep(out._index, seed, 0, retain=False)
        return y, _collect(adj, var_trees, where, single)

    vg.__name__ = f"{api}({getattr(f, '__name__', 'f')})"
    return vg


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0
                   ) -> Callable[..., tuple]:
    """``(f(*args), gradient)`` in one recording and one backward sweep.

    ``f`` must return a scalar. A repeated position (``argnums=(0, 0)``) gets the gradient
    with respect to that argument at each place, as in JAX. A function returning a constant
    has gradient 0; one returning None, a str, a bool or a tree raises.

    >>> value_and_grad(lambda x: x ** 2)(3.0)
    (9.0, 6.0)
    >>> value_and_grad(lambda x, y: x * y, argnums=(0, 0))(1.0, 2.0)
    (2.0, (2.0, 2.0))
    """
    return _value_and_grad(f, argnums, "value_and_grad")


def _grad(f: Callable[..., Any], argnums: int | Sequence[int], api: str
          ) -> Callable[..., Any]:
    vg = _value_and_grad(f, argnums, api)

    def g(*args: Any) -> Any:
        return vg(*args)[1]

    g.__name__ = f"{api}({getattr(f, '__name__', 'f')})"
    return g


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The gradient of a scalar function by reverse mode (one backward sweep).

    >>> grad(lambda p: p["w"] * 3.0 + p["b"])({"w": 1.0, "b": 2.0})
    {'w': 3.0, 'b': 1.0}
    >>> grad(lambda x: 5.0)(1.0)              # a constant output: gradient 0
    0.0
    """
    return _grad(f, argnums, "grad")


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
            self.root = _concat([reshape(self.leaves[i], (-1,)) for i in self.live])

    def primal(self, tape: Tape) -> Any:
        """The output tree with plain values (no live tape variables)."""
        return unflatten(self.spec, [v._value if _ours(v, tape) else v for v in self.leaves])


_LEAF_SPEC = flatten(0.0)[1]


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple]]:
    """``(f(*primals), vjp_fn)`` where ``vjp_fn(ȳ)`` returns ``ȳᵀJ`` for each argument.

    The tape is kept so ``vjp_fn`` can be called many times. ``f`` may return a tree
    (list/tuple/dict) of arrays: the primal is that tree of plain values and ``vjp_fn``
    takes a cotangent tree of the same structure (dicts matched by key), as in JAX.

    >>> y, back = vjp(lambda x: x * x, 3.0)
    >>> y, back(1.0)
    (9.0, (6.0,))
    >>> y, back = vjp(lambda x: {"sq": x * x, "id": x}, 3.0)
    >>> y, back({"sq": 1.0, "id": 10.0})
    ({'sq': 9.0, 'id': 3.0}, (16.0,))
    """
    nums = tuple(range(len(primals)))
    tape, outs, var_trees = _record(f, primals, nums, "vjp", gather=True)
    shapes = [shape_of(v) for v in outs.leaves]
    in_vars = [v for _, vs in var_trees for v in vs]

    def vjp_fn(ct: Any) -> tuple:
        cts = flatten_like(ct, outs.spec, "vjp cotangent")
        cts = [as_float_leaf(c, "vjp cotangent") for c in cts]
        for j, (c, s) in enumerate(zip(cts, shapes)):
            if shape_of(c) != s:
                at = "" if outs.spec.kind == "leaf" else f" (leaf {j})"
                raise ValueError(f"vjp: cotangent{at} has shape {shape_of(c)} but the output "
                                 f"has shape {s}")
        if outs.root is None:
            return _collect([], var_trees, None, False)
        if len(outs.live) == 1:
            seed = cts[outs.live[0]]
            return _collect(tape.sweep(outs.root._index, seed, 0), var_trees, None, False)
        seed = _concat([reshape(cts[i], (-1,)) for i in outs.live])
        adj = tape.sweep(outs.root._index, seed, 0)
        for v in in_vars:
            # through the raveled root a scalar's adjoint comes back as a numpy scalar
            a = adj[v._index] if v._index < len(adj) else None
            if isinstance(a, (np.number, np.ndarray)) and shape_of(a) == ():
                adj[v._index] = complex(a) if np.iscomplexobj(a) else float(a)
        return _collect(adj, var_trees, None, False)

    return outs.primal(tape), vjp_fn


def jacrev(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one recording and ONE batched backward sweep carrying
    every output direction at once. Shape: ``out_shape + in_shape`` per argument.

    ``f`` may return a tree (list/tuple/dict): the result is that tree whose leaves are the
    Jacobian blocks (``out_leaf_shape + in_shape``, a tuple of them per argnum), as in JAX;
    the tree's outputs still share one sweep.

    >>> import dualnum.numpy as dnp
    >>> jacrev(lambda x: x * 2.0)(dnp.asarray([1.0, 2.0]))
    array([[2., 0.],
           [0., 2.]])
    >>> jacrev(lambda v: {"a": 2.0 * v[0], "b": dnp.sum(v)})(dnp.asarray([1.0, 2.0]))
    {'a': array([2., 0.]), 'b': array([1., 1.])}
    """
    return _jacrev(f, argnums, "jacrev")


def _jacrev(f: Callable[..., Any], argnums: int | Sequence[int], api: str
            ) -> Callable[..., Any]:
    def jac(*args: Any) -> Any:
        nums, single = _argnums(argnums, len(args), api)
        nums, where = _positions(nums)
        tape, outs, var_trees = _record(f, args, nums, api, gather=True)
        in_vars = [v for _, vs in var_trees for v in vs]
        specs = [(spec, len(vs)) for spec, vs in var_trees]
        total = sum(outs.sizes[i] for i in outs.live)
        adj: list = []
        if outs.root is not None:
            # one batched sweep: direction r of the seed is entry r of the root
            seed = np.eye(total).reshape((total,) + shape_of(outs.root._value))
            adj = tape.sweep(outs.root._index, seed, 1, retain=False)
        n = len(adj)
        rows = [adj[v._index] if v._index < n else None for v in in_vars]
        lo, start = {}, 0                  # where each live leaf's rows start in the root
        for i in outs.live:
            lo[i] = start
            start += outs.sizes[i]
        per_out = []
        for i, leaf in enumerate(outs.leaves):
            oshape = shape_of(leaf)
            blocks = []
            for v, r in zip(in_vars, rows):
                ishape = shape_of(v._value)
                if i not in lo or r is None:
                    blocks.append(_zeros(oshape + ishape))
                    continue
                blk = _take_rows(r, lo[i], outs.sizes[i])         # (size, *in)
                blocks.append(_block(blk, oshape + ishape))
            per_out.append(blocks)
        return _arrange(per_out, outs.spec, specs, single, where)

    return jac


def _block(blk: Any, shape: tuple) -> Any:
    """Rows ``(out_size, *in)`` of the batched adjoint as the block ``out_shape + in_shape``."""
    j = reshape(blk, shape) if shape_of(blk) != shape else blk
    if isinstance(j, np.ndarray) and j.ndim == 0:
        return float(j) if not np.iscomplexobj(j) else complex(j)
    return j


def hvp(f: Callable[..., Any]) -> Callable[[Any, Any], Any]:
    """Hessian-vector product ``H(x)·v`` by forward-over-reverse (one pass, no Hessian built).

    >>> hvp(lambda x: x ** 3)(2.0, 1.0)
    12.0
    """
    g = _grad(f, 0, "hvp")

    def h(x: Any, v: Any) -> Any:
        return jvp(g, (x,), (v,))[1]

    return h


def hessian(f: Callable[..., Any], argnums: int = 0, mode: str = "forward-over-reverse"
            ) -> Callable[..., Any]:
    """Second derivatives. ``mode``: ``"forward-over-reverse"`` (default: the gradient's
    Jacobian by batched forward mode), ``"forward"`` (nested duals), ``"reverse"``
    (reverse-over-reverse).

    >>> import dualnum.numpy as dnp
    >>> hessian(lambda x: x[0] ** 2 * x[1])(dnp.asarray([1.0, 2.0]))
    array([[4., 2.],
           [2., 0.]])
    """
    if mode in ("forward-over-reverse", "fwd-rev"):
        return _jacfwd(_grad(f, argnums, "hessian"), argnums, None, "hessian")
    if mode == "forward":
        return _jacfwd(_jacfwd(f, argnums, None, "hessian"), argnums, None, "hessian")
    if mode == "reverse":
        return _jacrev(_grad(f, argnums, "hessian"), argnums, "hessian")
    raise ValueError(f"hessian: unknown mode {mode!r} "
                     "(use 'forward-over-reverse', 'forward' or 'reverse')")


def gradient(f: Callable[..., Any], x: Any, mode: str = "reverse") -> Any:
    """The gradient of scalar ``f`` at ``x`` by ``mode="reverse"`` or ``"forward"``.

    >>> gradient(lambda v: 1.5 * v[0] ** 2 + v[1] ** 2 + 2.0, [1.0, 2.0], mode="forward")
    array([3., 4.])
    """
    if mode == "reverse":
        return _grad(f, 0, "gradient")(x)
    if mode == "forward":
        def scalar_f(z: Any) -> Any:
            # jacfwd alone would return a Jacobian for a non-scalar f: the same check as grad
            y = f(z)
            if isinstance(y, (list, tuple, dict)) or shape_of(y) != ():
                raise ValueError(
                    "gradient needs a function with a scalar output, but f returned "
                    + (f"a {type(y).__name__}" if isinstance(y, (list, tuple, dict))
                       else f"shape {shape_of(y)}") + "; use dn.jacobian for the Jacobian")
            return y

        return _jacfwd(scalar_f, 0, None, "gradient")(x)
    raise ValueError(f"gradient: unknown mode {mode!r} (use 'forward' or 'reverse')")


def jacobian(f: Callable[..., Any], argnums: int | Sequence[int] = 0, mode: str = "forward"
             ) -> Callable[..., Any]:
    """The Jacobian by ``mode="forward"`` (``jacfwd``) or ``"reverse"`` (``jacrev``).

    >>> import dualnum.numpy as dnp
    >>> jacobian(lambda x: x * x, mode="reverse")(dnp.asarray([1.0, 3.0]))
    array([[2., 0.],
           [0., 6.]])
    """
    if mode == "forward":
        return _jacfwd(f, argnums, None, "jacobian")
    if mode == "reverse":
        return _jacrev(f, argnums, "jacobian")
    raise ValueError(f"jacobian: unknown mode {mode!r} (use 'forward' or 'reverse')")

