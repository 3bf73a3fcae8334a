"""``dualnum.numpy.linalg``: linear algebra, like ``numpy.linalg``, differentiable.

Written for numpy code ported as is: ``np.linalg.X(box)`` lands here through the boxes'
``__array_function__``. Every name is a primitive of the rule table called with numpy's
signature (``PRIMITIVES``: the rows of :mod:`dualnum.rules.solves` and
:mod:`dualnum.rules.decompositions`), a composite of primitives (``COMPOSITES``), or a
constant (``CONSTANTS``). Stacks of matrices (leading batch axes) work wherever numpy takes
them. What is covered, and where a derivative does not exist:

* ``inv``, ``solve`` (numpy 2's rule: ``b`` 1-D is a vector, else a stack of matrices),
  ``det``, ``slogdet``, ``pinv``, ``matrix_power``, ``multi_dot``, and ``adjugate`` (not a
  numpy name: ``det``'s derivative, also at singular matrices); a triangular system is
  solved by ``solve`` (there is no ``solve_triangular``: that is scipy's);
* ``cholesky``, ``qr`` (full rank), ``eigh``/``eigvalsh`` (symmetric), ``svd``/``svdvals``;
  ``eig``/``eigvals`` on plain arrays only (NotImplementedError on boxes: use ``eigh``);
* the norms (``norm`` with every vector and matrix order, ``vector_norm``, ``matrix_norm``,
  ``cond``), and numpy 2's ``trace``, ``diagonal``, ``matmul``, ``matrix_transpose``,
  ``outer``, ``tensordot``, ``vecdot`` over the last axes;
* degeneracy: eigenvectors and singular vectors raise :class:`DegenerateSpectrumError`
  (naming the gap) where two eigenvalues or singular values coincide or a singular value is
  zero; eigenvalues and singular values alone give a tie the cluster's mean derivative.

>>> import numpy as np, dualnum as dn, dualnum.numpy as dnp
>>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
>>> np.allclose(dn.grad(lambda A: dnp.linalg.slogdet(A).logabsdet)(A), np.linalg.inv(A).T)
True
"""
from __future__ import annotations

# ruff: noqa: F401 - the face re-exports its parts; __all__ is built from the three lists below

from numpy.linalg import LinAlgError

from dualnum.numpy._linalg_decompose import (
    cholesky, eig, eigh, eigvals, eigvalsh, qr, svd, svdvals)
from dualnum.numpy._linalg_norm import cond, matrix_norm, matrix_rank, norm, vector_norm
from dualnum.numpy._linalg_products import (
    diagonal, matmul, matrix_transpose, multi_dot, outer, tensordot, trace, vecdot)
from dualnum.numpy._linalg_results import EighResult, QRResult, SlogdetResult, SVDResult
from dualnum.numpy._linalg_solve import (
    adjugate, det, inv, matrix_power, pinv, slogdet, solve)
from dualnum.rules._matrix import DegenerateSpectrumError

#: the names that call one primitive of the rule table with numpy's signature
PRIMITIVES = ("inv", "solve", "det", "pinv", "cholesky", "eigvalsh", "svdvals", "matmul",
              "adjugate")
#: the names written with primitives (the decompositions with several factors unpack one
#: primitive's packed result)
COMPOSITES = (
    "slogdet", "matrix_power", "eigh", "svd", "qr", "norm", "vector_norm", "matrix_norm",
    "cond", "trace", "diagonal", "matrix_transpose", "outer", "tensordot", "vecdot",
    "multi_dot",
)
#: no derivative: integers, errors, and the general eigenproblem (numpy's values, plain only)
CONSTANTS = ("matrix_rank", "eig", "eigvals", "LinAlgError", "DegenerateSpectrumError")
#: the rows of the rule table that live here rather than at dnp's top level
RULES = ("inv", "solve", "det", "slogdet", "pinv", "cholesky", "eigh", "eigvalsh", "svd",
         "svdvals", "qr", "adjugate")

__all__ = list(PRIMITIVES + COMPOSITES + CONSTANTS)
