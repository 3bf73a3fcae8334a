"""Issues 10-14, 16: no entry point returns a silent zero or a silently wrong result.

Every number is checked against a closed form or central differences (tests/core/refs.py),
never against another output of the code under test. Points are fixed (seeded where random).
"""
import math
import re

import numpy as np
import pytest

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import LeakedBoxError

from ..core.refs import central_jacobian

X3 = np.array([0.3, -1.2, 0.7])
T3 = np.array([1.0, 0.5, -2.0])

# every entry point, as "run f at a point"; the name each one's errors must start with
ENTRY_POINTS = {
    "grad": ("grad", lambda f: dn.grad(f)(X3)),
    "value_and_grad": ("value_and_grad", lambda f: dn.value_and_grad(f)(X3)),
    "vjp": ("vjp", lambda f: dn.vjp(f, X3)[1](1.0)),
    "jacrev": ("jacrev", lambda f: dn.jacrev(f)(X3)),
    "hvp": ("hvp", lambda f: dn.hvp(f)(X3, T3)),
    "hessian-fwd-rev": ("hessian", lambda f: dn.hessian(f, mode="forward-over-reverse")(X3)),
    "hessian-forward": ("hessian", lambda f: dn.hessian(f, mode="forward")(X3)),
    "hessian-reverse": ("hessian", lambda f: dn.hessian(f, mode="reverse")(X3)),
    "hessian-auto": ("hessian", lambda f: dn.hessian(f)(X3)),
    "derivative": ("derivative", lambda f: dn.derivative(f, 0.5)),
    "jvp": ("jvp", lambda f: dn.jvp(f, (X3,), (T3,))),
    "jacfwd": ("jacfwd", lambda f: dn.jacfwd(f)(X3)),              # one-vector fast path
    "jacfwd-chunked": ("jacfwd", lambda f: dn.jacfwd(f, chunk=2)(X3)),   # general path
    "jacfwd-scalar": ("jacfwd", lambda f: dn.jacfwd(f)(0.5)),
    "gradient-reverse": ("gradient", lambda f: dn.gradient(f, X3, mode="reverse")),
    "gradient-forward": ("gradient", lambda f: dn.gradient(f, X3, mode="forward")),
    "jacobian-forward": ("jacobian", lambda f: dn.jacobian(f, mode="forward")(X3)),
    "jacobian-reverse": ("jacobian", lambda f: dn.jacobian(f, mode="reverse")(X3)),
    "jacobian-auto": ("jacobian", lambda f: dn.jacobian(f)(X3)),
}
SCALAR_ONLY = {"grad", "value_and_grad", "hvp", "hessian-fwd-rev", "hessian-reverse",
               "gradient-reverse", "gradient-forward"}


def _forgot_return(w):
    l = dnp.sum(w * w)  # noqa: F841  (the bug under test: no return)


# ---------------------------------------------------------------- outputs that are not numbers
@pytest.mark.parametrize("ep", ENTRY_POINTS)
def test_none_output_raises_naming_it(ep):
    name, run = ENTRY_POINTS[ep]
    msg = rf"^{name}: f returned None \(did the function forget `return`\?\)"
    with pytest.raises(TypeError, match=msg):
        run(_forgot_return)
    with pytest.raises(TypeError, match=msg):
        run(lambda w: None)


@pytest.mark.parametrize("ep", ENTRY_POINTS)
@pytest.mark.parametrize("out, what", [("a", "a str"), (b"a", "a bytes"), (True, "a bool"),
                                       (np.array([True, False]), "a bool"),
                                       (object(), "a object"),
                                       (np.array(["x"]), "an array of dtype <U1")])
def test_non_numeric_output_raises_naming_it(ep, out, what):
    name, run = ENTRY_POINTS[ep]
    if ep == "gradient-forward" and np.size(out) > 1:
        # its scalar check sees the shape first (size 1 passes it, as in grad, and meets the
        # type check below): an error either way, never zeros
        with pytest.raises(ValueError, match=r"^gradient needs .* scalar output"):
            run(lambda w: out)
        return
    with pytest.raises(TypeError, match=rf"^{name}: f returned {what}"):
        run(lambda w: out)


@pytest.mark.parametrize("ep", ENTRY_POINTS)
def test_none_leaf_in_a_tree_raises_or_is_refused(ep):
    name, run = ENTRY_POINTS[ep]
    f = lambda w: (dnp.sum(w * w), None)
    if ep in SCALAR_ONLY:
        with pytest.raises(ValueError, match="scalar output"):
            run(f)
    else:
        with pytest.raises(TypeError, match=rf"^{name}: f returned a tree with a leaf that "
                                            "is None"):
            run(f)


