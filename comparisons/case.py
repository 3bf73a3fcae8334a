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

from dualnum import tree as tree_

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


def _block_name(path: tuple) -> str:
    """``W1``, ``heads[0].A``: dict keys joined by dots, list / tuple indices in brackets."""
    name = ""
    for entry in path:
        if isinstance(entry, tree_.DictKey):
            name = f"{name}.{entry.key}" if name else str(entry.key)
        else:
            name = f"{name}[{entry.index}]"
    return name or "x"


def blocks_of(tree) -> list[Block]:
    """The blocks of a parameter tree, in :func:`flatten` order (every list is a node, so a
    list of numbers gives one block per number).

    >>> [(b.name, b.start, b.stop) for b in blocks_of({"W": np.zeros((2, 2)), "b": np.zeros(2)})]
    [('W', 0, 4), ('b', 4, 6)]
    """
    out, at = [], 0
    for path, leaf in tree_.flatten_with_path(tree, leaf_lists=False)[0]:
        shape = np.shape(leaf)
        size = int(np.prod(shape, dtype=int))
        out.append(Block(_block_name(path), at, at + size, shape))
        at += size
    return out


def flatten(tree) -> tuple[np.ndarray, list[Block]]:
    """Concatenate a tree's leaves (dict insertion order) into one float64 vector
    (``dualnum.tree.ravel``), with its named blocks.

    >>> v, blocks = flatten({"W": np.eye(2), "b": np.array([5.0, 6.0])})
    >>> v.tolist()
    [1.0, 0.0, 0.0, 1.0, 5.0, 6.0]
    """
    return tree_.ravel(tree, leaf_lists=False)[0], blocks_of(tree)


def unflatten(x, like):
    """Rebuild a tree shaped like ``like`` from a flat vector ``x`` (any dnp-compatible value).

    Works on ndarrays, tape variables, duals and sympy object arrays alike (slicing and
    ``dnp.reshape`` only). To rebuild many times, keep ``dualnum.tree.ravel(like,
    leaf_lists=False)[1]`` instead.

    >>> unflatten(np.arange(3.0), {"W": np.zeros(2), "c": 0.0})
    {'W': array([0., 1.]), 'c': np.float64(2.0)}
    """
    return tree_.ravel(like, leaf_lists=False)[1](x)
