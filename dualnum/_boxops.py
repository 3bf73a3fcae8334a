"""Operators shared by every box type (``Dual``, tape variables).

A box holds no math: ``a * b`` on a box is ``dualnum.numpy.multiply(a, b)``, ``np.exp(box)``
is routed through numpy's ``__array_ufunc__`` protocol to the same primitive, and
``np.sum(box, axis=0)`` through ``__array_function__``. Comparisons compare primal values and
return plain booleans (they are not differentiable, and that is what ``if x > 0:`` needs).
ndarray's methods (``x.reshape(2, 3)``, ``x.sum(axis=0)``, ``x.T``) are the same dnp calls
with numpy's method signatures.
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
    np.absolute: R.abs, np.sign: R.sign, np.maximum: R.maximum,
    np.minimum: R.minimum, np.matmul: R.matmul,
    np.conjugate: R.conj,   # np.conj is the same ufunc; np.real / np.imag are functions
}
_UFUNCS.update({            # issue 13: the piecewise rows (np.mod is np.remainder) and more
    np.floor: R.floor, np.ceil: R.ceil, np.trunc: R.trunc, np.rint: R.rint,
    np.floor_divide: R.floor_divide, np.remainder: R.remainder, np.fmod: R.fmod,
    np.copysign: R.copysign, np.logaddexp: R.logaddexp, np.logaddexp2: R.logaddexp2,
})
# ufuncs with boolean or piecewise-constant results: applied to the primal values, as plain
# numbers (not differentiable, and that is what `if np.isnan(x):` needs)
_ON_VALUES = frozenset({
    np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf, np.signbit,
})


def _plain_options(box: Any, method: str, dtype: Any, out: Any) -> None:
    """numpy's ``dtype=`` and ``out=`` of a method, as far as a box can honour them."""
    if out is not None:
        raise TypeError(f"{type(box).__name__}.{method}(out=...): a differentiable value is "
                        "never written in place; use the returned value")
    if dtype is not None and np.dtype(dtype) != box.dtype:
        raise TypeError(f"{type(box).__name__}.{method}(dtype={np.dtype(dtype)}): the value is "
                        f"{box.dtype}, and another dtype would drop its derivative")


def _order_c(box: Any, method: str, order: str) -> None:
    if order != "C":
        raise ValueError(f"{type(box).__name__}.{method}(order={order!r}): only row-major "
                         "order 'C' is supported (for columns first, dnp.ravel(x, 'F'))")


def _kept(i: Any, box: Any, axis: Any) -> Any:
    """An index array with the reduced axis kept as length one (``keepdims=True``)."""
    nd = len(shape_of(box))
    if axis is None:
        return np.reshape(i, (1,) * nd)
    return np.expand_dims(i, axis)


#: ufuncs whose dnp function of the same name is a composite taking numpy's arguments
#: (nan-ignoring, real-only, two results, unit conversions)
_UFUNC_COMPOSITES = frozenset({np.fmax, np.fmin, np.reciprocal, np.fabs, np.divmod, np.rad2deg,
                               np.deg2rad, np.degrees, np.radians})

#: numpy.linalg functions that are dnp's top-level function of the same name, with the same
#: semantics (np.linalg.trace and np.linalg.diagonal are not: they take the last two axes,
#: np.trace and dnp.trace the first two). Anything else under numpy.linalg goes to
#: dualnum.numpy.linalg when that namespace has it.
_LINALG_SAME = ("norm", "matmul", "tensordot")


def _numpy_name(func: Any) -> str:
    """numpy's public name of ``func`` (``numpy.linalg.inv``, ``numpy.sum``): numpy sets the
    ``__module__`` of its public functions to the namespace users call them from."""
    if isinstance(func, np.ufunc):
        return f"numpy.{func.__name__}"
    module = getattr(func, "__module__", None) or "numpy"
    return f"{module}.{getattr(func, '__qualname__', None) or func.__name__}"


def _counterpart(func: Any) -> Any:
    """dnp's function for numpy's ``func``: ``numpy.X`` -> ``dnp.X``, ``numpy.linalg.X`` ->
    ``dnp.linalg.X`` (or dnp.X for :data:`_LINALG_SAME`); None when dnp has none."""
    parts = _numpy_name(func).split(".")
    module, name = parts[:-1], parts[-1]
    if module == ["numpy", "linalg"] and name in _LINALG_SAME:
        module = ["numpy"]
    if module[0] != "numpy":
        return None
    space: Any = dnp
    for part in module[1:]:
        space = getattr(space, part, None)
        if space is None:
            return None
    public = getattr(space, "__all__", None)
    if public is not None and name not in public:
        return None
    return getattr(space, name, None)


