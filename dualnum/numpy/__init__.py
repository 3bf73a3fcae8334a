"""``dualnum.numpy``: the namespace model code is written against (like ``jax.numpy``).

The same function runs on floats and ndarrays (plain numpy), ``Dual`` numbers (forward mode),
tape variables (reverse mode) and sympy symbols or object arrays of them (the symbolic
interpreter, primal only). Every public name is one of:

* a primitive of the rule table (``PRIMITIVES``), re-exported as is;
* a composite written only with primitives (``COMPOSITES``), so it is differentiable;
* a constructor or query that produces constants (``CONSTANTS``).

>>> import dualnum.numpy as dnp, dualnum as dn
>>> dnp.tanh(0.5) == dnp.tanh(dn.Dual(0.5, 1.0)).primal
True
>>> import sympy
>>> dnp.sigmoid(sympy.Symbol("x"))
1/(1 + exp(-x))
"""
from __future__ import annotations

import numpy as _np

from dualnum import rules as _R
from dualnum.numpy import fft
from dualnum.numpy import linalg
from dualnum.numpy._base import array, asarray
from dualnum.numpy._creation import (
    arange, argmax, argmin, eye, full, isfinite, linspace, ndim, ones, ones_like, shape, size,
    value, zeros, zeros_like)
from dualnum.numpy._elementwise import fmax, fmin, reciprocal, softsign
from dualnum.numpy._products import dot, einsum, inner, outer, tensordot
from dualnum.numpy._shapes import (
    diag, diagonal, expand_dims, flip, moveaxis, squeeze, stack, swapaxes, trace)
from dualnum.numpy._statistics import cumsum, mean, std, var
from dualnum.numpy._structural import (
    amax, amin, broadcast_to, clip, concatenate, log_softmax, logsumexp, max, min, pad, prod,
    reshape, softmax, sum, transpose, where)
from dualnum.numpy.linalg import norm
# shapes and indexing (issue 13): joining/splitting, gathers/scatter, rearranging, products
from dualnum.numpy._index_tricks import c_, meshgrid, r_
from dualnum.numpy._indexing import (
    index_add, repeat, roll, take, take_along_axis, tile, tril, triu)
from dualnum.numpy._kron_cross import cross, kron
from dualnum.numpy._rearranging import fliplr, flipud, ravel, rollaxis, rot90
from dualnum.numpy._stacking import (
    append, array_split, atleast_1d, atleast_2d, atleast_3d, column_stack, dsplit, dstack,
    hsplit, hstack, split, vsplit, vstack)
# issue 13, elementwise and order statistics (names-elem)
from dualnum.numpy._angles import angle, deg2rad, degrees, rad2deg, radians
from dualnum.numpy._averages import average, nanmean, nansum
from dualnum.numpy._predicates import (
    all, allclose, any, iscomplexobj, isclose, isinf, isnan, signbit)
from dualnum.numpy._rounding import around, divmod, fabs, round
from dualnum.numpy._selection import nan_to_num, select
from dualnum.numpy._sequences import cumprod, diff, gradient
from dualnum.numpy._sorting import argsort, median, partition, percentile, quantile, sort

# ---------------------------------------------------------------- primitives, re-exported
add, subtract, multiply, divide = _R.add, _R.subtract, _R.multiply, _R.divide
negative, positive, power, square, sqrt, cbrt = (
    _R.negative, _R.positive, _R.power, _R.square, _R.sqrt, _R.cbrt)
exp, expm1, exp2, log, log1p, log2, log10 = (
    _R.exp, _R.expm1, _R.exp2, _R.log, _R.log1p, _R.log2, _R.log10)
sin, cos, tan, arcsin, arccos, arctan, arctan2, hypot = (
    _R.sin, _R.cos, _R.tan, _R.arcsin, _R.arccos, _R.arctan, _R.arctan2, _R.hypot)
sinh, cosh, tanh, arcsinh, arccosh, arctanh = (
    _R.sinh, _R.cosh, _R.tanh, _R.arcsinh, _R.arccosh, _R.arctanh)