@pytest.mark.parametrize("ep", ENTRY_POINTS)
def test_constant_output_has_zero_derivative(ep):
    # a plain number not depending on the input: derivative 0 is the right answer (as JAX)
    _, run = ENTRY_POINTS[ep]
    for const in (3, 2.5, np.float32(2.5)):
        got = run(lambda w: const)
        if ep == "value_and_grad":
            assert got[0] == float(const) and type(got[0]) is float
            got = got[1]
        if ep == "jvp":
            assert got[0] == float(const)
            got = got[1]
        if ep == "vjp":
            (got,) = got
        want_shape = {"derivative": (), "jvp": (), "jacfwd-scalar": (),
                      "hessian-fwd-rev": (3, 3), "hessian-forward": (3, 3),
                      "hessian-reverse": (3, 3), "hessian-auto": (3, 3)}.get(ep, (3,))
        assert np.shape(got) == want_shape
        assert np.all(np.asarray(got) == 0.0)


# ---------------------------------------------------------------- tree outputs
def _tree_f(kind):
    # leaves 2v and Σv²: Jacobian blocks 2I and 2v
    if kind == "dict":
        return lambda v: {"a": 2.0 * v, "b": dnp.sum(v * v)}
    if kind == "tuple":
        return lambda v: (2.0 * v, dnp.sum(v * v))
    return lambda v: [2.0 * v, dnp.sum(v * v)]


def _as_pair(tree, kind):
    return (tree["a"], tree["b"]) if kind == "dict" else tuple(tree)


@pytest.mark.parametrize("kind", ["dict", "tuple", "list"])
@pytest.mark.parametrize("ep", ["jacrev", "jacfwd", "jacfwd-chunked", "jacobian-forward",
                                "jacobian-reverse"])
def test_jacobians_of_tree_outputs_match_closed_form(ep, kind):
    out = ENTRY_POINTS[ep][1](_tree_f(kind))
    assert type(out) is {"dict": dict, "tuple": tuple, "list": list}[kind]
    ja, jb = _as_pair(out, kind)
    np.testing.assert_array_equal(ja, 2.0 * np.eye(3))
    np.testing.assert_allclose(jb, 2.0 * X3, rtol=1e-15)


@pytest.mark.parametrize("kind", ["dict", "tuple", "list"])
def test_vjp_of_tree_outputs(kind):
    f = _tree_f(kind)
    y, back = dn.vjp(f, X3)
    ya, yb = _as_pair(y, kind)
    assert type(ya) is np.ndarray and not isinstance(yb, dn.TapeVar)     # plain values
    np.testing.assert_array_equal(ya, 2.0 * X3)
    assert float(yb) == pytest.approx(np.sum(X3 ** 2), rel=1e-15)
    u, s = np.array([1.0, -1.0, 3.0]), 0.5
    ct = {"b": s, "a": u} if kind == "dict" else (u, s) if kind == "tuple" else [u, s]
    (g,) = back(ct)                                    # dict cotangents matched by key
    np.testing.assert_allclose(g, 2.0 * u + 2.0 * s * X3, rtol=1e-15)
    np.testing.assert_allclose(back(ct)[0], g)        # callable again
    with pytest.raises(ValueError, match="vjp cotangent"):
        back(u)                                        # not the output's structure
    bad = {"a": u, "b": np.ones(2)} if kind == "dict" else type(ct)([u, np.ones(2)])
    with pytest.raises(ValueError, match=r"cotangent \(leaf 1\) has shape \(2,\)"):
        back(bad)


@pytest.mark.parametrize("kind", ["dict", "tuple", "list"])
def test_jvp_and_derivative_of_tree_outputs(kind):
    f = _tree_f(kind)
    y, t = dn.jvp(f, (X3,), (T3,))
    np.testing.assert_array_equal(_as_pair(t, kind)[0], 2.0 * T3)
    assert float(_as_pair(t, kind)[1]) == pytest.approx(2.0 * X3 @ T3, rel=1e-14)
    d = dn.derivative(f, 0.5)
    assert _as_pair(d, kind) == (2.0, 1.0)


