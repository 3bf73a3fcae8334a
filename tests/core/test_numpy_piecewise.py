"""The elementwise names of issue 13: the piecewise rows (floor ... copysign), sinc and
logaddexp, and the composites round, fabs, divmod, angle, the unit conversions, select and
nan_to_num. Derivatives forward and reverse against central differences in plain numpy
(``refs.central_jacobian``), second order against differences of the gradient, the kink
conventions at the jumps, the Python operators (``%``, ``//``, ``divmod``) and numpy's own
functions on boxes (``np.floor(dual)``, ``np.mod(tapevar, y)``), errors like numpy's, and the
symbolic interpreter. Values against numpy are in test_numpy_values_elementwise.py."""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import Box

from .judges import both_modes
from .refs import assert_close, central_gradient

RNG = np.random.default_rng(1313)


def u(*shape: int, lo: float = -3.0, hi: float = 3.0) -> np.ndarray:
    return RNG.uniform(lo, hi, size=shape)



def second_order(f: Callable[[np.ndarray], Any], x: np.ndarray, what: str) -> np.ndarray:
    """The Hessian of ``sum(w * f(x))`` in every mode against differences of the gradient."""
    w = np.random.default_rng(3).normal(size=np.shape(f(x)))
    s = lambda v: dnp.sum(w * f(v))
    H = dn.hessian(s)(x)
    assert_close(H, central_gradient(lambda v: dn.grad(s)(v), x), 1e-5, 1e-6, f"{what} Hessian")
    assert_close(dn.hessian(s, mode="forward")(x), H, 1e-11, 1e-12, f"{what} fwd-over-fwd")
    assert_close(dn.hessian(s, mode="reverse")(x), H, 1e-11, 1e-12, f"{what} rev-over-rev")
    return H


# ------------------------------------------------------------------ derivatives of the names

SMOOTH = {
    "sinc": dnp.sinc,
    "sinc near 0": lambda x: dnp.sinc(1e-3 * x),
    "logaddexp": lambda x: dnp.logaddexp(x, x[::-1] * 0.5),
    "logaddexp2": lambda x: dnp.logaddexp2(0.3, x),
    "rad2deg": dnp.rad2deg, "deg2rad": dnp.deg2rad, "degrees": dnp.degrees,
    "radians": dnp.radians,
    "fabs": lambda x: dnp.fabs(x) * x,
    "remainder in x": lambda x: dnp.remainder(x * x, 1.7),
    "remainder in y": lambda x: dnp.remainder(4.0, 1.0 + x * x),
    "mod, negative divisor": lambda x: dnp.mod(x, -0.7) * x,
    "fmod in x and y": lambda x: dnp.fmod(x * 3.0, x[::-1] + 3.5),
    "copysign": lambda x: dnp.copysign(x * x - 1.0, x[::-1]),
    "select": lambda x: dnp.select([x < -1.0, x < 1.0], [x * x, dnp.sin(x)], dnp.exp(x)),
    "nan_to_num": lambda x: dnp.nan_to_num(x * x + np.array([np.inf, 0.0, np.nan, 0.0,
                                                             -np.inf, 0.0]), posinf=9.0),
    "angle of a complex": lambda x: dnp.angle(x + 1j * (x[::-1] + 0.1)),
}
STEPS = {
    "floor": dnp.floor, "ceil": dnp.ceil, "trunc": dnp.trunc, "rint": dnp.rint, "fix": dnp.fix,
    "floor_divide": lambda x: dnp.floor_divide(x, 0.4),
    "round 2": lambda x: dnp.round(x, 2), "around -1": lambda x: dnp.around(x * 50.0, -1),
    "angle of a real": dnp.angle, "sign of copysign": lambda x: dnp.copysign(1.0, x),
}
X6 = u(6)


@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_derivatives_and_second_order(name):
    f = SMOOTH[name]
    both_modes(f, X6, what=name)
    second_order(f, X6, name)


@pytest.mark.parametrize("name", sorted(STEPS))
def test_steps_have_derivative_zero_to_every_order(name):
    f = STEPS[name]
    both_modes(f, X6, what=name)         # central differences: 0 between the jumps
    for jac in (dn.jacfwd, dn.jacrev):
        assert np.array_equal(jac(f)(X6), np.zeros((6, 6))), name
    assert np.array_equal(second_order(f, X6, name), np.zeros((6, 6)))


@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 1, 3)])
def test_remainders_in_both_arguments_broadcast(shape):
    x, y = u(*shape, lo=-5, hi=5), u(*shape[-1:], lo=0.5, hi=2.0)
    for f in (dnp.remainder, dnp.fmod, dnp.floor_divide, dnp.copysign, dnp.logaddexp):
        for wrt in (0, 1):
            both_modes(f, x, -y, wrt=wrt, what=f"{f.name}{shape} d/darg{wrt}")


