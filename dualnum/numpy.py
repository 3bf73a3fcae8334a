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
import math
import operator
import warnings
from typing import Any, Sequence

import numpy as _np

from dualnum import rules as _R
from dualnum.primitive import Box as _Box, shape_of as _shape_of, unbox_all as _unbox_all
from dualnum.rules._declare import is_symbolic as _is_symbolic
from dualnum.rules.linalg import einsum_args as _einsum_args
from dualnum.rules.shape import norm_axes as _norm_axes

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
maximum, minimum, matmul = _R.maximum, _R.minimum, _R.matmul    # where: a wrapper, below
real, imag, conj = _R.real, _R.imag, _R.conj      # the parts of a complex number
conjugate = conj


def einsum(*operands: Any, **kwargs: Any) -> Any:
    """Einstein summation in numpy's subscripts form or its sublist form (labels 0..51,
    ``Ellipsis``); both call the ``einsum`` primitive (see ``rules_linalg.einsum_args``).

    >>> float(einsum("ii", eye(3)))                       # the trace
    3.0
    >>> einsum(ones((2, 3)), [0, 1], ones(3), [1]).tolist()
    [3.0, 3.0]
    """
    if kwargs or not operands or type(operands[0]) is not str:
        operands = _einsum_args(operands, kwargs)
        return _R.einsum(operands[0], *operands[1])
    return _R.einsum(*operands)


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


