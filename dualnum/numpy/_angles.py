"""Angles: the argument of a complex number (``angle``) and the unit conversions
``rad2deg``/``degrees``, ``deg2rad``/``radians``, each a composite of primitives."""
from __future__ import annotations

import math
from typing import Any

import numpy as _np

from dualnum.numpy._base import _in
from dualnum.primitive import unbox_all as _unbox_all
from dualnum.rules import arctan2, imag, real, where

_DEG_PER_RAD = 180.0 / math.pi      # numpy's constants: x * (180/pi), x * (pi/180)
_RAD_PER_DEG = math.pi / 180.0


def angle(z: Any, deg: bool = False) -> Any:
    """The argument of ``z``, ``arctan2(imag(z), real(z))`` in (-pi, pi] (degrees with
    ``deg=True``), numpy's ``angle``. For complex ``z`` it is differentiated through the real
    and imaginary parts (it is not holomorphic); for real ``x`` it is 0 or pi, a constant
    with derivative 0 (the jump at 0 ignored, as sign's).

    >>> import dualnum.numpy as dnp
    >>> float(dnp.angle(1j)), float(dnp.angle(-2.0, deg=True))
    (1.5707963267948966, 180.0)
    >>> import dualnum as dn
    >>> complex(dn.grad(dnp.angle)(1.0 + 1.0j))   # d/dx - i d/dy of atan2(y, x) at (1, 1)
    (-0.5-0.5j)
    """
    z = _in(z)
    v = _unbox_all(z)
    if _np.iscomplexobj(v):
        a = arctan2(imag(z), real(z))
    else:
        # arctan2(0, x) is 0 or pi (pi at -0.0 too), a constant: selected from numpy's value
        # by where (slope 0, where arctan2's slope in x, -0/x², would be nan at x = 0)
        const = _np.arctan2(0.0, _np.asarray(v, dtype=float))
        a = where(_np.ones(_np.shape(const), dtype=bool), const, z)
    return a * _DEG_PER_RAD if deg else a


def rad2deg(x: Any) -> Any:
    """Radians to degrees, ``x * (180/pi)``.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.rad2deg(dnp.pi))
    180.0
    """
    return _in(x) * _DEG_PER_RAD


def deg2rad(x: Any) -> Any:
    """Degrees to radians, ``x * (pi/180)``.

    >>> import dualnum.numpy as dnp
    >>> float(dnp.deg2rad(180.0))
    3.141592653589793
    """
    return _in(x) * _RAD_PER_DEG


degrees = rad2deg
radians = deg2rad
