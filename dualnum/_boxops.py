"""Operators shared by every box type (``Dual``, tape variables).

A box holds no math: ``a * b`` on a box is ``dualnum.numpy.multiply(a, b)``, ``np.exp(box)``
is routed through numpy's ``__array_ufunc__`` protocol to the same primitive, and
``np.sum(box, axis=0)`` through ``__array_function__``. Comparisons compare primal values and
return plain booleans (they are not differentiable, and that is what ``if x > 0:`` needs).
"""
from __future__ import annotations

from typing import Any

import numpy as np

# the namespace too: np.mean(box) and every __array_function__ call land on dnp's function of
# the same name (dnp sits beside this module above the rules: no cycle)
from dualnum import numpy as dnp
from dualnum import rules as R
from dualnum.primitive import Box, shape_of, unbox_all

_UFUNCS = {
    np.add: R.add, np.subtract: R.subtract, np.multiply: R.multiply, np.divide: R.divide,
    np.true_divide: R.divide, np.negative: R.negative, np.positive: R.positive,
    np.power: R.power, np.float_power: R.power, np.square: R.square, np.sqrt: R.sqrt,
    np.cbrt: R.cbrt, np.exp: R.exp, np.expm1: R.expm1, np.exp2: R.exp2, np.log: R.log,
    np.log1p: R.log1p, np.log2: R.log2, np.log10: R.log10, np.sin: R.sin, np.cos: R.cos,
    np.tan: R.tan, np.arcsin: R.arcsin, np.arccos: R.arccos, np.arctan: R.arctan,
    np.arctan2: R.arctan2, np.hypot: R.hypot, np.sinh: R.sinh, np.cosh: R.cosh,
    np.tanh: R.tanh, np.arcsinh: R.arcsinh, np.arccosh: R.arccosh, np.arctanh: R.arctanh,
    np.absolute: R.abs, np.fabs: R.abs, np.sign: R.sign, np.maximum: R.maximum,
    np.minimum: R.minimum, np.matmul: R.matmul,
    np.conjugate: R.conj,   # np.conj is the same ufunc; np.real / np.imag are functions
}
# ufuncs with boolean or piecewise-constant results: applied to the primal values, as plain
# numbers (not differentiable, and that is what `if np.isnan(x):` needs)
_ON_VALUES = frozenset({
    np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf, np.signbit, np.floor, np.ceil, np.rint,
})


