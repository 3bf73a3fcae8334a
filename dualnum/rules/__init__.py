"""THE rule table: one registry of every primitive, read by every interpreter.

The primitives themselves are declared, one block each, by family. Elementwise rows (one
partial derivative ``d(x, ans)`` per argument): :mod:`dualnum.rules.elementwise` (arithmetic,
powers, exp and log, where), :mod:`dualnum.rules.transcendental` (trigonometric, hyperbolic,
erf, sigmoid, softplus, sinc, logaddexp), :mod:`dualnum.rules.piecewise` (relu, abs, sign,
maximum, clip, floor, remainder, ...) and :mod:`dualnum.rules.special` (scipy's special
functions: always in the table, scipy imported when one of them first computes; see that
module). A JVP and a VJP each: :mod:`dualnum.rules.shape`, :mod:`dualnum.rules.reduce`,
:mod:`dualnum.rules.linalg` (matmul) and :mod:`dualnum.rules.einsum`,
:mod:`dualnum.rules.complex` (``real``, ``imag``, ``conj``) and
:mod:`dualnum.rules.windows` (``sliding_window_view`` and its transpose).
:mod:`dualnum.rules.fft` holds the transforms of ``dualnum.numpy.fft`` (``fft``, ``ifft``,
``rfft``, ``irfft``; structural); the matrix rows that ``dualnum.numpy.linalg`` reaches are
:mod:`dualnum.rules.solves` (inv, solve, det, slogdet, pinv) and
:mod:`dualnum.rules.decompositions` (cholesky, eigh, eigvalsh, svd, svdvals, qr). This module
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

>>> has_rule("tanh"), has_rule("gcd")
(True, False)
>>> get_rule("relu").kink.convention
"relu'(0) = 0 (PyTorch)"
"""
from __future__ import annotations

from dualnum.primitive import Kink, NoRuleError, Primitive
# every row, re-exported by name (abs, max, min and sum are numpy's names, shadowing builtins)
from dualnum.rules.complex import COMPLEX, conj, imag, real
from dualnum.rules.elementwise import (
    ELEMENTWISE, add, cbrt, divide, exp, exp2, expm1, log, log1p, log2, log10, multiply,
    negative, positive, power, sqrt, square, subtract, where,
)
from dualnum.rules.decompositions import (
    DECOMPOSITIONS, cholesky, eigh, eigvalsh, qr, svd, svdvals,
)
from dualnum.rules.fft import FFT, fft, ifft, irfft, rfft
from dualnum.rules.einsum import einsum
from dualnum.rules.linalg import LINALG, matmul
from dualnum.rules.piecewise import (
    PIECEWISE, abs, ceil, clip, copysign, floor, floor_divide, fmod, heaviside, maximum, minimum,
    relu, remainder, rint, sign, trunc,
)
from dualnum.rules.reduce import (
    REDUCE, log_softmax, logsumexp, max, mean, min, prod, softmax, sum)
from dualnum.rules.shape import (
    SHAPE, broadcast_to, concatenate, getitem, index_add, pad, reshape, transpose,
)
from dualnum.rules.special import (
    SPECIAL, beta, betainc, betaln, digamma, erfc, erfcinv, erfcx, erfinv, gamma, gammaln, i0,
    i1, iv, ive, j0, j1, jv, log_ndtr, logit, ndtr, ndtri, poch, polygamma, stdtr, xlog1py,
    xlogy, y0, y1, yv,
)
from dualnum.rules.transcendental import (
    TRANSCENDENTAL, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cos, cosh, erf,
    hypot, logaddexp, logaddexp2, sigmoid, sin, sinc, sinh, softplus, tan, tanh,
)
from dualnum.rules.adjugate import ADJUGATE, adjugate
from dualnum.rules.solves import SOLVES, det, inv, pinv, slogdet, solve
from dualnum.rules.windows import WINDOWS, sliding_window_view, window_add

# every family's rows, in declaration order (a new family adds its tuple here)
_TABLE = (ELEMENTWISE + REDUCE + LINALG + SHAPE + COMPLEX + PIECEWISE + TRANSCENDENTAL
          + SPECIAL + FFT + SOLVES + ADJUGATE + DECOMPOSITIONS + WINDOWS)
__all__ = ["all_rules", "has_rule", "get_rule", "Primitive", "Kink", "NoRuleError"] + [
    p.name for p in _TABLE]

_REGISTRY: dict[str, Primitive] = {p.name: p for p in _TABLE}


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