def _red_axis(x: Any, axis: Any) -> Any:
    """The axis to hand a reduction rule. numpy's reductions take axis 0 (or -1) of a 0-D
    value and mean all of it; the rules index the value's shape, so that is ``None`` here."""
    if axis is not None and not _shape_of(x):
        _norm_axes(axis, 0)     # still numpy's AxisError for any other axis
        return None
    return axis


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum over ``axis`` (all axes by default; an int, negative or a tuple).

    ``sum(Dual([1., 2.], [1., 1.]))`` is ``3 + 2ε``.

    >>> sum([[1.0, 2.0], [3.0, 4.0]], axis=(0, -1))
    np.float64(10.0)
    """
    x = _in(x)
    return _R.sum(x, axis=_red_axis(x, axis), keepdims=keepdims)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Product over ``axis``; its derivative is exact where elements are zero.

    >>> prod([[1.0, 2.0], [3.0, 4.0]], axis=-1)
    array([ 2., 12.])
    """
    x = _in(x)
    return _R.prod(x, axis=_red_axis(x, axis), keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Largest element along ``axis`` (ties share the derivative evenly).

    >>> max([[1.0, 5.0], [3.0, 4.0]], axis=0)
    array([3., 5.])
    """
    x = _in(x)
    return _R.max(x, axis=_red_axis(x, axis), keepdims=keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Smallest element along ``axis`` (ties share the derivative evenly).

    >>> min([[1.0, 5.0], [3.0, 4.0]], axis=1, keepdims=True)
    array([[1.],
           [3.]])
    """
    x = _in(x)
    return _R.min(x, axis=_red_axis(x, axis), keepdims=keepdims)


amax, amin = max, min


def transpose(x: Any, axes: Sequence[int] | None = None) -> Any:
    """Permute axes (reverse them by default; negative axes allowed).

    >>> transpose(zeros((2, 3, 4)), (-1, 0, 1)).shape
    (4, 2, 3)
    """
    x = _in(x)
    if axes is not None:
        axes = _axes(axes, len(_shape_of(x)), "transpose", "axes")
        if len(axes) != len(_shape_of(x)):
            raise ValueError(f"transpose: axes {axes} don't match an array of shape "
                             f"{_shape_of(x)}")
    return _R.transpose(x, axes=axes)


def reshape(x: Any, shape: Any) -> Any:
    """Same data, new shape (``-1`` allowed once).

    >>> reshape(arange(6), (2, -1)).shape
    (2, 3)
    """
    shape = (int(shape),) if isinstance(shape, (int, _np.integer)) else tuple(shape)
    return _R.reshape(_in(x), shape)


def broadcast_to(x: Any, shape: Any) -> Any:
    """Broadcast to ``shape``; the adjoint is summed back to ``x``'s shape.

    >>> broadcast_to([1.0, 2.0], (2, 2))
    array([[1., 2.],
           [1., 2.]])
    """
    shape = (int(shape),) if isinstance(shape, (int, _np.integer)) else tuple(shape)
    return _R.broadcast_to(_in(x), shape)


def concatenate(arrays: Sequence[Any], axis: int | None = 0) -> Any:
    """Join arrays along an existing axis (``axis=None``: flatten them first, as numpy).

    >>> concatenate([[1.0, 2.0], [[3.0]]], axis=None)
    array([1., 2., 3.])
    """
    arrays = [_in(a) for a in arrays]
    if not arrays:
        raise ValueError("concatenate: need at least one array")
    if axis is None:
        arrays = [reshape(a, -1) for a in arrays]
        axis = 0
    return _R.concatenate(*arrays, axis=axis)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``log(sum(exp(x)))`` over ``axis``, computed without overflow (finite at x = 1000).

    The default ``axis=None`` reduces over all axes, as ``scipy.special.logsumexp`` (and numpy's
    reductions); pass ``axis=-1`` for the last axis (``softmax``'s default).

    >>> round(float(logsumexp([[0.0, 0.0], [0.0, 0.0]])), 12) == round(math.log(4.0), 12)
    True
    >>> (logsumexp([[0.0, 0.0], [1000.0, 1000.0]], axis=-1) - math.log(2.0)).tolist()
    [0.0, 1000.0]
    """
    x = _in(x)
    return _R.logsumexp(x, axis=_red_axis(x, axis), keepdims=keepdims)


def softmax(x: Any, axis: Any = -1) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis``, stable for large inputs.

    The default is the last axis, as ``jax.nn.softmax`` and the models' layers (one
    distribution per row of a batch); ``scipy.special.softmax`` defaults to ``axis=None``, all
    axes at once, which ``axis=None`` gives here too.

    >>> softmax([[0.0, 0.0], [0.0, 0.0]])
    array([[0.5, 0.5],
           [0.5, 0.5]])
    >>> softmax([[0.0, 0.0], [0.0, 0.0]], axis=None)
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    x = _in(x)
    return _R.softmax(x, axis=_red_axis(x, axis))


def log_softmax(x: Any, axis: Any = -1) -> Any:
    """``x - logsumexp(x)`` along ``axis`` (the last by default, like ``softmax``), stable for
    large inputs; ``axis=None`` normalises over all axes (``scipy.special.log_softmax``'s
    default).

    >>> log_softmax([0.0, 1000.0]).round(6)
    array([-1000.,     0.])
    """
    x = _in(x)
    return _R.log_softmax(x, axis=_red_axis(x, axis))


def clip(x: Any, a_min: Any = None, a_max: Any = None, *, min: Any = None,
         max: Any = None) -> Any:
    """Limit values to ``[a_min, a_max]`` (derivative 1 on the closed interval, as PyTorch).

    ``min=``/``max=`` are numpy 2's keyword spellings; with neither bound ``x`` is returned as
    is (numpy 2 does the same).

    >>> clip([-2.0, 0.5, 3.0], -1.0, 1.0)
    array([-1. ,  0.5,  1. ])
    """
    a_min = min if a_min is None else a_min
    a_max = max if a_max is None else a_max
    x = _in(x)
    if a_min is None and a_max is None:
        return x
    # bounds with more axes than x: broadcast x to the result first, so that the rule's
    # derivative (a mask of x's shape) has the result's shape
    s = _shape_of(x)
    full = _np.broadcast_shapes(s, *(_np.shape(v) for v in (a_min, a_max) if v is not None))
    if full != s:
        x = broadcast_to(x, full)
    return _R.clip(x, a_min, a_max)


_MISSING = object()


def where(condition: Any, x: Any = _MISSING, y: Any = _MISSING) -> Any:
    """``x`` where ``condition`` holds, else ``y`` (numpy's ``where``, a thin wrapper of the
    ``where`` primitive that the rules use).

    The condition selects and is never differentiated: a boxed condition counts by its value.
    With the condition alone it is numpy's ``nonzero`` tuple of index arrays (constants).
    Keyword forms (``condition=``, ``x=``, ``y=``) are accepted too.

    >>> where([True, False], 1.0, [2.0, 3.0])
    array([1., 3.])
    >>> where([[0.0, 2.0], [3.0, 0.0]])
    (array([0, 1]), array([1, 0]))
    """
    if isinstance(condition, _Box):
        condition = _unbox_all(condition)
    elif type(condition) in (list, tuple):
        condition = _np.asarray(condition)
    if x is _MISSING and y is _MISSING:
        return _np.nonzero(condition)
    if x is _MISSING or y is _MISSING:
        raise ValueError("where: give both x and y, or neither")
    return _R.where(condition, _in(x), _in(y))


_PAD_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")


def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = 0) -> Any:
    """Pad ``x`` as ``numpy.pad``: ``mode="constant"`` (any constant ``constant_values``),
    ``"edge"``, ``"reflect"``, ``"symmetric"`` or ``"wrap"``.

    Constant padding is zero padding plus a constant frame; the other modes gather existing
    elements, so their adjoints add up wherever one element is copied several times.

    >>> pad([1.0, 2.0], 1, constant_values=9.0)
    array([9., 1., 2., 9.])
    >>> pad([1.0, 2.0, 3.0], (2, 1), mode="reflect")
    array([3., 2., 1., 2., 3., 2.])
    """
    x = _in(x)
    s = _shape_of(x)
    pw = _np.broadcast_to(_np.asarray(pad_width, dtype=int), (len(s), 2))
    if (pw < 0).any():
        raise ValueError(f"pad: pad_width {pad_width!r} has negative entries")
    if mode == "constant":
        out = _R.pad(x, pad_width=pad_width)
        if _np.any(_np.asarray(constant_values) != 0):
            # the frame: numpy's own constant padding of zeros, so every form of
            # constant_values (scalar, (before, after), one pair per axis) means what it does there
            kind = _np.result_type(float, _np.asarray(constant_values).dtype)
            out = out + _np.pad(_np.zeros(s, dtype=kind), pw, mode="constant",
                                constant_values=constant_values)
        return out
    if mode not in _PAD_INDEX_MODES:
        raise ValueError(f"pad: mode {mode!r} has no derivative rule; use 'constant', "
                         f"{', '.join(repr(m) for m in _PAD_INDEX_MODES)}")
    for ax, (lo, hi) in enumerate(pw):
        if lo or hi:
            # which source element each padded position copies: numpy's pad of the indices
            src = _np.pad(_np.arange(s[ax]), (int(lo), int(hi)), mode=mode)
            x = x[(slice(None),) * ax + (src,)]
    return x


# ---------------------------------------------------------------- composites
# Each takes what numpy takes: a Python list or tuple, even one mixing boxes and numbers, is
# made an array first (``asarray`` stacks boxes), and axes are checked as numpy checks them.


def _in(x: Any) -> Any:
    """Lists and tuples become arrays (boxes inside are stacked); anything else passes as is."""
    return asarray(x) if type(x) in (list, tuple) else x


def _axes(axis: Any, ndim: int, fn: str, arg: str = "axis") -> tuple[int, ...]:
    """numpy's ``normalize_axis_tuple``: the axes in the order given, negatives resolved;
    numpy's AxisError (a ValueError and an IndexError) out of range, ValueError on repeats."""
    given = _as_tuple(axis)
    out = []
    for a in given:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise _np.exceptions.AxisError(
                f"{fn}: axis {a} in `{arg}` is out of bounds for an array of dimension {ndim}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{fn}: repeated axis in `{arg}` argument {given}")
    return tuple(out)


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, _np.integer))


