"""The rule-table sweep: every primitive against sympy and central differences, first and
second order, forward and reverse, and the VJP as the transpose of the JVP.

The cases come from ``all_rules()`` (see specs.py): adding a rule adds its tests.
"""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy

import dualnum as dn
import dualnum.numpy as dnp
from dualnum.primitive import is_complex
from dualnum.rules import all_rules, get_rule

from .refs import assert_close, central_gradient, central_jacobian
from .specs import SPECIAL_ROWS, all_cases, quick_first, structural_cases

CASES = all_cases()


def _by_rule(cases):
    """The quick loop runs each rule's first case; the other shapes are marked slow."""
    return quick_first(cases, lambda c: c.prim, [c.id for c in cases])


def _fn(case):
    """f(*wrt_args) with the other arguments fixed."""
    prim = get_rule(case.prim)

    def f(*xs):
        args = list(case.args)
        for i, x in zip(case.wrt, xs):
            args[i] = x
        return _parts(prim(*args, **case.kwargs))

    return f


def _parts(y):
    """A complex output (the fft family's) as the pair of its real and imaginary parts on a
    new leading axis, so that every comparison of the sweep is between real numbers."""
    if not is_complex(y):
        return y
    return dnp.stack([dnp.real(y), dnp.imag(y)])


def _wrt_values(case):
    return [case.args[i] for i in case.wrt]


def test_every_structural_primitive_has_cases():
    covered = {c.prim for c in structural_cases()}
    missing = [p.name for p in all_rules() if p.partials is None and p.name not in covered]
    assert not missing, f"structural primitives without test cases in specs.py: {missing}"


@pytest.mark.parametrize("case", _by_rule(CASES))
def test_first_order_against_central_differences(case):
    f = _fn(case)
    xs = _wrt_values(case)
    ref = central_jacobian(f, xs, list(range(len(xs))))
    nums = tuple(range(len(xs)))
    fwd = dn.jacfwd(f, argnums=nums)(*xs)
    rev = dn.jacrev(f, argnums=nums)(*xs)
    for k in range(len(xs)):
        assert_close(fwd[k], ref[k], 1e-6, 1e-7, f"{case.id} forward d/darg{case.wrt[k]}")
        assert_close(rev[k], ref[k], 1e-6, 1e-7, f"{case.id} reverse d/darg{case.wrt[k]}")
        assert_close(rev[k], fwd[k], 1e-12, 1e-13, f"{case.id} reverse vs forward")


@pytest.mark.parametrize("case", _by_rule(CASES))
def test_vjp_is_transpose_of_jvp(case):
    rng = np.random.default_rng(7)
    f = _fn(case)
    xs = _wrt_values(case)
    vs = tuple(rng.normal(size=np.shape(x)) if np.shape(x) else float(rng.normal()) for x in xs)
    y, jv = dn.jvp(f, tuple(xs), vs)
    ybar = rng.normal(size=np.shape(y)) if np.shape(y) else float(rng.normal())
    y2, back = dn.vjp(f, *xs)
    jtv = back(ybar)
    lhs = float(np.sum(ybar * np.asarray(jv)))
    rhs = float(sum(np.sum(np.asarray(a) * np.asarray(v)) for a, v in zip(jtv, vs)))
    assert np.allclose(y, y2, rtol=1e-15, atol=0)
    assert abs(lhs - rhs) <= 1e-12 * max(1.0, abs(lhs)), f"{case.id}: <ȳ,Jv>={lhs} <Jᵀȳ,v>={rhs}"


def _skip_unevaluated(case, d):
    """sympy leaves the derivatives of floor, ceiling and Mod unevaluated
    (``Derivative(floor(x), x)``): those rows have no sympy reference (central differences,
    above, still check them), and the test says so rather than passing."""
    if d.has(sympy.Derivative, sympy.Subs):
        pytest.skip(f"{case.prim}: sympy leaves the derivative unevaluated ({d})")


def _symbolic_jacobians(case):
    """sympy's derivative of the primitive's symbolic counterpart, evaluated at the point."""
    prim = get_rule(case.prim)
    syms, sym_args, values = [], list(case.args), {}
    for k, i in enumerate(case.wrt):
        x = np.asarray(case.args[i], dtype=float)
        s = np.array([sympy.Symbol(f"a{k}_{j}", real=True) for j in range(x.size)],
                     dtype=object).reshape(x.shape)
        sym_args[i] = s if x.shape else s[()]
        syms.append(s)
        values.update({sym: float(v) for sym, v in zip(s.ravel(), x.ravel())})
    out = prim(*sym_args, **case.kwargs)
    out_arr = np.asarray(out, dtype=object)
    if np.iscomplexobj(prim(*case.args, **case.kwargs)):      # as _parts: (real, imaginary)
        out_arr = np.stack([np.frompyfunc(sympy.re, 1, 1)(out_arr),
                            np.frompyfunc(sympy.im, 1, 1)(out_arr)])
    # sympy's numpy printer has no gamma, polygamma or Bessel functions: mpmath evaluates
    # the scipy.special rows' derivatives (independently of scipy), at 50 digits (sympy
    # writes log_ndtr's slope with 1 - erfc(x/√2)/2, which cancels in the lower tail)
    special = case.prim in SPECIAL_ROWS
    mods = [{"DiracDelta": lambda x: 0.0 * x,
             "Heaviside": lambda x, h0=0.5: np.heaviside(x, h0)},
            "mpmath" if special else "numpy"]
    allsyms = [s for arr in syms for s in arr.ravel()]
    jacs = []
    for s in syms:
        J = np.zeros(out_arr.shape + s.shape)
        for oi in np.ndindex(*out_arr.shape):
            expr = sympy.sympify(out_arr[oi])
            for si in np.ndindex(*s.shape):
                d = sympy.diff(expr, s[si])
                _skip_unevaluated(case, d)
                if d == 0:
                    continue
                fn = sympy.lambdify(allsyms, d, modules=mods)
                with mpmath.workdps(50 if special else mpmath.mp.dps):
                    J[oi + si] = float(fn(*[values[a] for a in allsyms]))
        jacs.append(J)
    return jacs


