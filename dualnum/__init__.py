"""dualnum: derivatives three independent ways, shown and cross-checked.

>>> import dualnum as dn, dualnum.numpy as dnp
>>> f = lambda x1, x2: dnp.log(x1) + x1 * x2 - dnp.sin(x2)     # Lepetit's example
>>> round(f(2.0, 5.0), 3)
11.652
>>> dn.grad(f, argnums=(0, 1))(2.0, 5.0)[0]
5.5
"""
from dualnum.dual import Dual
from dualnum.forward import derivative, jacfwd, jvp
from dualnum.marks import mark
from dualnum.primitive import LeakedBoxError, NoRuleError
from dualnum.reverse import (
    grad, gradient, hessian, hvp, jacobian, jacrev, value_and_grad, vjp,
)
from dualnum.rules import all_rules, get_rule, has_rule
from dualnum.tape import Entry, NonFiniteError, Tape, TapeVar
from dualnum.tracing import Trace, trace
from dualnum.tree import ravel_pytree

__version__ = "0.1.0"

__all__ = [
    "Dual", "derivative", "jvp", "jacfwd", "grad", "value_and_grad", "vjp", "jacrev", "hvp",
    "hessian", "gradient", "jacobian", "Tape", "TapeVar", "Entry", "NonFiniteError",
    "NoRuleError", "LeakedBoxError", "all_rules", "has_rule", "get_rule", "trace", "Trace",
    "mark",
    "ravel_pytree",
]


def __dir__() -> list[str]:
    """``dn.<TAB>`` shows the concepts (the API above and the ``numpy`` namespace), not the
    internal modules the package is built from (they stay importable by name)."""
    return sorted(__all__ + ["numpy", "tree", "__version__"])
