"""Fitting an adjoint contribution to the entry it flows into: the reverse sweep's one piece
of bookkeeping that every path shares (the generic loop, the unrolled hot path, the diagonal
``jacrev`` sweep of :mod:`dualnum.tape_diag`).

A contribution ``g · ∂`` may carry axes its input never had (numpy broadcast the input on the
way forward): :func:`unbroadcast` sums them back. It may be complex where the input is real
(complex constants took part): :func:`into` projects it to its real part.

>>> to_input(np.ones((3, 2)), np.zeros(2))          # broadcast over 3 rows on the way forward
array([3., 3.])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from dualnum.primitive import Box, is_complex, shape_of
from dualnum.rules import broadcast_to, reshape, sum as rsum
from dualnum.rules.complex import real as _real
from dualnum.saves import Unkept

__all__ = ["unbroadcast", "to_input", "into", "input_adjoint"]

SHAPED = (np.ndarray, Unkept)      # values whose .shape is the shape an adjoint must have
F64 = np.dtype(np.float64)         # an adjoint of this dtype is real: nothing to project


def unbroadcast(g: Any, shape: tuple, lead: int = 0) -> Any:
    """Sum an adjoint back to an input's ``shape`` (undoing numpy broadcasting)."""
    gs = shape_of(g)
    target = gs[:lead] + tuple(shape)
    if gs == target:
        return g
    extra = len(gs) - len(target)
    if extra < 0:   # a partial that is constant along broadcast axes (e.g. ONE on a scalar)
        return broadcast_to(g, target)
    axes = tuple(range(lead, lead + extra)) + tuple(
        lead + extra + i for i, n in enumerate(shape) if n == 1 and gs[lead + extra + i] != 1)
    if type(g) is np.ndarray:                       # a plain adjoint: numpy directly
        return (np.add.reduce(g, axis=axes) if axes else g).reshape(target)
    if axes:
        g = rsum(g, axis=axes)
    return reshape(g, target) if shape_of(g) != target else g


def to_input(c: Any, x: Any, lead: int = 0) -> Any:
    """A contribution ``c`` made fit for the input whose value is ``x``: summed back to its
    shape (undoing broadcasting, ``lead`` leading batch axes kept) and, when ``x`` is real and
    ``c`` complex, projected to its real part (:func:`_into`).

    >>> to_input(np.array([[1 + 1j, 2.0]]), np.zeros(2))
    array([1., 2.])
    """
    if type(c) is np.ndarray and c.dtype is F64 and lead == 0 and type(x) in SHAPED:
        # the sweeps' common case (a real array summed back over broadcast axes): the axes
        # found without building shapes, and kept as length one where that is the target
        xs, cs = x.shape, c.shape
        extra = len(cs) - len(xs)
        if extra >= 0:
            axes = tuple(range(extra))
            for i, n in enumerate(xs):
                if n == 1 and cs[extra + i] != 1:
                    axes += (extra + i,)
            if not extra:
                if axes:
                    r = np.add.reduce(c, axis=axes, keepdims=True)
                    if r.shape == xs:
                        return r
            else:
                r = np.add.reduce(c, axis=axes)
                return r if r.shape == xs else r.reshape(xs)
    c = unbroadcast(c, shape_of(x), lead)
    if type(c) is np.ndarray and c.dtype is F64:
        return c
    return into(c, x)


def into(c: Any, v: Any) -> Any:
    """The adjoint contribution ``c`` flowing into an entry whose value is ``v``: its real part
    when ``v`` is real and ``c`` complex. Cotangents pair with tangents by ``Re(u·v)``, and the
    transpose of the inclusion R ⊂ C under that pairing is ``Re``: a real input gets a real
    gradient even when complex constants took part (autograd's and JAX's convention; see
    :mod:`dualnum.rules.complex`). A boxed contribution (the sweep differentiated by an outer
    level) goes through the ``real`` primitive, so that level sees the projection too.

    >>> into(1 + 2j, 1.5), into(1 + 2j, 1j), into(np.array([1 + 2j]), np.ones(1))
    (1.0, (1+2j), array([1.]))
    """
    if is_complex(c) and not is_complex(v):
        return _real(c) if isinstance(c, Box) else c.real
    return c


def input_adjoint(a: Any, value: Any) -> Any:
    """The gradient of an input whose value is ``value``, from its adjoint ``a``: zeros where
    none flowed (None); complex for a complex input even where only real parts reached it
    (``grad(lambda z: real(z) ** 2)(1 + 2j)`` is ``(2+0j)``, as in JAX and PyTorch).

    >>> input_adjoint(None, np.ones(2)), input_adjoint(2.0, 1 + 2j)
    (array([0., 0.]), (2+0j))
    """
    complex_input = not (type(value) is float or type(value) is np.ndarray
                         and value.dtype.char == "d") and is_complex(value)
    if a is None:
        shape = shape_of(value)
        if complex_input:
            return np.zeros(shape, dtype=complex) if shape else 0j
        return np.zeros(shape) if shape else 0.0
    if not complex_input or is_complex(a):
        return a
    return complex(a) if type(a) is float else a + 0j
