"""Complex numbers never give a wrong derivative (issue 10, items 2 and 3).

The convention (autograd's and JAX's, see README "Complex numbers"): ``z = x + iy`` is the
pair of reals ``(x, y)`` and cotangents pair with tangents by ``<u, v> = Re(u·v)``. So

* the JVP along ``t = a + ib`` is ``∂f/∂x·a + ∂f/∂y·b``;
* the VJP of a cotangent ``ḡ`` is ``Re(ḡ·∂f/∂x) − i·Re(ḡ·∂f/∂y)``: for a real-valued ``f``
  and ``ḡ = 1`` the gradient ``∂f/∂x − i·∂f/∂y``; for a holomorphic ``f``, ``ḡ·f'(z)``;
* a real input gets a real gradient (the transpose of R ⊂ C is Re).

Every reference here is independent of the rule table's derivative rules: finite differences
of plain numpy complex values (the primitives called on plain numbers are numpy), or closed
forms. Fixed seeds.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum import rules as R
from dualnum.primitive import is_complex
from dualnum.saves import Unkept, lean_row

from .specs import swept_rules

SHAPES = [(), (4,), (3, 4)]
H = 1e-3


def _seed(name, shape):
    return zlib.crc32(f"{name}{shape}".encode())     # fixed per case (str hash is salted)


def _d(f, z, step):
    """Fourth-order central difference of ``f`` (elementwise, plain numpy) at ``z`` along
    ``step`` (a real or imaginary number): error ~h⁴, far below the tolerances used."""
    return (8.0 * (f(z + step) - f(z - step)) - (f(z + 2 * step) - f(z - 2 * step))) / (
        12.0 * abs(step))


def _close(got, want, what, rtol=1e-8, atol=1e-9):
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} vs {want.shape}"
    err = np.abs(got - want)
    bad = err > atol + rtol * np.abs(want)
    assert not np.any(bad), (f"{what}: got {got[bad].ravel()[:3]}, want "
                             f"{want[bad].ravel()[:3]} (max err {err.max():.3g})")


def _sample(rng, domain, shape, imag=0.3):
    """A complex point: the rule's real test domain plus ±0.3j (inside every analytic domain
    of the table: away from the branch cuts and poles, which lie on the real or imaginary
    axis beyond these points)."""
    lo, hi = domain
    x = rng.uniform(lo, hi, size=shape) + 1j * imag * rng.choice([-1.0, 1.0], size=shape)
    return complex(x) if shape == () else x


def _rand_c(rng, shape):
    """A random complex number or array, |z| in [0.5, 2] (the finite differences of |z| and
    z/|z| stay accurate away from their kink at 0)."""
    v = rng.uniform(0.5, 2.0, size=shape) * np.exp(1j * rng.uniform(-np.pi, np.pi, size=shape))
    return complex(v) if shape == () else v


# ----------------------------------------------------------------------------------------------
# 1. every analytic elementwise rule on complex points: the holomorphic derivative f'(z)
# ----------------------------------------------------------------------------------------------

ANALYTIC = [p for p in swept_rules() if p.partials is not None and p.analytic]
ANALYTIC_CASES = [pytest.param(p.name, s, id=f"{p.name}[{s}]") for p in ANALYTIC for s in SHAPES]


def _analytic_call(p, rng, shape):
    """(f of the differentiated arguments, their complex values, the argument indices)."""
    doms = p.domain if len(p.partials) > 1 else (p.domain,)
    if doms[0] is None:     # where's condition, an order (polygamma, iv, jv, yv): held fixed
        c = rng.uniform(size=shape) > 0.5 if shape else True
        xs = [_sample(rng, dom, shape) for dom in doms[1:]]
        return (lambda *a: p(c, *a)), xs
    xs = [_sample(rng, dom, shape) for dom in (p.domain if len(p.partials) > 1
                                               else (p.domain,))]
    return p, xs


@pytest.mark.parametrize("name,shape", ANALYTIC_CASES)
def test_analytic_rule_gives_the_holomorphic_derivative(name, shape):
    p = R.get_rule(name)
    rng = np.random.default_rng(_seed(name, shape))
    f, xs = _analytic_call(p, rng, shape)
    try:
        y = f(*xs)
    except TypeError as e:          # numpy has no complex loop for it: nothing to differentiate
        pytest.skip(f"{name}: the implementation has no complex version ({e})")
    assert np.iscomplexobj(y), f"{name}: a complex argument gave a real value"
    n = len(xs)
    for k in range(n):
        def fk(v, k=k):
            a = list(xs)
            a[k] = v
            return f(*a)
        ref = _d(fk, xs[k], H)                      # f'(z) along the real axis, in complex
        if np.shape(ref) != np.shape(y):
            ref = np.broadcast_to(ref, np.shape(y))
        ones = [np.ones(np.shape(x)) if np.shape(x) else 1.0 for x in xs]
        zeros = [np.zeros(np.shape(x)) if np.shape(x) else 0.0 for x in xs]
        t = list(zeros)
        t[k] = ones[k]
        # forward: tangent 1 gives f'(z); reverse: cotangent 1 gives f'(z) in this convention
        _close(dn.jvp(f, tuple(xs), tuple(t))[1], ref, f"{name} forward d/darg{k}")
        ct = np.ones(np.shape(y)) if np.shape(y) else 1.0
        _close(dn.vjp(f, *xs)[1](ct)[k], ref, f"{name} reverse d/darg{k}")
        # and with a complex tangent / cotangent: f'(z)·t and ḡ·f'(z)
        tc = _rand_c(rng, np.shape(xs[k]))
        gc = _rand_c(rng, np.shape(y))
        t[k] = tc
        _close(dn.jvp(f, tuple(xs), tuple(t))[1], ref * tc, f"{name} forward, complex t")
        _close(dn.vjp(f, *xs)[1](gc)[k], gc * ref, f"{name} reverse, complex cotangent")


def test_power_of_a_complex_scalar_base_with_a_real_exponent():
    z, y = 1.3 - 0.4j, 2.5
    ref = y * z ** (y - 1)                                     # closed form
    assert dn.jvp(lambda b: b ** y, (z,), (1.0,))[1] == pytest.approx(ref, rel=1e-12)
    assert dn.grad(lambda b: b ** y)(z) == pytest.approx(ref, rel=1e-12)


def test_the_analytic_sweep_covers_the_table():
    names = {p.name for p in ANALYTIC}
    assert {"exp", "log", "sin", "tanh", "power", "divide", "erf", "sigmoid", "where"} <= names
    assert not {"abs", "sign", "relu", "real", "imag", "conj"} & names


# ----------------------------------------------------------------------------------------------
# 2. non-holomorphic functions: finite differences of the real and imaginary parts
# ----------------------------------------------------------------------------------------------

NONANALYTIC = {
    "abs": lambda z: dnp.abs(z),
    "sign": lambda z: dnp.sign(z),
    "real": lambda z: dnp.real(z),
    "imag": lambda z: dnp.imag(z),
    "conj": lambda z: dnp.conj(z),
    "abs2": lambda z: dnp.abs(z) ** 2,
    "sqrt-real-zzbar": lambda z: dnp.sqrt(dnp.real(z * dnp.conj(z))),
    "abs-times-z": lambda z: dnp.abs(z) * z,
    "sign-times-abs": lambda z: dnp.sign(z) * dnp.abs(z),        # = z: holomorphic again
    "re-times-im": lambda z: dnp.real(z) * dnp.imag(z),
    "exp-conj": lambda z: dnp.exp(dnp.conj(z)) + dnp.sin(dnp.abs(z)) * dnp.imag(z),
    "np-ufuncs": lambda z: np.conj(z) * np.abs(z) + np.real(z) - np.imag(z),
}
NA_CASES = [(n, s) for n in NONANALYTIC for s in SHAPES]


def _partials(f, z):
    """(∂f/∂x, ∂f/∂y) by differences of the plain-numpy function."""
    return _d(f, z, H), _d(f, z, 1j * H)


@pytest.mark.parametrize("name,shape", NA_CASES, ids=[f"{n}[{s}]" for n, s in NA_CASES])
def test_nonanalytic_against_real_and_imaginary_differences(name, shape):
    f = NONANALYTIC[name]
    rng = np.random.default_rng(_seed(name, shape))
    z = _rand_c(rng, shape)
    fx, fy = _partials(f, z)
    y = f(z)
    # jvp along t = a + ib is fx·a + fy·b (both parts when f is complex-valued)
    t = _rand_c(rng, shape)
    y1, jt = dn.jvp(f, (z,), (t,))
    _close(y1, y, f"{name} value")
    _close(jt, fx * np.real(t) + fy * np.imag(t), f"{name} jvp")
    if not np.iscomplexobj(y):
        assert not is_complex(jt), f"{name}: the tangent of a real value must be real"
    # vjp of ḡ: Re(ḡ·fx) − i·Re(ḡ·fy); with ḡ = 1 on a real f, the gradient fx − i·fy
    ones = np.ones(np.shape(y)) if np.shape(y) else 1.0
    _close(dn.vjp(f, z)[1](ones)[0], np.real(fx) - 1j * np.real(fy), f"{name} vjp(1)")
    g = _rand_c(rng, np.shape(y))
    _close(dn.vjp(f, z)[1](g)[0], np.real(g * fx) - 1j * np.real(g * fy), f"{name} vjp(ḡ)")
    if shape == ():
        ref = np.real(fx) - 1j * np.real(fy)      # the gradient of (the real part of) f
        _close(dn.grad(f)(z), ref, f"{name} grad")
    else:
        _close(dn.grad(lambda v: dnp.sum(f(v)))(z), np.real(fx) - 1j * np.real(fy),
               f"{name} grad of the sum")


@pytest.mark.parametrize("name,shape", NA_CASES, ids=[f"{n}[{s}]" for n, s in NA_CASES])
def test_vjp_is_the_transpose_of_the_jvp_under_re_pairing(name, shape):
    f = NONANALYTIC[name]
    rng = np.random.default_rng(_seed(name, shape) + 1)
    z = _rand_c(rng, shape)
    t = _rand_c(rng, shape)
    y, jt = dn.jvp(f, (z,), (t,))
    g = _rand_c(rng, np.shape(y))                 # complex even for a real output
    (gt,) = dn.vjp(f, z)[1](g)
    lhs = np.sum(np.real(np.asarray(g) * np.asarray(jt)))
    rhs = np.sum(np.real(np.asarray(gt) * np.asarray(t)))
    assert abs(lhs - rhs) <= 1e-12 * max(1.0, abs(lhs)), f"{name}: {lhs} vs {rhs}"


def test_kinks_at_zero_for_complex_zero():
    # |z| at 0: hypot's kink, derivative 0 (as abs'(0) = 0 for reals); sign(0) = 0, slope 0
    assert dn.jvp(dnp.abs, (0j,), (1 + 1j,)) == (0.0, 0.0)
    assert dn.grad(dnp.abs)(0j) == 0
    assert dn.jvp(dnp.sign, (0j,), (1 + 1j,))[1] == 0
    z = np.array([0j, 3 + 4j])
    y, t = dn.jvp(dnp.sign, (z,), (np.array([1 + 1j, 1j]),))
    _close(y, [0, 0.6 + 0.8j], "sign value")
    _close(t, [0, 1j / 5 - (3 + 4j) * 0.8 / 25], "sign jvp")   # closed form at 3+4j
    _close(dn.grad(lambda v: dnp.sum(dnp.abs(v)))(z), [0, (3 - 4j) / 5], "abs grad")


# ----------------------------------------------------------------------------------------------
# 3. the issue's examples, by name
# ----------------------------------------------------------------------------------------------

Z = 1.1 + 1.2j


def test_issue10_jvp_of_abs_along_i_is_real():
    y, t = dn.jvp(dnp.abs, (Z,), (1j,))
    assert not isinstance(t, complex) and not is_complex(t)
    assert t == pytest.approx((Z.conjugate() * 1j).real / abs(Z))     # 0.737...
    assert t == pytest.approx(0.7371541402007414, rel=1e-14)
    assert y == pytest.approx(abs(Z))


def test_issue10_abs_squared_along_i_is_2_4():
    t = dn.jvp(lambda z: dnp.abs(z) ** 2, (Z,), (1j,))[1]
    assert not is_complex(t)
    assert t == pytest.approx(2.4, rel=1e-14)                 # 2·Re(conj(z)·i) = 2·Im z


def test_issue10_grad_of_abs_is_conj_z_over_abs_z():
    assert dn.grad(dnp.abs)(Z) == pytest.approx(Z.conjugate() / abs(Z), rel=1e-14)
    assert dn.grad(lambda z: dnp.abs(z) ** 2)(3 + 4j) == pytest.approx(6 - 8j, rel=1e-14)
    with dn.Tape() as tape:                                   # the explicit tape agrees
        z = tape.var(3 + 4j)
        y = dnp.abs(z)
    assert tape.gradient(y, z) == pytest.approx(0.6 - 0.8j, rel=1e-14)


def test_issue10_real_input_gets_a_real_gradient_through_complex_constants():
    y, back = dn.vjp(lambda x: x * (1 + 2j), 1.5)
    assert y == 1.5 + 3j
    (g,) = back(1 + 0j)
    assert g == 1.0 and type(g) is float                      # the real part (autograd)
    assert back(1j) == (-2.0,)                                # Re(i·(1+2j)) = -2
    x = np.array([0.5, -1.0, 2.0])
    (ga,) = dn.vjp(lambda v: v * (1 + 2j) + 1j * v ** 2, x)[1](np.ones(3) + 0j)
    assert ga.dtype == np.float64
    _close(ga, np.ones(3), "real part of (1+2j) + 2i·x")
    # and grad of a real loss of a real parameter entering complexly
    f = lambda w: dnp.abs(w * (1 + 2j) + 1j) ** 2             # 5w² + 4w + 1
    g = dn.grad(f)(0.7)
    assert type(g) in (float, np.float64) and g == pytest.approx(10 * 0.7 + 4, rel=1e-14)


def test_descending_along_minus_conj_grad_finds_the_minimum():
    # the README's advice: with grad = ∂f/∂x − i∂f/∂y, the steepest descent step is −conj(grad)
    f = lambda z: dnp.abs(z - (1 + 1j)) ** 2
    z = 3 + 4j
    for _ in range(60):
        z = z - 0.1 * np.conj(dn.grad(f)(z))
    assert abs(z - (1 + 1j)) < 1e-4


def test_issue10_arrays_of_complex_numbers_both_modes():
    rng = np.random.default_rng(10)
    z = _rand_c(rng, (3, 4))
    t = _rand_c(rng, (3, 4))
    y, jt = dn.jvp(lambda v: dnp.abs(v) ** 2, (z,), (t,))
    assert y.dtype == np.float64 and jt.dtype == np.float64
    _close(jt, 2 * np.real(np.conj(z) * t), "jvp of |z|² on a matrix")
    g = dn.grad(lambda v: dnp.sum(dnp.abs(v) ** 2))(z)
    _close(g, 2 * np.conj(z), "grad of Σ|z|²")
    g = dn.grad(lambda v: dnp.sum(dnp.abs(v)))(z)
    _close(g, np.conj(z) / np.abs(z), "grad of Σ|z|")


def test_jacfwd_and_jacrev_of_complex_input_functions():
    rng = np.random.default_rng(11)
    z = _rand_c(rng, (4,))
    # holomorphic: both give the complex Jacobian diag(f'(z)), f'(z) = sin z + z cos z
    f = lambda v: v * dnp.sin(v)
    want = np.diag(np.sin(z) + z * np.cos(z))
    _close(dn.jacfwd(f)(z), want, "jacfwd, holomorphic")
    _close(dn.jacrev(f)(z), want, "jacrev, holomorphic")
    # not holomorphic: jacfwd pushes the real unit directions (∂f/∂x), jacrev gives the
    # gradient of each (real) output, ∂f/∂x − i∂f/∂y
    g = lambda v: dnp.abs(v) ** 2
    _close(dn.jacfwd(g)(z), np.diag(2 * z.real), "jacfwd of |z|²: ∂/∂x")
    _close(dn.jacrev(g)(z), np.diag(2 * np.conj(z)), "jacrev of |z|²: ∂/∂x − i∂/∂y")
    # a real parameter entering complexly: both modes agree, real, with the closed form
    c = np.array([1 + 2j, -0.5 + 1j, 2 - 1j])
    h = lambda w: dnp.abs(c * w[0] + dnp.exp(1j * w[1])) ** 2
    w = np.array([0.3, 0.8])
    # |c w0 + e^{i w1}|² = |c|² w0² + 1 + 2 w0 Re(c e^{-i w1})
    a = np.real(c * np.exp(-1j * w[1]))
    b = np.real(c * -1j * np.exp(-1j * w[1]))
    want = np.stack([2 * np.abs(c) ** 2 * w[0] + 2 * a, 2 * w[0] * b], axis=1)
    for J in (dn.jacfwd(h)(w), dn.jacrev(h)(w)):
        assert J.dtype == np.float64
        _close(J, want, "jacobian w.r.t. a real parameter")


def test_second_order_hessian_of_abs_squared_wrt_a_real_parameter():
    # g(θ) = |(1+2i)θ0 + e^{iθ1}|² = 5θ0² + 1 + 2θ0(cos θ1 + 2 sin θ1)
    g = lambda th: dnp.abs((1 + 2j) * th[0] + dnp.exp(1j * th[1])) ** 2
    th = np.array([0.4, -0.7])
    s, c = np.sin(th[1]), np.cos(th[1])
    want = np.array([[10.0, 2 * (2 * c - s)], [2 * (2 * c - s), -2 * th[0] * (c + 2 * s)]])
    for mode in ("forward-over-reverse", "forward", "reverse"):
        Hm = dn.hessian(g, mode=mode)(th)
        assert Hm.dtype == np.float64, mode
        _close(Hm, want, f"hessian ({mode})")
    assert dn.grad(g)(th).dtype == np.float64


def test_second_order_through_abs_of_a_complex_input():
    # grad |z|² = 2 conj(z): its derivative along t is 2 conj(t)
    z, t = 0.3 - 1.1j, 0.7 + 0.2j
    assert dn.hvp(lambda v: dnp.abs(v) ** 2)(z, t) == pytest.approx(2 * np.conj(t))
    # grad |z| = conj(z)/|z|: along t, conj(t)/|z| − conj(z)·Re(conj(z) t)/|z|³
    r = abs(z)
    want = np.conj(t) / r - np.conj(z) * (np.conj(z) * t).real / r ** 3
    assert dn.hvp(dnp.abs)(z, t) == pytest.approx(want, rel=1e-12)
    # forward over forward: d²/ds² |z + s·t|² = 2|t|²
    d2 = dn.derivative(lambda s: dn.derivative(lambda u: dnp.abs(z + u * t) ** 2, s), 0.0)
    assert d2 == pytest.approx(2 * abs(t) ** 2, rel=1e-12)


# ----------------------------------------------------------------------------------------------
# the pieces: the primitives on every kind of value, the lean tape's dtype, nested boxes
# ----------------------------------------------------------------------------------------------

def test_real_imag_conj_on_plain_and_symbolic_values():
    assert (dnp.real(3 + 4j), dnp.imag(3 + 4j), dnp.conj(3 + 4j)) == (3.0, 4.0, 3 - 4j)
    assert (dnp.real(1.5), dnp.imag(1.5), dnp.conj(1.5)) == (1.5, 0.0, 1.5)
    a = np.array([1 + 2j, -3j])
    _close(dnp.real(a), [1, 0], "real")
    _close(dnp.imag(a), [2, -3], "imag")
    _close(dnp.conjugate(a), [1 - 2j, 3j], "conj")
    assert dnp.imag(np.ones(2)).flags.writeable
    z = sympy.Symbol("z")
    assert dnp.real(z) == sympy.re(z) and dnp.imag(z) == sympy.im(z)
    assert dnp.conj(z) == sympy.conjugate(z)
    zs = np.array([z, 2 * z], dtype=object)
    assert list(dnp.real(zs)) == [sympy.re(z), 2 * sympy.re(z)]
    assert dnp.abs(3 + 4j) == 5.0 and dnp.sign(3 + 4j) == 0.6 + 0.8j   # numeric: numpy


def test_numpy_protocols_route_to_the_primitives():
    d = dn.Dual(1 + 2j, 1j)
    assert np.conj(d).tangent == -1j and np.real(d).tangent == 0.0
    assert np.imag(d).tangent == 1.0 and d.real.primal == 1.0 and d.conj().primal == 1 - 2j
    with dn.Tape() as tape:
        v = tape.var(np.array([1 + 2j, 3 - 1j]))
        y = np.sum(np.real(v * np.conjugate(v)))
    _close(tape.gradient(y, v), 2 * np.conj([1 + 2j, 3 - 1j]), "tape through ufuncs")


def test_lean_tape_remembers_whether_a_dropped_array_was_complex():
    z, w = np.array([1 + 1j, 2.0]), np.array([0.5, 1.5])
    kept, _ = lean_row(R.add, (z, w), z + w)          # add reads neither operand
    assert all(isinstance(k, Unkept) for k in kept)
    assert is_complex(kept[0]) and not is_complex(kept[1])
    assert repr(kept[1]) == "<unkept array of shape (2,)>"
    # a complex adjoint reaching z through add's Unkept stand-in must stay complex ...
    g = dn.grad(lambda v: dnp.sum(dnp.abs(v + 1.0) ** 2))(z)
    _close(g, 2 * np.conj(z + 1.0), "grad through unkept complex operands")
    # ... and one reaching a real array through an Unkept stand-in becomes real
    g = dn.grad(lambda v: dnp.sum(dnp.real((v + 1.0) * (1 + 2j)) ** 2))(w)
    assert g.dtype == np.float64
    _close(g, 2 * (w + 1.0), "grad of a real array entering complexly")


def test_nested_boxes_take_the_complex_composite():
    # a Dual inside a tape variable (forward over reverse), and the other way round
    z, t = 1.0 - 2.0j, 0.5 + 0.5j
    r = abs(z)
    want = np.conj(t) / r - np.conj(z) * (np.conj(z) * t).real / r ** 3
    got = dn.jvp(lambda v: dn.grad(lambda u: dnp.abs(u))(v), (z,), (t,))[1]
    assert got == pytest.approx(want, rel=1e-12)
    # reverse over forward: grad of the jvp of |z| along a fixed t
    jv = lambda v: dn.jvp(dnp.abs, (v,), (t,))[1]     # Re(conj(v) t)/|v|
    ref = _d(lambda v: (np.conj(v) * t).real / np.abs(v), z, H) - 1j * _d(
        lambda v: (np.conj(v) * t).real / np.abs(v), z, 1j * H)
    assert dn.grad(jv)(z) == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("z", [1 + 2j, np.array([1 + 2j, 3 - 1j]), np.array([[0.5j], [2.0]],
                                                                           dtype=complex)])
def test_a_complex_input_gets_a_complex_gradient_where_only_real_parts_reach_it(z):
    # f = Σ Re(z)²: ∂f/∂x = 2x, ∂f/∂y = 0, so the gradient 2x − 0i is complex (as JAX and
    # PyTorch give it), also where no imaginary part flowed and where nothing flowed at all
    f = lambda z: dnp.sum(dnp.real(z) ** 2)             # noqa: E731
    want = 2 * np.real(z) + 0j
    for got in (dn.grad(f)(z), dn.value_and_grad(f)(z)[1], dn.vjp(f, z)[1](1.0)[0],
                dn.jacrev(f)(z)):
        assert is_complex(got) and np.shape(got) == np.shape(z)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)
    zero = dn.grad(lambda z, w: dnp.sum(w * w), argnums=0)(z, 2.0)    # no path from z
    assert is_complex(zero) and np.shape(zero) == np.shape(z) and not np.any(zero)
    J = dn.jacrev(lambda z: dnp.real(z) * 2.0)(z)       # the block of a real output: 2·I
    assert is_complex(J)
    np.testing.assert_allclose(J, 2 * np.eye(np.size(z)).reshape(np.shape(z) * 2), atol=0)
    with dn.Tape() as t:
        v = t.var(z)
        y = f(v)
    g = t.gradient(y, v)
    assert is_complex(g)
    np.testing.assert_allclose(g, want, atol=1e-14)
    # a real input beside it keeps its real gradient
    gw = dn.grad(lambda z, w: dnp.sum(dnp.real(z) * w), argnums=1)(z, 3.0)
    assert not is_complex(gw) and gw == pytest.approx(float(np.sum(np.real(z))))