@pytest.mark.parametrize("ep", sorted(SCALAR_ONLY))
@pytest.mark.parametrize("kind", ["dict", "tuple", "list"])
def test_scalar_apis_refuse_tree_outputs(ep, kind):
    with pytest.raises(ValueError, match="scalar output"):
        ENTRY_POINTS[ep][1](_tree_f(kind))


def test_hessian_forward_of_tree_output_is_a_tree_of_hessians():
    out = dn.hessian(_tree_f("dict"), mode="forward")(X3)
    np.testing.assert_array_equal(out["a"], np.zeros((3, 3, 3)))     # 2v is linear
    np.testing.assert_array_equal(out["b"], 2.0 * np.eye(3))


def test_gradient_forward_refuses_non_scalar_output():
    # jacfwd alone would hand back a Jacobian as if it were a gradient
    with pytest.raises(ValueError, match=r"scalar output.*shape \(3,\)"):
        dn.gradient(lambda v: 2.0 * v, X3, mode="forward")


def test_tree_outputs_against_central_differences():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=3), rng.normal(size=(2, 3))
    f = lambda x, y: {"s": dnp.sin(x) * x[0], "m": dnp.tanh(y @ x), "e": dnp.exp(dnp.sum(x))}
    plain = {"s": lambda x, y: np.sin(x) * x[0], "m": lambda x, y: np.tanh(y @ x),
             "e": lambda x, y: np.exp(np.sum(x))}
    for jac in (dn.jacrev(f, argnums=(0, 1)), dn.jacfwd(f, argnums=(0, 1))):
        out = jac(x, y)
        for key, g in plain.items():
            ref = central_jacobian(g, [x, y], [0, 1])
            for got, want in zip(out[key], ref):
                np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)
    yv, back = dn.vjp(f, x, y)
    cts = {"s": rng.normal(size=3), "m": rng.normal(size=2), "e": 0.7}
    gx, gy = back(cts)
    for got, i in ((gx, 0), (gy, 1)):
        want = sum(np.tensordot(cts[k], central_jacobian(g, [x, y], [i])[0],
                                axes=np.ndim(cts[k])) for k, g in plain.items())
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)


def test_jacrev_tree_with_constant_and_scalar_leaves():
    out = dn.jacrev(lambda v: {"a": 2.0 * v, "c": 5.0, "z": np.zeros(2)})(X3)
    np.testing.assert_array_equal(out["a"], 2.0 * np.eye(3))
    np.testing.assert_array_equal(out["c"], np.zeros(3))
    np.testing.assert_array_equal(out["z"], np.zeros((2, 3)))
    # scalar input, scalar leaves: plain floats, as for a single output
    assert dn.jacrev(lambda x: (x * x, 3.0 * x))(2.0) == (4.0, 3.0)
    y, back = dn.vjp(lambda x: (x * x, 3.0 * x), 2.0)
    assert y == (4.0, 6.0) and back((1.0, 1.0)) == (7.0,)
    assert type(back((1.0, 1.0))[0]) is float
    assert dn.jacrev(lambda v: ())(X3) == ()


# ---------------------------------------------------------------- argnums
XY = (1.0, 2.0)
mul = lambda x, y: x * y                    # d/dx = y = 2, d/dy = x = 1


@pytest.mark.parametrize("nums, want", [((0, 0), (2.0, 2.0)), ((0, -2), (2.0, 2.0)),
                                        ((1, 0, 1), (1.0, 2.0, 1.0)), ((-1, -1), (1.0, 1.0))])
def test_repeated_and_negative_argnums(nums, want):
    assert dn.grad(mul, argnums=nums)(*XY) == want
    assert dn.value_and_grad(mul, argnums=nums)(*XY) == (2.0, want)
    assert dn.jacfwd(mul, argnums=nums)(*XY) == want
    assert dn.jacrev(mul, argnums=nums)(*XY) == want
    assert dn.jacobian(mul, argnums=nums, mode="reverse")(*XY) == want
    assert dn.jacobian(mul, argnums=nums, mode="forward")(*XY) == want
    assert dn.grad(mul, argnums=-1)(*XY) == 1.0 and dn.jacfwd(mul, argnums=-2)(*XY) == 2.0


