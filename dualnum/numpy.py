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

import builtins
from typing import Any, Sequence

import numpy as _np

from dualnum import rules as _R
from dualnum.primitive import Box as _Box, shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules_elementwise import is_symbolic as _is_symbolic
from dualnum.rules_shape import norm_axes as _norm_axes

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
maximum, minimum, where, matmul, einsum = (
    _R.maximum, _R.minimum, _R.where, _R.matmul, _R.einsum)
absolute = abs
true_divide = divide
step = heaviside

pi = _np.pi
e = _np.e
inf = _np.inf
nan = _np.nan
newaxis = None

# ---------------------------------------------------------------- structural, with numpy's
# signatures (axis and friends are keywords on the tape, whatever the caller wrote)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum over ``axis`` (all axes by default). ``sum(Dual([1., 2.], [1., 1.]))`` is ``3 + 2ε``."""
    return _R.sum(x, axis=axis, keepdims=keepdims)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Product over ``axis``; its derivative is exact where elements are zero."""
    return _R.prod(x, axis=axis, keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Largest element along ``axis`` (ties share the derivative evenly)."""
    return _R.max(x, axis=axis, keepdims=keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Smallest element along ``axis`` (ties share the derivative evenly)."""
    return _R.min(x, axis=axis, keepdims=keepdims)


amax, amin = max, min


def transpose(x: Any, axes: Sequence[int] | None = None) -> Any:
    """Permute axes (reverse them by default)."""
    return _R.transpose(x, axes=None if axes is None else tuple(axes))


def reshape(x: Any, shape: Any) -> Any:
    """Same data, new shape (``-1`` allowed once)."""
    shape = (shape,) if isinstance(shape, (int, _np.integer)) else tuple(shape)
    return _R.reshape(x, shape)


def broadcast_to(x: Any, shape: Any) -> Any:
    """Broadcast to ``shape``; the adjoint is summed back to ``x``'s shape."""
    return _R.broadcast_to(x, tuple(shape) if not isinstance(shape, int) else (shape,))


def concatenate(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join arrays along an existing axis."""
    arrays = list(arrays)
    if not arrays:
        raise ValueError("concatenate: need at least one array")
    return _R.concatenate(*arrays, axis=axis)


def logsumexp(x: Any, axis: Any = -1, keepdims: bool = False) -> Any:
    """``log(sum(exp(x)))`` along ``axis``, computed without overflow (finite at x = 1000)."""
    return _R.logsumexp(x, axis=axis, keepdims=keepdims)


def softmax(x: Any, axis: int = -1) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis``, stable for large inputs."""
    return _R.softmax(x, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """``x - logsumexp(x)`` along ``axis``, stable for large inputs."""
    return _R.log_softmax(x, axis=axis)


def clip(x: Any, a_min: Any = None, a_max: Any = None) -> Any:
    """Limit values to ``[a_min, a_max]`` (derivative 1 on the closed interval, as PyTorch)."""
    if a_min is None and a_max is None:
        raise ValueError("clip: give a_min, a_max or both")
    return _R.clip(x, a_min, a_max)


def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: float = 0) -> Any:
    """Zero-padding (``mode="constant"`` with 0, the only mode with a rule)."""
    if mode != "constant" or constant_values != 0:
        raise ValueError("pad: only zero padding (mode='constant', constant_values=0) has a "
                         "derivative rule")
    return _R.pad(x, pad_width=pad_width)


# ---------------------------------------------------------------- composites


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Arithmetic mean along ``axis``: ``sum / count``.

    >>> float(mean(asarray([1.0, 2.0, 6.0])))
    3.0
    """
    s = _shape_of(x)
    n = int(_np.prod([s[a] for a in _norm_axes(axis, len(s))])) if s else 1
    return sum(x, axis=axis, keepdims=keepdims) / float(n)


def var(x: Any, axis: Any = None, keepdims: bool = False, ddof: int = 0) -> Any:
    """Variance ``mean((x - mean(x))²)`` (``ddof`` as numpy).

    >>> float(var(asarray([1.0, 3.0])))
    1.0
    """
    s = _shape_of(x)
    n = int(_np.prod([s[a] for a in _norm_axes(axis, len(s))])) if s else 1
    d = x - mean(x, axis=axis, keepdims=True)
    return sum(d * d, axis=axis, keepdims=keepdims) / float(n - ddof)


def std(x: Any, axis: Any = None, keepdims: bool = False, ddof: int = 0) -> Any:
    """Standard deviation ``sqrt(var(x))``.

    >>> float(std(asarray([1.0, 3.0])))
    1.0
    """
    return sqrt(var(x, axis=axis, keepdims=keepdims, ddof=ddof))


def norm(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Euclidean / Frobenius norm ``sqrt(sum(x²))`` (its derivative is undefined at 0).

    >>> float(norm(asarray([3.0, 4.0])))
    5.0
    """
    return sqrt(sum(x * x, axis=axis, keepdims=keepdims))


def squeeze(x: Any, axis: Any = None) -> Any:
    """Remove axes of length one.

    >>> squeeze(zeros((1, 3))).shape
    (3,)
    """
    s = _shape_of(x)
    axes = tuple(i for i, n in enumerate(s) if n == 1) if axis is None else _norm_axes(axis,
                                                                                       len(s))
    for a in axes:
        if s[a] != 1:
            raise ValueError(f"squeeze: axis {a} has length {s[a]}, not 1 (shape {s})")
    return reshape(x, tuple(n for i, n in enumerate(s) if i not in axes))


def expand_dims(x: Any, axis: Any) -> Any:
    """Insert an axis of length one at ``axis``.

    >>> expand_dims(zeros(3), 0).shape
    (1, 3)
    """
    s = list(_shape_of(x))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out_nd = len(s) + len(axes)
    for a in sorted(a % out_nd for a in axes):
        s.insert(a, 1)
    return reshape(x, tuple(s))


def stack(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join arrays along a new axis.

    >>> stack([zeros(2), ones(2)], axis=1).shape
    (2, 2)
    """
    arrays = list(arrays)
    if not arrays:
        raise ValueError("stack: need at least one array")
    shapes = {_shape_of(a) for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"stack: all arrays must have the same shape, got {sorted(shapes)}")
    return concatenate([expand_dims(a, axis) for a in arrays], axis=axis)


def moveaxis(x: Any, source: int, destination: int) -> Any:
    """Move one axis to a new position.

    >>> moveaxis(zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    n = len(_shape_of(x))
    order = [i for i in range(n) if i != source % n]
    order.insert(destination % n, source % n)
    return transpose(x, order)


def swapaxes(x: Any, a: int, b: int) -> Any:
    """Exchange two axes.

    >>> swapaxes(zeros((2, 3)), 0, 1).shape
    (3, 2)
    """
    order = list(range(len(_shape_of(x))))
    order[a], order[b] = order[b], order[a]
    return transpose(x, order)


def flip(x: Any, axis: Any = None) -> Any:
    """Reverse the order of elements along ``axis`` (all axes by default).

    >>> flip(asarray([1.0, 2.0, 3.0]))
    array([3., 2., 1.])
    """
    n = len(_shape_of(x))
    axes = _norm_axes(axis, n)
    return x[tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(n))]


def outer(a: Any, b: Any) -> Any:
    """``a[i] * b[j]`` for flattened a, b.

    >>> outer(asarray([1.0, 2.0]), asarray([3.0, 4.0]))
    array([[3., 4.],
           [6., 8.]])
    """
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum products over the given axes (numpy's convention), via ``einsum``.

    >>> tensordot(ones((2, 3)), ones((3, 4)), axes=1).shape
    (2, 4)
    """
    na, nb = len(_shape_of(a)), len(_shape_of(b))
    if isinstance(axes, int):
        ax_a, ax_b = list(range(na - axes, na)), list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, int) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, int) else list(ax_b)
    ax_a = [x % na for x in ax_a]
    ax_b = [x % nb for x in ax_b]
    letters = iter("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for i, j in zip(ax_a, ax_b):
        sa_dim, sb_dim = _shape_of(a)[i], _shape_of(b)[j]
        if sa_dim != sb_dim:
            raise ValueError(f"tensordot: shapes {_shape_of(a)} and {_shape_of(b)}: axis {i} "
                             f"({sa_dim}) does not match axis {j} ({sb_dim})")
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in ax_a] + \
        [c for k, c in enumerate(sb) if k not in ax_b]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)


def dot(a: Any, b: Any) -> Any:
    """numpy's ``dot``: products for scalars, ``matmul`` up to 2-D, else the last axis of ``a``
    with the second-to-last of ``b``.

    >>> float(dot(asarray([1.0, 2.0]), asarray([3.0, 4.0])))
    11.0
    """
    na, nb = len(_shape_of(a)), len(_shape_of(b))
    if na == 0 or nb == 0:
        return a * b
    if na <= 2 and nb <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([-1], [builtins.max(nb - 2, 0)]))


def inner(a: Any, b: Any) -> Any:
    """Sum of products over the last axes.

    >>> float(inner(asarray([1.0, 2.0]), asarray([3.0, 4.0])))
    11.0
    """
    return tensordot(a, b, axes=([-1], [-1]))


def trace(x: Any) -> Any:
    """Sum of the diagonal of a matrix.

    >>> float(trace(eye(3)))
    3.0
    """
    n = builtins.min(_shape_of(x))
    idx = _np.arange(n)
    return sum(x[idx, idx])


def diag(x: Any) -> Any:
    """The diagonal of a matrix.

    >>> diag(asarray([[1.0, 2.0], [3.0, 4.0]]))
    array([1., 4.])
    """
    n = builtins.min(_shape_of(x))
    idx = _np.arange(n)
    return x[idx, idx]


def cumsum(x: Any, axis: int = -1) -> Any:
    """Running sum along ``axis`` (as a product with a triangular matrix of ones).

    >>> cumsum(asarray([1.0, 2.0, 3.0]))
    array([1., 3., 6.])
    """
    moved = moveaxis(x, axis, -1)
    n = _shape_of(moved)[-1]
    out = matmul(moved, _np.triu(_np.ones((n, n))))
    return moveaxis(out, -1, axis)


def reciprocal(x: Any) -> Any:
    """``1 / x``.

    >>> reciprocal(4.0)
    0.25
    """
    return divide(1.0, x)


def softsign(x: Any) -> Any:
    """``x / (1 + |x|)``.

    >>> softsign(1.0)
    0.5
    """
    return x / (1.0 + abs(x))


# ---------------------------------------------------------------- constants and queries


def asarray(x: Any, dtype: Any = None) -> Any:
    """An array (float64 for integer input); boxes pass through; lists of boxes are stacked.

    >>> asarray([1, 2])
    array([1., 2.])
    """
    if isinstance(x, _Box) or _is_symbolic(x):
        return x
    if isinstance(x, (list, tuple)) and any(isinstance(v, _Box) for v in _flat(x)):
        return stack([asarray(v) for v in x])
    a = _np.asarray(x, dtype=dtype)
    if dtype is None and a.dtype.kind in "iub":
        a = a.astype(float)
    return a


array = asarray


def _flat(x: Any) -> list:
    out, stack_ = [], [x]
    while stack_:
        v = stack_.pop()
        if isinstance(v, (list, tuple)):
            stack_.extend(v)
        else:
            out.append(v)
    return out


def zeros(shape: Any, dtype: Any = float) -> _np.ndarray:
    """Constant zeros.

    >>> zeros(2)
    array([0., 0.])
    """
    return _np.zeros(shape, dtype=dtype)


def ones(shape: Any, dtype: Any = float) -> _np.ndarray:
    """Constant ones.

    >>> ones(2)
    array([1., 1.])
    """
    return _np.ones(shape, dtype=dtype)


def zeros_like(x: Any) -> _np.ndarray:
    """Constant zeros with ``x``'s shape.

    >>> zeros_like(ones((2, 1))).shape
    (2, 1)
    """
    return _np.zeros(_shape_of(x))


def ones_like(x: Any) -> _np.ndarray:
    """Constant ones with ``x``'s shape.

    >>> ones_like(zeros(2))
    array([1., 1.])
    """
    return _np.ones(_shape_of(x))


def full(shape: Any, value: float) -> _np.ndarray:
    """A constant array.

    >>> full(2, 7)
    array([7., 7.])
    """
    return _np.full(shape, float(value))


def eye(n: int, m: int | None = None) -> _np.ndarray:
    """Constant identity matrix.

    >>> eye(2)
    array([[1., 0.],
           [0., 1.]])
    """
    return _np.eye(n, m)


def arange(*args: Any) -> _np.ndarray:
    """Constant evenly spaced values (float64).

    >>> arange(3)
    array([0., 1., 2.])
    """
    return _np.arange(*args, dtype=float)


def linspace(start: float, stop: float, num: int = 50) -> _np.ndarray:
    """Constant evenly spaced values over an interval.

    >>> linspace(0.0, 1.0, 3)
    array([0. , 0.5, 1. ])
    """
    return _np.linspace(start, stop, num)


def shape(x: Any) -> tuple:
    """The shape of a plain or boxed value.

    >>> import dualnum as dn
    >>> shape(dn.Dual(zeros((2, 3)), ones((2, 3))))
    (2, 3)
    """
    return _shape_of(x)


def ndim(x: Any) -> int:
    """The number of dimensions of a plain or boxed value.

    >>> ndim(zeros((2, 3)))
    2
    """
    return len(_shape_of(x))


def size(x: Any) -> int:
    """The number of elements of a plain or boxed value.

    >>> size(zeros((2, 3)))
    6
    """
    return int(_np.prod(_shape_of(x)))


def argmax(x: Any, axis: Any = None) -> Any:
    """Index of the largest element (an integer: not differentiable).

    >>> int(argmax(asarray([1.0, 5.0, 2.0])))
    1
    """
    return _np.argmax(_unbox_all(x), axis=axis)


def argmin(x: Any, axis: Any = None) -> Any:
    """Index of the smallest element (an integer: not differentiable).

    >>> int(argmin(asarray([1.0, 5.0, 2.0])))
    0
    """
    return _np.argmin(_unbox_all(x), axis=axis)


def isfinite(x: Any) -> Any:
    """Elementwise finiteness of the (primal) value.

    >>> isfinite(asarray([1.0, inf])).tolist()
    [True, False]
    """
    return _np.isfinite(_unbox_all(x))


def value(x: Any) -> Any:
    """The plain number inside any nesting of boxes (primal of primal of ...).

    >>> import dualnum as dn
    >>> value(dn.Dual(2.0, 1.0))
    2.0
    """
    return _unbox_all(x)


PRIMITIVES = (
    "add", "subtract", "multiply", "divide", "negative", "positive", "power", "square", "sqrt",
    "cbrt", "exp", "expm1", "exp2", "log", "log1p", "log2", "log10", "sin", "cos", "tan",
    "arcsin", "arccos", "arctan", "arctan2", "hypot", "sinh", "cosh", "tanh", "arcsinh",
    "arccosh", "arctanh", "erf", "sigmoid", "softplus", "relu", "abs", "sign", "heaviside",
    "maximum", "minimum", "clip", "where", "sum", "prod", "max", "min", "matmul", "einsum",
    "transpose", "reshape", "broadcast_to", "concatenate", "pad", "logsumexp", "softmax",
    "log_softmax", "absolute", "true_divide", "step", "amax", "amin",
)
COMPOSITES = (
    "mean", "var", "std", "norm", "squeeze", "expand_dims", "stack", "moveaxis", "swapaxes",
    "flip", "outer", "tensordot", "dot", "inner", "trace", "diag", "cumsum", "reciprocal",
    "softsign",
)
CONSTANTS = (
    "asarray", "array", "zeros", "ones", "zeros_like", "ones_like", "full", "eye", "arange",
    "linspace", "shape", "ndim", "size", "argmax", "argmin", "isfinite", "value",
    "pi", "e", "inf", "nan", "newaxis",
)
__all__ = list(PRIMITIVES + COMPOSITES + CONSTANTS)