def test_closed_forms():
    # d/dy (x mod y) = -floor(x / y) with numpy's quotient; fmod's is trunc's
    assert dn.grad(lambda y: dnp.remainder(7.0, y), argnums=0)(2.0) == -3.0
    assert dn.grad(lambda y: dnp.remainder(-7.0, y))(2.0) == 4.0
    assert dn.grad(lambda y: dnp.fmod(-7.0, y))(2.0) == 3.0
    assert dn.derivative(lambda y: dnp.fmod(1.0, y), 0.1) == -9.0     # fmod(1, 0.1) ≈ 0.1
    # logaddexp: the softmax weights; finite where one side is infinite
    assert dn.grad(dnp.logaddexp, argnums=(0, 1))(0.0, math.log(3.0)) == pytest.approx(
        (0.25, 0.75), rel=1e-15)
    assert dn.grad(dnp.logaddexp, argnums=(0, 1))(np.inf, 1.0) == (1.0, 0.0)
    assert dn.grad(dnp.logaddexp2, argnums=(0, 1))(1.0, 1.0) == (0.5, 0.5)
    # sinc at 0: value 1, slope 0, curvature -pi²/3 (the series branch), in every mode
    assert dnp.sinc(0.0) == 1.0 and dn.derivative(dnp.sinc, 0.0) == 0.0
    assert dn.hessian(dnp.sinc)(0.0) == pytest.approx(-math.pi ** 2 / 3, rel=1e-14)
    assert dn.derivative(lambda x: dn.derivative(dnp.sinc, x), 0.0) == pytest.approx(
        -math.pi ** 2 / 3, rel=1e-14)
    d3 = dn.derivative(lambda x: dn.derivative(lambda y: dn.derivative(dnp.sinc, y), x), 0.05)
    t = sympy.Symbol("t")
    ref = float(sympy.diff(sympy.sin(sympy.pi * t) / (sympy.pi * t), t, 3).subs(t, 0.05))
    assert d3 == pytest.approx(ref, rel=1e-9)
    # angle: d/dx - i d/dy of atan2(y, x)
    assert complex(dn.grad(dnp.angle)(1.0 + 1.0j)) == pytest.approx(-0.5 - 0.5j, rel=1e-15)


def test_sinc_on_both_sides_of_the_series_switch():
    for x in (0.0, 1e-300, 1e-8, 0.0999999, 0.1, 0.1000001, -0.1, 0.5, 3.0):
        t = sympy.Symbol("t")
        e = sympy.sin(sympy.pi * t) / (sympy.pi * t)
        # evalf raises its working precision until the cancellation near 0 is resolved
        d1 = float(sympy.limit(sympy.diff(e, t), t, 0)) if x == 0 else float(
            sympy.diff(e, t).evalf(30, subs={t: sympy.Float(x, 30)}, maxn=2000))
        d2 = float(sympy.limit(sympy.diff(e, t, 2), t, 0)) if x == 0 else float(
            sympy.diff(e, t, 2).evalf(30, subs={t: sympy.Float(x, 30)}, maxn=2000))
        assert dn.derivative(dnp.sinc, x) == pytest.approx(d1, rel=1e-12, abs=1e-15), x
        assert dn.hessian(dnp.sinc)(x) == pytest.approx(d2, rel=1e-11), x


# ------------------------------------------------------------------ kinks, at the jumps

@pytest.mark.parametrize("f, x, want", [
    (dnp.floor, 2.0, 0.0), (dnp.ceil, -1.0, 0.0), (dnp.rint, 2.5, 0.0), (dnp.trunc, -3.0, 0.0),
    (lambda x: dnp.remainder(x, 1.0), 2.0, 1.0), (lambda y: dnp.remainder(6.0, y), 2.0, -3.0),
    (lambda x: dnp.fmod(x, 1.5), -3.0, 1.0), (lambda x: dnp.copysign(x, -1.0), 0.0, 0.0),
    (lambda x: dnp.copysign(x, -1.0), 2.0, -1.0), (lambda y: dnp.copysign(2.0, y), 0.0, 0.0),
    (lambda x: dnp.floor_divide(x, 0.5), 1.0, 0.0),
])
def test_kink_conventions(f, x, want):
    assert dn.derivative(f, x) == want
    assert dn.grad(f)(x) == want