def _as_tuple(axis: Any) -> tuple:
    return (axis,) if _is_int(axis) else tuple(axis)


def _count(shape: tuple, axis: Any) -> int:
    """How many elements a reduction over ``axis`` combines into each output (1 for a 0-D
    value, whose axis 0 numpy's reductions accept)."""
    return math.prod(shape[a] for a in _norm_axes(axis, len(shape)) if a < len(shape))


def _abs2(d: Any) -> Any:
    """``|d|²`` elementwise, real: ``d * d`` for real values (one exact multiply), and
    ``real(d * conj(d))`` for complex ones. The dtype of the plain value decides: boxes
    around it have the same kind."""
    if not _np.iscomplexobj(_unbox_all(d)):
        return d * d
    return real(d * conj(d))


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Arithmetic mean along ``axis``: ``sum / count``.

    >>> float(mean(asarray([1.0, 2.0, 6.0])))
    3.0
    >>> mean([[1.0, 2.0], [3.0, 5.0]], axis=(0, -1), keepdims=True)
    array([[2.75]])
    """
    x = _in(x)
    s = _shape_of(x)
    if axis is not None and not s:
        _axes(axis, 0, "mean")      # numpy's mean takes no axis of a 0-D value
    return sum(x, axis=axis, keepdims=keepdims) / float(_count(s, axis))


def var(x: Any, axis: Any = None, keepdims: bool = False, ddof: int = 0) -> Any:
    """Variance ``sum(|x - mean(x)|²) / (n - ddof)``, real also for complex ``x`` (numpy's).

    Where ``n - ddof <= 0`` it is numpy's value (0/0 = nan, or inf) with numpy's
    "Degrees of freedom <= 0" warning.

    >>> float(var(asarray([1.0, 3.0])))
    1.0
    >>> float(var([1j, -1j]))
    1.0
    """
    x = _in(x)
    dof = _count(_shape_of(x), axis) - ddof
    if dof <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        dof = 0
    d = x - mean(x, axis=axis, keepdims=True)
    return sum(_abs2(d), axis=axis, keepdims=keepdims) / float(dof)


def std(x: Any, axis: Any = None, keepdims: bool = False, ddof: int = 0) -> Any:
    """Standard deviation ``sqrt(var(x))`` (``ddof`` and complex input as numpy).

    Over a single element (a 0-D value, or an axis of length 1) std is identically 0, so it
    is that zero, with derivative exactly 0 rather than sqrt's ``0 · inf = nan``. Where
    n > 1 elements are all equal, std is a cone (``|x - c|`` in every direction): its
    derivative there is undefined and comes out nan, as sqrt's at 0.

    >>> float(std(asarray([1.0, 3.0])))
    1.0
    >>> import dualnum as dn
    >>> float(dn.grad(std)(3.5))
    0.0
    """
    x = _in(x)
    v = var(x, axis=axis, keepdims=keepdims, ddof=ddof)
    if _count(_shape_of(x), axis) == 1:
        return v    # x - mean(x) is exactly 0 (or 0/0 = nan where ddof >= 1): so is std
    return sqrt(v)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """``numpy.linalg.norm``: by default the Euclidean / Frobenius norm ``sqrt(sum(|x|²))``
    over all elements (real also for complex ``x``); its derivative is undefined at 0.

    ``ord`` as numpy: for vectors (``axis`` an int, or 1-D ``x``) ``inf``, ``-inf``, ``0``
    (the count of nonzeros, a constant), ``1``, ``2`` or any p; for matrices (``axis`` a pair,
    or 2-D ``x`` with ``ord`` given) ``'fro'``, ``1``, ``-1``, ``inf``, ``-inf`` (``2``,
    ``-2`` and ``'nuc'`` need singular values, which have no rule here).

    >>> float(norm(asarray([3.0, 4.0])))
    5.0
    >>> round(float(norm([1 + 2j, 3 - 1j])) ** 2, 12)
    15.0
    >>> norm([[1.0, -2.0], [3.0, 4.0]], ord=1)
    np.float64(6.0)
    """
    x = _in(x)
    nd = len(_shape_of(x))
    if axis is None:
        if ord is None or (ord in ("f", "fro") and nd == 2) or (ord == 2 and nd == 1):
            return sqrt(sum(_abs2(x), keepdims=keepdims))
        if nd not in (1, 2):
            raise ValueError(f"norm: ord={ord!r} needs a 1-D or 2-D array, not {nd}-D; "
                             "give axis")
        axes = tuple(range(nd))
    else:
        axes = _axes(axis, nd, "norm")
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"norm: axis {axis!r}: give one axis (vector norm) or two (matrix norm)")


def _vector_norm(x: Any, ord: Any, ax: int, keepdims: bool) -> Any:
    if ord is None or ord == 2:
        return sqrt(sum(_abs2(x), axis=ax, keepdims=keepdims))
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors")
    if ord == inf:
        return max(abs(x), axis=ax, keepdims=keepdims)
    if ord == -inf:
        return min(abs(x), axis=ax, keepdims=keepdims)
    if ord == 0:    # the number of nonzero elements: piecewise constant, derivative 0
        return sum(_np.asarray(x != 0, dtype=float), axis=ax, keepdims=keepdims)
    if ord == 1:
        return sum(abs(x), axis=ax, keepdims=keepdims)
    return power(sum(power(abs(x), float(ord)), axis=ax, keepdims=keepdims), 1.0 / ord)


def _matrix_norm(x: Any, ord: Any, axes: tuple, keepdims: bool) -> Any:
    row, col = axes
    if ord is None or ord in ("f", "fro"):
        out = sqrt(sum(_abs2(x), axis=axes))
    elif ord in (1, -1, inf, -inf):
        # 1: the largest column sum of |x| (sum over rows); inf: the largest row sum
        inner_ax, outer_ax = (row, col) if ord in (1, -1) else (col, row)
        pick = max if ord in (1, inf) else min
        out = pick(sum(abs(x), axis=inner_ax), axis=outer_ax - (outer_ax > inner_ax))
    elif ord in (2, -2, "nuc"):
        raise NotImplementedError(f"norm: ord={ord!r} of a matrix needs its singular values, "
                                  "which have no derivative rule in dualnum")
    else:
        raise ValueError(f"norm: invalid norm order {ord!r} for matrices")
    if keepdims:
        s = list(_shape_of(x))
        s[row] = s[col] = 1
        out = reshape(out, tuple(s))
    return out


def squeeze(x: Any, axis: Any = None) -> Any:
    """Remove axes of length one (all of them by default).

    >>> squeeze(zeros((1, 3))).shape
    (3,)
    >>> squeeze(zeros((1, 3, 1)), axis=-1).shape
    (1, 3)
    """
    x = _in(x)
    s = _shape_of(x)
    if axis is None:
        axes = tuple(i for i, n in enumerate(s) if n == 1)
    elif not s:
        _norm_axes(axis, 0)     # numpy lets a 0-D array "squeeze" its axis 0 (or -1)
        return x
    else:
        axes = _axes(axis, len(s), "squeeze")
    for a in axes:
        if s[a] != 1:
            raise ValueError(f"squeeze: cannot select axis {a}, of length {s[a]} (not 1), "
                             f"to squeeze out of shape {s}")
    return reshape(x, tuple(n for i, n in enumerate(s) if i not in axes))


def expand_dims(x: Any, axis: Any) -> Any:
    """Insert axes of length one at the positions ``axis`` (an int or a tuple) of the result.

    Axes out of range or repeated raise as in numpy (AxisError, ValueError).

    >>> expand_dims(zeros(3), 0).shape
    (1, 3)
    >>> expand_dims(zeros((2, 3)), (0, -1)).shape
    (1, 2, 3, 1)
    """
    x = _in(x)
    s = _shape_of(x)
    n = len(s) + len(_as_tuple(axis))
    axes = _axes(axis, n, "expand_dims")
    rest = iter(s)
    return reshape(x, tuple(1 if i in axes else next(rest) for i in range(n)))


def stack(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join arrays of one shape along a new axis.

    >>> stack([zeros(2), ones(2)], axis=1).shape
    (2, 2)
    >>> stack([[1.0, 2.0], [3.0, 4.0]], axis=-1)
    array([[1., 3.],
           [2., 4.]])
    """
    arrays = [_in(a) for a in arrays]
    if not arrays:
        raise ValueError("stack: need at least one array")
    shapes = {_shape_of(a) for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"stack: all arrays must have the same shape, got {sorted(shapes)}")
    return concatenate([expand_dims(a, axis) for a in arrays], axis=axis)


def moveaxis(x: Any, source: Any, destination: Any) -> Any:
    """Move axes to new positions (ints or sequences of them, as numpy); the other axes keep
    their order.

    >>> moveaxis(zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    >>> moveaxis(zeros((2, 3, 4)), (0, 1), (1, 2)).shape
    (4, 2, 3)
    """
    x = _in(x)
    n = len(_shape_of(x))
    src = _axes(source, n, "moveaxis", "source")
    dst = _axes(destination, n, "moveaxis", "destination")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: `source` {source!r} and `destination` {destination!r} "
                         "must have the same number of elements")
    order = [i for i in range(n) if i not in src]
    for d, a in sorted(zip(dst, src)):
        order.insert(d, a)
    return transpose(x, order)


