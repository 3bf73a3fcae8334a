"""The declarers of the rule table: the columns every row shares, written once.

A family file (:mod:`dualnum.rules.elementwise`, ``shape``, ``reduce``, ``linalg``,
``complex``) is rows only; the cross-cutting parts live here: how an elementwise row runs on
numeric arrays, Python floats (the ``math``/``operator`` fast function), sympy values (its
symbolic counterpart, elementwise over object arrays) and lists; how a broadcasting failure is
named; and the sample domains the table's tests draw from.

>>> sq = unary("sq", np.square, lambda x: x * x, lambda sp, x: x ** 2,
...            lambda x, ans: 2.0 * x, REAL, reads="x")
>>> sq(3.0), sq.partials[0](3.0, 9.0)
(9.0, 6.0)
"""
from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from dualnum.primitive import Kink, Primitive

__all__ = ["REAL", "POSITIVE", "UNIT", "is_symbolic", "unary", "binary", "numeric_or_symbolic"]

_NUMERIC = (float, int, complex, bool, np.float64, np.float32, np.complex128, np.int64, np.bool_)

# numbers numpy takes beside a numeric array as they are (``x / n``, ``x / np.sqrt(d)``)
_PLAIN_SCALARS = frozenset({float, int, np.float64})
# the Python operators whose value on a numpy float64 scalar is the ufunc's value
_SCALAR_ARITHMETIC = frozenset({operator.add, operator.sub, operator.mul, operator.truediv})

REAL = (-3.0, 3.0)
POSITIVE = (0.2, 3.0)
UNIT = (-0.9, 0.9)


def is_symbolic(x: Any) -> bool:
    """True for sympy expressions and object arrays (the symbolic interpreter's values)."""
    t = type(x)
    if t is np.ndarray:
        return x.dtype == object
    if t in _NUMERIC:
        return False
    return hasattr(x, "free_symbols")


def numeric_or_symbolic(numeric: Callable[..., Any],
                        symbolic: Callable[..., Any]) -> Callable[..., Any]:
    """The implementation column of a row that is not elementwise-by-declaration: ``numeric``
    on numbers and numeric arrays, ``symbolic`` as soon as one argument is a sympy value or an
    object array (the symbolic interpreter's values). This is the one place such rows dispatch
    on symbolic values; a family writes the two implementations and never tests for sympy.

    >>> both = numeric_or_symbolic(lambda x: np.cumsum(x), lambda x: "symbolic")
    >>> both(np.ones(2)).tolist(), both(np.array([1, 2], dtype=object))
    ([1.0, 2.0], 'symbolic')
    """
    def impl(*args: Any, **kwargs: Any) -> Any:
        for a in args:
            t = type(a)
            if t is np.ndarray:
                if a.dtype.char == "O":
                    return symbolic(*args, **kwargs)
            elif t not in _NUMERIC and hasattr(a, "free_symbols"):
                return symbolic(*args, **kwargs)
        return numeric(*args, **kwargs)
    impl.__name__ = getattr(numeric, "__name__", "impl")
    impl.__doc__ = numeric.__doc__
    return impl


def as_objects(*xs: Any) -> tuple:
    """The values as object arrays: numpy's own structural functions then run on sympy
    values (numeric entries become Python objects beside them)."""
    return tuple(np.asarray(x, dtype=object) for x in xs)


def _sympy():
    import sympy
    return sympy


def _apply_sym(sym: Callable[..., Any], *args: Any) -> Any:
    sp = _sympy()
    if any(type(a) is np.ndarray for a in args):
        return np.frompyfunc(lambda *xs: sym(sp, *xs), len(args), 1)(*args)
    return sym(sp, *args)


def _coerce(x: Any) -> Any:
    return np.asarray(x, dtype=float) if type(x) in (list, tuple) else x


