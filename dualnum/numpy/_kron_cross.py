"""Two products numpy builds from elementwise ones: the Kronecker product and the cross
product (multiply, subtract, reshape, slicing and stacking)."""
from __future__ import annotations

import warnings
from typing import Any

from dualnum.numpy._base import _axes, asarray
from dualnum.numpy._shapes import moveaxis, stack
from dualnum.numpy._structural import reshape
from dualnum.primitive import shape_of as _shape_of


def kron(a: Any, b: Any) -> Any:
    """The Kronecker product: the blocks ``a[i, j] * b`` laid out as ``a`` is (numpy's
    ``kron``; the shorter shape is padded with leading ones).

    >>> import dualnum.numpy as dnp
    >>> dnp.kron([1.0, 10.0], [1.0, 2.0, 3.0])
    array([ 1.,  2.,  3., 10., 20., 30.])
    >>> dnp.kron(dnp.eye(2), [[1.0, 2.0]])
    array([[1., 2., 0., 0.],
           [0., 0., 1., 2.]])
    """
    a, b = asarray(a), asarray(b)
    sb = _shape_of(b)
    sa = _shape_of(a)
    if len(sa) < len(sb):       # numpy first gives a at least b's number of axes
        a = reshape(a, (1,) * (len(sb) - len(sa)) + sa)
        sa = _shape_of(a)
    if not sa or not sb:
        return a * b
    nd = max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + sa
    sb = (1,) * (nd - len(sb)) + sb
    # a[i0, i1, ...] * b[j0, j1, ...] at (i0, j0, i1, j1, ...), then each pair merged
    wide_a = reshape(a, tuple(v for n in sa for v in (n, 1)))
    wide_b = reshape(b, tuple(v for n in sb for v in (1, n)))
    return reshape(wide_a * wide_b, tuple(m * n for m, n in zip(sa, sb)))


_TWO_D = ("Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional "
          "vectors instead. (deprecated in NumPy 2.0)")


def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Any:
    """The cross product of 3-vectors (or 2-vectors, numpy's deprecated form: a 2-vector has
    z = 0, and two 2-vectors give the z component alone) along ``axisa`` of ``a`` and ``axisb``
    of ``b``, the other axes broadcast; the vectors of the result lie along ``axisc``
    (``axis`` sets all three).

    >>> import dualnum.numpy as dnp
    >>> dnp.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    array([0., 0., 1.])
    >>> dnp.cross([[1.0, 2.0, 3.0]], [[4.0], [5.0], [6.0]], axisb=0, axisc=0)
    array([[-3.],
           [ 6.],
           [-3.]])
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = asarray(a), asarray(b)
    if not _shape_of(a) or not _shape_of(b):
        raise ValueError(f"cross: At least one array has zero dimension (shapes "
                         f"{_shape_of(a)} and {_shape_of(b)})")
    (axa,) = _axes(axisa, len(_shape_of(a)), "cross", "axisa")
    (axb,) = _axes(axisb, len(_shape_of(b)), "cross", "axisb")
    a, b = moveaxis(a, axa, -1), moveaxis(b, axb, -1)
    na, nb = _shape_of(a)[-1], _shape_of(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(f"cross: incompatible dimensions for cross product (dimension must "
                         f"be 2 or 3), got vectors of length {na} and {nb}")
    if na == 2 or nb == 2:
        warnings.warn(_TWO_D, DeprecationWarning, stacklevel=2)
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    z = a0 * b1 - a1 * b0
    if na == 2 and nb == 2:
        return z
    if na == 2:             # a2 = 0
        b2 = b[..., 2]
        x, y = a1 * b2, -(a0 * b2)
    elif nb == 2:           # b2 = 0
        a2 = a[..., 2]
        x, y = -(a2 * b1), a2 * b0
    else:
        a2, b2 = a[..., 2], b[..., 2]
        x, y = a1 * b2 - a2 * b1, a2 * b0 - a0 * b2
    out = stack([x, y, z], axis=-1)
    (axc,) = _axes(axisc, len(_shape_of(out)), "cross", "axisc")
    return moveaxis(out, -1, axc)