def swapaxes(x: Any, axis1: int, axis2: int) -> Any:
    """Exchange two axes (numpy's ``axis1``, ``axis2``).

    >>> swapaxes(zeros((2, 3)), 0, 1).shape
    (3, 2)
    >>> swapaxes(zeros((2, 3, 4)), axis1=-1, axis2=0).shape
    (4, 3, 2)
    """
    x = _in(x)
    n = len(_shape_of(x))
    (a,), (b,) = _axes(axis1, n, "swapaxes", "axis1"), _axes(axis2, n, "swapaxes", "axis2")
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    return transpose(x, order)


def flip(x: Any, axis: Any = None) -> Any:
    """Reverse the order of elements along ``axis`` (all axes by default).

    >>> flip(asarray([1.0, 2.0, 3.0]))
    array([3., 2., 1.])
    >>> flip([[1.0, 2.0], [3.0, 4.0]], axis=-1)
    array([[2., 1.],
           [4., 3.]])
    """
    x = _in(x)
    n = len(_shape_of(x))
    axes = tuple(range(n)) if axis is None else _axes(axis, n, "flip")
    if not axes:
        return x
    return x[tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(n))]


def outer(a: Any, b: Any) -> Any:
    """``a[i] * b[j]`` for flattened a, b (scalars count as 1-element vectors).

    >>> outer(asarray([1.0, 2.0]), asarray([3.0, 4.0]))
    array([[3., 4.],
           [6., 8.]])
    """
    return reshape(_in(a), (-1, 1)) * reshape(_in(b), (1, -1))


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum products over the given axes (numpy's convention), via ``einsum``: ``axes=k`` pairs
    the last k axes of ``a`` with the first k of ``b``; ``axes=(ax_a, ax_b)`` names them.

    >>> tensordot(ones((2, 3)), ones((3, 4)), axes=1).shape
    (2, 4)
    >>> tensordot(ones((3, 2)), ones((4, 3)), axes=(0, -1)).shape
    (2, 4)
    """
    a, b = _in(a), _in(b)
    sa_shape, sb_shape = _shape_of(a), _shape_of(b)
    na, nb = len(sa_shape), len(sb_shape)
    if _is_int(axes):
        if not 0 <= axes <= builtins.min(na, nb):
            raise ValueError(f"tensordot: axes={axes} for shapes {sa_shape} and {sb_shape}")
        ax_a, ax_b = tuple(range(na - axes, na)), tuple(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = _axes(ax_a, na, "tensordot", "axes[0]")
        ax_b = _axes(ax_b, nb, "tensordot", "axes[1]")
        if len(ax_a) != len(ax_b):
            raise ValueError(f"tensordot: shape-mismatch for sum: axes {axes!r} pair "
                             f"{len(ax_a)} axes of a with {len(ax_b)} of b")
    for i, j in zip(ax_a, ax_b):
        if sa_shape[i] != sb_shape[j]:
            raise ValueError(f"tensordot: shapes {sa_shape} and {sb_shape}: axis {i} "
                             f"({sa_shape[i]}) does not match axis {j} ({sb_shape[j]})")
    if not ax_a:    # nothing to contract: the outer product, scalars included
        return reshape(a, sa_shape + (1,) * nb) * b
    letters = iter("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for i, j in zip(ax_a, ax_b):
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
    a, b = _in(a), _in(b)
    na, nb = len(_shape_of(a)), len(_shape_of(b))
    if na == 0 or nb == 0:
        return a * b
    if na <= 2 and nb <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([-1], [builtins.max(nb - 2, 0)]))


def inner(a: Any, b: Any) -> Any:
    """Sum of products over the last axes; a scalar simply multiplies (numpy's ``inner``).

    >>> float(inner(asarray([1.0, 2.0]), asarray([3.0, 4.0])))
    11.0
    >>> inner(1.5, asarray([1.0, 2.0]))
    array([1.5, 3. ])
    """
    a, b = _in(a), _in(b)
    if not _shape_of(a) or not _shape_of(b):
        return a * b
    return tensordot(a, b, axes=([-1], [-1]))


def _diag_index(n1: int, n2: int, offset: int) -> tuple[_np.ndarray, _np.ndarray]:
    """Row and column indices of the ``offset``-th diagonal of an ``n1 × n2`` matrix (above
    the main one for offset > 0, below for offset < 0; empty when it falls outside)."""
    if offset >= 0:
        m = builtins.max(0, builtins.min(n1, n2 - offset))
        return _np.arange(m), _np.arange(m) + offset
    m = builtins.max(0, builtins.min(n1 + offset, n2))
    return _np.arange(m) - offset, _np.arange(m)


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The ``offset``-th diagonal of the matrices spanned by ``axis1`` and ``axis2``, as the
    last axis of the result (numpy's ``diagonal``).

    >>> diagonal(arange(12).reshape(3, 4), offset=1)
    array([ 1.,  6., 11.])
    >>> diagonal(arange(24).reshape(2, 3, 4), axis1=1, axis2=2)
    array([[ 0.,  5., 10.],
           [12., 17., 22.]])
    """
    x = _in(x)
    s = _shape_of(x)
    if len(s) < 2:
        raise ValueError(f"diagonal: needs an array of at least two dimensions, got shape {s}")
    (a1,), (a2,) = _axes(axis1, len(s), "diagonal", "axis1"), _axes(axis2, len(s), "diagonal",
                                                                      "axis2")
    if a1 == a2:
        raise ValueError(f"diagonal: axis1 and axis2 cannot be the same (both {a1})")
    rows, cols = _diag_index(s[a1], s[a2], operator.index(offset))
    rest = [i for i in range(len(s)) if i not in (a1, a2)]
    return transpose(x, rest + [a1, a2])[(Ellipsis, rows, cols)]


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """Sum along a diagonal (numpy's ``trace``): over ``axis1`` and ``axis2`` (the first two
    by default, so a 3-D array gives one trace per index of its last axis), ``offset`` above
    (> 0) or below (< 0) the main diagonal; non-square matrices too.

    >>> float(trace(eye(3)))
    3.0
    >>> trace(arange(24).reshape(2, 3, 4))
    array([16., 18., 20., 22.])
    >>> float(trace(arange(6).reshape(2, 3), offset=-1))
    3.0
    """
    return sum(diagonal(x, offset=offset, axis1=axis1, axis2=axis2), axis=-1)


def diag(v: Any, k: int = 0) -> Any:
    """numpy's ``diag``: of a matrix, its ``k``-th diagonal; of a vector, the square matrix with
    the vector on its ``k``-th diagonal and zeros elsewhere.

    >>> diag(asarray([[1.0, 2.0], [3.0, 4.0]]))
    array([1., 4.])
    >>> diag(asarray([1.0, 2.0]), k=1)
    array([[0., 1., 0.],
           [0., 0., 2.],
           [0., 0., 0.]])
    """
    v = _in(v)
    s = _shape_of(v)
    if len(s) == 2:
        return diagonal(v, offset=k)
    if len(s) != 1:
        raise ValueError(f"diag: input must be 1- or 2-d, got shape {s}")
    n = s[0] + builtins.abs(operator.index(k))
    return _R.index_add(v, _diag_index(n, n, operator.index(k)), shape=(n, n))


_CUMSUM_MATMUL = 256    # axis length up to which cumsum is one product with a triangle of ones


def cumsum(x: Any, axis: int | None = None) -> Any:
    """Running sum along ``axis``; by default of the flattened array, as numpy.

    Up to 256 elements along the axis it is one product with a triangular matrix of ones;
    longer axes take log2(n) shifted additions (a prefix scan) instead of an n × n matrix.

    >>> cumsum(asarray([[1.0, 2.0], [3.0, 4.0]]))
    array([ 1.,  3.,  6., 10.])
    >>> cumsum(asarray([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    array([[1., 2.],
           [4., 6.]])
    """
    x = _in(x)
    if axis is None:
        x, axis = reshape(x, -1), 0
    elif not _shape_of(x):
        _norm_axes(axis, 0)     # a 0-D value has one element along numpy's axis 0 (or -1)
        x, axis = reshape(x, (1,)), 0
    s = _shape_of(x)
    (ax,) = _axes(axis, len(s), "cumsum")
    moved = moveaxis(x, ax, -1)
    n = s[ax]
    if n <= _CUMSUM_MATMUL:
        out = matmul(moved, _np.triu(_np.ones((n, n))))
    else:
        # Hillis-Steele scan: after the step with shift k each entry holds the sum of the
        # 2k entries ending at it
        out, k = moved, 1
        while k < n:
            out = out + pad(out[..., :-k], ((0, 0),) * (len(s) - 1) + ((k, 0),))
            k *= 2
    return moveaxis(out, -1, ax)


def fmax(x: Any, y: Any) -> Any:
    """numpy's ``fmax``: the larger of ``x`` and ``y``, ignoring nan (nan only where both are);
    the derivative follows the side chosen (``maximum``'s tie rule between equal values).

    >>> fmax(asarray([1.0, nan, 3.0]), asarray([2.0, 5.0, nan]))
    array([2., 5., 3.])
    """
    x, y = _in(x), _in(y)
    return where(_nan_at(y), x, where(_nan_at(x), y, maximum(x, y)))


def fmin(x: Any, y: Any) -> Any:
    """numpy's ``fmin``: the smaller of ``x`` and ``y``, ignoring nan (nan only where both are).

    >>> fmin(asarray([1.0, nan, 3.0]), asarray([2.0, 5.0, nan]))
    array([1., 5., 3.])
    """
    x, y = _in(x), _in(y)
    return where(_nan_at(y), x, where(_nan_at(x), y, minimum(x, y)))


def _nan_at(x: Any) -> Any:
    """Where the (primal) value is nan: a constant mask, for fmax/fmin's choice of side."""
    return _np.isnan(_unbox_all(x))


def reciprocal(x: Any) -> Any:
    """``1 / x``, in floating point also for integer input (numpy's integer ``reciprocal``
    truncates, 1/2 -> 0, which has no derivative).

    >>> reciprocal(4.0)
    0.25
    >>> reciprocal([2, 4])
    array([0.5 , 0.25])
    """
    return divide(1.0, _in(x))


def softsign(x: Any) -> Any:
    """``x / (1 + |x|)``.

    >>> softsign(1.0)
    0.5
    >>> softsign([-3.0, 0.0])
    array([-0.75,  0.  ])
    """
    x = _in(x)
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
    return _np.zeros(_shape_of(_in(x)), dtype=_kind(x))


def ones_like(x: Any) -> _np.ndarray:
    """Constant ones with ``x``'s shape.

    >>> ones_like(zeros(2))
    array([1., 1.])
    """
    return _np.ones(_shape_of(_in(x)), dtype=_kind(x))


def _kind(x: Any) -> type:
    """complex for complex values (as numpy's ``*_like``), float for everything else."""
    return complex if _np.iscomplexobj(_unbox_all(_in(x))) else float


def full(shape: Any, value: Any, dtype: Any = None) -> _np.ndarray:
    """A constant array (float for integer or boolean fill values, as ``asarray``).

    >>> full(2, 7)
    array([7., 7.])
    >>> full(1, 1j)
    array([0.+1.j])
    """
    a = _np.full(shape, value, dtype=dtype)
    return a.astype(float) if dtype is None and a.dtype.kind in "iub" else a


def eye(n: int, m: int | None = None, k: int = 0) -> _np.ndarray:
    """Constant identity matrix (ones on the ``k``-th diagonal of an ``n × m`` matrix).

    >>> eye(2)
    array([[1., 0.],
           [0., 1.]])
    >>> eye(2, 3, k=1)
    array([[0., 1., 0.],
           [0., 0., 1.]])
    """
    return _np.eye(n, m, k)


def arange(*args: Any) -> _np.ndarray:
    """Constant evenly spaced values (float64).

    >>> arange(3)
    array([0., 1., 2.])
    """
    return _np.arange(*args, dtype=float)


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True,
             retstep: bool = False, dtype: Any = None, axis: int = 0) -> Any:
    """``num`` evenly spaced values from ``start`` to ``stop`` (numpy's ``linspace``):
    ``(1 - t) * start + t * stop`` with constant ``t = i / (num - 1)`` (``i / num`` with
    ``endpoint=False``), so it is differentiable in ``start`` and ``stop`` (both ends exact),
    and constant for constant ends. Array ends give one row of samples per ``t`` along
    ``axis``; ``dtype`` applies to constants only.

    >>> linspace(0.0, 1.0, 3)
    array([0. , 0.5, 1. ])
    >>> import dualnum as dn
    >>> dn.derivative(lambda b: linspace(0.0, b, 3), 2.0)
    array([0. , 0.5, 1. ])
    """
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"linspace: number of samples, {num}, must be non-negative")
    start, stop = _in(start), _in(stop)
    nd = builtins.max(len(_shape_of(start)), len(_shape_of(stop)))
    div = num - 1 if endpoint else num
    t = reshape(arange(num) / float(builtins.max(div, 1)), (num,) + (1,) * nd)
    out = (1.0 - t) * start + t * stop
    (ax,) = _axes(axis, nd + 1, "linspace")
    if ax:
        out = moveaxis(out, 0, ax)
    out = _as_dtype(out, dtype, "linspace")
    if retstep:
        return out, ((stop - start) / float(div) if div > 0 else nan)
    return out


