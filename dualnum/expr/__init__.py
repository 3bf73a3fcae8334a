"""Safe expressions: user text such as ``"ln(x1) + x1*x2 - sin(x2)"`` as a function over ``dnp``.

The text is parsed with :mod:`ast` and every node is checked against a whitelist
(:mod:`dualnum.expr.compile`): numbers, variable names, ``+ - * / **``, unary ``+``/``-``,
parentheses and calls of known functions (``exp log ln sin cos tan tanh sqrt sigmoid relu
softplus erf abs max min`` and the other elementwise ``dualnum.numpy`` names). Anything else --
attributes, subscripts, lambdas, comprehensions, strings, keywords, underscored names -- is
refused with an :class:`ExpressionError` that names the column. Nothing is ever ``eval``-ed or
``exec``-ed: the accepted tree becomes a small postfix program of ``dnp`` calls, which an
:class:`Expression` runs (:mod:`dualnum.expr.expression`).

Because the program calls ``dnp``, the same expression runs on floats, ``Dual`` numbers, tape
variables and sympy symbols:

>>> e = parse("ln(x1) + x1*x2 - sin(x2)")
>>> e.variables
('x1', 'x2')
>>> round(float(e(x1=2.0, x2=5.0)), 3)
11.652
>>> parse("x.__class__")
Traceback (most recent call last):
...
dualnum.expr.ExpressionError: attribute access '.__class__' is not allowed (column 2)
"""

from dualnum.expr.compile import CONSTANTS, FUNCTIONS, MAX_LENGTH, ExpressionError
from dualnum.expr.expression import (
    DomainError,
    Expression,
    PointError,
    parse,
    parse_point,
    quoted,
)

__all__ = [
    "ExpressionError",
    "PointError",
    "DomainError",
    "Expression",
    "parse",
    "parse_point",
    "quoted",
    "FUNCTIONS",
    "CONSTANTS",
    "MAX_LENGTH",
]
