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

from dualnum._calls import (
    _argnums, _ours, _Outputs, _place, _positions, _resolve_output, split_aux, strip_aux,
)
from dualnum._choose import AutoMode, hessian_mode, jacobian_mode
from dualnum.adjoint import input_adjoint
from dualnum.forward import _arrange, _concat, _jacfwd, _take_rows, jvp
from dualnum.primitive import is_complex, shape_of
from dualnum.rules import real, reshape
from dualnum.tape import Tape, TapeVar
from dualnum.tree import as_float_leaf, flatten, flatten_like, unflatten

__all__ = ["grad", "value_and_grad", "vjp", "jacrev", "hvp", "hessian", "gradient", "jacobian"]


def _record(f: Callable[..., Any], args: tuple, nums: tuple[int, ...], api: str,
            gather: bool = False, has_aux: bool = False) -> tuple:
    """Run ``f`` with the chosen arguments (each position once) as tape variables; returns
    (tape, out, var trees, aux). ``gather=True`` (vjp, jacrev): ``out`` is :class:`_Outputs`,
    whose combined root is recorded while the tape still records. ``has_aux``: ``f`` returns
    ``(out, aux)``; aux comes back without this tape's variables (None otherwise)."""
    tape = Tape(keep="needed")           # only what the rules read: see dualnum.saves
    new_args = list(args)
    var_trees = []
    with tape:
        for a in nums:
            leaves, spec = flatten(args[a])
            # converted here, so errors name the argument; tape.var then finds float64 data
            vs = tape._vars(leaves, f"{api}: argument {a}")
            new_args[a] = unflatten(spec, vs)
            var_trees.append((spec, vs))
        out = f(*new_args)
        aux = None
        if has_aux:
            out, aux = split_aux(out, api)
            aux = strip_aux(aux, tape)
        if gather:
            out = _Outputs(out, tape, api)
    return tape, out, var_trees, aux


def _zeros(shape: tuple) -> Any:
    return np.zeros(shape) if shape else 0.0


def _collect(adj: list, var_trees: list, where: tuple | None, single: bool) -> Any:
    """Gradient trees per requested position from the adjoints (zeros where none flowed)."""
    n = len(adj)
    grads = []
    for spec, vs in var_trees:
        grads.append(unflatten(spec, [input_adjoint(adj[v._index] if v._index < n else None,
                                                    v._value) for v in vs]))
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
            "vector-Jacobian products" + (" (or has_aux=True if the second entry is an "
                                          "auxiliary value)" if isinstance(out, tuple)
                                          and len(out) == 2 else ""))
    out = _resolve_output(out, tape, api)
    _check_scalar(shape_of(out), api)
    return out


def _python_scalars(adj: list, in_vars: list) -> None:
    """The adjoints of scalar inputs as Python numbers (as the scalar path gives them), where
    the sweep brought numpy scalars or 0-d arrays."""
    for v in in_vars:
        a = adj[v._index] if v._index < len(adj) else None
        if isinstance(a, (np.number, np.ndarray)) and shape_of(a) == ():
            adj[v._index] = complex(a) if np.iscomplexobj(a) else float(a)


def _check_scalar(shape: tuple, api: str) -> None:
    """A scalar output, or one of size 1 in any shape (``(1,)``, ``(1, 1)``: PyTorch's rule
    for ``backward()``); a larger output is an error naming its shape."""
    if shape != () and math.prod(shape) != 1:
        raise ValueError(
            f"{api} needs a function with a scalar output (or one of size 1), but f returned "
            f"shape {shape} ({math.prod(shape)} entries); use dn.jacrev for the full Jacobian "
            "or dn.vjp for vector-Jacobian products")