class BoxOps:
    """Operator overloading for boxes: every operator is one call into the rule table."""

    __slots__ = ()

    # ---- arithmetic (reflected forms let floats and ndarrays sit on either side); one side
    # is this box, so the primitive's two-argument entry skips the generic argument scan
    def __add__(self, o): return R.add.call2(self, o)
    def __radd__(self, o): return R.add.call2(o, self)
    def __sub__(self, o): return R.subtract.call2(self, o)
    def __rsub__(self, o): return R.subtract.call2(o, self)
    def __mul__(self, o): return R.multiply.call2(self, o)
    def __rmul__(self, o): return R.multiply.call2(o, self)
    def __truediv__(self, o): return R.divide.call2(self, o)
    def __rtruediv__(self, o): return R.divide.call2(o, self)
    def __pow__(self, o): return R.power.call2(self, o)
    def __rpow__(self, o): return R.power.call2(o, self)
    def __matmul__(self, o): return R.matmul.call2(self, o)
    def __rmatmul__(self, o): return R.matmul.call2(o, self)
    def __neg__(self): return R.negative(self)
    def __pos__(self): return R.positive(self)
    def __abs__(self): return R.abs(self)

    # ---- comparisons: on the primal values, not differentiable
    def __lt__(self, o): return unbox_all(self) < unbox_all(o)
    def __le__(self, o): return unbox_all(self) <= unbox_all(o)
    def __gt__(self, o): return unbox_all(self) > unbox_all(o)
    def __ge__(self, o): return unbox_all(self) >= unbox_all(o)
    def __eq__(self, o): return unbox_all(self) == unbox_all(o)
    def __ne__(self, o): return unbox_all(self) != unbox_all(o)
    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        return bool(unbox_all(self))

    # ---- array-like access
    @property
    def shape(self) -> tuple:
        return shape_of(self)

    @property
    def ndim(self) -> int:
        return len(shape_of(self))

    @property
    def size(self) -> int:
        return int(np.prod(shape_of(self)))

    @property
    def dtype(self):
        return np.asarray(unbox_all(self)).dtype

    @property
    def T(self):
        return R.transpose(self)

    @property
    def real(self) -> Any:
        """The real part (the ``real`` primitive), as ``ndarray.real``.

        >>> import dualnum as dn
        >>> dn.Dual(1 + 2j, 3 - 4j).real
        1.0 + 3.0ε
        """
        return R.real(self)

    @property
    def imag(self) -> Any:
        """The imaginary part (the ``imag`` primitive), as ``ndarray.imag``.

        >>> import dualnum as dn
        >>> dn.Dual(1 + 2j, 3 - 4j).imag
        2.0 - 4.0ε
        """
        return R.imag(self)

    def conj(self) -> Any:
        """The complex conjugate (the ``conj`` primitive), as ``ndarray.conj()``.

        >>> import dualnum as dn
        >>> dn.Dual(1 + 2j, 1.0).conj().primal
        (1-2j)
        """
        return R.conj(self)

    conjugate = conj

    def __len__(self) -> int:
        s = shape_of(self)
        if not s:
            raise TypeError(f"len() of a 0-d {type(self).__name__}")
        return s[0]

    def __iter__(self):
        for i in range(len(self)):
            yield R.getitem(self, i)

    def __getitem__(self, idx):
        if isinstance(idx, Box) or (isinstance(idx, tuple) and any(isinstance(i, Box)
                                                                    for i in idx)):
            raise TypeError("an index must be a plain integer, slice or integer array, "
                            "not a differentiable value")
        if isinstance(idx, list):
            idx = np.asarray(idx)
        return R.getitem(self, idx)

    def sum(self, axis=None, keepdims=False):
        return R.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        return dnp.mean(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return R.reshape(self, shape)

    def transpose(self, *axes):
        return R.transpose(self, axes=tuple(axes) if axes else None)

    # ---- the numpy protocols: np.exp(box), ndarray @ box, np.sum(box, axis=0)
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__" or kwargs.get("out") is not None:
            return NotImplemented
        prim = _UFUNCS.get(ufunc)
        if prim is not None:
            if len(inputs) == 2:        # ndarray * box, ndarray @ box: one is a box
                return prim.call2(*inputs)
            return prim(*inputs)
        if ufunc is np.fmax or ufunc is np.fmin:     # nan-ignoring: composites in dnp
            return getattr(dnp, ufunc.__name__)(*inputs)
        if ufunc in _ON_VALUES:
            return ufunc(*[unbox_all(i) for i in inputs])
        raise TypeError(f"numpy's {ufunc.__name__} has no derivative rule in dualnum "
                        f"(no derivative rule for {ufunc.__name__})")

    def __array_function__(self, func, types, args, kwargs):
        # np.linalg.X lands on dnp.linalg.X (np.linalg.trace is not np.trace), the rest on dnp
        ns = dnp.linalg if func.__module__ == "numpy.linalg" else dnp
        f = getattr(ns, func.__name__, None)
        if f is None or func.__name__ not in ns.__all__:
            raise TypeError(f"numpy.{func.__name__} is not supported on "
                            f"{type(self).__name__} values (no derivative rule for "
                            f"{func.__name__}); see dualnum.numpy.__all__")
        return f(*args, **kwargs)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            f"cannot convert a {type(self).__name__} to a plain numpy array: that would drop "
            "its derivative information. Use dualnum.numpy functions on it, or take "
            ".primal / .value explicitly.")