SYMBOLIC = [c for c in CASES if int(sum(np.size(c.args[i]) for i in c.wrt)) <= 12
            and c.symbolic]


# sympy is slow on the structural rules' arrays: the quick loop checks the elementwise rules
# against sympy (and every rule against central differences, above)
@pytest.mark.parametrize("case", quick_first(
    SYMBOLIC, lambda c: c.prim if get_rule(c.prim).partials is not None else None,
    [c.id for c in SYMBOLIC]))
def test_first_order_against_sympy(case):
    f = _fn(case)
    xs = _wrt_values(case)
    ref = _symbolic_jacobians(case)
    fwd = dn.jacfwd(f, argnums=tuple(range(len(xs))))(*xs)
    rev = dn.jacrev(f, argnums=tuple(range(len(xs))))(*xs)
    for k in range(len(xs)):
        assert_close(fwd[k], ref[k], 1e-10, 1e-12, f"{case.id} forward vs sympy")
        assert_close(rev[k], ref[k], 1e-10, 1e-12, f"{case.id} reverse vs sympy")


def _scalarized(case):
    """s(x) = Σ w·f(args) with all differentiable args packed into one flat vector x."""
    f = _fn(case)
    xs = _wrt_values(case)
    shapes = [np.shape(x) for x in xs]
    sizes = [int(np.prod(s)) for s in shapes]
    w = np.random.default_rng(3).normal(size=np.shape(f(*xs)))

    def s(x):
        parts, start = [], 0
        for shp, n in zip(shapes, sizes):
            parts.append(dnp.reshape(x[start:start + n], shp) if shp else x[start])
            start += n
        return dnp.sum(w * f(*parts))

    x0 = np.concatenate([np.ravel(np.asarray(x, dtype=float)) for x in xs])
    return s, x0


SECOND = [c for c in CASES if int(sum(np.size(c.args[i]) for i in c.wrt)) <= 24]


@pytest.mark.parametrize("case", _by_rule(SECOND))
def test_second_order(case):
    s, x0 = _scalarized(case)
    H = dn.hessian(s)(x0)                          # forward-over-reverse
    ref = central_gradient(lambda x: dn.grad(s)(x), x0)   # differences of the gradient
    assert_close(H, ref, 1e-5, 1e-6, f"{case.id} Hessian vs differences of the gradient")
    assert_close(H, H.T, 1e-10, 1e-12, f"{case.id} Hessian symmetry")
    H_ff = dn.hessian(s, mode="forward")(x0)       # nested duals
    H_rr = dn.hessian(s, mode="reverse")(x0)       # reverse-over-reverse
    assert_close(H_ff, H, 1e-11, 1e-12, f"{case.id} forward-over-forward")
    assert_close(H_rr, H, 1e-11, 1e-12, f"{case.id} reverse-over-reverse")


ELEMENTWISE_SCALAR = [c for c in CASES if get_rule(c.prim).partials is not None
                      and all(np.shape(c.args[i]) == () for i in c.wrt)
                      and c.prim not in ("where",)]


@pytest.mark.parametrize("case", ELEMENTWISE_SCALAR, ids=[c.id for c in ELEMENTWISE_SCALAR])
def test_second_order_against_sympy(case):
    """d²f/dxᵢdxⱼ of each scalar rule against sympy, by nested duals."""
    prim = get_rule(case.prim)
    sy = [sympy.Symbol(f"x{k}", real=True) for k in range(len(case.wrt))]
    args = list(case.args)
    for k, i in enumerate(case.wrt):
        args[i] = sy[k]
    expr = prim(*args, **case.kwargs)
    point = {sy[k]: case.args[i] for k, i in enumerate(case.wrt)}
    xs = [float(case.args[i]) for i in case.wrt]
    f = _fn(case)
    nums = tuple(range(len(xs)))
    H = dn.jacfwd(dn.jacfwd(f, argnums=nums), argnums=nums)(*xs)
    for a in range(len(xs)):
        for b in range(len(xs)):
            ref = sympy.diff(expr, sy[a], sy[b])
            _skip_unevaluated(case, ref)
            ref = ref.subs(point)
            ref = ref.replace(sympy.DiracDelta, lambda *z: 0)
            assert abs(H[a][b] - float(ref)) <= 1e-10 * max(1.0, abs(float(ref))), \
                f"{case.id}: d²/dx{a}dx{b} = {H[a][b]} vs sympy {float(ref)}"