def _value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int], api: str,
                    has_aux: bool = False) -> Callable[..., tuple]:
    """:func:`value_and_grad`, with errors naming the entry point ``api`` the user called."""
    def vg(*args: Any) -> tuple:
        nums, single = _argnums(argnums, len(args), api)
        nums, where = _positions(nums)
        tape, out, var_trees, aux = _record(f, args, nums, api, has_aux=has_aux)
        if type(out) is not TapeVar or out._level is not tape:   # O(1): the hot path skips
            out = _scalar_root(out, tape, api)
            if not _ours(out, tape):     # a constant: its gradient is 0 (as in JAX)
                g = _collect([], var_trees, where, single)
                return ((out, aux), g) if has_aux else (out, g)
        y = out._value
        if shape_of(y) != ():
            _check_scalar(shape_of(y), api)
        seed = np.ones_like(y) if isinstance(y, np.ndarray) else 1.0
        adj = tape.sweep(out._index, seed, 0, retain=False)
        if type(seed) is not float:
            # a size-1 output: a scalar's adjoint comes back as a numpy scalar
            _python_scalars(adj, [v for _, vs in var_trees for v in vs])
        g = _collect(adj, var_trees, where, single)
        return ((y, aux), g) if has_aux else (y, g)

    vg.__name__ = f"{api}({getattr(f, '__name__', 'f')})"
    return vg


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
                   has_aux: bool = False) -> Callable[..., tuple]:
    """``(f(*args), gradient)`` in one recording and one backward sweep.

    ``f`` must return a scalar, or an array of size 1 (``(1,)``, ``(1, 1)``: its value comes
    back in that shape). A repeated position (``argnums=(0, 0)``) gets the gradient with
    respect to that argument at each place, as in JAX. A function returning a constant has
    gradient 0; one returning None, a str, a bool or a tree raises. ``has_aux=True``: ``f``
    returns ``(value, aux)`` and the result is ``((value, aux), gradient)`` (JAX's shape),
    aux as plain values.

    >>> value_and_grad(lambda x: x ** 2)(3.0)
    (9.0, 6.0)
    >>> value_and_grad(lambda x, y: x * y, argnums=(0, 0))(1.0, 2.0)
    (2.0, (2.0, 2.0))
    >>> value_and_grad(lambda x: (x ** 2, {"x2": x * 2}), has_aux=True)(3.0)
    ((9.0, {'x2': 6.0}), 6.0)
    """
    return _value_and_grad(f, argnums, "value_and_grad", has_aux)


def _grad(f: Callable[..., Any], argnums: int | Sequence[int], api: str,
          has_aux: bool = False) -> Callable[..., Any]:
    vg = _value_and_grad(f, argnums, api, has_aux)

    if has_aux:
        def g(*args: Any) -> Any:
            (_, aux), grads = vg(*args)
            return grads, aux
    else:
        def g(*args: Any) -> Any:
            return vg(*args)[1]

    g.__name__ = f"{api}({getattr(f, '__name__', 'f')})"
    return g


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
         ) -> Callable[..., Any]:
    """The gradient of a scalar function by reverse mode (one backward sweep).

    Arguments may be trees (lists/tuples/dicts/namedtuples of arrays): the gradient has the
    same structure. ``f`` may return a scalar or an array of size 1 (``(1,)``, ``(1, 1)``,
    as PyTorch's ``backward()`` takes); a larger output is an error naming its shape.
    ``has_aux=True``: ``f`` returns ``(value, aux)``, the result is ``(gradient, aux)``.

    Types: a real (float) argument gets a real gradient, also when ``f`` goes through complex
    numbers on the way (the transpose of R ⊂ C is Re); a complex argument ``z = x + iy`` gets
    ``∂f/∂x − i·∂f/∂y`` for a real ``f`` (``f'(z)`` for a holomorphic one): see README,
    "Complex numbers". Ints and integer arrays are read as float64 and get a float64
    gradient (bools are refused: they have no derivative).

    >>> grad(lambda p: p["w"] * 3.0 + p["b"])({"w": 1.0, "b": 2.0})
    {'w': 3.0, 'b': 1.0}
    >>> grad(lambda x: 5.0)(1.0)              # a constant output: gradient 0
    0.0
    >>> import dualnum.numpy as dnp
    >>> grad(lambda x: dnp.reshape(x * x, (1, 1)))(3.0)        # size 1: accepted
    6.0
    >>> grad(lambda x: (x * x, x + 1.0), has_aux=True)(3.0)
    (6.0, 4.0)
    >>> grad(lambda z: dnp.abs(z) ** 2)(3 + 4j)                 # 2x − 2iy
    (6-8j)
    """
    return _grad(f, argnums, "grad", has_aux)


