"""Boxes behave like arrays (issue 13, item 2): ndarray's methods on a ``Dual`` and on a tape
variable give numpy's value and the same derivative as the dnp call they stand for; Python
lists mixing boxes and numbers are arrays wherever numpy takes one.

References: numpy's value of the method on the plain array, central differences for the
derivatives (tests/core/refs.py), and the dnp call (a method is only a spelling of it).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp

from dualnum.comparisons.finite_differences import central_hessian

from .refs import assert_close, central_gradient

RNG = np.random.default_rng(1313)
X = RNG.uniform(0.5, 2.0, size=(2, 3, 4))

# name -> (the method call on a box or an ndarray, the dnp call it stands for); x is (2, 3, 4)
METHODS = {
    "ravel": (lambda x: x.ravel(), lambda x: dnp.ravel(x)),
    "flatten": (lambda x: x.flatten(), lambda x: dnp.ravel(x)),
    "flatten F": (lambda x: x.flatten("F"), lambda x: dnp.ravel(x, order="F")),
    "squeeze": (lambda x: x[:1].squeeze(), lambda x: dnp.squeeze(x[:1])),
    "squeeze axis": (lambda x: x[:, :1].squeeze(axis=1), lambda x: dnp.squeeze(x[:, :1], 1)),
    "reshape ints": (lambda x: x.reshape(4, -1), lambda x: dnp.reshape(x, (4, -1))),
    "reshape tuple": (lambda x: x.reshape((6, 4)), lambda x: dnp.reshape(x, (6, 4))),
    "reshape list": (lambda x: x.reshape([24]), lambda x: dnp.reshape(x, 24)),
    "reshape int": (lambda x: x.reshape(24), lambda x: dnp.reshape(x, 24)),
    "reshape order C": (lambda x: x.reshape(3, 8, order="C"), lambda x: dnp.reshape(x, (3, 8))),
    "sum": (lambda x: x.sum(), lambda x: dnp.sum(x)),
    "sum axis keepdims": (lambda x: x.sum(1, keepdims=True), lambda x: dnp.sum(x, 1, True)),
    "sum axes dtype": (lambda x: x.sum(axis=(0, 2), dtype=float),
                       lambda x: dnp.sum(x, axis=(0, 2))),
    "mean": (lambda x: x.mean(-1), lambda x: dnp.mean(x, axis=-1)),
    "mean keepdims": (lambda x: x.mean(axis=(1, 2), keepdims=True),
                      lambda x: dnp.mean(x, (1, 2), keepdims=True)),
    "max": (lambda x: x.max(), lambda x: dnp.max(x)),
    "max axis": (lambda x: x.max(axis=1, keepdims=True), lambda x: dnp.max(x, 1, True)),
    "min": (lambda x: x.min(0), lambda x: dnp.min(x, axis=0)),
    "prod": (lambda x: x.prod(axis=2), lambda x: dnp.prod(x, axis=2)),
    "cumsum": (lambda x: x.cumsum(), lambda x: dnp.cumsum(x)),
    "cumsum axis": (lambda x: x.cumsum(axis=1), lambda x: dnp.cumsum(x, axis=1)),
    "dot": (lambda x: x.dot(X[0, 0]), lambda x: dnp.dot(x, X[0, 0])),
    "dot box": (lambda x: x[0].dot(x[1].T), lambda x: dnp.dot(x[0], dnp.transpose(x[1]))),
    "transpose": (lambda x: x.transpose(), lambda x: dnp.transpose(x)),
    "transpose ints": (lambda x: x.transpose(1, 0, 2), lambda x: dnp.transpose(x, (1, 0, 2))),
    "transpose tuple": (lambda x: x.transpose((2, 0, 1)), lambda x: dnp.transpose(x, (2, 0, 1))),
    "transpose None": (lambda x: x.transpose(None), lambda x: dnp.transpose(x)),
    "T": (lambda x: x.T, lambda x: dnp.transpose(x)),
    "clip": (lambda x: x.clip(0.8, 1.5), lambda x: dnp.clip(x, 0.8, 1.5)),
    "clip keywords": (lambda x: x.clip(max=1.2), lambda x: dnp.clip(x, None, 1.2)),
    "conj": (lambda x: x.conj(), lambda x: dnp.conj(x)),
    "conjugate": (lambda x: x.conjugate(), lambda x: dnp.conjugate(x)),
    "real": (lambda x: x.real, lambda x: dnp.real(x)),
    "imag": (lambda x: x.imag, lambda x: dnp.imag(x)),
    "astype float": (lambda x: x.astype(float), lambda x: x),
    "astype float64": (lambda x: x.astype("float64"), lambda x: x),
    "std": (lambda x: x.std(), lambda x: dnp.std(x)),
    "std ddof": (lambda x: x.std(axis=0, ddof=1), lambda x: dnp.std(x, axis=0, ddof=1)),
    "var": (lambda x: x.var(1, keepdims=True), lambda x: dnp.var(x, 1, keepdims=True)),
    "var ddof positional": (lambda x: x.var(2, None, None, 1), lambda x: dnp.var(x, 2, ddof=1)),
    "swapaxes": (lambda x: x.swapaxes(0, 2), lambda x: dnp.swapaxes(x, 0, 2)),
    "repeat": (lambda x: x.repeat(2), lambda x: dnp.repeat(x, 2)),
    "repeat axis": (lambda x: x.repeat([1, 0, 2], axis=1), lambda x: dnp.repeat(x, [1, 0, 2], 1)),
    "take": (lambda x: x.take([0, 5, 5]), lambda x: dnp.take(x, [0, 5, 5])),
    "take axis mode": (lambda x: x.take([4, -1], axis=2, mode="wrap"),
                       lambda x: dnp.take(x, [4, -1], axis=2, mode="wrap")),
    "trace": (lambda x: x.trace(), lambda x: dnp.trace(x)),
    "trace keywords": (lambda x: x.trace(offset=1, axis1=1, axis2=2),
                       lambda x: dnp.trace(x, 1, 1, 2)),
    "diagonal": (lambda x: x.diagonal(), lambda x: dnp.diagonal(x)),
    "diagonal keywords": (lambda x: x.diagonal(-1, axis1=2, axis2=1),
                          lambda x: dnp.diagonal(x, -1, 2, 1)),
    "copy": (lambda x: x.copy(), lambda x: x),
}
if hasattr(dnp, "round"):       # dnp.round is another part of issue 13 (elementwise names)
    METHODS["round"] = (lambda x: x.round(), lambda x: dnp.round(x))
    METHODS["round decimals"] = (lambda x: x.round(2), lambda x: dnp.round(x, 2))


def test_the_methods_of_the_issue_are_all_here():
    listed = ("ravel flatten squeeze reshape sum mean max min prod cumsum dot transpose T clip "
              "round conj conjugate real imag astype std var swapaxes repeat take trace "
              "diagonal argmax argmin tolist item ndim shape size dtype").split()
    missing = [m for m in listed if not hasattr(dn.Dual(1.0, 1.0), m)]
    assert not missing


@pytest.mark.parametrize("name", sorted(METHODS))
def test_method_on_a_dual_is_numpys_value_and_the_dnp_derivative(name):
    method, call = METHODS[name]
    want = method(X)                                  # numpy's own method on the ndarray
    t = RNG.standard_normal(X.shape)
    got = method(dn.Dual(X, t))
    ref = call(dn.Dual(X, t))
    assert isinstance(got, dn.Dual), f"{name} lost the derivative: {type(got).__name__}"
    np.testing.assert_allclose(got.primal, want, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(got.tangent, ref.tangent, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_method_on_a_tape_variable_and_its_gradient(name):
    method, call = METHODS[name]
    want = np.asarray(method(X))
    w = RNG.standard_normal(want.shape)
    with dn.Tape() as tape:
        v = tape.var(X)
        out = method(v)
        y = dnp.sum(out * w)
    assert isinstance(out, dn.TapeVar)
    np.testing.assert_allclose(out.value, want, rtol=1e-13, atol=1e-14)
    (g,) = tape.gradient(y, [v])
    gref = dn.grad(lambda a: dnp.sum(call(a) * w))(X)
    np.testing.assert_allclose(g, gref, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("name", ["ravel", "reshape ints", "sum axis keepdims", "max axis",
                                  "prod", "cumsum axis", "dot box", "transpose ints", "std ddof",
                                  "repeat axis", "take axis mode", "trace keywords"])
def test_method_derivatives_against_central_differences(name):
    method, _ = METHODS[name]
    f = lambda v: np.ravel(method(v.reshape(X.shape)))
    ref = central_gradient(f, X.ravel())
    Jf = dn.jacfwd(method)(X).reshape(ref.shape)
    Jr = dn.jacrev(method)(X).reshape(ref.shape)
    assert_close(Jf, ref, 1e-7, 1e-8, f"{name} forward")
    assert_close(Jr, ref, 1e-7, 1e-8, f"{name} reverse")


def test_second_order_through_methods():
    # d²/dx² of (x.reshape(2, 2) ** 3).sum(axis=0).prod() against central differences of the
    # numpy expression
    x0 = np.array([0.7, -1.1, 1.3, 0.4])
    f = lambda x: (x.reshape(2, 2) ** 3).sum(axis=0).prod()
    H = dn.hessian(f)(x0)
    assert_close(H, central_hessian(f, x0).value, 1e-6, 1e-6, "hessian through methods")


def test_complex_methods():
    z = RNG.standard_normal((2, 3)) + 1j * RNG.standard_normal((2, 3))
    d = dn.Dual(z, np.ones_like(z))
    np.testing.assert_allclose(d.real.primal, z.real)
    np.testing.assert_allclose(d.conj().primal, z.conj())
    np.testing.assert_allclose(d.sum(axis=0).primal, z.sum(axis=0))
    np.testing.assert_allclose(d.var().primal, z.var())
    assert d.astype(complex) is d
    w = dn.Dual(X[0], np.ones((3, 4))).astype(complex)       # real -> complex keeps the tangent
    assert w.dtype == np.complex128
    np.testing.assert_allclose(w.tangent, np.ones((3, 4)))


@pytest.mark.parametrize("make", ["dual", "tape"])
def test_queries_and_constant_methods(make):
    with dn.Tape() as tape:
        b = dn.Dual(X, np.ones_like(X)) if make == "dual" else tape.var(X)
        assert (b.shape, b.ndim, b.size, b.dtype) == (X.shape, X.ndim, X.size, X.dtype)
        for axis in (None, 0, -1):
            for keep in (False, True):
                np.testing.assert_array_equal(b.argmax(axis, keepdims=keep),
                                              X.argmax(axis, keepdims=keep))
                np.testing.assert_array_equal(b.argmin(axis=axis, keepdims=keep),
                                              X.argmin(axis=axis, keepdims=keep))


@pytest.mark.parametrize("make", ["dual", "tape"])
@pytest.mark.parametrize("call, err, match", [
    (lambda b: b.tolist(), TypeError, r"tolist\(\) would drop the derivative"),
    (lambda b: b.item(), TypeError, r"item\(\) would drop the derivative"),
    (lambda b: b[0, 0, 0].item(), TypeError, r"dnp.value\(x\).item\(\)"),
    (lambda b: b.astype(int), TypeError, r"astype\(int64\).*keeps its derivative only as"),
    (lambda b: b.astype(np.float32), TypeError, r"astype\(float32\)"),
    (lambda b: b.sum(dtype=np.float32), TypeError, r"sum\(dtype=float32\)"),
    (lambda b: b.mean(out=np.zeros(3)), TypeError, r"mean\(out=...\).*never written in place"),
    (lambda b: b.take([0], out=np.zeros(1)), TypeError, r"take: out= is not supported"),
    (lambda b: b.reshape(4, 6, order="F"), ValueError, r"reshape\(order='F'\).*only"),
    (lambda b: b.ravel(order="K"), ValueError, r"order='K' follows memory layout"),
    (lambda b: b.__setitem__(0, 1.0), TypeError, r"cannot be assigned into.*index_add"),
    (lambda b: b.reshape(5, 5), ValueError, r"cannot reshape an array of shape \(2, 3, 4\)"),
    (lambda b: b.swapaxes(0, 3), IndexError, r"axis 3 in `axis2`"),
])
def test_refusals_are_clear(make, call, err, match):
    with dn.Tape() as tape:
        b = dn.Dual(X, np.ones_like(X)) if make == "dual" else tape.var(X)
        with pytest.raises(err, match=match):
            call(b)


def test_item_and_tolist_of_the_value_work():
    # the refusal names the way out, and the way out gives numpy's numbers
    d = dn.Dual(X, np.ones_like(X))
    assert dnp.value(d).tolist() == X.tolist()
    assert dnp.value(d[1, 2, 3]).item() == X[1, 2, 3]


# ---------------------------------------------------------------- lists mixing boxes and numbers

def _point():
    return np.array([0.3, -1.2])


LIST_CALLS = {
    # name -> f(a, b) on two scalars, written with lists where numpy takes arrays
    "mean": lambda a, b: dnp.mean([a, b, 1.0]),
    "linalg.norm": lambda a, b: dnp.linalg.norm([a, b]),
    "norm": lambda a, b: dnp.norm([[a, 1.0], [b, 2.0]]),
    "array 2-D": lambda a, b: dnp.sum(dnp.array([[a, 1.0], [b, 2.0]]) ** 2 * [[1.0, 2.0],
                                                                            [3.0, 4.0]]),
    "asarray nested": lambda a, b: dnp.sum(dnp.asarray([[[a], [b]], [[a * b], [3.0]]]) ** 3),
    "exp": lambda a, b: dnp.sum(dnp.exp([a, b, 0.5])),
    "add": lambda a, b: dnp.sum(dnp.add(a, [a, b]) * [1.0, 3.0]),
    "matmul": lambda a, b: dnp.sum(dnp.matmul([[a, b], [1.0, a]], [b, 2.0])),
    "einsum": lambda a, b: dnp.einsum("i,i->", [a, b], [b, 1.0]),
    "where": lambda a, b: dnp.sum(dnp.where([True, False], [a, 1.0], [2.0, b * b])),
    "clip": lambda a, b: dnp.sum(dnp.clip([a, b * b], -1.0, 1.0)),
    "concatenate": lambda a, b: dnp.sum(dnp.concatenate([[a, b], [1.0]]) ** 2),
    "stack": lambda a, b: dnp.sum(dnp.stack([[a, b], [b, 1.0]], axis=1) ** 3),
    "dot": lambda a, b: dnp.dot([a, b], [b, a]),
    "abs": lambda a, b: dnp.sum(dnp.abs([a, b])),
    "real": lambda a, b: dnp.sum(dnp.real([a, b])),
    "tuple": lambda a, b: dnp.prod((a, b, 2.0)),
    "vstack": lambda a, b: dnp.sum(dnp.vstack([[a, b], [1.0, a]]) ** 2),
    "take": lambda a, b: dnp.sum(dnp.take([a, b, a * b], [2, 2])),
    "kron": lambda a, b: dnp.sum(dnp.kron([a, b], [1.0, a])),
}


@pytest.mark.parametrize("name", sorted(LIST_CALLS))
def test_lists_of_boxes_are_arrays(name):
    f = LIST_CALLS[name]
    p = _point()
    g = lambda v: f(v[0], v[1])
    ref = central_gradient(lambda v: np.atleast_1d(g(v)), p)[0]
    assert_close(dn.grad(g)(p), ref, 1e-7, 1e-9, f"{name} reverse")
    assert_close(dn.jacfwd(g)(p), ref, 1e-7, 1e-9, f"{name} forward")
    # a Dual and a tape variable in the same list: each level sees its own (the tape, made
    # last, is the outer box: its value is a Dual)
    with dn.Tape() as tape:
        b = tape.var(p[1])
        out = f(dn.Dual(p[0], 1.0), b)
        (gb,) = tape.gradient(out, [b])
    assert isinstance(out, dn.TapeVar) and isinstance(out.value, dn.Dual)
    assert_close(out.value.tangent, ref[0], 1e-7, 1e-9, f"{name} mixed levels: the Dual's part")
    assert_close(dnp.value(gb), ref[1], 1e-7, 1e-9, f"{name} mixed levels: the tape's part")


def test_operators_take_lists_of_boxes():
    # box * [box, number] and [box, number] / box (a plain number times a list is Python's
    # repetition, so the reference is written out): d/da and d/db at (a, b) = (0.3, -1.2)
    a, b = 0.3, -1.2
    f = lambda a, b: dnp.sum(a * [b, 2.0] + [a, 1.0] / b)       # a·b + 2a + a/b + 1/b
    da, db = b + 2.0 + 1.0 / b, a - a / b ** 2 - 1.0 / b ** 2
    out = f(dn.Dual(a, 1.0), dn.Dual(b, 0.0))
    assert out.primal == pytest.approx(a * b + 2 * a + a / b + 1 / b, rel=1e-14)
    assert out.tangent == pytest.approx(da, rel=1e-14)
    g = lambda v: f(v[0], v[1])
    assert dn.grad(g)(np.array([a, b])) == pytest.approx([da, db], rel=1e-14)
    assert dn.jacfwd(g)(np.array([a, b])) == pytest.approx([da, db], rel=1e-14)
    # and a list of plain numbers with a Dual (the partial of multiply is that list)
    d = dn.Dual(a, 1.0) * [1.0, 2.0]
    np.testing.assert_array_equal(d.tangent, [1.0, 2.0])
    d = dn.Dual(a, 1.0) ** (1.0, 2.0)
    np.testing.assert_allclose(d.tangent, [1.0, 2 * a], rtol=1e-15)


def test_lists_inside_nested_derivatives_do_not_confuse_levels():
    # d/da [d/db sum(a * [a, b])] = d/da [a] = 1 (the list holds an outer and an inner box)
    got = dn.derivative(lambda a: dn.derivative(lambda b: dnp.sum(a * [a, b]), 1.0), 2.0)
    assert got == 1.0
    got = dn.derivative(lambda a: dn.derivative(lambda b: dnp.mean(dnp.exp([a, b])), 0.5), 0.3)
    assert got == 0.0


def test_ragged_or_mismatched_lists_raise_like_numpy():
    x = dn.Dual(1.0, 1.0)
    with pytest.raises(ValueError):
        np.array([[1.0, 2.0], [3.0]])
    for ragged in ([[x, 1.0], [2.0]], [x, [1.0, 2.0]], [[x], 1.0]):
        with pytest.raises(ValueError, match="different shapes"):
            dnp.array(ragged)
        with pytest.raises(ValueError, match="different shapes"):
            dnp.exp(ragged)
    with pytest.raises(ValueError, match="different shapes"):
        dnp.mean([dn.Dual(np.ones(2), np.ones(2)), 1.0])


def test_lists_without_boxes_are_unchanged():
    assert dnp.exp([0.0, 1.0]).tolist() == [1.0, np.e]
    assert dnp.add([1.0, 2.0], (3.0, 4.0)).tolist() == [4.0, 6.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(dnp.where([[True, False]], [1.0, 2.0], 0.0), [[1.0, 0.0]])
