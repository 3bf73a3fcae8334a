"""``x ** y`` on its edge set to second order against sympy, and the broadcasting of every
multi-argument elementwise rule against numpy and central differences (issue 10).

References are independent of the rule table: sympy's derivatives of ``x**y`` (with the
exponent substituted first, then the limit x -> 0+ at a zero base), numpy's functions, and
central differences of those numpy functions (refs.py).

How non-finite answers are judged. Where the true derivative is infinite or undefined, the
answer must be inf or nan, never a finite number. And where any first- or second-order entry
at a point is infinite or undefined, the chain rule multiplies that partial by an exactly
zero tangent or cotangent somewhere (``0 * inf`` is nan: a direction along y meets the
infinite slope in x), so at such a point the other entries may come out nan as well; never a
finite number other than the reference. At points where every entry is finite, every mode
must give the reference.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.rules import get_rule

from .refs import assert_close, central_jacobian
from .specs import broadcast_cases, quick_first, scipy_reference

# ------------------------------------------------------------------ x ** y on its edge set

XS = (0.0, 1.0, -2.0, 0.5, 3.0)
YS = (sympy.Integer(0), sympy.Integer(1), sympy.Integer(2), sympy.Integer(3),
      sympy.Integer(-1), sympy.Integer(-2), sympy.Rational(1, 2), sympy.Rational(5, 2))
POINTS = [(x, y) for x in XS for y in YS]
IDS = [f"x={x},y={y}" for x, y in POINTS]

_X, _Y = sympy.symbols("x y", real=True)
ENTRIES = {"f": (), "fx": (_X,), "fy": (_Y,), "fxx": (_X, _X), "fxy": (_X, _Y),
           "fyy": (_Y, _Y)}
MODES = ("forward-over-reverse", "forward", "reverse")


def _as_float(r: sympy.Expr) -> float:
    """A real finite sympy number as a float; nan for anything else (±oo, zoo, nan, complex).
    The sign of an infinity is kept (as ±inf) so that an inf answer can be checked against it.
    """
    if r in (sympy.oo, -sympy.oo):
        return math.inf if r == sympy.oo else -math.inf
    if r.is_real and r.is_finite:
        return float(r)
    return math.nan


@functools.lru_cache(maxsize=None)
def reference(x0: float, y0: sympy.Rational) -> dict[str, float]:
    """f = x**y and its derivatives at (x0, y0), from sympy."""
    out = {}
    for name, wrt in ENTRIES.items():
        if x0 < 0 and _Y in wrt:
            # a negative base has real powers at integer y only: no real derivative in y
            # (sympy's complex log would give e.g. d²/dxdy = 1/x at y = 0)
            out[name] = math.nan
            continue
        e = sympy.diff(_X ** _Y, *wrt).subs(_Y, y0) if wrt else (_X ** _Y).subs(_Y, y0)
        if x0 == 0:
            r = sympy.limit(e, _X, 0, "+")     # 0 * log(0) and the like: the limit
        else:
            r = e.subs(_X, sympy.nsimplify(x0))
        out[name] = _as_float(r)
    return out


def _clean(ref: dict[str, float], names) -> bool:
    return all(math.isfinite(ref[n]) for n in names)


def _judge(got, want: float, clean: bool, what: str) -> None:
    got = float(got)
    if math.isfinite(want):
        if math.isfinite(got):
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), f"{what}: {got} vs {want}"
        else:
            assert not clean, f"{what}: {got} where the derivative is {want}"
    elif math.isinf(want) and math.isinf(got):
        assert got == want, f"{what}: {got} where the derivative is {want}"
    else:
        assert not math.isfinite(got), \
            f"{what}: the finite {got} where the derivative is {want} (infinite or undefined)"


# the quick loop takes x = 0 (the edge) with the exponents 0 and 1/2; the others are slow
@pytest.mark.parametrize("x0,y0", quick_first(
    POINTS, lambda p: p if p[0] == 0.0 and p[1] in (0, sympy.Rational(1, 2)) else None, IDS,
    unpack=True))
def test_power_traced_exponent_to_second_order(x0, y0):
    """f(x, y) = x**y with both arguments traced: value, gradient and all four Hessian
    entries, by grad/jacfwd, the three dn.hessian modes on a vector, and nested jacfwd/jacrev
    on two scalars."""
    ref = reference(x0, y0)
    clean = _clean(ref, ENTRIES)
    y = float(y0)
    v = np.array([x0, y])
    fv = lambda w: w[0] ** w[1]
    g2 = lambda a, b: a ** b
    H_ref = [[ref["fxx"], ref["fxy"]], [ref["fxy"], ref["fyy"]]]
    with np.errstate(all="ignore"):
        _judge(dnp.power(x0, y), ref["f"], True, "value")
        _judge(dnp.power(np.array([x0]), np.array([y]))[0], ref["f"], True, "array value")
        # a reverse gradient keeps its entries apart (each its own partial); one forward pass
        # carries both directions, so an infinite or nan partial reaches the other entry
        for name, gr, sep in (("grad", dn.grad(fv)(v), True),
                              ("jacfwd", dn.jacfwd(fv)(v), clean)):
            for k, e in enumerate(("fx", "fy")):
                _judge(gr[k], ref[e], sep, f"{name} {e}")
        hs = {m: dn.hessian(fv, mode=m)(v) for m in MODES}
        nums = (0, 1)
        hs["jacfwd∘jacfwd"] = dn.jacfwd(dn.jacfwd(g2, argnums=nums), argnums=nums)(x0, y)
        hs["jacrev∘jacrev"] = dn.jacrev(dn.jacrev(g2, argnums=nums), argnums=nums)(x0, y)
        hs["jacfwd∘jacrev"] = dn.jacfwd(dn.jacrev(g2, argnums=nums), argnums=nums)(x0, y)
    for name, H in hs.items():
        for a in range(2):
            for b in range(2):
                _judge(H[a][b], H_ref[a][b], clean, f"{name} H[{a}][{b}]")


# the quick loop takes the base x = 0 (the edge) with every exponent; other bases are slow
@pytest.mark.parametrize("x0,y0", quick_first(POINTS, lambda p: p if p[0] == 0.0 else None, IDS,
                                             unpack=True))
@pytest.mark.parametrize("as_type", ["float", "int", "0-d array"])
def test_power_constant_exponent_to_second_order(x0, y0, as_type):
    """f(x) = x**c with c a constant (a float, a Python int, a 0-d array): f, f', f'' by
    nested derivative, grad of grad, and the three dn.hessian modes."""
    if as_type == "int" and not y0.is_integer:
        pytest.skip("not an integer")
    ref = reference(x0, y0)
    clean = True   # one variable: no zero direction to meet an infinite partial
    c = {"float": float(y0), "int": int(y0) if y0.is_integer else None,
         "0-d array": np.array(float(y0))}[as_type]
    f = lambda x: x ** c
    fv = lambda w: dnp.sum(w ** c)
    with np.errstate(all="ignore"):
        _judge(dnp.power(x0, c), ref["f"], True, "value")
        _judge(dn.derivative(f, x0), ref["fx"], clean, "derivative")
        _judge(dn.grad(f)(x0), ref["fx"], clean, "grad")
        _judge(dn.derivative(lambda x: dn.derivative(f, x), x0), ref["fxx"], clean,
               "derivative of derivative")
        _judge(dn.grad(dn.grad(f))(x0), ref["fxx"], clean, "grad of grad")
        for m in MODES:
            _judge(dn.hessian(fv, mode=m)(np.array([x0]))[0, 0], ref["fxx"], clean, m)


def _array_hessians(points):
    xs = np.array([x for x, _ in points])
    ys = np.array([float(y) for _, y in points])
    n = len(points)
    s = lambda w: dnp.sum(w[:n] ** w[n:])
    w = np.concatenate([xs, ys])
    with np.errstate(all="ignore"):
        return dn.grad(s)(w), {m: dn.hessian(s, mode=m)(w) for m in MODES}


def _array_reference(points):
    n = len(points)
    H = np.zeros((2 * n, 2 * n))
    for i, (x, y) in enumerate(points):
        r = reference(x, y)
        H[i, i], H[i, n + i] = r["fxx"], r["fxy"]
        H[n + i, i], H[n + i, n + i] = r["fxy"], r["fyy"]
    return H


def test_power_elementwise_arrays_match_the_scalar_references():
    """The pairs of the edge set where every entry is finite, in one array call (the
    zero-base branches of the partials are elementwise there, through where): the gradient
    and the Hessian of sum(x**y), every mode, are the references."""
    points = [p for p in POINTS if _clean(reference(*p), ENTRIES)]
    assert len(points) >= 20
    _judge_array_call(points, exact_hessian=True)


def _judge_array_call(points, exact_hessian):
    """The gradient (always exact) and the Hessians of sum(x**y) over ``points`` in one call,
    judged entry by entry against the scalar references."""
    g, hs = _array_hessians(points)
    n = len(points)
    for i, (x, y) in enumerate(points):
        r = reference(x, y)
        _judge(g[i], r["fx"], True, f"grad fx at {(x, y)}")
        _judge(g[n + i], r["fy"], True, f"grad fy at {(x, y)}")
    H_ref = _array_reference(points)
    for m, H in hs.items():
        for a, b in np.ndindex(*H.shape):
            _judge(H[a, b], H_ref[a, b], exact_hessian, f"{m} H[{a}, {b}]")


def test_power_elementwise_arrays_never_give_a_wrong_finite_number():
    """Every pair of the edge set in one array call. The reverse gradient is elementwise (each
    entry its own partial); the Hessians may turn entries nan wherever an infinite partial
    meets a zero direction (a forward pass sums every entry's tangent), but every finite
    entry is the reference."""
    _judge_array_call(POINTS, exact_hessian=False)


@pytest.mark.parametrize("x0", XS)
def test_power_scalar_base_with_an_array_of_exponents(x0):
    """A scalar base against an array of traced exponents (the zero-base branches of the
    partials broadcast): the Jacobians, both modes, hold the scalar references on their
    diagonals, and nothing but nan (0 * inf) or the reference 0 off them."""
    ys = np.array([float(y) for y in YS])
    with np.errstate(all="ignore"):
        jac = {"jacfwd": dn.jacfwd(lambda y: x0 ** y)(ys),
               "jacrev": dn.jacrev(lambda y: x0 ** y)(ys)}
    for name, J in jac.items():
        for i, j in np.ndindex(*J.shape):
            want = reference(x0, YS[i])["fy"] if i == j else 0.0
            _judge(J[i, j], want, False, f"{name} d(x0**y_{i})/dy_{j}")


@pytest.mark.parametrize("xs", [(1.0, 0.5, 3.0), XS], ids=["positive", "edge"])
def test_power_array_of_bases_with_a_scalar_traced_exponent_zero(xs):
    """sum(x_i ** y) at y = 0 with y one traced scalar (broadcast against the bases): the
    Hessian holds d²/dx_i² = 0, d²/dx_i dy = 1/x_i and d²/dy² = sum(log(x_i)²)."""
    n = len(xs)
    refs = [reference(x, sympy.Integer(0)) for x in xs]
    H_ref = np.zeros((n + 1, n + 1))
    for i, r in enumerate(refs):
        H_ref[i, i], H_ref[i, n], H_ref[n, i] = r["fxx"], r["fxy"], r["fxy"]
    H_ref[n, n] = sum(r["fyy"] for r in refs)
    clean = all(_clean(r, ENTRIES) for r in refs)
    s = lambda v: dnp.sum(v[:n] ** v[n])
    with np.errstate(all="ignore"):
        for m in MODES:
            H = dn.hessian(s, mode=m)(np.r_[xs, 0.0])
            for a, b in np.ndindex(*H.shape):
                _judge(H[a, b], H_ref[a, b], clean, f"{m} H[{a}, {b}]")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("x0,want", [(1.0, 1.0), (2.0, 0.5), (0.5, 2.0)])
def test_mixed_second_derivative_at_exponent_zero_is_one_over_x(mode, x0, want):
    # issue 10's examples: d²(x^y)/dxdy = x^(y-1) (1 + y log x) = 1/x at y = 0
    H = dn.hessian(lambda v: v[0] ** v[1], mode=mode)(np.array([x0, 0.0]))
    assert H[0, 1] == pytest.approx(want, rel=1e-14)
    assert H[1, 0] == pytest.approx(want, rel=1e-14)
    assert H[0, 0] == 0.0
    assert H[1, 1] == pytest.approx(math.log(x0) ** 2, rel=1e-14, abs=1e-300)


# ------------------------------------------------------------------ clip with array bounds

def test_clip_of_a_scalar_between_array_bounds():
    # issue 10: the mask of the partial had x's shape, not the broadcast shape
    lo, hi = np.array([0.0, 1.0]), np.array([2.0, 3.0])
    np.testing.assert_array_equal(dnp.clip(0.5, lo, hi), np.clip(0.5, lo, hi))
    f = lambda x: dnp.sum(dnp.clip(x, lo, hi))
    assert dn.grad(f)(0.5) == 1.0 and dn.derivative(f, 0.5) == 1.0   # [0, 2] holds 0.5
    np.testing.assert_array_equal(dn.jacfwd(lambda x: dnp.clip(x, lo, hi))(0.5), [1.0, 0.0])
    np.testing.assert_array_equal(dn.jacrev(lambda x: dnp.clip(x, lo, hi))(0.5), [1.0, 0.0])
    np.testing.assert_array_equal(dn.grad(lambda a: dnp.sum(dnp.clip(0.5, a, hi)))(lo),
                                  [0.0, 1.0])                # 0.5 < 1: the bound is the answer
    H = dn.hessian(lambda v: dnp.sum(dnp.clip(v[0], v[1:3], v[3:])))(np.r_[0.5, lo, hi])
    np.testing.assert_array_equal(H, np.zeros((5, 5)))


def test_clip_bounds_in_the_wrong_order_follow_numpy():
    # np.clip is minimum(maximum(x, lo), hi): with hi < lo the answer is hi everywhere
    x, lo, hi = np.array([0.5, 5.0, 3.5]), 4.0, 3.0
    np.testing.assert_array_equal(dnp.clip(x, lo, hi), [3.0, 3.0, 3.0])
    assert dn.grad(lambda a: dnp.sum(dnp.clip(x, a, hi)))(lo) == 0.0
    assert dn.grad(lambda b: dnp.sum(dnp.clip(x, lo, b)))(hi) == 3.0
    np.testing.assert_array_equal(dn.grad(lambda v: dnp.sum(dnp.clip(v, lo, hi)))(x), 0.0)


# ------------------------------------------------------------------ broadcasting, every rule

NUMPY = {"power": np.float_power}       # numpy's name when it differs from the rule's
CASES = broadcast_cases()


def _numpy_fn(name: str):
    fn = NUMPY.get(name, getattr(np, name, None)) or scipy_reference(name)
    assert fn is not None, f"{name}: add its numpy counterpart to NUMPY in this file"
    return fn


def test_every_multi_argument_rule_is_covered():
    # the cases are generated from the table: this is only a guard against an empty sweep
    names = {c.prim for c in CASES}
    assert {"add", "subtract", "multiply", "divide", "power", "arctan2", "hypot", "maximum",
            "minimum", "clip", "where"} <= names


# the quick loop takes each rule's all-float case and its first (2, 1) × (1, 3) broadcast
@pytest.mark.parametrize("case", quick_first(
    CASES, lambda c: (c.prim, c.label.startswith("(2,1),(1,3)")), [c.id for c in CASES]))
def test_broadcasting_against_numpy_and_central_differences(case):
    prim, np_fn = get_rule(case.prim), _numpy_fn(case.prim)
    want = np_fn(*case.args)
    got = prim(*case.args)
    assert np.shape(got) == np.shape(want), f"{case.id}: shape {np.shape(got)}"
    assert_close(got, want, 1e-14, 0.0, f"{case.id} value")
    refs = central_jacobian(np_fn, list(case.args), case.wrt)
    for k, ref in zip(case.wrt, refs):
        def f(v, k=k):
            args = list(case.args)
            args[k] = v
            return prim(*args)
        x = case.args[k]
        assert_close(dn.jacfwd(f)(x), ref, 1e-6, 1e-7, f"{case.id} forward d/darg{k}")
        assert_close(dn.jacrev(f)(x), ref, 1e-6, 1e-7, f"{case.id} reverse d/darg{k}")