def test_kinks_are_declared_where_the_jumps_are():
    at = {n: dn.get_rule(n).kink for n in ("floor", "ceil", "trunc", "rint", "floor_divide",
                                           "remainder", "fmod", "copysign")}
    for name, k in at.items():
        assert k is not None and k.convention and not dn.get_rule(name).analytic, name
    x = np.array([-1.0, -0.5, 0.0, 0.3, 2.0, 2.5, np.inf])
    assert at["floor"].at(x).tolist() == [True, False, True, False, True, False, False]
    assert at["rint"].at(x).tolist() == [False, True, False, False, False, True, False]
    assert at["remainder"].at(np.array([3.0, 3.5]), 1.5).tolist() == [True, False]
    assert at["copysign"].at(np.array([0.0, 1.0]), np.array([1.0, 0.0])).tolist() == [True, True]
    from dualnum.comparisons.tape_inspect import inspect_tape
    _, kinks = inspect_tape(lambda v: dnp.sum(dnp.floor(v) + v % 1.0), np.array([1.0, 1.5]))
    assert {k.op for k in kinks} == {"floor", "remainder"}


# ------------------------------------------------------------------ operators and numpy's names

def test_python_operators_on_boxes():
    x, y = u(3, 4, lo=-5, hi=5), u(4, lo=0.5, hi=2.0)
    for op in (lambda a, b: a % b, lambda a, b: a // b, lambda a, b: divmod(a, b)[1],
               lambda a, b: divmod(a, b)[0] * a):
        both_modes(op, x, y, wrt=0, what="x op y, d/dx")
        both_modes(op, x, y, wrt=1, what="x op y, d/dy")
        both_modes(lambda b: op(7.5, b), y, what="float op box")
        both_modes(lambda a: op(a, y), x, what="box op ndarray")
        both_modes(lambda b: op(x, b), y, what="ndarray op box")
    d = dn.Dual(2.7, 1.0)
    q, r = divmod(d, 1.0)
    assert (q.primal, q.tangent, r.primal, r.tangent) == (2.0, 0.0, 2.7 % 1.0, 1.0)
    assert (7.0 % dn.Dual(2.0, 1.0)).tangent == -3.0


NUMPY_NAMES = {
    "np.floor": np.floor, "np.ceil": np.ceil, "np.trunc": np.trunc, "np.rint": np.rint,
    "np.fix": np.fix, "np.round": lambda x: np.round(x, 1), "np.around": np.around,
    "np.fabs": np.fabs, "np.mod": lambda x: np.mod(x, 0.7),
    "np.remainder": lambda x: np.remainder(2.0, x),
    "np.fmod": lambda x: np.fmod(x, -0.7), "np.floor_divide": lambda x: np.floor_divide(x, 0.3),
    "np.divmod": lambda x: np.divmod(x, 0.7)[1] * x, "np.copysign": lambda x: np.copysign(x, -1.0),
    "np.sinc": np.sinc, "np.logaddexp": lambda x: np.logaddexp(x, 0.5),
    "np.logaddexp2": lambda x: np.logaddexp2(x, x), "np.rad2deg": np.rad2deg,
    "np.deg2rad": np.deg2rad, "np.degrees": np.degrees, "np.radians": np.radians,
    "np.angle": lambda x: np.angle(x, deg=True),
    "np.nan_to_num": lambda x: np.nan_to_num(x, posinf=1.0),
    "np.select": lambda x: np.select([x > 0], [x * x], default=-x),
}


@pytest.mark.parametrize("name", sorted(NUMPY_NAMES))
def test_numpys_own_functions_on_boxes(name):
    f = NUMPY_NAMES[name]
    x = u(5, lo=0.3, hi=3.0)
    want = f(x)
    for box in (dn.Dual(x, np.ones(5)),):
        got = f(box)
        assert isinstance(got, Box), f"{name} on a Dual gave {type(got).__name__}"
        np.testing.assert_allclose(got.primal, want, rtol=1e-14)
    with dn.Tape() as tape:
        got = f(tape.var(x))
        assert isinstance(got, dn.TapeVar), name
        np.testing.assert_allclose(got.value, want, rtol=1e-14)
    both_modes(f, x, what=name)


def test_numpys_predicates_on_boxes_answer_for_the_primal_values():
    v = np.array([np.nan, -0.0, np.inf, 1.5])
    d = dn.Dual(v, np.ones(4))
    assert np.isnan(d).tolist() == [True, False, False, False]
    assert np.isinf(d).tolist() == [False, False, True, False]
    assert np.signbit(d).tolist() == [False, True, False, False]
    assert dnp.isnan(d).tolist() == np.isnan(v).tolist()
    assert np.iscomplexobj(dn.Dual(1j, 1.0)) and not dnp.iscomplexobj(d)
    assert np.allclose(dn.Dual(2.0, 5.0), 2.0) is True and dnp.allclose(d, v, equal_nan=True)
    assert np.isclose(d, v).tolist() == [False, True, True, True]
    assert bool(np.any(d)) and not bool(np.all(d)) and dnp.all(d, axis=0) == np.all(v, axis=0)
    with dn.Tape() as tape:
        t = tape.var(v)
        assert np.isnan(t)[0] and dnp.any(t > 1.0) and not dnp.all(t == t)


