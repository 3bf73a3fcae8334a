"""Arrays built from index expressions: ``r_`` and ``c_`` (numpy's concatenation by
indexing) and ``meshgrid``, written with concatenate, reshape, transpose, linspace and
broadcast_to."""
from __future__ import annotations

from typing import Any

import numpy as _np

from dualnum.numpy._base import asarray
from dualnum.numpy._creation import arange, linspace
from dualnum.numpy._structural import broadcast_to, concatenate, reshape, transpose
from dualnum.primitive import Box as _Box, shape_of as _shape_of


class AxisConcatenator:
    """numpy's ``r_``/``c_`` machine: ``obj[a, b, 1:4, ...]`` concatenates the items along
    ``axis`` after giving each at least ``ndmin`` axes (a short item's own axes go to
    position ``trans1d``, as numpy). A slice ``start:stop:step`` is numpy's ``arange``; with an
    imaginary step ``n*1j`` it is ``linspace(start, stop, n)``, differentiable in its ends. A
    leading string ``"axis"``, ``"axis,ndmin"`` or ``"axis,ndmin,trans1d"`` overrides those
    three; numpy's matrix directives ``"r"``/``"c"`` are refused (no ``np.matrix`` here).
    """

    __slots__ = ("axis", "ndmin", "trans1d", "_name")

    def __init__(self, name: str, axis: int = 0, ndmin: int = 1, trans1d: int = -1) -> None:
        self._name = name
        self.axis = axis
        self.ndmin = ndmin
        self.trans1d = trans1d

    def __repr__(self) -> str:
        return f"dualnum.numpy.{self._name}"

    def __len__(self) -> int:       # numpy's objects report 0 too
        return 0

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            raise ValueError(f"{self._name}: matrix strings ({key!r}) build np.matrix, which "
                             "dualnum does not support")
        if not isinstance(key, tuple):
            key = (key,)
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        objs = []
        for k, item in enumerate(key):
            if isinstance(item, str):
                if k != 0:
                    raise ValueError(f"{self._name}: special directives must be the first "
                                     f"entry, got {item!r} at position {k}")
                axis, ndmin, trans1d = self._directive(item, ndmin, trans1d)
                continue
            if isinstance(item, slice):
                objs.append(self._from_slice(item, ndmin, trans1d))
            else:
                objs.append(self._promote(item, ndmin, trans1d))
        return concatenate(objs, axis=axis)

    def _directive(self, item: str, ndmin: int, trans1d: int) -> tuple[int, int, int]:
        if item in ("r", "c"):
            raise ValueError(f"{self._name}: the matrix directive {item!r} builds np.matrix, "
                             "which dualnum does not support")
        try:
            parts = [int(v) for v in item.split(",")]
        except ValueError:
            raise ValueError(f"{self._name}: unknown special directive {item!r}") from None
        if len(parts) > 3:
            raise ValueError(f"{self._name}: unknown special directive {item!r}")
        if len(parts) == 1:
            return parts[0], ndmin, trans1d
        return parts[0], parts[1], parts[2] if len(parts) == 3 else trans1d

    def _from_slice(self, item: slice, ndmin: int, trans1d: int) -> Any:
        start = 0 if item.start is None else item.start
        step = 1 if item.step is None else item.step
        if isinstance(step, (complex, _np.complexfloating)):
            out = linspace(start, item.stop, int(abs(step)))
        elif isinstance(start, _Box) or isinstance(item.stop, _Box) or \
                isinstance(step, _Box):
            raise TypeError(f"{self._name}: start:stop:step with a real step is numpy's "
                            "arange, a constant; for differentiable ends use an imaginary "
                            "step (start:stop:n*1j, linspace)")
        else:
            out = arange(start, item.stop, step)
        if ndmin > 1:
            out = reshape(out, (1,) * (ndmin - 1) + _shape_of(out))
            if trans1d != -1:
                order = list(range(ndmin))
                order[-1], order[trans1d] = order[trans1d], order[-1]
                out = transpose(out, order)
        return out

    @staticmethod
    def _promote(item: Any, ndmin: int, trans1d: int) -> Any:
        x = asarray(item)
        s = _shape_of(x)
        if len(s) >= ndmin:
            return x
        x = reshape(x, (1,) * (ndmin - len(s)) + s)
        if trans1d != -1 and s:     # numpy moves the item's own axes to trans1d
            k2 = ndmin - len(s)
            k1 = trans1d + k2 + 1 if trans1d < 0 else trans1d
            order = list(range(ndmin))
            x = transpose(x, order[:k1] + order[k2:] + order[k1:k2])
        return x


class RClass(AxisConcatenator):
    """Concatenate along the first axis by indexing (numpy's ``r_``).

    >>> import dualnum.numpy as dnp
    >>> dnp.r_[[1.0, 2.0], 0.0, 5:7]
    array([1., 2., 0., 5., 6.])
    >>> dnp.r_[0.0:1.0:3j]
    array([0. , 0.5, 1. ])
    >>> dnp.r_["0,2", [1.0, 2.0], [3.0, 4.0]]
    array([[1., 2.],
           [3., 4.]])
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("r_")


class CClass(AxisConcatenator):
    """Concatenate along the last axis, vectors as columns (numpy's ``c_``).

    >>> import dualnum.numpy as dnp
    >>> dnp.c_[[1.0, 2.0], [3.0, 4.0]]
    array([[1., 3.],
           [2., 4.]])
    >>> import dualnum as dn
    >>> dn.jacfwd(lambda x: dnp.c_[x, 2.0 * x])(dnp.ones(2)).shape
    (2, 2, 2)
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("c_", axis=-1, ndmin=2, trans1d=0)


r_ = RClass()
c_ = CClass()


def meshgrid(*xi: Any, copy: bool = True, sparse: bool = False, indexing: str = "xy"
             ) -> tuple:
    """Coordinate arrays from coordinate vectors (numpy's ``meshgrid``): with
    ``indexing="xy"`` (the default) the first two axes are swapped, so for vectors of
    lengths m and n the grids have shape ``(n, m)``; ``"ij"`` gives ``(m, n)``.
    ``sparse=True`` returns the broadcastable vectors instead of full grids. ``copy`` is
    accepted for numpy's signature (values here are never shared for writing).

    >>> import dualnum.numpy as dnp
    >>> X, Y = dnp.meshgrid([1.0, 2.0, 3.0], [10.0, 20.0])
    >>> X
    array([[1., 2., 3.],
           [1., 2., 3.]])
    >>> [g.shape for g in dnp.meshgrid([1.0, 2.0, 3.0], [10.0, 20.0], indexing="ij")]
    [(3, 2), (3, 2)]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: Valid values for `indexing` are 'xy' and 'ij', got "
                         f"{indexing!r}")
    n = len(xi)
    ones = (1,) * n
    out = [reshape(asarray(x), ones[:i] + (-1,) + ones[i + 1:]) for i, x in enumerate(xi)]
    if indexing == "xy" and n > 1:
        out[0] = reshape(out[0], (1, -1) + ones[2:])
        out[1] = reshape(out[1], (-1, 1) + ones[2:])
    if not sparse:
        full = _np.broadcast_shapes(*[_shape_of(g) for g in out])
        out = [broadcast_to(g, full) for g in out]
    return tuple(out)
