"""What one comparison case is: a function of one flat float64 vector, a point, and what the
notes say about it.

Every case is written once against ``dualnum.numpy`` and takes a single 1-D array ``x`` (the
parameters of a network flattened in a fixed order, or the inputs of a formula), so every
method — forward, reverse, sympy, finite differences — sees the same function. ``blocks``
split ``x`` back into the named parameter blocks (``W1``, ``b1``…) for per-block errors.

>>> import numpy as np
>>> c = Case("square", "scalar→scalar", lambda x: x[0] * x[0], np.array([3.0]))
>>> c.blocks[0].name, c.n_inputs
('x', 1)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Block", "Worked", "Case", "flatten", "unflatten", "blocks_of"]


@dataclass(frozen=True)
class Block:
    """A named slice ``x[start:stop]`` of a case's flat input, with its original shape.

    >>> b = Block("W1", 0, 6, (2, 3))
    >>> b.stop - b.start == int(np.prod(b.shape))
    True
    """

    name: str
    start: int
    stop: int
    shape: tuple


@dataclass(frozen=True)
class Worked:
    """A number the notes print, to be reproduced: ``kind`` is ``"value"`` (the function's
    value, ``index`` into its output) or ``"grad"`` (an entry of the Jacobian, ``index`` into
    ``out_shape + (n,)``); ``decimals`` is how many places the notes print.

    >>> w = Worked("∂f/∂x2 (reverse sweep)", "grad", (1,), 1.716, 3)
    >>> bool(abs((2.0 - np.cos(5.0)) - w.expected) <= 0.5 * 10.0 ** -w.decimals)
    True
    """

    label: str
    kind: str
    index: tuple
    expected: float
    decimals: int


@dataclass
class Case:
    """One function to differentiate, at one point, with the notes' claims about it.

    ``hand`` (optional) maps the flat point to the notes' hand-derived Jacobian (same shape as
    the reference: ``out_shape + (n,)``); ``literal`` marks a hand formula transcribed *as
    written* in the notes, so a disagreement is a slip in the notes, not a toolkit failure.

    >>> c = Case("quadratic", "vector→scalar", lambda x: 1.5 * x[0] ** 2 + x[1] ** 2,
    ...          [1.0, 2.0], hand=lambda x: np.array([3.0 * x[0], 2.0 * x[1]]))
    >>> c.hand(c.x).tolist(), c.second_order
    ([3.0, 4.0], True)
    """

    name: str
    group: str
    f: Callable
    x: np.ndarray
    description: str = ""
    source: str = ""
    blocks: list = field(default_factory=list)
    worked: list = field(default_factory=list)
    hand: Callable | None = None
    hand_label: str = ""
    literal: bool = False
    second_order: bool | None = None
    tags: tuple = ()

    def __post_init__(self) -> None:
        self.x = np.array(self.x, dtype=np.float64).reshape(-1)
        if not self.blocks:
            self.blocks = [Block("x", 0, self.x.size, (self.x.size,))]
        if self.blocks[-1].stop != self.x.size:
            raise ValueError(
                f"case {self.name!r}: blocks cover {self.blocks[-1].stop} entries, "
                f"the point has {self.x.size}"
            )
        if self.second_order is None:
            self.second_order = self.x.size <= 12

    @property
    def n_inputs(self) -> int:
        return int(self.x.size)


def _leaves(tree, prefix: str = ""):
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _leaves(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(tree, (list, tuple)):
        for i, v in enumerate(tree):
            yield from _leaves(v, f"{prefix}[{i}]")
    else:
        yield prefix or "x", np.asarray(tree, dtype=np.float64)


def blocks_of(tree) -> list[Block]:
    """The blocks of a parameter tree, in :func:`flatten` order.

    >>> [(b.name, b.start, b.stop) for b in blocks_of({"W": np.zeros((2, 2)), "b": np.zeros(2)})]
    [('W', 0, 4), ('b', 4, 6)]
    """
    out, at = [], 0
    for name, leaf in _leaves(tree):
        out.append(Block(name, at, at + leaf.size, leaf.shape))
        at += leaf.size
    return out


def flatten(tree) -> tuple[np.ndarray, list[Block]]:
    """Concatenate a tree's leaves (dict insertion order) into one float64 vector.

    >>> v, blocks = flatten({"W": np.eye(2), "b": np.array([5.0, 6.0])})
    >>> v.tolist()
    [1.0, 0.0, 0.0, 1.0, 5.0, 6.0]
    """
    leaves = [leaf.reshape(-1) for _, leaf in _leaves(tree)]
    vec = np.concatenate(leaves) if leaves else np.zeros(0)
    return vec, blocks_of(tree)


def unflatten(x, like):
    """Rebuild a tree shaped like ``like`` from a flat vector ``x`` (any dnp-compatible value).

    Works on ndarrays, tape variables, duals and sympy object arrays alike (slicing and
    ``dnp.reshape`` only).

    >>> unflatten(np.arange(3.0), {"W": np.zeros(2), "c": 0.0})
    {'W': array([0., 1.]), 'c': np.float64(2.0)}
    """
    return _build(like, x, [0])


def _build(t, x, pos: list):
    # a module-level recursion (a nested self-referencing function would be a reference cycle
    # holding ``x`` until the cyclic collector runs)
    import dualnum.numpy as dnp

    if isinstance(t, dict):
        return {k: _build(v, x, pos) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return type(t)(_build(v, x, pos) for v in t)
    shape = np.shape(t)
    size = int(np.prod(shape, dtype=int))
    a = pos[0]
    pos[0] += size
    if shape == ():
        return x[a]
    return dnp.reshape(x[a : a + size], shape)