def _no_rule(func: Any, box: Any) -> TypeError:
    """The error for a numpy function dnp has no rule for: its real name and what to do."""
    public = _numpy_name(func)
    where = "dualnum.numpy" + public[len("numpy"):public.rindex(".")]
    name = public.rsplit(".", 1)[1]
    if isinstance(func, np.ufunc) and name in dnp.__all__:    # same name, other arguments
        has = f"{where}.{name} is not numpy's (see its docstring): call it directly, or"
    else:
        has = f"{where} has no {name};"
    return TypeError(
        f"no derivative rule for {public} (called on a {type(box).__name__}): {has} write it "
        "with dualnum.numpy operations (dualnum.numpy.__all__ lists them), or take .primal "
        "for a value without derivative")


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
    def __mod__(self, o): return R.remainder.call2(self, o)
    def __rmod__(self, o): return R.remainder.call2(o, self)
    def __floordiv__(self, o): return R.floor_divide.call2(self, o)
    def __rfloordiv__(self, o): return R.floor_divide.call2(o, self)
    def __divmod__(self, o): return dnp.divmod(self, o)
    def __rdivmod__(self, o): return dnp.divmod(o, self)
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
    __hash__ = None  # type: ignore[assignment]

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
        if type(idx) is tuple:          # b[:, None]: each part tested, no generator built
            for i in idx:
                if isinstance(i, Box):
                    break
            else:
                return R.getitem(self, idx)
        if isinstance(idx, Box) or (isinstance(idx, tuple) and any(isinstance(i, Box)
                                                                    for i in idx)):
            raise TypeError("an index must be a plain integer, slice or integer array, "
                            "not a differentiable value")
        if isinstance(idx, list):
            idx = np.asarray(idx)
        return R.getitem(self, idx)

    # ---- ndarray's methods, with numpy's signatures: each is one call into dualnum.numpy.
    # out= is refused (a box is never written in place) and dtype= may only name the box's own
    # dtype (another would drop the derivative); values that are not differentiable (tolist,
    # item) are refused, as float() is: take dnp.value(x) explicitly.
    def ravel(self, order="C"): return dnp.ravel(self, order)
    def flatten(self, order="C"): return dnp.ravel(self, order)
    def squeeze(self, axis=None): return dnp.squeeze(self, axis)
    def swapaxes(self, axis1, axis2, /): return dnp.swapaxes(self, axis1, axis2)
    def repeat(self, repeats, axis=None): return dnp.repeat(self, repeats, axis)
    def diagonal(self, offset=0, axis1=0, axis2=1):
        return dnp.diagonal(self, offset, axis1, axis2)

    def reshape(self, *shape, order="C", copy=None):
        """``x.reshape(2, 3)`` or ``x.reshape((2, 3))`` (row-major order only).

        >>> import dualnum as dn, numpy as np
        >>> dn.Dual(np.arange(6.0), np.ones(6)).reshape(2, -1).shape
        (2, 3)
        """
        _order_c(self, "reshape", order)
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = shape[0]
        return dnp.reshape(self, shape)

    def transpose(self, *axes):
        """``x.transpose()``, ``x.transpose(1, 0, 2)`` or ``x.transpose((1, 0, 2))``."""
        if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], (int, np.integer))):
            axes = axes[0]
        return dnp.transpose(self, axes if axes != () else None)

    def sum(self, axis=None, dtype=None, out=None, *, keepdims=False):
        _plain_options(self, "sum", dtype, out)
        return dnp.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, dtype=None, out=None, *, keepdims=False):
        _plain_options(self, "mean", dtype, out)
        return dnp.mean(self, axis=axis, keepdims=keepdims)

    def prod(self, axis=None, dtype=None, out=None, *, keepdims=False):
        _plain_options(self, "prod", dtype, out)
        return dnp.prod(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, out=None, *, keepdims=False):
        _plain_options(self, "max", None, out)
        return dnp.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, out=None, *, keepdims=False):
        _plain_options(self, "min", None, out)
        return dnp.min(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, dtype=None, out=None, ddof=0, *, keepdims=False):
        _plain_options(self, "var", dtype, out)
        return dnp.var(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def std(self, axis=None, dtype=None, out=None, ddof=0, *, keepdims=False):
        _plain_options(self, "std", dtype, out)
        return dnp.std(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def cumsum(self, axis=None, dtype=None, out=None):
        _plain_options(self, "cumsum", dtype, out)
        return dnp.cumsum(self, axis=axis)

    def trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
        _plain_options(self, "trace", dtype, out)
        return dnp.trace(self, offset=offset, axis1=axis1, axis2=axis2)

    def dot(self, other, /, out=None):
        _plain_options(self, "dot", None, out)
        return dnp.dot(self, other)

    def clip(self, min=None, max=None, out=None):
        _plain_options(self, "clip", None, out)
        return dnp.clip(self, min, max)

    def round(self, decimals=0, out=None):
        _plain_options(self, "round", None, out)
        return dnp.round(self, decimals)

    def take(self, indices, axis=None, out=None, mode="raise"):
        return dnp.take(self, indices, axis=axis, out=out, mode=mode)

    def argmax(self, axis=None, out=None, *, keepdims=False):
        """The index of the largest element: a plain integer (array), not differentiable."""
        _plain_options(self, "argmax", None, out)
        i = dnp.argmax(self, axis=axis)
        return _kept(i, self, axis) if keepdims else i

    def argmin(self, axis=None, out=None, *, keepdims=False):
        """The index of the smallest element: a plain integer (array), not differentiable."""
        _plain_options(self, "argmin", None, out)
        i = dnp.argmin(self, axis=axis)
        return _kept(i, self, axis) if keepdims else i

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        """The same value as float64 (or complex128); other dtypes would drop the derivative.

        >>> import dualnum as dn
        >>> dn.Dual(2.0, 1.0).astype(float)
        2.0 + 1.0ε
        """
        want, have = np.dtype(dtype), self.dtype
        if want == have:
            return self         # a box is never written in place: no copy needed
        if want == np.complex128 and have == np.float64:
            return dnp.add(self, 0j)
        raise TypeError(f"{type(self).__name__}.astype({want}): a value of dtype {have} keeps "
                        f"its derivative only as {have}" + (" or complex128" if have.kind == "f"
                                                            else "") +
                        "; take dnp.value(x) for a plain array of another dtype")

    def copy(self, order="C"):
        return self             # boxes are immutable: the value itself is its copy

    def tolist(self):
        raise TypeError(f"{type(self).__name__}.tolist() would drop the derivative information "
                        "(a list holds plain numbers); use dnp.value(x).tolist() explicitly")

    def item(self, *args):
        raise TypeError(f"{type(self).__name__}.item() would drop the derivative information, "
                        "as float() would; use dnp.value(x).item() explicitly")

    def __setitem__(self, idx, value):
        raise TypeError(f"{type(self).__name__} values cannot be assigned into (x[idx] = v): "
                        "build a new array instead, e.g. dnp.index_add(x, idx, v - x[idx]) "
                        "or dnp.where(mask, v, x)")

    # ---- the numpy protocols: np.exp(box), ndarray @ box, np.sum(box, axis=0)
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__":
            return NotImplemented
        if kwargs:      # (the operators' calls, ndarray @ box, pass none)
            if kwargs.get("out") is not None:
                return NotImplemented
            extra = sorted(k for k in kwargs if k != "out")
        else:
            extra = None
        if extra:      # where=, dtype=, casting=: not applied by the rules, so refused
            raise TypeError(f"{_numpy_name(ufunc)} on a {type(self).__name__}: keyword "
                            f"argument(s) {', '.join(extra)} are not supported; call "
                            f"dualnum.numpy.{ufunc.__name__} without them")
        prim = _UFUNCS.get(ufunc)
        if prim is not None:
            if len(inputs) == 2:        # ndarray * box, ndarray @ box: one is a box
                return prim.call2(*inputs)
            return prim(*inputs)
        if ufunc in _ON_VALUES:
            return ufunc(*[unbox_all(i) for i in inputs])
        if ufunc in _UFUNC_COMPOSITES:     # composites in dnp, numpy's signature
            return getattr(dnp, ufunc.__name__)(*inputs)
        raise _no_rule(ufunc, self)

    def __array_function__(self, func, types, args, kwargs):
        f = _counterpart(func)
        if f is None:
            raise _no_rule(func, self)
        return f(*args, **kwargs)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            f"cannot convert a {type(self).__name__} to a plain numpy array: that would drop "
            "its derivative information. Use dualnum.numpy functions on it, or take "
            ".primal / .value explicitly.")
