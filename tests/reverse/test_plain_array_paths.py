"""The reverse mode's shortcuts for plain float64 arrays (issue 15, "speed on code as users
write it") against the general paths they skip and against central differences.

* the VJPs of structural rows (sum, transpose, getitem with new axes, softmax, max) on a
  plain adjoint, against the same rule given a boxed adjoint (a dual number of zero tangent:
  the rule then runs through the primitives) and against finite differences;
* the elementwise rows' ``vjp_arrays`` (divide, subtract, power), against the sweep's
  general loop (``steps=True``, ``g * partial``) and finite differences, with broadcasting;
* ``to_input``'s direct sum against ``unbroadcast``; the recording shortcuts (``on_arrays``,
  ``Tape.process`` with keyword parameters, ``Tape._vars``) against the implementations and
  their errors; ``flatten``/``unflatten`` of the parameters' usual trees against a plain
  recursive reference written here;
* second order (grad of grad, the hessian) through all of them, against central differences
  of the closed-form gradient.
"""
from __future__ import annotations

import itertools
from collections import namedtuple

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import rules as R
from dualnum.adjoint import to_input, unbroadcast
from dualnum.dual import Dual, ForwardLevel
from dualnum.rules.elementwise import (
    _divide_vjp_arrays, _power_vjp_arrays, _subtract_vjp_arrays,
)
from dualnum.rules.shape import _inverse, _only_new_axes
from dualnum.saves import Unkept
from dualnum.tape import Tape
from dualnum.tree import flatten, unflatten

RNG = np.random.default_rng(15)