erf, sigmoid, softplus, relu, abs, sign, heaviside = (
    _R.erf, _R.sigmoid, _R.softplus, _R.relu, _R.abs, _R.sign, _R.heaviside)
maximum, minimum, matmul = _R.maximum, _R.minimum, _R.matmul    # where: a wrapper
real, imag, conj = _R.real, _R.imag, _R.conj      # the parts of a complex number
sliding_window_view = _R.sliding_window_view       # numpy.lib.stride_tricks' im2col view
conjugate = conj
floor, ceil, trunc, rint, floor_divide, remainder, fmod, copysign = (
    _R.floor, _R.ceil, _R.trunc, _R.rint, _R.floor_divide, _R.remainder, _R.fmod, _R.copysign)
sinc, logaddexp, logaddexp2 = _R.sinc, _R.logaddexp, _R.logaddexp2
mod = remainder         # numpy's other names: np.mod is np.remainder, np.fix rounds as trunc
fix = trunc


absolute = abs
true_divide = divide
step = heaviside

pi = _np.pi
e = _np.e
inf = _np.inf
nan = _np.nan
newaxis = None


# the rows of the table, each under its own name (a primitive, or a wrapper with numpy's
# signature that calls it), and numpy's other names for some of them; getitem and index_add
# are reached through x[idx] and indexing's VJP, window_add through sliding_window_view's, not
# by name
_ALIASES = ("absolute", "true_divide", "step", "amax", "amin", "conjugate")
# the scipy.special rows (rules/special.py) are dualnum.scipy.special's, not numpy names
PRIMITIVES = tuple(p.name for p in _R.all_rules()
                   if p.name not in ("getitem", "index_add", "window_add")
                   and p not in _R.SPECIAL) + _ALIASES
# the transforms are names of dnp.fft (numpy.fft's), not of dnp itself
PRIMITIVES = tuple(n for n in PRIMITIVES if n not in fft.PRIMITIVES)
PRIMITIVES = tuple(n for n in PRIMITIVES if n not in linalg.RULES)   # in dnp.linalg instead
COMPOSITES = (
    "var", "std", "norm", "squeeze", "expand_dims", "stack", "moveaxis", "swapaxes",
    "flip", "outer", "tensordot", "dot", "inner", "trace", "diagonal", "diag", "cumsum",
    "reciprocal", "softsign", "linspace", "fmax", "fmin",
)
CONSTANTS = (
    "asarray", "array", "zeros", "ones", "zeros_like", "ones_like", "full", "eye", "arange",
    "shape", "ndim", "size", "argmax", "argmin", "isfinite", "value",
    "pi", "e", "inf", "nan", "newaxis",
)
COMPOSITES += (  # numpy/_stacking, _indexing, _rearranging, _kron_cross, _index_tricks
    "atleast_1d", "atleast_2d", "atleast_3d", "vstack", "hstack", "dstack", "column_stack",
    "append", "split", "array_split", "vsplit", "hsplit", "dsplit", "take", "take_along_axis",
    "index_add", "repeat", "tile", "roll", "tril", "triu", "ravel", "flipud", "fliplr", "rot90",
    "rollaxis", "kron", "cross", "meshgrid", "r_", "c_")
if hasattr(_np, "row_stack"):     # numpy 2 deprecates it: dnp has it while numpy does
    from dualnum.numpy._stacking import row_stack
    COMPOSITES += ("row_stack",)
PRIMITIVES += ("mod", "fix")  # numpy/_rounding.py: aliases of remainder and trunc
COMPOSITES += (  # numpy/_rounding, _angles, _selection, _sorting, _sequences, _averages.py
    "round", "around", "fabs", "divmod", "angle", "rad2deg", "deg2rad", "degrees", "radians",
    "select", "nan_to_num", "sort", "partition", "median", "quantile", "percentile", "diff",
    "gradient", "cumprod", "average", "nansum", "nanmean")
CONSTANTS += (  # numpy/_predicates.py, _sorting.py
    "isnan", "isinf", "signbit", "iscomplexobj", "isclose", "allclose", "all", "any",
    "argsort")
__all__ = list(PRIMITIVES + COMPOSITES + CONSTANTS)
