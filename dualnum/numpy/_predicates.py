"""Predicates: questions about values (``isnan``, ``allclose``, ``all`` ...), answered by numpy
on the primal values. Their answers are booleans: constants, never differentiated (what
``if dnp.allclose(x, y):`` needs)."""
from __future__ import annotations

from typing import Any

import numpy as _np

from dualnum.numpy._creation import value as _value


def isnan(x: Any) -> Any:
    """Where the (primal) value is nan.

    >>> import dualnum.numpy as dnp, dualnum as dn
    >>> dnp.isnan(dn.Dual(dnp.asarray([1.0, dnp.nan]), dnp.ones(2))).tolist()
    [False, True]
    """
    return _np.isnan(_value(x))


def isinf(x: Any) -> Any:
    """Where the (primal) value is +inf or -inf.

    >>> import dualnum.numpy as dnp
    >>> dnp.isinf([1.0, -dnp.inf]).tolist()
    [False, True]
    """
    return _np.isinf(_value(x))


def signbit(x: Any) -> Any:
    """Where the sign bit of the (primal) value is set (-0.0 included).

    >>> import dualnum.numpy as dnp
    >>> dnp.signbit([-0.0, 0.0, -2.0]).tolist()
    [True, False, True]
    """
    return _np.signbit(_value(x))


def iscomplexobj(x: Any) -> bool:
    """Whether the (primal) value has a complex type, whatever its imaginary parts.

    >>> import dualnum.numpy as dnp, dualnum as dn
    >>> dnp.iscomplexobj(dn.Dual(1.0 + 0j, 1.0)), dnp.iscomplexobj([1.0, 2.0])
    (True, False)
    """
    return _np.iscomplexobj(_value(x))


def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Any:
    """Elementwise ``|a - b| <= atol + rtol * |b|`` on the primal values (numpy's ``isclose``).

    >>> import dualnum.numpy as dnp
    >>> dnp.isclose([1.0, 2.0], [1.0 + 1e-9, 2.1]).tolist()
    [True, False]
    """
    return _np.isclose(_value(a), _value(b), rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether ``isclose`` holds everywhere (a Python bool, as numpy's ``allclose``).

    >>> import dualnum.numpy as dnp, dualnum as dn
    >>> dnp.allclose(dn.Dual(2.0, 1.0), 2.0 + 1e-10)
    True
    """
    return bool(_np.allclose(_value(a), _value(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def all(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, *,
        where: Any = True) -> Any:
    """Whether every (primal) value along ``axis`` is true (non-zero).

    >>> import dualnum.numpy as dnp
    >>> dnp.all([[1.0, 0.0], [2.0, 3.0]], axis=1).tolist()
    [False, True]
    """
    _no_out("all", out)
    return _np.all(_value(a), axis=axis, keepdims=keepdims, where=where)


def any(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, *,
        where: Any = True) -> Any:
    """Whether some (primal) value along ``axis`` is true (non-zero).

    >>> import dualnum.numpy as dnp
    >>> bool(dnp.any([0.0, -0.0])), bool(dnp.any([0.0, 2.0]))
    (False, True)
    """
    _no_out("any", out)
    return _np.any(_value(a), axis=axis, keepdims=keepdims, where=where)


def _no_out(fn: str, out: Any) -> None:
    if out is not None:
        raise TypeError(f"{fn}: out= is not supported (dualnum values are not written in "
                        "place)")
