"""Reverse mode: record once on a tape, sweep back once, get the whole gradient.

>>> import dualnum as dn, dualnum.numpy as dnp
>>> f = lambda w0, x0, w1: 1.0 / (w0 * x0 + w1)      # Bradbury's graph
>>> dn.grad(f, argnums=(0, 1, 2))(-2.0, 3.0, 4.0)
(-0.75, 0.5, -0.25)

Parameters may be nested lists/tuples/dicts of arrays; gradients come back with the same
structure. Every call records a fresh tape: nothing accumulates between calls.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from dualnum.forward import _argnums, jacfwd, jvp
from dualnum.primitive import shape_of
from dualnum.tape import Tape, TapeVar
from dualnum.tree import as_float_leaf, flatten, unflatten

__all__ = ["grad", "value_and_grad", "vjp", "jacrev", "hvp", "hessian", "gradient", "jacobian"]


def _record(f: Callable[..., Any], args: tuple, nums: tuple[int, ...]) -> tuple:
    """Run ``f`` with the chosen arguments as tape variables; returns (tape, out, var trees)."""
    tape = Tape(keep="needed")           # only what the rules read: see dualnum.saves
    new_args = list(args)
    var_trees = []
    with tape:
        for a in nums:
            leaves, spec = flatten(args[a])
            # converted here, so errors name the argument; tape.var then finds float64 data
            vs = [tape.var(as_float_leaf(v, f"argument {a}")) for v in leaves]
            new_args[a] = unflatten(spec, vs)
            var_trees.append((spec, vs))
        out = f(*new_args)
    return tape, out, var_trees


def _value(y: Any, tape: Tape) -> Any:
    return y._value if isinstance(y, TapeVar) and y._level is tape else y


def _zeros(v: TapeVar, b_shape: tuple = ()) -> Any:
    s = b_shape + shape_of(v._value)
    return np.zeros(s) if s else 0.0


def _collect(adj: list, var_trees: list, single: bool, b_shape: tuple = ()) -> Any:
    grads = []
    for spec, vs in var_trees:
        grads.append(unflatten(spec, [adj[v._index] if v._index < len(adj) and
                                      adj[v._index] is not None else _zeros(v, b_shape)
                                      for v in vs]))
    return grads[0] if single else tuple(grads)


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0
                   ) -> Callable[..., tuple]:
    """``(f(*args), gradient)`` in one recording and one backward sweep.

    >>> value_and_grad(lambda x: x ** 2)(3.0)
    (9.0, 6.0)
    """
    def vg(*args: Any) -> tuple:
        nums, single = _argnums(argnums, len(args))
        tape, out, var_trees = _record(f, args, nums)
        y = _value(out, tape)
        if isinstance(out, (list, tuple, dict)) or shape_of(y) != ():
            shape = shape_of(y) if not isinstance(out, (list, tuple, dict)) else type(out)
            raise ValueError(
                f"grad needs a function with a scalar output, but f returned {shape!r}; "
                "use dn.jacrev for the full Jacobian or dn.vjp for vector-Jacobian products")
        if not (isinstance(out, TapeVar) and out._level is tape):
            return y, _collect([], var_trees, single)
        seed = np.ones_like(y) if isinstance(y, np.ndarray) else 1.0
        adj = tape.sweep(out._index, seed, 0, retain=False)
        return y, _collect(adj, var_trees, single)

    vg.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return vg


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The gradient of a scalar function by reverse mode (one backward sweep).

    >>> grad(lambda p: p["w"] * 3.0 + p["b"])({"w": 1.0, "b": 2.0})
    {'w': 3.0, 'b': 1.0}
    """
    vg = value_and_grad(f, argnums)

    def g(*args: Any) -> Any:
        return vg(*args)[1]

    g.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return g


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple]]:
    """``(f(*primals), vjp_fn)`` where ``vjp_fn(ȳ)`` returns ``ȳᵀJ`` for each argument.

    The tape is kept so ``vjp_fn`` can be called many times.

    >>> y, back = vjp(lambda x: x * x, 3.0)
    >>> y, back(1.0)
    (9.0, (6.0,))
    """
    nums = tuple(range(len(primals)))
    tape, out, var_trees = _record(f, primals, nums)
    y = _value(out, tape)

    def vjp_fn(ct: Any) -> tuple:
        ct = as_float_leaf(ct, "vjp cotangent")
        if shape_of(ct) != shape_of(y):
            raise ValueError(f"vjp: cotangent has shape {shape_of(ct)} but the output has "
                             f"shape {shape_of(y)}")
        if not (isinstance(out, TapeVar) and out._level is tape):
            return _collect([], var_trees, False)
        return _collect(tape.sweep(out._index, ct, 0), var_trees, False)

    return y, vjp_fn


def jacrev(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one recording and ONE batched backward sweep carrying
    every output direction at once. Shape: ``out_shape + in_shape`` per argument.

    >>> import dualnum.numpy as dnp
    >>> jacrev(lambda x: x * 2.0)(dnp.asarray([1.0, 2.0]))
    array([[2., 0.],
           [0., 2.]])
    """
    def jac(*args: Any) -> Any:
        nums, single = _argnums(argnums, len(args))
        tape, out, var_trees = _record(f, args, nums)
        y = _value(out, tape)
        oshape = shape_of(y)
        m = int(np.prod(oshape))
        if not (isinstance(out, TapeVar) and out._level is tape):
            g = _collect([], var_trees, single, (m,))
        else:
            seed = np.eye(m).reshape((m,) + oshape)
            g = _collect(tape.sweep(out._index, seed, 1, retain=False), var_trees, single,
                         (m,))
        return _reshape_tree(g, oshape)

    return jac


def _reshape_tree(g: Any, oshape: tuple) -> Any:
    from dualnum.rules import reshape
    leaves, spec = flatten(g)
    out = []
    for leaf in leaves:
        j = reshape(leaf, oshape + shape_of(leaf)[1:])
        if isinstance(j, np.ndarray) and j.ndim == 0:
            j = float(j)
        out.append(j)
    return unflatten(spec, out)


def hvp(f: Callable[..., Any]) -> Callable[[Any, Any], Any]:
    """Hessian-vector product ``H(x)·v`` by forward-over-reverse (one pass, no Hessian built).

    >>> hvp(lambda x: x ** 3)(2.0, 1.0)
    12.0
    """
    def h(x: Any, v: Any) -> Any:
        return jvp(grad(f), (x,), (v,))[1]

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
        return jacfwd(grad(f, argnums), argnums)
    if mode == "forward":
        return jacfwd(jacfwd(f, argnums), argnums)
    if mode == "reverse":
        return jacrev(grad(f, argnums), argnums)
    raise ValueError(f"hessian: unknown mode {mode!r} "
                     "(use 'forward-over-reverse', 'forward' or 'reverse')")


def gradient(f: Callable[..., Any], x: Any, mode: str = "reverse") -> Any:
    """The gradient of scalar ``f`` at ``x`` by ``mode="reverse"`` or ``"forward"``.

    >>> gradient(lambda v: 1.5 * v[0] ** 2 + v[1] ** 2 + 2.0, [1.0, 2.0], mode="forward")
    array([3., 4.])
    """
    if mode == "reverse":
        return grad(f)(x)
    if mode == "forward":
        return jacfwd(f)(x)
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
        return jacfwd(f, argnums)
    if mode == "reverse":
        return jacrev(f, argnums)
    raise ValueError(f"jacobian: unknown mode {mode!r} (use 'forward' or 'reverse')")

