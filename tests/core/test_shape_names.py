"""The shape and indexing names of issue 13 (joining, splitting, gathers, index_add,
rearranging, kron, cross, meshgrid, r_, c_): derivatives in both modes against central
differences, second order against finite differences (check_grads), ``np.<name>(box)``
reaching dnp, numpy's warnings, clear errors, and the symbolic interpreter.

Values against numpy, name by name with keywords and edge shapes, are in
test_numpy_values_indexing.py; here only the derivatives and the behaviour around them.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.comparisons import check_grads

from .refs import assert_close, central_gradient

RNG = np.random.default_rng(1331)


def u(*shape: int) -> np.ndarray:
    return RNG.uniform(-2.0, 2.0, size=shape)


def _flat(out) -> object:
    """One vector of a result that may be a tuple or list of arrays (split, meshgrid)."""
    if isinstance(out, (tuple, list)):
        return dnp.concatenate([dnp.ravel(p) for p in out]) if out else np.zeros(0)
    return dnp.ravel(out)


_ORDER = np.argsort(u(3, 4), axis=0)
_C34 = u(3, 4)

# label -> (f, x): f maps x to an array (or a tuple/list of arrays)
DERIVATIVES = {
    "atleast_1d": (dnp.atleast_1d, 0.7),
    "atleast_2d several": (lambda x: dnp.atleast_2d(x, x[0] * x), u(3)),
    "atleast_3d": (dnp.atleast_3d, u(2, 3)),
    "vstack": (lambda x: dnp.vstack([x, x * x]), u(3)),
    "hstack": (lambda x: dnp.hstack([x, dnp.sin(x)]), u(2, 3)),
    "dstack": (lambda x: dnp.dstack([x, np.ones((2, 2)), x ** 3]), u(2, 2)),
    "column_stack": (lambda x: dnp.column_stack([x, x ** 2, np.ones(3)]), u(3)),
    "append": (lambda x: dnp.append(x, x[:1] * 2.0), u(2, 3)),
    "append axis": (lambda x: dnp.append(x, x * x, axis=1), u(2, 3)),
    "split": (lambda x: dnp.split(x * x, 3, axis=1), u(2, 3)),
    "array_split": (lambda x: dnp.array_split(dnp.exp(x), 3), u(5)),
    "array_split points": (lambda x: dnp.array_split(x, [1, 1, 3], axis=-1), u(2, 4)),
    "vsplit": (lambda x: dnp.vsplit(x, [1])[1] * dnp.vsplit(x, 2)[0][:1], u(4, 2)),
    "hsplit": (lambda x: dnp.hsplit(x ** 2, [1, 3]), u(2, 4)),
    "dsplit": (lambda x: dnp.dsplit(x, 2)[1], u(1, 2, 4)),
    "take": (lambda x: dnp.take(x, [[0, 5], [5, -1]]), u(2, 3)),
    "take clip": (lambda x: dnp.take(x * x, [0, 2, 2, 9], axis=1, mode="clip"), u(2, 3)),
    "take wrap": (lambda x: dnp.take(x, [-4, 4], axis=0, mode="wrap"), u(3, 2)),
    "take_along_axis": (lambda x: dnp.take_along_axis(x, _ORDER, axis=0), u(3, 4)),
    "take_along_axis repeats": (lambda x: dnp.take_along_axis(x, np.array([[0, 0, 3]]), -1),
                                u(3, 4)),
    "index_add x": (lambda x: dnp.index_add(x * x, (0, [1, 1, 2]), x[1, :3]), u(3, 4)),
    "index_add values": (lambda v: dnp.index_add(_C34, [0, 0, 2], v), u(3, 4)),
    "index_add mask": (lambda v: dnp.index_add(_C34, _C34 > 0, v), u(int((_C34 > 0).sum()))),
    "index_add broadcast": (lambda v: dnp.index_add(_C34, (slice(None), [0, 0]), v), u(1, 2)),
    "repeat": (lambda x: dnp.repeat(x, 2), u(2, 3)),
    "repeat counts": (lambda x: dnp.repeat(x, [2, 0, 1], axis=1), u(2, 3)),
    "tile": (lambda x: dnp.tile(x, (2, 1, 2)), u(2, 3)),
    "roll": (lambda x: dnp.roll(x, (1, -2), axis=(0, 1)), u(3, 4)),
    "roll flat": (lambda x: dnp.roll(x, 5), u(3, 4)),
    "tril": (lambda x: dnp.tril(x, -1), u(3, 3)),
    "triu batched": (lambda x: dnp.triu(x, 1), u(2, 3, 4)),
    "tril of a vector": (lambda x: dnp.tril(x), u(3)),
    "ravel F": (lambda x: dnp.ravel(x, order="F"), u(2, 3)),
    "flipud": (dnp.flipud, u(3, 2)),
    "fliplr": (dnp.fliplr, u(2, 3, 2)),
    "rot90": (lambda x: dnp.rot90(x), u(2, 3)),
    "rot90 k=2": (lambda x: dnp.rot90(x, 2), u(2, 3)),
    "rot90 axes": (lambda x: dnp.rot90(x, -1, axes=(1, 2)), u(2, 3, 2)),
    "rollaxis": (lambda x: dnp.rollaxis(x, 2, 1), u(2, 3, 2)),
    "kron": (lambda x: dnp.kron(x, [[1.0, -2.0]]), u(2, 2)),
    "kron square": (lambda x: dnp.kron(x, x), u(2, 2)),
    "kron mixed": (lambda x: dnp.kron(x[0], x), u(2, 3)),
    "cross": (lambda x: dnp.cross(x[:3], x[3:]), u(6)),
    "cross batched": (lambda x: dnp.cross(x[:, :3], x[0, 3:], axisc=0), u(2, 6)),
    "cross axis": (lambda x: dnp.cross(x, x * x, axis=0), u(3, 2)),
    "meshgrid": (lambda x: dnp.meshgrid(x, x[:2] ** 2), u(3)),
    "meshgrid ij sparse": (lambda x: dnp.meshgrid(x, x ** 3, x, indexing="ij", sparse=True),
                           u(2)),
    "r_": (lambda x: dnp.r_[x, 0.0, 1:3, x * x], u(3)),
    "r_ linspace ends": (lambda x: dnp.r_[x[0]:x[1]:4j], u(2)),
    "r_ directive": (lambda x: dnp.r_["0,2,0", x, x * x], u(3)),
    "c_": (lambda x: dnp.c_[x, x * x, 0:3], u(3)),
    "einsum sublists": (lambda x: dnp.einsum(x, [0, 1], x * x, [1, 2], [0, 2]), u(3, 3)),
    "einsum sublists ellipsis": (lambda x: dnp.einsum(x, [Ellipsis, 0], [Ellipsis]), u(2, 3)),
    "swapaxes keywords": (lambda x: dnp.swapaxes(x, axis1=-1, axis2=0), u(2, 3, 2)),
}


def _quiet(f):
    def run(x):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # 2-vectors (cross), row_stack
            return f(x)
    return run


DERIVATIVES["cross 2-vectors"] = (_quiet(lambda x: dnp.cross(x[:2], x[2:] * x[2:])), u(4))
DERIVATIVES["cross 2 and 3"] = (_quiet(lambda x: dnp.cross(x[:, :2], x[:, 2:])), u(2, 5))
if hasattr(dnp, "row_stack"):
    DERIVATIVES["row_stack"] = (_quiet(lambda x: dnp.row_stack([x, dnp.exp(x)])), u(3))


@pytest.mark.parametrize("label", sorted(DERIVATIVES))
def test_jacobians_against_central_differences(label):
    f, x = DERIVATIVES[label]
    x = np.asarray(x, dtype=float)
    g = lambda v: _flat(f(v))
    ref = central_gradient(lambda v: np.asarray(g(v.reshape(x.shape))), x.ravel())
    Jf = np.asarray(dn.jacfwd(g)(x)).reshape(ref.shape)
    Jr = np.asarray(dn.jacrev(g)(x)).reshape(ref.shape)
    assert_close(Jf, ref, 1e-7, 1e-8, f"{label} forward")
    assert_close(Jr, ref, 1e-7, 1e-8, f"{label} reverse")


@pytest.mark.parametrize("label", ["repeat counts", "tile", "roll", "take clip", "index_add x",
                                   "index_add values", "kron square", "cross", "cross batched",
                                   "r_ linspace ends", "rot90 axes", "tril", "meshgrid",
                                   "split", "take_along_axis repeats", "c_"])
def test_second_order(label):
    f, x = DERIVATIVES[label]
    x = np.asarray(x, dtype=float)
    w = RNG.uniform(0.5, 1.5, size=np.shape(_flat(f(x))))
    # a smooth non-quadratic scalar of the result, so the Hessian sees the op twice
    check_grads(lambda v: dnp.sum(w * dnp.sin(_flat(f(v)))), (x,),
                modes=("forward", "reverse"), references=("central",), order=2)


def test_index_add_accumulates_like_add_at():
    # a position listed twice gets both values; each value's gradient is the cotangent there
    w = np.array([1.0, 10.0, 100.0])
    g = dn.grad(lambda v: dnp.sum(dnp.index_add(np.zeros(3), [0, 2, 0], v) * w))(u(3))
    np.testing.assert_array_equal(g, [1.0, 100.0, 1.0])
    gx = dn.grad(lambda x: dnp.sum(dnp.index_add(x, [0, 2, 0], 5.0) * w))(u(3))
    np.testing.assert_array_equal(gx, w)      # x passes through unchanged
    x0 = u(3)
    out = dnp.index_add(x0, [0, 2, 0], [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x0 + [4.0, 0.0, 2.0], out)   # x itself is not written


# name -> a call of numpy's function with a box b of shape (2, 3) (numpy dispatches to dnp)
NUMPY_CALLS = {
    "atleast_1d": lambda m, b: m.atleast_1d(b[0, 0]),
    "atleast_2d": lambda m, b: m.atleast_2d(b[0]),
    "atleast_3d": lambda m, b: m.atleast_3d(b),
    "vstack": lambda m, b: m.vstack([b, b[:1]]),
    "hstack": lambda m, b: m.hstack((b, b)),
    "dstack": lambda m, b: m.dstack([b, b]),
    "column_stack": lambda m, b: m.column_stack([b[0], b[1]]),
    "append": lambda m, b: m.append(b, b[0], axis=None),
    "split": lambda m, b: m.split(b, 3, axis=1)[2],
    "array_split": lambda m, b: m.array_split(b, 2, axis=-1)[0],
    "vsplit": lambda m, b: m.vsplit(b, 2)[1],
    "hsplit": lambda m, b: m.hsplit(b, [1])[1],
    "dsplit": lambda m, b: m.dsplit(m.atleast_3d(b), 1)[0],
    "take": lambda m, b: m.take(b, [4, 0], mode="clip"),
    "take_along_axis": lambda m, b: m.take_along_axis(b, np.array([[1, 0, 1]]), axis=0),
    "repeat": lambda m, b: m.repeat(b, 2, axis=0),
    "tile": lambda m, b: m.tile(b, 2),
    "roll": lambda m, b: m.roll(b, 1, axis=-1),
    "tril": lambda m, b: m.tril(b, k=1),
    "triu": lambda m, b: m.triu(b),
    "ravel": lambda m, b: m.ravel(b, order="F"),
    "flipud": lambda m, b: m.flipud(b),
    "fliplr": lambda m, b: m.fliplr(b),
    "rot90": lambda m, b: m.rot90(b, k=3),
    "rollaxis": lambda m, b: m.rollaxis(b, 1),
    "kron": lambda m, b: m.kron(b, b),
    "cross": lambda m, b: m.cross(b, b * b),
    "meshgrid": lambda m, b: m.meshgrid(b[0], b[1], indexing="ij")[1],
    "swapaxes": lambda m, b: m.swapaxes(b, axis1=0, axis2=1),
    "einsum": lambda m, b: m.einsum(b, [0, 1], [1]),
}


SHAPE_NAMES = (
    "atleast_1d atleast_2d atleast_3d vstack hstack dstack column_stack append split "
    "array_split vsplit hsplit dsplit take take_along_axis index_add repeat tile roll tril "
    "triu ravel flipud fliplr rot90 rollaxis kron cross meshgrid r_ c_").split()


def test_every_name_is_public_and_has_a_numpy_call():
    assert set(SHAPE_NAMES) <= set(dnp.COMPOSITES)
    assert ("row_stack" in dnp.__all__) == hasattr(np, "row_stack")
    not_numpy_functions = {"index_add", "r_", "c_"}    # dnp's own, or objects numpy indexes
    assert set(SHAPE_NAMES) - not_numpy_functions <= set(NUMPY_CALLS)


@pytest.mark.parametrize("name", sorted(NUMPY_CALLS))
def test_numpy_functions_on_boxes_reach_dnp(name):
    call = NUMPY_CALLS[name]
    x = u(2, 3)
    t = RNG.standard_normal((2, 3))
    want = call(dnp, dn.Dual(x, t))
    got = call(np, dn.Dual(x, t))
    assert isinstance(got, dn.Dual), f"np.{name} on a Dual returned {type(got).__name__}"
    np.testing.assert_allclose(got.primal, call(np, x), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(got.tangent, want.tangent, rtol=1e-14, atol=1e-15)
    with dn.Tape() as tape:
        v = tape.var(x)
        out = call(np, v)
    assert isinstance(out, dn.TapeVar)
    np.testing.assert_allclose(out.value, call(np, x), rtol=1e-14, atol=1e-15)


def test_row_stack_and_two_vector_cross_warn_as_numpy_does():
    a, b = u(2), u(2)
    for f in (lambda m: m.cross(a, b), lambda m: m.cross(u(3), b)):
        with pytest.warns(DeprecationWarning, match="2-dimensional vectors are deprecated"):
            f(np)
        with pytest.warns(DeprecationWarning, match="2-dimensional vectors are deprecated"):
            f(dnp)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dnp.cross(u(3), u(3))               # 3-vectors: no warning
    if hasattr(np, "row_stack"):
        for m in (np, dnp):
            with pytest.warns(DeprecationWarning, match="`row_stack` alias is deprecated"):
                m.row_stack([a, b])
    else:
        assert not hasattr(dnp, "row_stack")


@pytest.mark.parametrize("call, err, match", [
    (lambda: dnp.split(np.zeros(4), 3), ValueError, r"split: array split does not result in an "
                                                    r"equal division \(4 elements"),
    (lambda: dnp.split(np.zeros(4), 0), ValueError, r"number sections must be larger than 0"),
    (lambda: dnp.array_split(np.zeros(4), -1), ValueError, r"larger than 0, got -1"),
    (lambda: dnp.array_split(np.zeros(()), 1), IndexError, r"array_split: axis 0"),
    (lambda: dnp.vsplit(np.zeros(3), 1), ValueError, r"vsplit only works on arrays of 2 or "
                                                     r"more dimensions, got shape \(3,\)"),
    (lambda: dnp.dsplit(np.zeros((2, 2)), 1), ValueError, r"dsplit only works"),
    (lambda: dnp.hsplit(np.zeros(()), 1), ValueError, r"hsplit only works"),
    (lambda: dnp.vstack(x for x in [np.zeros(2)]), TypeError, r"vstack: arrays to stack must "
                                                             r"be passed as a \"sequence\""),
    (lambda: dnp.vstack([np.zeros(2), np.zeros(3)]), ValueError, r"concatenate: shapes"),
    (lambda: dnp.vstack([dn.Dual(np.ones(2), np.ones(2))], dtype=int), TypeError,
     r"vstack: dtype=int64 for a differentiable value"),
    (lambda: dnp.hstack([[1.5]], dtype=int), TypeError, r"hstack: cannot cast.*'same_kind'"),
    (lambda: dnp.take(np.zeros(3), [3]), IndexError, r"index 3 is out of bounds"),
    (lambda: dnp.take(np.zeros(3), [0], out=np.zeros(1)), TypeError, r"take: out= is not"),
    (lambda: dnp.take(np.zeros(3), dn.Dual(0.0, 1.0)), TypeError,
     r"take: an index must be plain"),
    (lambda: dnp.take(np.zeros((2, 3)), [0], axis=2), IndexError, r"take: axis 2"),
    (lambda: dnp.take_along_axis(np.zeros((2, 3)), np.zeros((2, 3)), 1), IndexError,
     r"`indices` must be an integer array, got dtype float64"),
    (lambda: dnp.take_along_axis(np.zeros((2, 3)), np.zeros(3, int), 1), ValueError,
     r"same number of dimensions, got shapes \(3,\) and \(2, 3\)"),
    (lambda: dnp.take_along_axis(np.zeros((2, 3)), np.zeros((1, 1), int), None), ValueError,
     r"when axis=None, `indices` must have a single dimension"),
    (lambda: dnp.index_add(np.zeros(3), [3], 1.0), IndexError, r"index_add: index .*shape "
                                                               r"\(3,\)"),
    (lambda: dnp.index_add(np.zeros(3), [0, 1], [1.0, 2.0, 3.0]), ValueError,
     r"index_add: values of shape \(3,\) cannot be broadcast to the indexed shape \(2,\)"),
    (lambda: dnp.index_add(np.zeros(3), dn.Dual(0.0, 1.0), 1.0), TypeError,
     r"index_add: an index must be plain"),
    (lambda: dnp.repeat(np.zeros(3), -2), ValueError, r"repeat: repeats may not contain "
                                                      r"negative values, got -2"),
    (lambda: dnp.repeat(np.zeros(3), [1, 2]), ValueError, r"broadcast"),
    (lambda: dnp.repeat(np.zeros(3), 1, axis=1), IndexError, r"repeat: axis 1"),
    (lambda: dnp.tile(np.zeros(3), (2, -1)), ValueError, r"tile: negative dimensions"),
    (lambda: dnp.tile(np.zeros(3), 1.5), TypeError, r"float"),
    (lambda: dnp.roll(np.zeros((2, 3)), [[1]], axis=0), ValueError,
     r"roll: 'shift' and 'axis' should be scalars or 1D sequences"),
    (lambda: dnp.roll(np.zeros((2, 3)), 1, axis=2), IndexError, r"roll: axis 2"),
    (lambda: dnp.tril(3.0), TypeError, r"tril: needs an array of at least one dimension"),
    (lambda: dnp.triu(np.array(3.0)), TypeError, r"triu: needs an array"),
    (lambda: dnp.ravel(np.zeros(3), order="A"), ValueError, r"order='A' follows memory layout"),
    (lambda: dnp.ravel(np.zeros(3), order="X"), ValueError, r"order must be one of"),
    (lambda: dnp.flipud(1.0), ValueError, r"flipud: Input must be >= 1-d"),
    (lambda: dnp.fliplr(np.zeros(3)), ValueError, r"fliplr: Input must be >= 2-d, got shape"),
    (lambda: dnp.rot90(np.zeros((2, 2)), axes=(0,)), ValueError, r"rot90: len\(axes\) must"),
    (lambda: dnp.rot90(np.zeros((2, 2)), axes=(1, -1)), ValueError, r"Axes must be different"),
    (lambda: dnp.rot90(np.zeros((2, 2)), axes=(0, 3)), ValueError, r"out of range for array "
                                                                   r"of ndim=2"),
    (lambda: dnp.rollaxis(np.zeros((2, 3)), 0, 3), np.exceptions.AxisError,
     r"'start' arg requires -2 <= start < 3, but 3 was passed in"),
    (lambda: dnp.rollaxis(np.zeros((2, 3)), 2), np.exceptions.AxisError, r"rollaxis: axis 2"),
    (lambda: dnp.cross(np.zeros(4), np.zeros(3)), ValueError, r"dimension must be 2 or 3\), "
                                                              r"got vectors of length 4 and 3"),
    (lambda: dnp.cross(1.0, np.zeros(3)), ValueError, r"At least one array has zero dimension"),
    (lambda: dnp.cross(np.zeros(3), np.zeros(3), axisc=1), np.exceptions.AxisError,
     r"cross: axis 1 in `axisc`"),
    (lambda: dnp.cross(np.zeros((2, 3)), np.zeros(3), axisa=2), np.exceptions.AxisError,
     r"`axisa`"),
    (lambda: dnp.meshgrid([1.0], indexing="yx"), ValueError, r"'xy' and 'ij', got 'yx'"),
    (lambda: dnp.r_["1,2", [1.0], "0"], ValueError, r"special directives must be the first "
                                                    r"entry"),
    (lambda: dnp.r_["r", [1.0]], ValueError, r"matrix directive 'r'"),
    (lambda: dnp.r_["1, 2; 3, 4"], ValueError, r"matrix strings"),
    (lambda: dnp.r_["x", [1.0]], ValueError, r"unknown special directive 'x'"),
    (lambda: dnp.r_[()], ValueError, r"concatenate: need at least one array"),
    (lambda: dnp.r_[dn.Dual(0.0, 1.0):3.0], TypeError, r"imaginary step"),
    (lambda: dnp.append(np.zeros((2, 2)), np.zeros(2), axis=0), ValueError, r"concatenate"),
])
def test_errors_name_the_function_and_argument(call, err, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(err, match=match):
            call()


def test_r_and_c_look_like_numpys():
    assert len(dnp.r_) == 0 and len(dnp.c_) == 0
    assert repr(dnp.r_) == "dualnum.numpy.r_"
    x = dn.Dual(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    out = dnp.c_[x, 3.0 * x]
    np.testing.assert_array_equal(out.primal, [[1.0, 3.0], [2.0, 6.0]])
    np.testing.assert_array_equal(out.tangent, [[1.0, 3.0], [0.0, 0.0]])


def test_the_symbolic_interpreter_runs_the_same_names():
    a, b, c, d = sympy.symbols("a b c d")
    v = np.array([a, b, c], dtype=object)
    w = np.array([d, 1, 2], dtype=object)
    M = np.array([[a, b], [c, d]], dtype=object)
    same = lambda got, want: all(sympy.simplify(sympy.nsimplify(g - h)) == 0
                                 for g, h in zip(np.ravel(got), np.ravel(want)))
    assert same(dnp.cross(v, w), [2 * b - c, c * d - 2 * a, a - b * d])
    assert same(dnp.kron(M, [1, 2]), [[a, 2 * a, b, 2 * b], [c, 2 * c, d, 2 * d]])
    assert same(dnp.tril(M), [[a, 0], [c, d]])
    assert same(dnp.rot90(M), [[b, d], [a, c]])
    assert same(dnp.repeat(v, [1, 0, 2]), [a, c, c])
    assert same(dnp.roll(v, 1), [c, a, b])
    assert same(dnp.index_add(v, [0, 0], [d, 1]), [a + d + 1, b, c])
    assert same(dnp.r_[v, w], [a, b, c, d, 1, 2])
    assert same(dnp.take_along_axis(M, np.array([[1], [0]]), 1), [[b], [c]])
