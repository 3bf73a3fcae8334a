"""Choosing values elementwise by constant conditions: ``select`` and ``nan_to_num``, chains of
the ``where`` primitive (the derivative follows the value chosen; the conditions are never
differentiated)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as _np

from dualnum.numpy._base import _in
from dualnum.numpy._creation import value as _value
from dualnum.primitive import shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules import broadcast_to, imag, real, where


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Any:
    """From ``choicelist``, elementwise, the entry of the first condition of ``condlist`` that
    holds; ``default`` where none does (numpy's ``select``; everything broadcasts).

    >>> import dualnum.numpy as dnp
    >>> x = dnp.asarray([-2.0, 0.5, 3.0])
    >>> dnp.select([x < 0, x < 1], [-x, x * x], default=10.0)
    array([ 2.  ,  0.25, 10.  ])
    """
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: list of cases must be same length as list of conditions "
                         f"({len(choicelist)} choices for {len(condlist)} conditions)")
    if not condlist:
        raise ValueError("select: select with an empty condition list is not possible")
    conds = []
    for i, c in enumerate(condlist):
        c = _np.asarray(_value(c))      # a boxed condition counts by its value
        if c.dtype != bool:
            raise TypeError(f"select: invalid entry {i} in condlist: should be boolean "
                            f"ndarray, not {c.dtype}")
        conds.append(c)
    choices = [_in(c) for c in choicelist]
    shapes = [c.shape for c in conds] + [_shape_of(c) for c in choices] + [_np.shape(default)]
    try:
        full = _np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"select: the conditions, choices and default (shapes "
                         f"{', '.join(map(str, shapes))}) cannot be broadcast together") from None
    out = _in(default)
    for c, choice in zip(reversed(conds), reversed(choices)):
        out = where(c, choice, out)
    if _shape_of(out) != full:     # scalar conditions: numpy's result has the full shape
        out = broadcast_to(out, full)
    return out


def nan_to_num(x: Any, copy: bool = True, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Any:
    """``x`` with nan replaced by ``nan`` (0.0), +inf by ``posinf`` and -inf by ``neginf``
    (the largest finite floats by default), as numpy's ``nan_to_num``; complex ``x`` has its
    real and imaginary parts treated apart. The derivative is 1 where ``x`` was finite, 0
    where a constant was put in; nan there in both modes if the derivative of ``x`` itself is
    inf or nan at that entry (``nan_to_num(log(x))`` at ``x = 0``: ``where`` multiplies it by
    0, as JAX's does; guard the argument of ``log`` instead).

    >>> import dualnum.numpy as dnp
    >>> dnp.nan_to_num([dnp.nan, dnp.inf, -1.5], posinf=9.0)
    array([ 0. ,  9. , -1.5])
    """
    x = _in(x)
    v = _unbox_all(x)
    if _np.iscomplexobj(v):
        return (nan_to_num(real(x), copy, nan, posinf, neginf)
                + 1j * nan_to_num(imag(x), copy, nan, posinf, neginf))
    big = _np.finfo(float).max
    v = _np.asarray(v, dtype=float)
    fill = _np.where(_np.isnan(v), nan, _np.where(v > 0, big if posinf is None else posinf,
                                                  -big if neginf is None else neginf))
    replaced = ~_np.isfinite(v)
    return where(replaced, fill, x) if replaced.any() else x