def vjp(f: Callable[..., Any], *primals: Any, has_aux: bool = False
        ) -> tuple[Any, Callable[[Any], tuple]] | tuple[Any, Callable[[Any], tuple], Any]:
    """``(f(*primals), vjp_fn)`` where ``vjp_fn(ȳ)`` returns ``ȳᵀJ`` for each argument.

    The tape is kept so ``vjp_fn`` can be called many times. ``f`` may return a tree
    (list/tuple/dict/namedtuple) of arrays: the primal is that tree of plain values and
    ``vjp_fn`` takes a cotangent tree of the same structure (dicts matched by key), as in
    JAX. ``has_aux=True`` (a keyword, after the primals): ``f`` returns ``(output, aux)`` and
    the result is ``(output, vjp_fn, aux)``, aux as plain values.

    >>> y, back = vjp(lambda x: x * x, 3.0)
    >>> y, back(1.0)
    (9.0, (6.0,))
    >>> y, back = vjp(lambda x: {"sq": x * x, "id": x}, 3.0)
    >>> y, back({"sq": 1.0, "id": 10.0})
    ({'sq': 9.0, 'id': 3.0}, (16.0,))
    >>> y, back, aux = vjp(lambda x: (x * x, "note"), 3.0, has_aux=True)
    >>> back(1.0), aux
    ((6.0,), 'note')
    """
    nums = tuple(range(len(primals)))
    tape, outs, var_trees, aux = _record(f, primals, nums, "vjp", gather=True, has_aux=has_aux)
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
        # through the raveled root a scalar's adjoint comes back as a numpy scalar
        _python_scalars(adj, in_vars)
        return _collect(adj, var_trees, None, False)

    if has_aux:
        return outs.primal(tape), vjp_fn, aux
    return outs.primal(tape), vjp_fn