def test_repeated_argnums_arrays_trees_and_hessian():
    x, y = X3, 1.5
    f = lambda x, y: dnp.sum(x * x) * y       # d/dx = 2xy, d/dy = Σx²
    for g in (dn.grad(f, argnums=(0, 1, 0)), dn.jacrev(f, argnums=(0, 1, 0)),
              dn.jacfwd(f, argnums=(0, 1, 0)), dn.jacfwd(f, argnums=(0, 1, 0), chunk=1)):
        g0, g1, g2 = g(x, y)
        np.testing.assert_allclose(g0, 2 * x * y, rtol=1e-15)
        np.testing.assert_allclose(g2, 2 * x * y, rtol=1e-15)
        assert g1 == pytest.approx(np.sum(x * x), rel=1e-15)
        g0 += 1.0                              # each position is its own array
        np.testing.assert_allclose(g2, 2 * x * y, rtol=1e-15)
    p = {"w": X3, "b": 0.5}
    h = lambda p: dnp.sum(p["w"] ** 2) + 3.0 * p["b"]
    ga, gb = dn.grad(h, argnums=(0, 0))(p)
    np.testing.assert_allclose(ga["w"], 2 * X3) and np.testing.assert_allclose(gb["w"], 2 * X3)
    assert ga["b"] == gb["b"] == 3.0
    # d²(x²y)/dx² = 2y at every place of the 2x2 nest
    H = dn.hessian(lambda x, y: x * x * y, argnums=(0, 0))(1.0, 2.0)
    assert H == ((4.0, 4.0), (4.0, 4.0))


FACTORIES = {
    "grad": dn.grad, "value_and_grad": dn.value_and_grad, "jacrev": dn.jacrev,
    "jacfwd": dn.jacfwd, "hessian": dn.hessian,
    "jacobian": lambda f, argnums: dn.jacobian(f, argnums, mode="reverse"),
}


@pytest.mark.parametrize("api", FACTORIES)
def test_bad_argnums_are_clear_errors(api):
    make = FACTORIES[api]
    f = lambda x, y: x * y
    name = api
    for bad in (True, False, 0.0, "0", (0, True), (0, 1.5), None):
        with pytest.raises(TypeError, match=rf"^{name}: argnums must be an int"):
            make(f, argnums=bad)(1.0, 2.0)
    for bad in (2, -3, (0, 2)):
        with pytest.raises(ValueError, match=re.escape(f"argnums={bad!r}: the function "
                                                       "was called with 2 ")):
            make(f, argnums=bad)(1.0, 2.0)
    with pytest.raises(ValueError, match=r"argnums=\(\) names no argument"):
        make(f, argnums=())(1.0, 2.0)
    if api != "hessian":
        assert make(f, argnums=np.int64(1))(3.0, 2.0) in (3.0, (6.0, 3.0))


# ---------------------------------------------------------------- Dual dtypes
def test_float32_dual_computes_in_float64():
    x32 = np.array([0.1, 0.2], dtype=np.float32)
    d = dn.Dual(x32, np.ones(2, dtype=np.float32))
    assert d.primal.dtype == np.float64 and d.tangent.dtype == np.float64
    np.testing.assert_array_equal(d.primal, x32.astype(np.float64))   # the same numbers
    # 1e-10 is below float32's resolution at 0.1 (~7e-9): a float32 Dual would lose it
    e = d + 1e-10
    assert e.primal.dtype == np.float64
    np.testing.assert_allclose(e.primal - x32.astype(np.float64), 1e-10, rtol=1e-5)
    s = dnp.sin(d * d)
    assert s.tangent.dtype == np.float64
    x64 = x32.astype(np.float64)
    np.testing.assert_allclose(s.tangent, np.cos(x64 * x64) * 2 * x64, rtol=1e-15)
    for arr in (np.array([1.5], np.float16), np.array([1, 2], np.int32),
                np.array([1, 2], np.uint8)):
        assert dn.Dual(arr, np.ones(arr.shape, arr.dtype)).primal.dtype == np.float64
        assert dn.Dual(arr).tangent.dtype == np.float64
    c = dn.Dual(np.array([1 + 2j], np.complex64), np.array([1j], np.complex64))
    assert c.primal.dtype == np.complex128 and c.tangent.dtype == np.complex128
    assert type(dn.Dual(np.float32(0.25)).primal) is float
    assert type(dn.Dual(np.complex64(1j), 1.0).primal) is complex
    assert dn.Dual(2.0, np.float32(0.1)).tangent == float(np.float32(0.1))
    with pytest.raises(TypeError, match="bool"):
        dn.Dual(np.array([True, False]))