def unary(name: str, np_fn: Callable, math_fn: Callable | None, sym: Callable | None,
          d: Any, domain: Any, *, reads: str, kink: Kink | None = None, analytic: bool = True,
          family: str = "") -> Primitive:
    """Declare an elementwise one-argument primitive. ``reads`` names what its partial reads
    (``"x"``, ``"ans"``, both or ``""``): the tape keeps only that (:class:`Primitive`)."""
    def impl(x: Any) -> Any:
        if type(x) is np.ndarray and x.dtype.char != "O":     # numeric arrays: numpy
            return np_fn(x)
        if type(x) is float and math_fn is not None:
            try:
                return math_fn(x)
            except (ValueError, OverflowError, ZeroDivisionError):
                pass  # outside math's domain: let numpy give nan/inf with its warning
        elif is_symbolic(x):
            if sym is None:
                raise TypeError(f"{name} has no symbolic counterpart")
            return _apply_sym(sym, x)
        return np_fn(_coerce(x))
    return Primitive(name, impl, sym=sym, partials=(d,), domain=domain, kink=kink,
                     analytic=analytic, family=family, fast=math_fn, reads=reads,
                     on_arrays=np_fn)


def _check_broadcast(name: str, *args: Any) -> None:
    """Raise a ValueError naming the operation when ``args`` cannot broadcast together."""
    shapes = [np.shape(a) for a in args]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(map(str, shapes[:-1])) + f" and {shapes[-1]}"
        raise ValueError(f"{name}: shapes {listed} cannot be broadcast together "
                         "(numpy broadcasting: trailing axes must be equal or 1)") from None


def _names_broadcast_errors(name: str) -> Callable[[Callable], Callable]:
    """Wrap an implementation so a broadcasting failure names ``name`` and the shapes."""
    def wrap(impl: Callable) -> Callable:
        def named(*args: Any, **kwargs: Any) -> Any:
            try:
                return impl(*args, **kwargs)
            except ValueError:
                _check_broadcast(name, *args)
                raise
        named.__name__ = impl.__name__
        named.__doc__ = impl.__doc__
        return named
    return wrap


def binary(name: str, np_fn: Callable, py_op: Callable | None, sym: Callable | None,
           dx: Any, dy: Any, domain: Any, *, reads: str, kink: Kink | None = None,
           analytic: bool = True, family: str = "",
           vjp_arrays: Callable[..., Any] | None = None) -> Primitive:
    """Declare an elementwise two-argument primitive (numpy broadcasting applies); ``reads``
    names what its partials read, among ``x``, ``y`` and ``ans``."""
    def impl(x: Any, y: Any) -> Any:
        tx, ty = type(x), type(y)
        if (tx is np.ndarray and x.dtype.char != "O"
                and (ty in _PLAIN_SCALARS or ty is np.ndarray and y.dtype.char != "O")) or (
                tx in _PLAIN_SCALARS and ty is np.ndarray and y.dtype.char != "O"):
            try:
                return np_fn(x, y)                          # numeric arrays: numpy
            except ValueError:
                _check_broadcast(name, x, y)
                raise
        if py_op is not None and ((tx is float and (ty is float or ty is int))
                                  or (tx is int and ty is float)):
            try:
                return py_op(x, y)
            except (ZeroDivisionError, OverflowError):
                pass
        if tx is np.float64 and ty in _PLAIN_SCALARS and py_op in _SCALAR_ARITHMETIC:
            # a numpy scalar (a full reduction: sum(x) / n) and a number: numpy's scalar
            # arithmetic, the same IEEE result (and warnings) as the ufunc, without its
            # array machinery
            return py_op(x, y)
        if is_symbolic(x) or is_symbolic(y):
            if sym is None:
                raise TypeError(f"{name} has no symbolic counterpart")
            return _apply_sym(sym, x, y)
        x, y = _coerce(x), _coerce(y)
        try:
            return np_fn(x, y)
        except ValueError:
            _check_broadcast(name, x, y)
            raise
    return Primitive(name, impl, sym=sym, partials=(dx, dy), domain=domain, kink=kink,
                     analytic=analytic, family=family, fast=py_op, reads=reads,
                     on_arrays=np_fn, vjp_arrays=vjp_arrays)