def central_grad(f, x, h=1e-6):
    """Central differences of a scalar ``f`` at the array ``x`` (float64)."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        g.flat[j] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def boxed(g):
    """``g`` as a dual number of zero tangent: a rule given it runs the general branch."""
    return Dual(g, np.zeros_like(g) if isinstance(g, np.ndarray) else 0.0, level=ForwardLevel())


def primal(v):
    return v.primal if isinstance(v, Dual) else v


# ---------------------------------------------------------------- structural rows

SUM_CASES = [((3, 4), None, False), ((3, 4), 0, False), ((3, 4), -1, True),
             ((2, 3, 4), (0, 2), False), ((2, 3, 4), (1,), True), ((5,), 0, False)]


@pytest.mark.parametrize("shape,axis,keep", SUM_CASES)
def test_sum_vjp_on_a_plain_adjoint_is_the_general_one(shape, axis, keep):
    x = RNG.normal(size=shape)
    ans = np.sum(x, axis=axis, keepdims=keep)
    g = RNG.normal(size=np.shape(ans)) if np.ndim(ans) else 0.7
    kw = {"axis": axis, "keepdims": keep}
    for arg in (x, Unkept(x.shape)):            # the value, and a lean tape's stand-in
        fast = R.sum.vjp((True,), g, ans, (arg,), kw, 0)[0]
        slow = R.sum.vjp((True,), boxed(g), ans, (arg,), kw, 0)[0]
        np.testing.assert_array_equal(fast, primal(slow))
        np.testing.assert_array_equal(fast, np.broadcast_to(
            g if keep or axis is None else np.expand_dims(g, axis), shape))


@pytest.mark.parametrize("shape,axis,keep", SUM_CASES)
def test_sum_and_mean_gradients_match_central_differences(shape, axis, keep):
    x = RNG.normal(size=shape)
    w = RNG.normal(size=np.shape(np.sum(x, axis=axis, keepdims=keep)))
    for red, ref in ((dnp.sum, np.sum), (dnp.mean, np.mean)):
        f = lambda v: dnp.sum(w * red(v, axis=axis, keepdims=keep) ** 2)
        fn = lambda v: np.sum(w * ref(v, axis=axis, keepdims=keep) ** 2)
        np.testing.assert_allclose(dn.grad(f)(x), central_grad(fn, x), rtol=1e-7, atol=1e-9)


def test_inverse_permutation_is_argsort():
    for n in range(1, 6):
        for p in itertools.permutations(range(n)):
            assert _inverse(p) == tuple(int(i) for i in np.argsort(p))


@pytest.mark.parametrize("axes", [None, (1, 0, 2), (2, 0, 1), (0, 2, 1)])
def test_transpose_vjp_on_a_plain_adjoint_is_the_general_one(axes):
    x = RNG.normal(size=(2, 3, 4))
    ans = np.transpose(x, axes)
    g = RNG.normal(size=ans.shape)
    fast = R.transpose.vjp((True,), g, ans, (Unkept(x.shape),), {"axes": axes}, 0)[0]
    slow = R.transpose.vjp((True,), boxed(g), ans, (Unkept(x.shape),), {"axes": axes}, 0)[0]
    np.testing.assert_array_equal(fast, primal(slow))
    np.testing.assert_array_equal(np.transpose(fast, axes), g)     # the inverse permutation
    f = lambda v: dnp.sum(dnp.sin(dnp.transpose(v, axes)) * g)
    np.testing.assert_allclose(dn.grad(f)(x), central_grad(
        lambda v: np.sum(np.sin(np.transpose(v, axes)) * g), x), rtol=1e-7, atol=1e-9)
    # batched (jacrev: one leading axis) through the general branch
    J = dn.jacrev(lambda v: dnp.transpose(v, axes))(x)
    np.testing.assert_array_equal(J.reshape(ans.size, x.size),
                                  np.eye(x.size)[np.transpose(np.arange(x.size).reshape(
                                      x.shape), axes).ravel()])


@pytest.mark.parametrize("idx,new", [
    ((slice(None), None), True), (None, True), ((Ellipsis, None), True),
    ((None, Ellipsis, None), True), ((slice(None),), False), (slice(None, 2), False),
    ((slice(None, None, -1), None), False), ((0, None), False), (Ellipsis, False),
])
def test_only_new_axes_tells_the_reshapes(idx, new):
    assert _only_new_axes(idx) is new


def test_new_axes_gradient_is_a_reshape_and_matches_central_differences():
    b = RNG.normal(size=4)
    H = RNG.normal(size=(4, 3))
    for idx in ((slice(None), None), (Ellipsis, None)):
        f = lambda v: dnp.sum(dnp.tanh(H + v[idx]) ** 2) if idx[0] is not Ellipsis else \
            dnp.sum(dnp.tanh(H + v[idx]) ** 2)
        fn = lambda v: np.sum(np.tanh(H + v[idx]) ** 2)
        np.testing.assert_allclose(dn.grad(f)(b), central_grad(fn, b), rtol=1e-7, atol=1e-9)
    ans = b[:, None]
    g = RNG.normal(size=ans.shape)
    fast = R.getitem.vjp((True, False), g, ans, (b, (slice(None), None)), {}, 0)[0]
    slow = R.getitem.vjp((True, False), boxed(g), ans, (b, (slice(None), None)), {}, 0)[0]
    np.testing.assert_array_equal(fast, primal(slow))
    np.testing.assert_array_equal(fast, g[:, 0])


@pytest.mark.parametrize("axis", [-1, 0, None])
def test_softmax_forward_and_vjp_on_plain_arrays(axis):
    x = RNG.normal(size=(3, 5)) * 3
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    want = e / np.sum(e, axis=axis, keepdims=True)
    ans = R.softmax(x, axis=axis)
    np.testing.assert_allclose(ans, want, rtol=1e-15, atol=1e-17)
    g = RNG.normal(size=x.shape)
    fast = R.softmax.vjp((True,), g, ans, (Unkept(x.shape),), {"axis": axis}, 0)[0]
    slow = R.softmax.vjp((True,), boxed(g), ans, (Unkept(x.shape),), {"axis": axis}, 0)[0]
    np.testing.assert_array_equal(fast, primal(slow))
    # complex adjoints (complex constants downstream) take the same fast branch
    gc = g + 1j * RNG.normal(size=x.shape)
    fast_c = R.softmax.vjp((True,), gc, ans, (Unkept(x.shape),), {"axis": axis}, 0)[0]
    slow_c = R.softmax.vjp((True,), boxed(gc), ans, (Unkept(x.shape),), {"axis": axis}, 0)[0]
    np.testing.assert_array_equal(fast_c, primal(slow_c))
    w = RNG.normal(size=x.shape)
    f = lambda v: dnp.sum(w * dnp.softmax(v, axis=axis) ** 2)
    fn = lambda v: np.sum(w * (np.exp(v - np.max(v, axis=axis, keepdims=True)) / np.sum(
        np.exp(v - np.max(v, axis=axis, keepdims=True)), axis=axis, keepdims=True)) ** 2)
    np.testing.assert_allclose(dn.grad(f)(x), central_grad(fn, x), rtol=1e-6, atol=1e-9)
    # second order through the softmax VJP (the outer sweep runs the fast branch)
    H = dn.hessian(f)(x)
    Hr = dn.jacrev(dn.grad(f))(x)
    np.testing.assert_allclose(H, Hr, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(Hr.reshape(x.size, x.size)[0],
                               central_grad(lambda v: dn.grad(f)(v).ravel()[0], x).ravel(),
                               rtol=1e-6, atol=1e-8)


def test_max_on_arrays_is_numpys_and_its_gradient_splits_ties():
    x = RNG.normal(size=(6, 40))
    for axis in (0, 1, (0, 1)):
        np.testing.assert_array_equal(R.max(x, axis=axis), np.max(x, axis=axis))
    xn = x.copy()
    xn[2, 3] = np.nan
    np.testing.assert_array_equal(R.max(xn, axis=0), np.max(xn, axis=0))
    t = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, 5.0]])      # a tie in column 1
    g = dn.grad(lambda v: dnp.sum(dnp.max(v, axis=0) * np.array([1.0, 10.0])))(t)
    np.testing.assert_array_equal(g, [[0.0, 0.0], [1.0, 5.0], [0.0, 5.0]])
    # the stable softmax of users' code: max, exp, sum, log, all differentiated
    Z = RNG.normal(size=(4, 7))
    Y = np.eye(4)[:, RNG.integers(0, 4, 7)]

    def users(z):
        z = z - dnp.max(z, axis=0, keepdims=True)
        return -dnp.sum(Y * (z - dnp.log(dnp.sum(dnp.exp(z), axis=0, keepdims=True))))

    def users_np(z):
        z = z - np.max(z, axis=0, keepdims=True)
        return -np.sum(Y * (z - np.log(np.sum(np.exp(z), axis=0, keepdims=True))))
    np.testing.assert_allclose(dn.grad(users)(Z), central_grad(users_np, Z), rtol=1e-7,
                               atol=1e-9)
    H = dn.hessian(users)(Z).reshape(Z.size, Z.size)
    np.testing.assert_allclose(
        H[5], central_grad(lambda v: dn.grad(users)(v).ravel()[5], Z).ravel(), rtol=1e-6,
        atol=1e-8)


# ---------------------------------------------------------------- elementwise rows

SHAPES = [((3, 4), (3, 4)), ((3, 4), (3, 1)), ((3, 4), (4,)), ((3, 4), ()), ((), (3, 4)),
          ((2, 1, 4), (3, 1)), ((3, 1), (1, 4))]


def _value(shape, positive=False):
    if shape == ():
        return float(RNG.uniform(0.5, 2.0)) if positive else float(RNG.normal())
    v = RNG.normal(size=shape)
    return np.abs(v) + 0.5 if positive else v


def _both_sweeps(f, x, y):
    with Tape(keep="needed") as t:
        vx, vy = t.var(x), t.var(y)
        out = f(vx, vy)
    seed = RNG.normal(size=np.shape(out.value))
    fast, slow = t.sweep(out.index, seed), t.sweep(out.index, seed, steps=True)
    return (fast[vx.index], fast[vy.index]), (slow[vx.index], slow[vy.index]), seed


@pytest.mark.parametrize("sx,sy", SHAPES)
@pytest.mark.parametrize("op", ["divide", "subtract", "power"])
def test_vjp_arrays_agree_with_the_general_loop_and_central_differences(op, sx, sy):
    x, y = _value(sx, positive=True), _value(sy, positive=op != "subtract")
    f = {"divide": lambda a, b: a / b, "subtract": lambda a, b: a - b,
         "power": lambda a, b: a ** b}[op]
    fn = {"divide": np.divide, "subtract": np.subtract, "power": np.power}[op]
    (fx, fy), (gx, gy), seed = _both_sweeps(f, x, y)
    for a, b in ((fx, gx), (fy, gy)):
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(fx, central_grad(lambda v: np.sum(seed * fn(v, y)), x),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(fy, central_grad(lambda v: np.sum(seed * fn(x, v)), y),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("sx", [(3, 4), (4,), ()])
def test_square_by_a_constant_exponent(sx):
    x = _value(sx)
    w = RNG.normal(size=sx) if sx else 0.3
    for e in (2, 2.0):
        f = lambda v: dnp.sum(w * (v - 0.5) ** e)
        g = dn.grad(f)(x)
        np.testing.assert_allclose(g, 2 * w * (np.asarray(x) - 0.5), rtol=1e-14, atol=1e-15)
        # second order: d²/dx² of w (x - 1/2)² is 2w on the diagonal
        H = dn.hessian(f)(x) if sx else dn.grad(dn.grad(f))(x)
        np.testing.assert_allclose(np.reshape(H, (np.size(x), np.size(x))),
                                   np.diag(np.ravel(2 * np.broadcast_to(w, np.shape(x)))),
                                   rtol=1e-13, atol=1e-14)


def test_vjp_arrays_fall_back_to_the_partials_off_float64():
    g = RNG.normal(size=(3, 4))
    x, y = RNG.normal(size=(3, 4)), np.abs(RNG.normal(size=(3, 1))) + 0.5
    # complex values: g * partial, as the tape computed before
    yc = y + 0.5j
    ans = x / yc
    cx, cy = _divide_vjp_arrays(g, x, yc, ans, True, True)
    np.testing.assert_allclose(cx, g * (1.0 / yc), rtol=1e-15)
    np.testing.assert_allclose(cy, g * ((-1.0 / yc) * ans), rtol=1e-15)
    cx, cy = _subtract_vjp_arrays(g, x, Unkept((3, 1), np.dtype(complex)), None, True, True)
    assert cx is g and np.array_equal(cy, g * -1.0)
    cx, cy = _power_vjp_arrays(g, x + 0j, 2, (x + 0j) ** 2, True, False)
    np.testing.assert_allclose(cx, g * 2.0 * (x + 0j), rtol=1e-15)
    # only the needed contributions
    assert _divide_vjp_arrays(g, x, y, x / y, False, True)[0] is None
    assert _divide_vjp_arrays(g, x, y, x / y, True, False)[1] is None
    assert _subtract_vjp_arrays(g, x, y, None, False, True)[0] is None
    assert _power_vjp_arrays(g, x, 2, x * x, False, False) == (None, None)


def test_complex_and_batched_paths_through_the_rows():
    z = RNG.normal(size=(3, 2)) + 1j * RNG.normal(size=(3, 2))
    s = np.abs(RNG.normal(size=(3, 1))) + 0.5
    f = lambda v: dnp.sum(dnp.abs(v / s - v[:1]) ** 2)
    fx = lambda v: np.sum(np.abs(v / s - v[:1]) ** 2)
    g = dn.grad(f)(z)            # ∂f/∂x − i ∂f/∂y of a real f
    want = central_grad(lambda a: fx(a + 1j * z.imag), z.real) - 1j * central_grad(
        lambda b: fx(z.real + 1j * b), z.imag)
    np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-8)
    # a batch axis of cotangents (jacrev) takes the general loop: rows of the Jacobian
    x = RNG.normal(size=4)
    J = dn.jacrev(lambda v: (v - dnp.mean(v)) / (dnp.sum(v * v) + 1.0))(x)
    Jr = np.stack([central_grad(lambda v: ((v - v.mean()) / (v @ v + 1.0))[k], x)
                   for k in range(4)])
    np.testing.assert_allclose(J, Jr, rtol=1e-6, atol=1e-8)


def layer_norm_mse(p, X, Y):
    """The attention benchmark's tail: a residual, the notes' layer norm, MSE."""
    R_ = X + X @ p["W"]
    mu = dnp.sum(R_, axis=-1, keepdims=True) / R_.shape[-1]
    xc = R_ - mu
    var = dnp.sum(xc * xc, axis=-1, keepdims=True) / R_.shape[-1]
    H = p["g"] * (xc / dnp.sqrt(var + 1e-5)) + p["b"]
    return dnp.mean((H - Y) ** 2)


def test_second_order_through_every_fast_path_matches_central_differences():
    X, Y = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    p = {"W": RNG.normal(size=(3, 3)) / 2, "g": 1 + 0.1 * RNG.normal(size=3),
         "b": 0.1 * RNG.normal(size=3)}
    flat = lambda v: {"W": v[:9].reshape(3, 3), "g": v[9:12], "b": v[12:]}
    v0 = np.concatenate([p["W"].ravel(), p["g"], p["b"]])
    f = lambda v: layer_norm_mse(flat(v), X, Y)
    grad = dn.grad(f)
    np.testing.assert_allclose(grad(v0), central_grad(f, v0), rtol=1e-6, atol=1e-9)
    # the hessian (forward over reverse) and grad of grad (reverse over reverse: the outer
    # sweep runs the plain-array paths over the inner sweep's entries)
    H = dn.hessian(f)(v0)
    u = RNG.normal(size=v0.size)
    Hu = dn.grad(lambda v: dnp.sum(grad(v) * u))(v0)
    np.testing.assert_allclose(Hu, H @ u, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(Hu, central_grad(lambda v: np.sum(grad(v) * u), v0),
                               rtol=1e-5, atol=1e-7)
    # the dict-of-parameters gradient is the flat one, rearranged
    gd = dn.grad(lambda q: layer_norm_mse(q, X, Y))(p)
    np.testing.assert_array_equal(np.concatenate([gd["W"].ravel(), gd["g"], gd["b"]]),
                                  grad(v0))


# ---------------------------------------------------------------- fitting and recording

@pytest.mark.parametrize("cs,xs", [((3, 4), (3, 1)), ((3, 4), (1, 4)), ((3, 4), (4,)),
                                   ((2, 3, 4), (3, 1)), ((3, 4), ()), ((2, 3, 4), (1, 1, 1)),
                                   ((3, 4), (3, 4))])
def test_to_input_sums_like_unbroadcast(cs, xs):
    c = RNG.normal(size=cs)
    for x in (np.zeros(xs), Unkept(xs)):
        got = to_input(c, x)
        np.testing.assert_array_equal(got, unbroadcast(c, xs))
        axes = tuple(range(len(cs) - len(xs))) + tuple(
            len(cs) - len(xs) + i for i, n in enumerate(xs) if n == 1 and cs[i] != 1)
        np.testing.assert_allclose(got, np.sum(c, axis=axes).reshape(xs), rtol=1e-15)
    with pytest.raises(ValueError):                      # no broadcast could give c from x
        to_input(np.ones((3, 4)), np.zeros((3, 5)))


def test_recording_on_arrays_gives_the_implementations_values_and_errors():
    a, b = RNG.normal(size=(3, 4)), RNG.normal(size=(4, 2))
    with Tape() as t:
        va, vb = t.var(a), t.var(b)
        assert np.array_equal((va @ vb).value, R.matmul.impl(a, b))
        assert np.array_equal((va * 2).value, a * 2)                  # int scalar
        assert np.array_equal((va / np.float64(3.0)).value, a / 3.0)  # numpy scalar
        assert np.array_equal((2.0 - va).value, 2.0 - a)
        assert np.array_equal(dnp.tanh(va).value, np.tanh(a))
        assert np.array_equal(dnp.sum(va, axis=0).value, np.sum(a, axis=0))
        assert np.array_equal(dnp.softmax(va).value, R.softmax.impl(a))
        with pytest.raises(ValueError, match=r"add: shapes \(3, 4\) and \(4, 2\) cannot be "
                                             r"broadcast"):
            va + vb
        with pytest.raises(ValueError, match=r"matmul: shapes \(4, 2\) and \(3, 4\) are not "
                                             "aligned"):
            vb @ va
        with pytest.raises(ValueError, match="matmul: operands must be at least 1-D"):
            va @ np.float64(2.0)
        n = len(t)
        i = dnp.argmax(va)               # not differentiable: a plain answer, no entry
        assert not isinstance(i, dn.tape.TapeVar) and int(i) == int(np.argmax(a))
        assert len(t) == n
    with Tape(check_finite=True) as t:      # a checking tape takes the general path
        v = t.var(np.array([1.0, np.inf]))
        with pytest.raises(dn.tape.NonFiniteError, match="entry v1 = sum"):
            dnp.sum(v, axis=0, keepdims=True)


def test_tape_vars_are_vars():
    with Tape() as t:
        vs = t._vars([np.ones(2), 3, np.arange(3), 1 + 2j], "f: argument 0")
        w = t.var(np.ones(2))
    assert [v.index for v in vs] + [w.index] == [0, 1, 2, 3, 4]
    assert vs[1].value == 3.0 and type(vs[1].value) is float
    assert vs[2].value.dtype == np.float64 and vs[3].value == 1 + 2j
    assert [e.op for e in t.entries] == ["input"] * 5
    with Tape() as t, pytest.raises(TypeError, match="f: argument 0: expected a number or "
                                                     "array of numbers, got a bool"):
        t._vars([np.ones(2), True], "f: argument 0")
    with pytest.raises(TypeError, match="grad: argument 0: expected a number"):
        dn.grad(lambda p: p["a"])({"a": True})


def _ref_flatten(tree, leaf_lists=True):
    """A recursive reference: leaves in order and a nested description of the nodes."""
    def numbers(v):
        return isinstance(v, list) and v and all(
            numbers(w) if isinstance(w, list) else isinstance(w, (int, float, complex,
                                                                   np.number))
            and not isinstance(w, bool) for w in v)
    if isinstance(tree, dict):
        parts = [_ref_flatten(v, leaf_lists) for v in tree.values()]
        return [x for p in parts for x in p[0]], ("dict", list(tree), [p[1] for p in parts])
    if isinstance(tree, tuple) and hasattr(tree, "_fields"):
        parts = [_ref_flatten(v, leaf_lists) for v in tree]
        return [x for p in parts for x in p[0]], (type(tree), [p[1] for p in parts])
    if isinstance(tree, (tuple, list)) and not (isinstance(tree, list) and leaf_lists
                                                and numbers(tree)):
        parts = [_ref_flatten(v, leaf_lists) for v in tree]
        return [x for p in parts for x in p[0]], (type(tree).__name__,
                                                  [p[1] for p in parts])
    return [tree], "*"


def _describe(spec):
    if spec.kind == "leaf":
        return "*"
    kids = [_describe(c) for c in spec.children]
    if spec.kind == "dict":
        return ("dict", list(spec.keys), kids)
    if spec.kind == "namedtuple":
        return (spec.keys, kids)
    return (spec.kind, kids)


def test_flatten_and_unflatten_of_the_usual_trees_match_a_recursive_reference():
    P = namedtuple("P", "a b")
    a = RNG.normal(size=2)
    trees = [{"W": a, "b": 1.0}, [(a, a), (a, 2.0)], (a, [a, a], {"k": a}), [1.0, 2.0],
             [[1.0, 2.0], a], {"x": [1.0, 2.0]}, P(a, 1.0), [P(a, a)], [], {}, (), [[]],
             {"a": {"b": {"c": a}}}, [(a, [a])], [a, [1.0, 2.0]], ((), a), [(a, 1), (2, a)],
             {"a": (a, None)}, [a, "s"], (a, [1.0, a]), [{"W": a, "b": a}] * 3]
    for tree in trees:
        for ll in (True, False):
            leaves, spec = flatten(tree, leaf_lists=ll)
            ref_leaves, ref_spec = _ref_flatten(tree, ll)
            assert len(leaves) == len(ref_leaves) and all(
                x is y for x, y in zip(leaves, ref_leaves)), tree
            assert _describe(spec) == ref_spec, (tree, ll)
            marks = [f"leaf{k}" for k in range(len(leaves))]
            rebuilt = unflatten(spec, marks)
            assert _ref_flatten(rebuilt, ll)[0] == marks
            assert repr(unflatten(spec, leaves)) == repr(tree)
    # a rebuilt list is a new list, never the caller's list of leaves
    leaves, spec = flatten([a, a])
    assert unflatten(spec, leaves) is not leaves
    with pytest.raises(StopIteration):          # too few leaves: reported as always
        unflatten(flatten([(a, a), (a, a)])[1], [1, 2, 3])