# ---------------------------------------------------------------- nested and finished tapes
def test_issue14_value_of_outer_vars_recorded_inside_an_inner_tape():
    with dn.Tape() as t1:
        a, b = t1.var(2.0), t1.var(3.0)
        with dn.Tape() as t2:
            c = a * b
    # computed from t1's variables only: it is a t1 variable, t2 never saw it
    assert isinstance(c, dn.TapeVar) and c.tape is t1 and len(t2) == 0
    assert t1.gradient(c, [a, b]) == [3.0, 2.0]


def test_issue14_inner_tape_variable_holding_outer_ones():
    with dn.Tape() as t1:
        a = t1.var(2.0)
        with dn.Tape() as t2:
            b = t2.var(2.0)
            c = a * b                 # the issue's example: dc/da = b = 2
            y = dnp.sin(a) * b * b    # dy/da = cos(a) b², dy/db = 2 b sin(a)
        gb = t2.gradient(y, [b])[0]   # a t1 variable: 2 b sin(a)
        assert gb.tape is t1 and gb.value == pytest.approx(4 * math.sin(2.0), rel=1e-15)
    assert c.tape is t2 and c.value.tape is t1
    assert t1.gradient(c, [a]) == [2.0]
    assert t1.gradient(y, [a])[0] == pytest.approx(math.cos(2.0) * 4.0, rel=1e-15)
    # reverse over reverse: d/da (2 b sin a) = 2 b cos a
    assert t1.gradient(gb, [a])[0] == pytest.approx(4 * math.cos(2.0), rel=1e-15)


def test_three_nested_tapes():
    with dn.Tape() as t1:
        a = t1.var(0.4)
        with dn.Tape() as t2:
            b = t2.var(1.5)
            with dn.Tape() as t3:
                c = t3.var(-2.0)
                y = dnp.sin(a) * b * c
    assert t1.gradient(y, [a])[0] == pytest.approx(math.cos(0.4) * 1.5 * -2.0, rel=1e-15)


def test_issue14_value_of_a_finished_tape_raises():
    with dn.Tape() as t1:
        a = t1.var(2.0)
    with dn.Tape() as t3:
        z = t3.var(1.0)
        w = z * 2.0
    with pytest.raises(LeakedBoxError, match=r"y belongs to Tape #\d+, which has finished"):
        t1.gradient(w, [a])
    assert t3.gradient(w, [z]) == [2.0]            # the tape that recorded it answers


def test_tape_gradient_of_things_that_are_not_its_variables():
    with dn.Tape() as t1:
        a = t1.var(2.0)
        with dn.Tape() as t2:
            b = t2.var(3.0)
            with pytest.raises(ValueError, match="not of this tape.*holds none"):
                t2.gradient(a * 1.0, [b])          # an outer variable: not t2's to answer
        with pytest.raises(LeakedBoxError, match="finished"):
            t1.gradient(b, [a])   # t2 has finished
    boxes = np.empty(1, dtype=object)
    boxes[0] = a                                   # an object array of variables
    for bad, exc, msg in ((None, TypeError, "y is None"), ("a", TypeError, "y is a str"),
                          (True, TypeError, "bool"), (boxes, TypeError, "dtype object"),
                          (dn.Dual(1.0, 1.0), ValueError, "y is a Dual of ForwardLevel")):
        with pytest.raises(exc, match=msg):
            t1.gradient(bad, [a])
    with pytest.raises(TypeError, match="pass its .primal"):
        t1.gradient(dn.Dual(a, 1.0), [a])
    assert t1.gradient(5.0, [a]) == [0.0] and t1.gradient(np.float32(1), a) == 0.0
    with pytest.raises(ValueError, match="not a scalar"):
        t1.gradient(np.ones(2), [a])
    # a variable recorded after y does not reach it: 0, not an IndexError
    with dn.Tape() as t:
        x = t.var(2.0)
        y = x * 3.0
        later = t.var(5.0)
    assert t.gradient(y, [x, later]) == [3.0, 0.0]


def test_tape_var_refuses_its_own_and_finished_variables():
    with dn.Tape() as t0:
        old = t0.var(1.0)
    with dn.Tape() as t:
        x = t.var(2.0)
        with pytest.raises(ValueError, match="already v0 of this tape"):
            t.var(x)
        with pytest.raises(LeakedBoxError, match="finished"):
            t.var(old)


