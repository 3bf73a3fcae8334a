"""Elementwise composites: numpy names written with the elementwise primitives."""
from __future__ import annotations

from typing import Any

import numpy as _np

from dualnum.numpy._base import _in
from dualnum.numpy._structural import where
from dualnum.primitive import unbox_all as _unbox_all
from dualnum.rules import abs, divide, maximum, minimum


def fmax(x: Any, y: Any) -> Any:
    """numpy's ``fmax``: the larger of ``x`` and ``y``, ignoring nan (nan only where both are);
    the derivative follows the side chosen (``maximum``'s tie rule between equal values).

    >>> import dualnum.numpy as dnp
    >>> dnp.fmax(dnp.asarray([1.0, dnp.nan, 3.0]), dnp.asarray([2.0, 5.0, dnp.nan]))
    array([2., 5., 3.])
    """
    x, y = _in(x), _in(y)
    return where(_nan_at(y), x, where(_nan_at(x), y, maximum(x, y)))


def fmin(x: Any, y: Any) -> Any:
    """numpy's ``fmin``: the smaller of ``x`` and ``y``, ignoring nan (nan only where both are).

    >>> import dualnum.numpy as dnp
    >>> dnp.fmin(dnp.asarray([1.0, dnp.nan, 3.0]), dnp.asarray([2.0, 5.0, dnp.nan]))
    array([1., 5., 3.])
    """
    x, y = _in(x), _in(y)
    return where(_nan_at(y), x, where(_nan_at(x), y, minimum(x, y)))


def _nan_at(x: Any) -> Any:
    """Where the (primal) value is nan: a constant mask, for fmax/fmin's choice of side."""
    return _np.isnan(_unbox_all(x))


def reciprocal(x: Any) -> Any:
    """``1 / x``, in floating point also for integer input (numpy's integer ``reciprocal``
    truncates, 1/2 -> 0, which has no derivative).

    >>> import dualnum.numpy as dnp
    >>> dnp.reciprocal(4.0)
    0.25
    >>> dnp.reciprocal([2, 4])
    array([0.5 , 0.25])
    """
    return divide(1.0, _in(x))


def softsign(x: Any) -> Any:
    """``x / (1 + |x|)``.

    >>> import dualnum.numpy as dnp
    >>> dnp.softsign(1.0)
    0.5
    >>> dnp.softsign([-3.0, 0.0])
    array([-0.75,  0.  ])
    """
    x = _in(x)
    return x / (1.0 + abs(x))
