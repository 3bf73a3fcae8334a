"""THE rule table: one registry of every primitive, read by every interpreter.

The primitives themselves are declared, one block each, by family:
:mod:`dualnum.rules.elementwise` (one partial derivative ``d(x, ans)`` per argument), and
:mod:`dualnum.rules.shape`, :mod:`dualnum.rules.reduce`, :mod:`dualnum.rules.linalg` and
:mod:`dualnum.rules.complex` (``real``, ``imag``, ``conj``) and :mod:`dualnum.rules.windows`
(``sliding_window_view`` and its transpose) (a JVP and a VJP each). This module
gathers them into the registry and answers questions about it.

Columns of the table, per primitive: ``impl`` (numpy, with a ``math`` fast path for floats),
``sym`` (the sympy counterpart of an elementwise op; structural ops need none, because their
implementation runs unchanged on object arrays of sympy expressions, and the few that do need
sympy — max/min through ``Max``/``Min``, the log-sum-exp family — dispatch inside ``impl``),
``partials`` or ``jvp``/``vjp`` (the derivative rules, written with these same primitives),
``domain`` (where the tests sample), ``kink`` and ``analytic`` (where the op is not smooth, and
the convention used there), ``complex_via`` (for a non-holomorphic elementwise op, the
composite the derivative interpreters run on complex arguments: ``abs(z)`` is differentiated
as ``hypot(real(z), imag(z))``).

>>> has_rule("tanh"), has_rule("floor")
(True, False)
>>> get_rule("relu").kink.convention
"relu'(0) = 0 (PyTorch)"
"""
from __future__ import annotations

from dualnum.primitive import Kink, NoRuleError, Primitive
# every row, re-exported by name (abs, max, min and sum are numpy's names, shadowing builtins)
from dualnum.rules.complex import COMPLEX, conj, imag, real
from dualnum.rules.elementwise import (
    ELEMENTWISE, abs, add, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cbrt,
    clip, cos, cosh, divide, erf, exp, exp2, expm1, heaviside, hypot, log, log1p, log2, log10,
    maximum, minimum, multiply, negative, positive, power, relu, sigmoid, sign, sin, sinh,
    softplus, sqrt, square, subtract, tan, tanh, where,
)
from dualnum.rules.linalg import LINALG, einsum, matmul
from dualnum.rules.reduce import REDUCE, log_softmax, logsumexp, max, min, prod, softmax, sum
from dualnum.rules.shape import (
    SHAPE, broadcast_to, concatenate, getitem, index_add, pad, reshape, transpose,
)
from dualnum.rules.windows import WINDOWS, sliding_window_view, window_add

__all__ = ["all_rules", "has_rule", "get_rule", "Primitive", "Kink", "NoRuleError"] + [
    p.name for p in ELEMENTWISE + REDUCE + LINALG + SHAPE + COMPLEX + WINDOWS]

_REGISTRY: dict[str, Primitive] = {
    p.name: p for p in ELEMENTWISE + REDUCE + LINALG + SHAPE + COMPLEX + WINDOWS}


def all_rules() -> list[Primitive]:
    """Every primitive of the table, in declaration order.

    >>> len(all_rules()) > 50
    True
    """
    return list(_REGISTRY.values())


def has_rule(name: str) -> bool:
    """Whether ``name`` is a primitive with a derivative rule.

    >>> has_rule("sin")
    True
    """
    p = _REGISTRY.get(name)
    return p is not None and p.differentiable and not p.nondiff


def get_rule(name: str) -> Primitive:
    """The primitive called ``name``; raises ``NoRuleError("no derivative rule for <name>")``.

    >>> get_rule("exp").family
    'exp-log'
    """
    p = _REGISTRY.get(name)
    if p is None or not p.differentiable:
        raise NoRuleError(f"no derivative rule for {name}")
    return p