def _as_dtype(out: Any, dtype: Any, fn: str) -> Any:
    """A constant result in ``dtype`` (flooring for integers, as numpy's linspace)."""
    if dtype is None:
        return out
    if isinstance(out, _Box):
        raise TypeError(f"{fn}: dtype= applies to constant results, not differentiable ones")
    kind = _np.dtype(dtype)
    out = _np.asarray(out)
    return (_np.floor(out) if kind.kind in "iu" else out).astype(kind)


def shape(x: Any) -> tuple:
    """The shape of a plain or boxed value.

    >>> import dualnum as dn
    >>> shape(dn.Dual(zeros((2, 3)), ones((2, 3))))
    (2, 3)
    """
    return _shape_of(_in(x))


def ndim(x: Any) -> int:
    """The number of dimensions of a plain or boxed value.

    >>> ndim(zeros((2, 3)))
    2
    """
    return len(_shape_of(_in(x)))


def size(x: Any) -> int:
    """The number of elements of a plain or boxed value.

    >>> size(zeros((2, 3)))
    6
    """
    return math.prod(_shape_of(_in(x)))


def argmax(x: Any, axis: Any = None) -> Any:
    """Index of the largest element (an integer: not differentiable).

    >>> int(argmax(asarray([1.0, 5.0, 2.0])))
    1
    """
    return _np.argmax(_unbox_all(_in(x)), axis=axis)


