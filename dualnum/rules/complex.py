"""The rule table, part 5: the parts of a complex number (``real``, ``imag``, ``conj``).

The convention (autograd's and JAX's): a complex number ``z = x + iy`` is the pair ``(x, y)``
of reals, and cotangents pair with tangents by ``<u, v> = Re(u·v)``. Every VJP is the
transpose of its JVP under that pairing, so for a real-valued ``f`` the gradient is
``∂f/∂x − i·∂f/∂y`` (``grad(|z|²)(3+4j) == 6-8j``) and for a holomorphic elementwise op the
adjoint contribution is ``g·f'(z)``, the same formula as for reals.

These three maps are real-linear but not holomorphic, so they cannot be written as a partial
``d`` with tangent ``t·d``; they are structural primitives (a JVP and a VJP each):

==========  ===============  ======================================================
primitive   JVP              VJP under ``Re(u·v)``
==========  ===============  ======================================================
``real``    ``t ↦ real(t)``  ``g ↦ real(g)``   (``Re(g·Re t) = Re(Re(g)·t)``)
``imag``    ``t ↦ imag(t)``  ``g ↦ −i·real(g)`` (``Re(g·Im t) = Re(−i·Re(g)·t)``)
``conj``    ``t ↦ conj(t)``  ``g ↦ conj(g)``   (``Re(g·t̄) = Re(ḡ·t)``)
==========  ===============  ======================================================

The cotangent of a real output is real (the sweep takes the real part of whatever flows into
a real entry, the transpose of the inclusion R ⊂ C), so ``real(g)`` is ``g``; writing it keeps
the rule right even for a complex seed. Non-holomorphic elementwise ops (``abs``, ``sign``)
are differentiated through composites of these (``Primitive.complex_via``).

>>> import dualnum as dn
>>> dn.jvp(imag, (1.0 + 2.0j,), (3.0 - 1.0j,))
(2.0, -1.0)
>>> dn.vjp(imag, 1.0 + 2.0j)[1](1.0)
(-1j,)
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from dualnum.primitive import Primitive
from dualnum.rules._declare import _apply_sym, numeric_or_symbolic

__all__ = ["real", "imag", "conj"]

_REAL = ((-3.0, 3.0),)


def _part(name: str, on_float: Callable[[float], float], on_complex: Callable[[Any], Any],
          on_array: Callable[[np.ndarray], Any], sym_name: str) -> Callable[[Any], Any]:
    """The implementation of one of the three maps on floats, complex numbers, numeric arrays
    and sympy values."""
    def numeric(x: Any) -> Any:
        t = type(x)
        if t is float:
            return on_float(x)
        if t is complex:
            return on_complex(x)
        if t is np.ndarray:
            return on_array(x)
        # numpy scalars, ints, lists: through an array (ints as floats, like the rest)
        a = np.asarray(x)
        if a.dtype.kind in "iub":
            a = a.astype(float)
        out = on_array(a)
        return out[()] if a.ndim == 0 else out

    def symbolic(x: Any) -> Any:
        return _apply_sym(lambda sp, v: getattr(sp, sym_name)(v), x)

    impl = numeric_or_symbolic(numeric, symbolic)
    impl.__name__ = name
    impl.__doc__ = f"numpy's {name} on floats, complex numbers, arrays; sympy.{sym_name}"
    return impl


def _real_jvp(ts, ans, args, kw, lead):
    return real(ts[0])


def _real_vjp(needs, g, ans, args, kw, lead):
    if type(g) is np.ndarray and g.dtype.char == "d":
        return (g,)             # a plain real cotangent is its own real part (what real gives)
    return (real(g),)


def _imag_jvp(ts, ans, args, kw, lead):
    return imag(ts[0])


def _imag_vjp(needs, g, ans, args, kw, lead):
    # real(g): only the real part of a cotangent of a real output pairs with anything
    if type(g) is np.ndarray and g.dtype.char == "d":
        return (-1j * g,)       # a plain real cotangent: real(g) is g, no dispatch
    return (-1j * real(g),)


def _conj_jvp(ts, ans, args, kw, lead):
    return conj(ts[0])


def _conj_vjp(needs, g, ans, args, kw, lead):
    return (conj(g),)


real = Primitive(
    "real", _part("real", lambda x: x, lambda z: z.real, np.real, "re"),
    sym=lambda sp, x: sp.re(x), jvp=_real_jvp, vjp=_real_vjp, domain=_REAL, analytic=False,
    family="complex", nargs=1, fast=lambda x: x, reads="")

imag = Primitive(
    # on a real array a fresh writable zeros array (numpy's is read-only)
    "imag", _part("imag", lambda x: 0.0, lambda z: z.imag,
                  lambda a: a.imag if a.dtype.kind == "c" else np.zeros(a.shape), "im"),
    sym=lambda sp, x: sp.im(x), jvp=_imag_jvp, vjp=_imag_vjp, domain=_REAL, analytic=False,
    family="complex", nargs=1, fast=lambda x: 0.0, reads="")

conj = Primitive(
    "conj", _part("conj", lambda x: x, lambda z: z.conjugate(), np.conjugate, "conjugate"),
    sym=lambda sp, x: sp.conjugate(x), jvp=_conj_jvp, vjp=_conj_vjp, domain=_REAL,
    analytic=False, family="complex", nargs=1, fast=lambda x: x, reads="")

COMPLEX = (real, imag, conj)