# ------------------------------------------------------------------ errors, symbolic values

@pytest.mark.parametrize("call, err, match", [
    (lambda: dnp.fabs(1j), TypeError, r"fabs: complex"),
    (lambda: np.fabs(dn.Dual(1j, 1.0)), TypeError, r"fabs: complex"),
    (lambda: dnp.round(1.5, out=np.zeros(1)), TypeError, r"round: out="),
    (lambda: dnp.round(1.5, 1.5), TypeError, r"integer"),
    (lambda: dnp.select([], [], 0.0), ValueError, r"empty condition list"),
    (lambda: dnp.select([np.ones(2) > 0], [1.0, 2.0]), ValueError, r"same length"),
    (lambda: dnp.select([np.ones(2)], [1.0]), TypeError, r"invalid entry 0 in condlist"),
    (lambda: dnp.select([np.ones(2) > 0], [np.ones(3)]), ValueError, r"cannot be broadcast"),
    (lambda: dnp.all(np.ones(2), out=np.zeros(())), TypeError, r"all: out="),
])
def test_errors_like_numpys(call, err, match):
    with pytest.raises(err, match=match):
        call()


def test_symbolic_values():
    x, y = sympy.symbols("x y", real=True)
    assert dnp.floor(x) == sympy.floor(x) and dnp.ceil(x) == sympy.ceiling(x)
    assert dnp.remainder(x, y) == sympy.Mod(x, y)
    for v in (0.3, -1.7):
        assert float(dnp.sinc(x).subs(x, v)) == pytest.approx(float(np.sinc(v)), rel=1e-14)
    assert sympy.simplify(dnp.logaddexp(x, y) - sympy.log(sympy.exp(x) + sympy.exp(y))) == 0
    # numbers through the sympy counterparts give numpy's values (ties to even for rint)
    for v in (2.5, 3.5, -2.5, -0.5, 2.4, 0.5):
        for name in ("rint", "floor", "ceil", "trunc"):
            got = getattr(dnp, name)(sympy.Float(v))
            assert float(got) == float(getattr(np, name)(v)), (name, v, got)
    assert dnp.rint(sympy.Rational(5, 2)) == 2 and dnp.rint(sympy.Rational(7, 2)) == 4
    for a, b in ((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-7.5, -2.0)):
        for name in ("remainder", "fmod", "floor_divide", "copysign"):
            got = getattr(dnp, name)(sympy.Float(a), sympy.Float(b))
            assert float(got) == float(getattr(np, name)(a, b)), (name, a, b, got)
    s = np.array([x, y], dtype=object)
    assert list(dnp.floor(s)) == [sympy.floor(x), sympy.floor(y)]


def test_references_and_traces_say_where_sympy_cannot_differentiate():
    from dualnum.comparisons import check_grads
    from dualnum.comparisons.finite_differences import Refused
    from dualnum.comparisons.symbolic_reference import symbolic_jacobian
    f = lambda x: dnp.sum(dnp.floor(x) * x + x % 0.7 + dnp.sinc(x))
    with pytest.raises(Refused, match="sympy cannot differentiate Mod, floor"):
        symbolic_jacobian(f, np.array([0.3, 1.45]))
    # the symbolic reference stands aside; the central differences still judge, to 2nd order
    check_grads(f, (np.array([0.3, 1.45]),), modes=("forward", "reverse"),
                references=("symbolic", "central"), order=2)
    check_grads(lambda x: dnp.sum(dnp.sinc(x) * dnp.logaddexp(x, 1.0)), (np.array([0.3, 1.4]),),
                references=("symbolic",), order=2)
    t = dn.trace(lambda a, b: dnp.floor(a) * b + a % b, a=2.5, b=1.5)
    text = str(t)
    assert "Derivative" not in text
    assert text.splitlines()[-1].endswith("= 1") and "∂v₂/∂v₀] = 2 + 1 × (-1) = 1" in text


def test_a_python_zero_divisor_gives_numpys_inf_in_the_derivative():
    with np.errstate(divide="ignore"):
        d = dn.Dual(np.array([1.0, 2.0]), np.ones(2)) / 0
        assert d.tangent.tolist() == [np.inf, np.inf]
        assert dn.grad(lambda v: v / 0)(2.0) == np.inf
        assert dn.grad(lambda y: 2.0 / y)(0) == -np.inf