def argmin(x: Any, axis: Any = None) -> Any:
    """Index of the smallest element (an integer: not differentiable).

    >>> int(argmin(asarray([1.0, 5.0, 2.0])))
    0
    """
    return _np.argmin(_unbox_all(_in(x)), axis=axis)


def isfinite(x: Any) -> Any:
    """Elementwise finiteness of the (primal) value.

    >>> isfinite(asarray([1.0, inf])).tolist()
    [True, False]
    """
    return _np.isfinite(_unbox_all(_in(x)))


def value(x: Any) -> Any:
    """The plain number inside any nesting of boxes (primal of primal of ...).

    >>> import dualnum as dn
    >>> value(dn.Dual(2.0, 1.0))
    2.0
    >>> value([dn.Dual(2.0, 1.0), 3.0])
    array([2., 3.])
    """
    if type(x) in (list, tuple) and any(isinstance(v, _Box) for v in _flat(x)):
        x = asarray(x)      # a list with boxes inside: the array of their values
    return _unbox_all(x)


# the rows of the table, each under its own name (a primitive, or a wrapper with numpy's
# signature that calls it), and numpy's other names for some of them; getitem and index_add
# are reached through x[idx] and indexing's VJP, not by name
_ALIASES = ("absolute", "true_divide", "step", "amax", "amin", "conjugate")
PRIMITIVES = tuple(p.name for p in _R.all_rules()
                   if p.name not in ("getitem", "index_add")) + _ALIASES
COMPOSITES = (
    "mean", "var", "std", "norm", "squeeze", "expand_dims", "stack", "moveaxis", "swapaxes",
    "flip", "outer", "tensordot", "dot", "inner", "trace", "diagonal", "diag", "cumsum",
    "reciprocal", "softsign", "linspace", "fmax", "fmin",
)
CONSTANTS = (
    "asarray", "array", "zeros", "ones", "zeros_like", "ones_like", "full", "eye", "arange",
    "shape", "ndim", "size", "argmax", "argmin", "isfinite", "value",
    "pi", "e", "inf", "nan", "newaxis",
)
__all__ = list(PRIMITIVES + COMPOSITES + CONSTANTS)