def jacrev(f: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
           ) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one recording and ONE batched backward sweep carrying
    every output direction at once. Shape: ``out_shape + in_shape`` per argument.

    ``f`` may return a tree (list/tuple/dict/namedtuple): the result is that tree whose
    leaves are the Jacobian blocks (``out_leaf_shape + in_shape``, a tuple of them per
    argnum, a tree of them for a tree argument), as in JAX; the tree's outputs still share
    one sweep. ``has_aux=True``: ``f`` returns ``(output, aux)``, the result is ``(J, aux)``.
    A complex output of a real argument gets its complex Jacobian ``∂f/∂x`` (as ``jacfwd``),
    from the same one sweep with the imaginary unit directions added.

    >>> import dualnum.numpy as dnp
    >>> jacrev(lambda x: x * 2.0)(dnp.asarray([1.0, 2.0]))
    array([[2., 0.],
           [0., 2.]])
    >>> jacrev(lambda v: {"a": 2.0 * v[0], "b": dnp.sum(v)})(dnp.asarray([1.0, 2.0]))
    {'a': array([2., 0.]), 'b': array([1., 1.])}
    """
    return _jacrev(f, argnums, "jacrev", has_aux)


def _jacrev(f: Callable[..., Any], argnums: int | Sequence[int], api: str,
            has_aux: bool = False) -> Callable[..., Any]:
    def jac(*args: Any) -> Any:
        nums, single = _argnums(argnums, len(args), api)
        nums, where = _positions(nums)
        tape, outs, var_trees, aux = _record(f, args, nums, api, gather=True, has_aux=has_aux)
        in_vars = [v for _, vs in var_trees for v in vs]
        specs = [(spec, len(vs)) for spec, vs in var_trees]
        total = sum(outs.sizes[i] for i in outs.live)
        adj: list = []
        both = False
        if outs.root is not None:
            # one batched sweep: direction r of the seed is entry r of the root
            seed = np.eye(total).reshape((total,) + shape_of(outs.root._value))
            rv = outs.root._value
            both = not (type(rv) is np.ndarray and rv.dtype.char == "d") and is_complex(
                rv) and not all(is_complex(v._value) for v in in_vars)
            if both:
                # a complex output of a real input: the real unit cotangents alone give only
                # Re(∂f/∂x) there (the transpose of R ⊂ C is Re); the imaginary ones give
                # Re(i·∂f/∂x) = −Im(∂f/∂x). Both travel in the same one sweep.
                seed = np.concatenate([seed, 1j * seed])
            adj = tape.sweep(outs.root._index, seed, 1, retain=False)
        n = len(adj)
        rows = [adj[v._index] if v._index < n else None for v in in_vars]
        if both:
            rows = [r if r is None else _complex_rows(r, total, is_complex(v._value))
                    for v, r in zip(in_vars, rows)]
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
                    z = _zeros(oshape + ishape)
                    blocks.append(z + 0j if is_complex(v._value) else z)
                    continue
                blk = _take_rows(r, lo[i], outs.sizes[i])         # (size, *in)
                if both and not is_complex(leaf) and not is_complex(v._value):
                    blk = real(blk)      # a real leaf beside complex ones: its block is real
                # a complex input's block is complex (as its gradient is)
                blocks.append(input_adjoint(_block(blk, oshape + ishape), v._value))
            per_out.append(blocks)
        J = _arrange(per_out, outs.spec, specs, single, where)
        return (J, aux) if has_aux else J

    return jac


def _complex_rows(r: Any, total: int, complex_input: bool) -> Any:
    """The Jacobian rows of one input from the doubled sweep of a complex output: ``R − iR'``
    (``R``: the real unit directions, ``R'``: the imaginary ones) for a real input, which is
    ``∂f/∂x``; the first half alone for a complex input (the convention's rows, ``f'(z)``
    for a holomorphic ``f``)."""
    if complex_input:
        return _take_rows(r, 0, total)
    return _take_rows(r, 0, total) - 1j * _take_rows(r, total, total)


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


def hessian(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
            mode: str | None = None, has_aux: bool = False) -> Callable[..., Any]:
    """Second derivatives. ``mode``: ``"forward-over-reverse"`` (the gradient's Jacobian by
    batched forward mode), ``"forward"`` (nested batched duals, forward over forward: any
    output), ``"reverse"`` (reverse-over-reverse), or None (the default): the cheaper one
    for ``f`` — forward-over-reverse for a scalar ``f`` (one output of size 1, as ``grad``
    takes), forward for anything else (an array or a tree of outputs). The first call with
    a new argument signature (structure, shapes, dtypes) evaluates ``f`` once on plain
    values to see its output; the choice is kept for that signature (:mod:`dualnum._choose`).

    The structure is JAX's: for a tree argument, a tree of trees (``H[a][b]`` has shape
    ``a.shape + b.shape``); for ``argnums`` a tuple, a tuple of tuples. The
    forward-over-reverse and reverse modes need a scalar (or size-1) ``f``, as ``grad``
    does, and give ``in.shape + in.shape``; ``"forward"`` differentiates any output:
    ``out.shape + in.shape + in.shape`` per output leaf. ``has_aux=True``: ``f`` returns
    ``(value, aux)``, the result is ``(H, aux)``.

    >>> import dualnum.numpy as dnp
    >>> hessian(lambda x: x[0] ** 2 * x[1])(dnp.asarray([1.0, 2.0]))   # scalar: fwd-over-rev
    array([[4., 2.],
           [2., 0.]])
    >>> hessian(lambda p: p["a"] ** 2 * p["b"])({"a": 1.0, "b": 2.0})
    {'a': {'a': 4.0, 'b': 2.0}, 'b': {'a': 2.0, 'b': 0.0}}
    >>> hessian(lambda x: x ** 3)(dnp.asarray([1.0, 2.0]))      # non-scalar: forward, (2, 2, 2)
    array([[[ 6.,  0.],
            [ 0.,  0.]],
    <BLANKLINE>
           [[ 0.,  0.],
            [ 0., 12.]]])
    """
    if mode is None:
        return _auto(f, argnums, has_aux, "hessian", hessian_mode, _hessian)
    return _hessian(f, argnums, mode, has_aux)


def _auto(f: Callable[..., Any], argnums: int | Sequence[int], has_aux: bool, api: str,
          rule: Callable[..., Any], build: Callable[..., Any]) -> Callable[..., Any]:
    """``api`` without a mode: per call, the mode ``rule`` picks from the shapes (kept per
    argument signature by :class:`AutoMode`), then the function ``build`` makes for it."""
    choose = AutoMode(f, argnums, has_aux, api, rule)

    def auto(*args: Any) -> Any:
        return build(f, argnums, choose(args), has_aux)(*args)

    return auto


def _hessian(f: Callable[..., Any], argnums: int | Sequence[int], mode: str,
             has_aux: bool) -> Callable[..., Any]:
    if mode in ("forward-over-reverse", "fwd-rev"):
        return _jacfwd(_grad(f, argnums, "hessian", has_aux), argnums, None, "hessian",
                       has_aux)
    if mode == "forward":
        return _jacfwd(_jacfwd(f, argnums, None, "hessian", has_aux), argnums, None,
                       "hessian", has_aux, outer=True)
    if mode == "reverse":
        return _jacrev(_grad(f, argnums, "hessian", has_aux), argnums, "hessian", has_aux)
    raise ValueError(f"hessian: unknown mode {mode!r} (use 'forward-over-reverse', "
                     "'forward' or 'reverse', or leave it out to choose from the output)")


def gradient(f: Callable[..., Any], x: Any, mode: str = "reverse") -> Any:
    """The gradient of scalar (or size-1) ``f`` at ``x`` by ``mode="reverse"`` or
    ``"forward"``.

    >>> gradient(lambda v: 1.5 * v[0] ** 2 + v[1] ** 2 + 2.0, [1.0, 2.0], mode="forward")
    array([3., 4.])
    """
    if mode == "reverse":
        return _grad(f, 0, "gradient")(x)
    if mode == "forward":
        def scalar_f(z: Any) -> Any:
            # jacfwd alone would return a Jacobian for a non-scalar f: the same check as grad
            y = f(z)
            if isinstance(y, (list, tuple, dict)):
                raise ValueError(
                    "gradient needs a function with a scalar output, but f returned "
                    f"a {type(y).__name__}; use dn.jacobian for the Jacobian")
            if shape_of(y) != ():
                _check_scalar(shape_of(y), "gradient")
                return reshape(y, ())        # size 1: the gradient has x's shape
            return y

        return _jacfwd(scalar_f, 0, None, "gradient")(x)
    raise ValueError(f"gradient: unknown mode {mode!r} (use 'forward' or 'reverse')")


def jacobian(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
             mode: str | None = None, has_aux: bool = False) -> Callable[..., Any]:
    """The Jacobian by ``mode="forward"`` (``jacfwd``) or ``"reverse"`` (``jacrev``), with
    their structure rules for tree arguments and tree outputs and their ``has_aux``.

    ``mode=None`` (the default) takes the cheaper one for the shapes, as a JAX user would
    pick: reverse when ``f``'s output has fewer entries than the differentiated inputs (all
    leaves of the ``argnums`` arguments; a complex output of real inputs counts its entries
    twice, since jacrev sweeps their real and imaginary directions), forward otherwise,
    ties included. Tree outputs count the entries of all their leaves. The first call with a
    new argument signature (structure, shapes, dtypes) evaluates ``f`` once on plain values
    to see its output's size; the choice is kept for that signature (:mod:`dualnum._choose`).

    >>> import dualnum.numpy as dnp
    >>> jacobian(lambda x: x * x, mode="reverse")(dnp.asarray([1.0, 3.0]))
    array([[2., 0.],
           [0., 6.]])
    >>> jacobian(lambda x: dnp.sum(x ** 2))(dnp.asarray([1.0, 3.0]))   # 1 < 2 entries: jacrev
    array([2., 6.])
    """
    if mode is None:
        return _auto(f, argnums, has_aux, "jacobian", jacobian_mode, _jacobian)
    return _jacobian(f, argnums, mode, has_aux)


def _jacobian(f: Callable[..., Any], argnums: int | Sequence[int], mode: str,
              has_aux: bool) -> Callable[..., Any]:
    if mode == "forward":
        return _jacfwd(f, argnums, None, "jacobian", has_aux)
    if mode == "reverse":
        return _jacrev(f, argnums, "jacobian", has_aux)
    raise ValueError(f"jacobian: unknown mode {mode!r} (use 'forward' or 'reverse', or "
                     "leave it out to choose from the shapes)")
