"""Rounding and real-only arithmetic written with the piecewise rows of the table:
``round``/``around`` (with ``decimals``), ``fabs`` and ``divmod``.

Their derivatives come from the rows: 0 for the rounded values (the jumps are the rows'
kinks), 1 and ``-floor(x/y)`` for a remainder.
"""
from __future__ import annotations

import operator
from typing import Any

import numpy as _np

from dualnum.numpy._base import _in
from dualnum.primitive import unbox_all as _unbox_all
from dualnum.rules import abs as _abs, floor_divide, imag, real, remainder, rint


def round(a: Any, decimals: int = 0, out: Any = None) -> Any:
    """Round to ``decimals`` decimal places, halves to even (numpy's ``round``/``around``):
    ``rint(a * 10**decimals) / 10**decimals`` (``decimals < 0``: to tens, hundreds ...), the
    real and imaginary parts of a complex number separately. The derivative is 0 (the jumps
    between the rounded values are ``rint``'s kinks).

    >>> import dualnum.numpy as dnp
    >>> dnp.round([0.5, 1.5, 2.5, 0.125], 2)
    array([0.5 , 1.5 , 2.5 , 0.12])
    >>> dnp.round([0.5, 1.5, 2.5]), dnp.round(1250.0, -2)
    (array([0., 2., 2.]), 1200.0)
    >>> import dualnum as dn
    >>> dn.derivative(lambda x: dnp.round(x, 1), 0.33)
    0.0
    """
    if out is not None:
        raise TypeError("round: out= is not supported (dualnum values are not written in "
                        "place)")
    a = _in(a)
    decimals = operator.index(decimals)
    if _np.iscomplexobj(_unbox_all(a)):
        return round(real(a), decimals) + 1j * round(imag(a), decimals)
    if decimals == 0:
        return rint(a)
    if decimals > 0:            # numpy's order of operations, so the values are its own
        f = 10.0 ** decimals
        return rint(a * f) / f
    f = 10.0 ** -decimals
    return rint(a / f) * f


around = round


def fabs(x: Any) -> Any:
    """``|x|`` for real ``x`` (numpy's ``fabs``, which has no complex version: use ``abs``).

    >>> import dualnum.numpy as dnp
    >>> dnp.fabs([-1.5, 2.0])
    array([1.5, 2. ])
    """
    x = _in(x)
    if _np.iscomplexobj(_unbox_all(x)):
        raise TypeError("fabs: complex input is not supported (numpy's fabs has no complex "
                        "loop); use abs for |z|")
    return _abs(x)


def divmod(x: Any, y: Any) -> tuple[Any, Any]:
    """``(floor_divide(x, y), remainder(x, y))``, as numpy's ``divmod`` and Python's on boxes:
    ``x == q * y + r`` with ``r`` of ``y``'s sign.

    >>> import dualnum.numpy as dnp
    >>> dnp.divmod([7.0, -7.0], 2.0)
    (array([ 3., -4.]), array([1., 1.]))
    """
    x, y = _in(x), _in(y)
    return floor_divide(x, y), remainder(x, y)
