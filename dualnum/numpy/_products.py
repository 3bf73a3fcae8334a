"""Products of arrays: einsum and the numpy products written with it or matmul."""
from __future__ import annotations

import builtins
from typing import Any

from dualnum import rules as _R
from dualnum.numpy._base import _axes, _in, _is_int
from dualnum.numpy._structural import reshape
from dualnum.primitive import shape_of as _shape_of
from dualnum.rules import matmul
from dualnum.rules.einsum import einsum_args as _einsum_args


def einsum(*operands: Any, **kwargs: Any) -> Any:
    """Einstein summation in numpy's subscripts form or its sublist form (labels 0..51,
    ``Ellipsis``); both call the ``einsum`` primitive (see ``dualnum.rules.einsum.einsum_args``).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.einsum("ii", dnp.eye(3)))                       # the dnp.trace
    3.0
    >>> dnp.einsum(dnp.ones((2, 3)), [0, 1], dnp.ones(3), [1]).tolist()
    [3.0, 3.0]
    """
    if kwargs or not operands or type(operands[0]) is not str:
        operands = _einsum_args(operands, kwargs)
        return _R.einsum(operands[0], *operands[1])
    return _R.einsum(*operands)


def outer(a: Any, b: Any) -> Any:
    """``a[i] * b[j]`` for flattened a, b (scalars count as 1-element vectors).

    >>> import dualnum.numpy as dnp
    >>> dnp.outer(dnp.asarray([1.0, 2.0]), dnp.asarray([3.0, 4.0]))
    array([[3., 4.],
           [6., 8.]])
    """
    return reshape(_in(a), (-1, 1)) * reshape(_in(b), (1, -1))


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum products over the given axes (numpy's convention), via ``einsum``: ``axes=k`` pairs
    the last k axes of ``a`` with the first k of ``b``; ``axes=(ax_a, ax_b)`` names them.

    >>> import dualnum.numpy as dnp
    >>> dnp.tensordot(dnp.ones((2, 3)), dnp.ones((3, 4)), axes=1).shape
    (2, 4)
    >>> dnp.tensordot(dnp.ones((3, 2)), dnp.ones((4, 3)), axes=(0, -1)).shape
    (2, 4)
    """
    a, b = _in(a), _in(b)
    sa_shape, sb_shape = _shape_of(a), _shape_of(b)
    na, nb = len(sa_shape), len(sb_shape)
    if _is_int(axes):
        if not 0 <= axes <= builtins.min(na, nb):
            raise ValueError(f"tensordot: axes={axes} for shapes {sa_shape} and {sb_shape}")
        ax_a, ax_b = tuple(range(na - axes, na)), tuple(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = _axes(ax_a, na, "tensordot", "axes[0]")
        ax_b = _axes(ax_b, nb, "tensordot", "axes[1]")
        if len(ax_a) != len(ax_b):
            raise ValueError(f"tensordot: shape-mismatch for sum: axes {axes!r} pair "
                             f"{len(ax_a)} axes of a with {len(ax_b)} of b")
    for i, j in zip(ax_a, ax_b):
        if sa_shape[i] != sb_shape[j]:
            raise ValueError(f"tensordot: shapes {sa_shape} and {sb_shape}: axis {i} "
                             f"({sa_shape[i]}) does not match axis {j} ({sb_shape[j]})")
    if not ax_a:    # nothing to contract: the outer product, scalars included
        return reshape(a, sa_shape + (1,) * nb) * b
    letters = iter("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for i, j in zip(ax_a, ax_b):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in ax_a] + \
        [c for k, c in enumerate(sb) if k not in ax_b]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)


def dot(a: Any, b: Any) -> Any:
    """numpy's ``dot``: products for scalars, ``matmul`` up to 2-D, else the last axis of ``a``
    with the second-to-last of ``b``.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.dot(dnp.asarray([1.0, 2.0]), dnp.asarray([3.0, 4.0])))
    11.0
    """
    a, b = _in(a), _in(b)
    na, nb = len(_shape_of(a)), len(_shape_of(b))
    if na == 0 or nb == 0:
        return a * b
    if na <= 2 and nb <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([-1], [builtins.max(nb - 2, 0)]))


def inner(a: Any, b: Any) -> Any:
    """Sum of products over the last axes; a scalar simply multiplies (numpy's ``inner``).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.inner(dnp.asarray([1.0, 2.0]), dnp.asarray([3.0, 4.0])))
    11.0
    >>> dnp.inner(1.5, dnp.asarray([1.0, 2.0]))
    array([1.5, 3. ])
    """
    a, b = _in(a), _in(b)
    if not _shape_of(a) or not _shape_of(b):
        return a * b
    return tensordot(a, b, axes=([-1], [-1]))