def test_apis_see_through_inner_tapes_and_refuse_leaked_values():
    def f(x):
        with dn.Tape() as inner:
            s = inner.var(2.0)
            y = x * x * s               # an inner variable holding ours: value 2x²
        return y
    assert dn.grad(f)(1.5) == pytest.approx(6.0, rel=1e-15)          # 4x
    assert dn.derivative(f, 1.5) == pytest.approx(6.0, rel=1e-15)
    np.testing.assert_allclose(dn.jacrev(f)(X3), np.diag(4 * X3), rtol=1e-15)
    np.testing.assert_allclose(dn.jacfwd(f)(X3), np.diag(4 * X3), rtol=1e-15)
    with dn.Tape() as done:
        leaked = done.var(1.0) * 3.0
    for ep in ("grad", "jacrev", "jacfwd", "derivative", "vjp"):
        with pytest.raises(LeakedBoxError, match="f returned a value of Tape"):
            ENTRY_POINTS[ep][1](lambda w: leaked)
    # an outer computation's variable is a constant inside an inner call (as in JAX)
    with dn.Tape() as outer:
        w = outer.var(4.0)
        assert dn.grad(lambda x: w)(1.0) == 0.0
        assert dn.derivative(lambda x: w * 1.0, 1.0) == 0.0
    # a Dual of another level wrapping this call's own value would drop a tangent
    with pytest.raises(TypeError, match="wrapping a value of this call"):
        dn.derivative(lambda x: dn.Dual(x, 1.0), 1.0)
    with pytest.raises(TypeError, match="wrapping a value of this call"):
        dn.grad(lambda x: dn.Dual(x, 1.0))(1.0)


# ---------------------------------------------------------------- the issues' examples
def test_issue10_forgotten_return():
    with pytest.raises(TypeError, match=r"^grad: f returned None \(did the function forget"):
        dn.grad(_forgot_return)(np.ones(3))
    with pytest.raises(TypeError, match=r"^value_and_grad: f returned None"):
        dn.value_and_grad(_forgot_return)(np.ones(3))
    with pytest.raises(TypeError, match=r"^hessian: f returned None"):
        dn.hessian(_forgot_return)(np.ones(3))
    with pytest.raises(TypeError, match=r"^hvp: f returned None"):
        dn.hvp(_forgot_return)(np.ones(3), np.ones(3))
    with pytest.raises(TypeError, match=r"^jacrev: f returned None"):
        dn.jacrev(_forgot_return)(np.ones(3))


def test_issue10_str_output():
    with pytest.raises(TypeError, match=r"^grad: f returned a str"):
        dn.grad(lambda x: "a")(1.0)


def test_issue11_repeated_argnums():
    assert dn.grad(lambda x, y: x * y, argnums=(0, 0))(1.0, 2.0) == (2.0, 2.0)
    assert dn.grad(lambda x, y: x * y, argnums=(0, -2))(1.0, 2.0) == (2.0, 2.0)


def test_issue12_jacrev_of_dict_and_tuple():
    out = dn.jacrev(lambda v: {"a": 2 * v, "b": dnp.sum(v)})(np.ones(2))
    np.testing.assert_array_equal(out["a"], 2.0 * np.eye(2))
    np.testing.assert_array_equal(out["b"], np.ones(2))
    ja, jb = dn.jacrev(lambda v: (2 * v, dnp.sum(v)))(np.ones(2))
    np.testing.assert_array_equal(ja, 2.0 * np.eye(2))
    np.testing.assert_array_equal(jb, np.ones(2))


def test_issue12_vjp_of_dict_gives_plain_values():
    y, back = dn.vjp(lambda v: {"a": 2 * v, "b": dnp.sum(v)}, np.ones(2))
    assert not any(isinstance(leaf, dn.TapeVar) for leaf in y.values())
    np.testing.assert_array_equal(y["a"], [2.0, 2.0])
    assert y["b"] == 2.0
    np.testing.assert_array_equal(back({"a": np.array([1.0, 0.0]), "b": 1.0})[0], [3.0, 1.0])


def test_issue13_float32_dual():
    d = dn.Dual(np.ones(2, np.float32), np.ones(2, np.float32))
    assert (d * 1.1).primal.dtype == np.float64 and (d * 1.1).tangent.dtype == np.float64


def test_issue16_vjp_of_tuple():
    y, back = dn.vjp(lambda v: (2 * v, dnp.sum(v)), np.ones(2))
    np.testing.assert_array_equal(y[0], [2.0, 2.0])
    (g,) = back((np.ones(2), 1.0))                     # 2·1 + 1
    np.testing.assert_array_equal(g, [3.0, 3.0])
