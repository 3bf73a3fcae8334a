"""The independent references, in one namespace: finite differences and sympy.

None of them reads a derivative rule from ``dualnum.rules``: finite differences only evaluate
``f``; the symbolic reference differentiates with sympy's own rules. Each returns an
:class:`Estimate` (the Jacobian, shape ``out_shape + in_shape``, and its estimated absolute
error) or raises :class:`Refused` with a reason fit for a report.

>>> import numpy as np
>>> import dualnum.numpy as dnp
>>> f = lambda x: dnp.log(x[0]) + x[0] * x[1] - dnp.sin(x[1])     # Lepetit's example
>>> x = np.array([2.0, 5.0])
>>> [round(float(v), 3) for v in complex_step(f, x).value]
[5.5, 1.716]
>>> try:
...     complex_step(lambda x: dnp.abs(x).sum(), x)
... except Refused as exc:
...     print(exc.reason)
complex step: f passes through non-analytic op(s) abs
"""

from __future__ import annotations

from collections.abc import Callable

from . import finite_differences as _fd
from .finite_differences import (
    EPS,
    Estimate,
    Refused,
    central_difference,
    central_hessian,
    forward_difference,
    richardson,
    step_sweep,
)
from .symbolic_reference import (
    DEFAULT_MAX_DERIVATIVE_OPS,
    DEFAULT_MAX_OPS,
    DEFAULT_MAX_WORK,
    DEFAULT_TIMEOUT,
    Formulas,
    expression_size,
    simplify_formulas,
    symbolic_formulas,
    symbolic_hessian,
    symbolic_jacobian,
)
from .tape_inspect import nonanalytic_ops

__all__ = [
    "EPS",
    "DEFAULT_MAX_DERIVATIVE_OPS",
    "DEFAULT_MAX_OPS",
    "DEFAULT_MAX_WORK",
    "DEFAULT_TIMEOUT",
    "Estimate",
    "Formulas",
    "Refused",
    "central_difference",
    "central_hessian",
    "complex_step",
    "expression_size",
    "forward_difference",
    "richardson",
    "simplify_formulas",
    "step_sweep",
    "symbolic_formulas",
    "symbolic_hessian",
    "symbolic_jacobian",
    "REFERENCES",
]


def complex_step(f: Callable, x, step: float = 1e-20, assume_analytic: bool = False) -> Estimate:
    """Complex-step Jacobian ``Im f(x + i h e_j) / h``, after checking ``f`` is analytic.

    ``f`` is first recorded on a ``dualnum`` tape; if any recorded primitive is marked
    non-analytic in the rule table (abs, relu, maximum, heaviside, …) the reference refuses,
    naming the ops. ``assume_analytic=True`` skips the check (for plain-numpy ``f`` you
    vouch for).

    >>> import numpy as np
    >>> e = complex_step(lambda x: np.exp(x), np.array(1.0), assume_analytic=True)
    >>> bool(abs(float(e.value) - np.e) < 1e-15)
    True
    """
    if not assume_analytic:
        try:
            ops = nonanalytic_ops(f, x)
        except ImportError as exc:
            msg = f"complex step: cannot check analyticity without the core ({exc})"
            raise Refused(msg) from exc
        except Exception as exc:
            raise Refused(
                "complex step: cannot record f on a tape to check analyticity "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        if ops:
            raise Refused(f"complex step: f passes through non-analytic op(s) {', '.join(ops)}")
    try:
        return _fd.complex_step(f, x, step)
    except Refused:
        raise
    except Exception as exc:
        raise Refused(
            f"complex step: f cannot run on complex input ({type(exc).__name__}: {exc})"
        ) from exc


#: name -> callable(f, x) for the first-order references, in report order
REFERENCES: dict[str, Callable] = {
    "symbolic": symbolic_jacobian,
    "complex-step": complex_step,
    "richardson": richardson,
    "central": central_difference,
    "forward-difference": forward_difference,
}
