"""grad / value_and_grad / vjp / jacrev / hvp / hessian, and forward = reverse on random
compositions of primitives (hypothesis, fixed seed)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import dualnum as dn
import dualnum.numpy as dnp

from ..core.refs import assert_close, central_gradient


def test_value_and_grad_and_vjp():
    f = lambda x: dnp.sum(dnp.tanh(x) ** 2)
    x = np.array([0.1, -0.4, 0.9])
    v, g = dn.value_and_grad(f)(x)
    assert v == pytest.approx(np.sum(np.tanh(x) ** 2))
    assert_close(g, central_gradient(lambda z: [f(z)], x)[0], 1e-8, 1e-10, "grad")
    y, back = dn.vjp(lambda a, b: a * b, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    ga, gb = back(np.array([1.0, 10.0]))
    np.testing.assert_allclose(ga, [3.0, 40.0])
    np.testing.assert_allclose(gb, [1.0, 20.0])
    np.testing.assert_allclose(back(np.array([1.0, 10.0]))[0], ga)   # callable again
    with pytest.raises(ValueError, match="cotangent has shape"):
        back(np.ones(3))


def test_jacrev_matches_jacfwd_and_differences():
    A = np.random.default_rng(0).normal(size=(4, 3))
    f = lambda x: dnp.tanh(A @ x) + 0.1 * (A @ x) ** 2
    x = np.array([0.2, -0.1, 0.5])
    Jr, Jf = dn.jacrev(f)(x), dn.jacfwd(f)(x)
    assert Jr.shape == (4, 3)
    np.testing.assert_allclose(Jr, Jf, rtol=1e-13)
    assert_close(Jr, central_gradient(f, x), 1e-7, 1e-9, "jacrev")
    Jc = dn.jacfwd(f, chunk=2)(x)
    np.testing.assert_allclose(Jc, Jf, rtol=1e-15)


def test_hvp_and_hessian_modes():
    A = np.random.default_rng(1).normal(size=(6, 4))
    f = lambda x: dnp.sum(dnp.log(1.0 + dnp.exp(A @ x))) + 0.5 * dnp.sum(x * x)
    x = np.array([0.3, -0.2, 0.1, 0.4])
    H = dn.hessian(f)(x)
    s = 1.0 / (1.0 + np.exp(-(A @ x)))
    ref = A.T @ np.diag(s * (1 - s)) @ A + np.eye(4)      # the closed form
    np.testing.assert_allclose(H, ref, rtol=1e-12)
    v = np.array([1.0, 0.0, -1.0, 2.0])
    np.testing.assert_allclose(dn.hvp(f)(x, v), ref @ v, rtol=1e-12)
    for mode in ("forward", "reverse"):
        np.testing.assert_allclose(dn.hessian(f, mode=mode)(x), ref, rtol=1e-12)


def test_argnums_and_gradient_modes():
    f = lambda a, b, c: a * b ** 2 + c
    assert dn.grad(f, argnums=(0, 1))(2.0, 3.0, 1.0) == (9.0, 12.0)
    assert dn.grad(f, argnums=-1)(2.0, 3.0, 1.0) == 1.0
    x = np.array([1.0, 2.0])
    q = lambda v: 1.5 * v[0] ** 2 + v[1] ** 2 + 2
    np.testing.assert_allclose(dn.gradient(q, x, mode="reverse"), [3.0, 4.0])
    np.testing.assert_allclose(dn.jacobian(q, mode="reverse")(x), [3.0, 4.0])


def test_reverse_over_forward():
    f = lambda x: dnp.sin(x) * x
    d1 = lambda x: dn.derivative(f, x)
    x = 0.7
    expected = 2 * np.cos(x) - x * np.sin(x)
    assert dn.grad(d1)(x) == pytest.approx(expected, rel=1e-14)


UNARY = [dnp.sin, dnp.cos, dnp.tanh, dnp.sigmoid, dnp.softplus, dnp.arctan, dnp.exp,
         lambda x: dnp.log(1.0 + x * x), lambda x: dnp.sqrt(1.0 + x * x), dnp.erf, dnp.square]
BINARY = [dnp.add, dnp.subtract, dnp.multiply, lambda a, b: a / (1.5 + dnp.sin(b)),
          dnp.hypot, lambda a, b: dnp.arctan2(a, 2.0 + b * b)]
REDUCE = [lambda v: dnp.sum(v, axis=0), lambda v: dnp.logsumexp(v, axis=0),
          lambda v: dnp.mean(v * v, axis=0), lambda v: dnp.softmax(v, axis=0),
          lambda v: dnp.log_softmax(v, axis=0)]


FD_RTOL = 1e-5     # of the largest gradient entry (the worst of 1800 random programs: 1e-7)


@st.composite
def programs(draw):
    n_ops = draw(st.integers(2, 12))
    ops = []
    for _ in range(n_ops):
        kind = draw(st.sampled_from(["u", "b", "r", "m"]))
        if kind == "u":
            ops.append(("u", draw(st.integers(0, len(UNARY) - 1))))
        elif kind == "b":
            ops.append(("b", draw(st.integers(0, len(BINARY) - 1)), draw(st.integers(0, 99))))
        elif kind == "r":
            ops.append(("r", draw(st.integers(0, len(REDUCE) - 1))))
        else:
            ops.append(("m", draw(st.integers(0, 99))))
    # no subnormals: there hypot's partials x/ans lose their digits (ans rounds to a few bits),
    # which only finite differences notice, and which no network meets
    x = draw(st.lists(st.floats(-1.5, 1.5, allow_subnormal=False), min_size=6, max_size=6))
    return ops, np.array(x).reshape(3, 2)


def run(ops, x):
    vals = [x]
    M = np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]])
    for op in ops:
        cur = vals[-1]
        if op[0] == "u":
            vals.append(UNARY[op[1]](cur))
        elif op[0] == "b":
            other = vals[op[2] % len(vals)]
            if dnp.shape(other) != dnp.shape(cur):
                other = dnp.sum(other)
            vals.append(BINARY[op[1]](cur, other))
        elif op[0] == "r":
            r = REDUCE[op[1]](cur) if dnp.ndim(cur) else cur
            vals.append(r if dnp.ndim(r) else r * dnp.ones((3, 2)))
        else:
            vals.append(M @ cur if dnp.shape(cur) == (3, 2) else cur * 0.9)
    return dnp.sum(vals[-1] * vals[-1]) + dnp.sum(vals[len(vals) // 2])


def one_sided_gradients(f, x, h):
    """Right and left difference quotients of ``f`` in each coordinate, each extrapolated
    once (error O(h²)), on plain floats only: the numeric interpreter runs the numpy
    implementations, never a derivative rule. Where they differ, the point sits on a kink."""
    f0 = float(f(x))
    right, left = np.zeros_like(x), np.zeros_like(x)
    for k in np.ndindex(*x.shape):
        step = h * max(1.0, abs(float(x[k])))
        d = {}
        for sign in (1.0, -1.0):
            for s in (step, step / 2):
                xs = x.copy()
                xs[k] += sign * s
                d[sign, s] = sign * (float(f(xs)) - f0) / s
        right[k] = 2 * d[1.0, step / 2] - d[1.0, step]
        left[k] = 2 * d[-1.0, step / 2] - d[-1.0, step]
    return right, left


def assert_matches_differences(f, x, g, tol):
    """``g`` against one-sided differences at two scales. An entry is checked where the
    differences have converged (the two scales agree to ``tol``): on a smooth point ``g`` must
    be their common slope, on a kink (right ≠ left) it must lie between them. An entry the
    differences cannot resolve (a program oscillating faster than the steps) is not judged."""
    (r1, l1), (r2, l2) = one_sided_gradients(f, x, 1e-3), one_sided_gradients(f, x, 1e-4)
    resolved = (np.abs(r1 - r2) <= tol) & (np.abs(l1 - l2) <= tol)
    smooth = resolved & (np.abs(r2 - l2) <= tol)
    assert np.all(np.abs(g - (r2 + l2) / 2)[smooth] <= tol), ("smooth", g, r2, l2)
    lo, hi = np.minimum(l2, r2) - tol, np.maximum(l2, r2) + tol
    assert np.all(((lo <= g) & (g <= hi))[resolved]), ("kink", g, r2, l2)
    return resolved


@pytest.mark.slow   # 300 programs, each checked against 24 finite differences (~5 s)
@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(programs())
def test_forward_and_reverse_agree_on_random_programs(prog):
    ops, x = prog
    g_rev = dn.grad(lambda v: run(ops, v))(x)
    g_fwd = dn.jacfwd(lambda v: run(ops, v))(x)
    scale = max(1.0, float(np.max(np.abs(g_fwd))))
    assert np.all(np.abs(g_rev - g_fwd) <= 1e-12 * scale), (ops, x, g_rev, g_fwd)
    # both modes read the same rule table, so their agreement cannot catch a wrong rule:
    # finite differences are the independent reference (hypothesis likes inputs near 0, where
    # hypot(v, v) = √2|v| has a kink; there the derivative is a convention between the slopes)
    assert_matches_differences(lambda v: run(ops, v), x, g_rev, FD_RTOL * scale)
